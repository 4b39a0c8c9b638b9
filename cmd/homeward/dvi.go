package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"github.com/homeward/homeward/dvi"
)

func init() {
	register(command{name: "dvi", summary: "disaster victim identification: dvi solve [-max-assign N] CASE.json", run: runDVI})
}

func runDVI(ctx context.Context, env *cliEnv, args []string) error {
	if len(args) == 0 || args[0] != "solve" {
		return usageError{"usage: homeward dvi solve [-max-assign N] CASE.json"}
	}
	fs := flag.NewFlagSet("dvi solve", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	maxAssign := fs.Int("max-assign", 100_000, "refuse full enumeration beyond this many assignments")
	threshold := fs.Float64("threshold", 1e4, "pairwise LR above which an identification can be undisputed")
	if err := parseInterspersed(fs, args[1:]); err != nil {
		return usageError{err.Error()}
	}
	if fs.NArg() != 1 {
		return usageError{"usage: homeward dvi solve [-max-assign N] CASE.json"}
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer f.Close()
	p, err := dvi.ReadProblem(f)
	if err != nil {
		return err
	}
	null, err := p.Null()
	if err != nil {
		return err
	}
	pw, err := p.PairwiseLR()
	if err != nil {
		return err
	}
	und, err := p.FindUndisputed(*threshold)
	if err != nil {
		return err
	}
	out := map[string]any{"schema": "homeward/expected/v1", "type": "dvi", "null_loglik": null, "pairwiseLR": pw,
		"undisputed": map[string]any{"threshold": *threshold, "summary": undisputedRows(und)}}
	if j, err := p.Joint(*maxAssign); err != nil {
		out["jointDVI_full"] = map[string]any{"error": err.Error()}
	} else {
		out["jointDVI_full"] = j
	}
	// The default joint identification switches off needless mutation models and fixes the
	// undisputed identifications first (dvir's jointDVI defaults); it runs last because it changes
	// the problem's settings.
	if j, u, err := p.JointWithUndisputed(*threshold, *maxAssign); err != nil {
		out["jointDVI_default"] = map[string]any{"error": err.Error()}
	} else {
		out["jointDVI_default"] = map[string]any{"undisputed": undisputedRows(u), "result": j}
	}
	enc := json.NewEncoder(env.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func undisputedRows(und []dvi.Undisputed) []map[string]any {
	rows := []map[string]any{}
	for _, u := range und {
		rows = append(rows, map[string]any{"Family": u.Family, "Missing": u.Missing, "Sample": u.Sample, "LR": u.LR,
			"Conclusion": "Undisputed", "Comment": fmt.Sprintf("Step %d", u.Step)})
	}
	return rows
}
