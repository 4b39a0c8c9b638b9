package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"github.com/homeward/homeward/labfmt/familias"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/homeward/homeward/dvi"
	"github.com/homeward/homeward/labfmt/casejson"
)

func init() {
	register(command{name: "kinship", summary: "kinship computations: kinship lr [-table] CASE.json|CASE.fam; kinship convert CASE.fam; kinship to-fam CASE.json", run: runKinship})
}

// isDVICase says whether a case file's type is "dvi".
func isDVICase(body []byte) bool {
	var head struct {
		Type string `json:"type"`
	}
	return json.Unmarshal(body, &head) == nil && head.Type == "dvi"
}

// pairwiseKinship answers kinship lr for a DVI case file: the LR of "victim v is missing person m"
// against unrelated, for every admissible pairing (as dvi solve's first step computes it).
func pairwiseKinship(ctx context.Context, env *cliEnv, body []byte, table bool) error {
	p, err := dvi.ReadProblem(bytes.NewReader(body))
	if err != nil {
		return err
	}
	lr, err := p.WithContext(ctx).PairwiseLR()
	if err != nil {
		return err
	}
	if !table {
		return printJSON(env, map[string]any{"type": "dvi", "pairwise_lr": lr})
	}
	tw := tabwriter.NewWriter(env.stdout, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "victim\t")
	for _, m := range lr.Missing {
		fmt.Fprintf(tw, "LR %s\t", m)
	}
	fmt.Fprintln(tw)
	for i, v := range lr.Victims {
		fmt.Fprintf(tw, "%s\t", v)
		for _, x := range lr.Matrix[i] {
			if x == nil {
				fmt.Fprintf(tw, "—\t")
			} else {
				fmt.Fprintf(tw, "%.6g\t", *x)
			}
		}
		fmt.Fprintln(tw)
	}
	return tw.Flush()
}

func runKinship(ctx context.Context, env *cliEnv, args []string) error {
	if len(args) == 2 && args[0] == "to-fam" {
		// A Homeward case file written for Familias.
		f, err := os.Open(args[1])
		if err != nil {
			return err
		}
		defer f.Close()
		c, err := casejson.Read(f)
		if err != nil {
			return err
		}
		return familias.Write(env.stdout, c)
	}
	if len(args) == 2 && args[0] == "convert" {
		// A Familias file written out as a Homeward case file.
		f, err := os.Open(args[1])
		if err != nil {
			return err
		}
		defer f.Close()
		c, err := familias.Read(f, filepath.Base(args[1]))
		if err != nil {
			return err
		}
		return printJSON(env, c)
	}
	if len(args) == 0 || args[0] != "lr" {
		return usageError{"usage: homeward kinship lr [-table] CASE.json|CASE.fam ('-' for stdin) | kinship convert CASE.fam | kinship to-fam CASE.json"}
	}
	fs := flag.NewFlagSet("kinship lr", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	table := fs.Bool("table", false, "print a readable per-marker table instead of JSON")
	if err := parseInterspersed(fs, args[1:]); err != nil {
		return usageError{err.Error()}
	}
	if fs.NArg() != 1 {
		return usageError{"usage: homeward kinship lr [-table] CASE.json"}
	}
	in := env.stdin
	if fs.Arg(0) != "-" {
		f, err := os.Open(fs.Arg(0))
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}
	var res *casejson.KinshipResult
	var err error
	if !strings.HasSuffix(strings.ToLower(fs.Arg(0)), ".fam") {
		// A DVI case file is a kinship question too: every victim against every missing person.
		body, err := io.ReadAll(io.LimitReader(in, 64<<20))
		if err != nil {
			return err
		}
		if isDVICase(body) {
			return pairwiseKinship(ctx, env, body, *table)
		}
		in = bytes.NewReader(body)
	}
	if strings.HasSuffix(strings.ToLower(fs.Arg(0)), ".fam") {
		// A case prepared in Familias: its pedigrees are the hypotheses, the last the reference.
		c, err := familias.Read(in, filepath.Base(fs.Arg(0)))
		if err != nil {
			return err
		}
		res, err = c.SolveKinship()
		if err != nil {
			return err
		}
	} else if res, err = casejson.SolveKinship(in); err != nil {
		return err
	}
	if !*table {
		enc := json.NewEncoder(env.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	tw := tabwriter.NewWriter(env.stdout, 2, 4, 2, ' ', tabwriter.AlignRight)
	keys := []string{}
	for _, h := range res.Hypotheses {
		if h != res.Reference {
			keys = append(keys, h+":"+res.Reference)
		}
	}
	fmt.Fprintf(tw, "marker\t")
	for _, k := range keys {
		fmt.Fprintf(tw, "LR %s\t", k)
	}
	fmt.Fprintln(tw, "inconsistencies\t")
	for i, m := range res.Markers {
		fmt.Fprintf(tw, "%s\t", m)
		inc := 0
		for _, k := range keys {
			fmt.Fprintf(tw, "%.6g\t", float64(res.LRPerMarker[k][i]))
		}
		for _, h := range res.Hypotheses {
			inc = max(inc, res.Inconsistencies[h][i])
		}
		fmt.Fprintf(tw, "%d\t\n", inc)
	}
	fmt.Fprintf(tw, "total\t")
	for _, k := range keys {
		fmt.Fprintf(tw, "%.6g\t", float64(res.LRTotal[k]))
	}
	fmt.Fprintln(tw, "\t")
	fmt.Fprintf(tw, "log10\t")
	for _, k := range keys {
		v := float64(res.Log10LRTotal[k])
		if math.IsInf(v, 0) {
			fmt.Fprintf(tw, "%v\t", v)
		} else {
			fmt.Fprintf(tw, "%.4f\t", v)
		}
	}
	fmt.Fprintln(tw, "\t")
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, n := range res.Notes {
		fmt.Fprintln(env.stdout, "note:", n)
	}
	return nil
}
