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
	register(command{name: "dvi", summary: "disaster victim identification: dvi solve [flags] CASE.json (dvi solve -h lists them)", run: runDVI})
}

const usageDVI = "usage: homeward dvi solve [-threshold LR] [-threshold2 LR] [-max-incomp N] [-limit LR] [-max-assign N] CASE.json"

func runDVI(ctx context.Context, env *cliEnv, args []string) error {
	if len(args) == 0 || args[0] != "solve" {
		return usageError{usageDVI}
	}
	fs := flag.NewFlagSet("dvi solve", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	o := dvi.DefaultSolveOptions()
	fs.IntVar(&o.MaxAssign, "max-assign", o.MaxAssign, "refuse joint enumeration beyond this many assignments")
	fs.Float64Var(&o.Threshold, "threshold", o.Threshold, "LR (and GLR) above which an identification is undisputed")
	fs.Float64Var(&o.Threshold2, "threshold2", 0, "LR above which a match is probable (default threshold/10, at least 1)")
	fs.IntVar(&o.MaxIncomp, "max-incomp", o.MaxIncomp, "a pairing with more incompatible markers is excluded")
	fs.Float64Var(&o.Limit, "limit", o.Limit, "pairings with pairwise LR at or below this are dropped after the undisputed step")
	priorFile := fs.String("prior", "", "JSON file of pairing weights {\"V1\": {\"M1\": 3, \"*\": 1}} (default: the case's \"prior\", else flat)")
	if err := parseInterspersed(fs, args[1:]); err != nil {
		return usageError{err.Error()}
	}
	if fs.NArg() != 1 {
		return usageError{usageDVI}
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
	if *priorFile != "" {
		b, err := os.ReadFile(*priorFile)
		if err != nil {
			return err
		}
		p.Prior = dvi.Prior{}
		if err := json.Unmarshal(b, &p.Prior); err != nil {
			return fmt.Errorf("prior %s: %w", *priorFile, err)
		}
	}
	r, err := dvi.Analyse(p, o)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(env.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}
