package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/homeward/homeward/labfmt/familias"
	"github.com/spf13/cobra"
	flag "github.com/spf13/pflag"

	"github.com/homeward/homeward/dvi"
	"github.com/homeward/homeward/labfmt/casejson"
)

func init() {
	register(spec{use: "kinship", short: "kinship computations: likelihood ratios of a case's hypotheses; Familias files in and out", subs: []spec{
		{use: "lr CASE", short: "likelihoods and LRs of a kinship case (CASE.json, a Familias CASE.fam, or - for stdin); a DVI case gives every pairwise LR",
			example: "  homeward kinship lr --table case.json", args: cobra.ExactArgs(1), define: kinshipLR},
		{use: "convert CASE.fam", short: "a Familias file as a Homeward case file", example: "  homeward kinship convert case.fam > case.json", args: cobra.ExactArgs(1), define: kinshipConvert(false)},
		{use: "to-fam CASE.json", short: "a Homeward case file as a Familias file", example: "  homeward kinship to-fam case.json > case.fam", args: cobra.ExactArgs(1), define: kinshipConvert(true)},
	}})
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

// kinshipConvert writes a Familias file as a Homeward case file, or (toFam) the reverse.
func kinshipConvert(toFam bool) definer {
	return func(_ *flag.FlagSet, env *cliEnv) action {
		return func(_ context.Context, args []string) error {
			f, err := os.Open(args[0])
			if err != nil {
				return err
			}
			defer f.Close()
			if toFam {
				c, err := casejson.Read(f)
				if err != nil {
					return err
				}
				return familias.Write(env.stdout, c)
			}
			c, err := familias.Read(f, filepath.Base(args[0]))
			if err != nil {
				return err
			}
			return printJSON(env, c)
		}
	}
}

func kinshipLR(fs *flag.FlagSet, env *cliEnv) action {
	table := fs.Bool("table", false, "print a readable per-marker table instead of JSON")
	return func(ctx context.Context, args []string) error {
		in := env.stdin
		if args[0] != "-" {
			f, err := os.Open(args[0])
			if err != nil {
				return err
			}
			defer f.Close()
			in = f
		}
		var res *casejson.KinshipResult
		var err error
		if !strings.HasSuffix(strings.ToLower(args[0]), ".fam") {
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
		if strings.HasSuffix(strings.ToLower(args[0]), ".fam") {
			// A case prepared in Familias: its pedigrees are the hypotheses, the last the reference.
			c, err := familias.Read(in, filepath.Base(args[0]))
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
		if err := printKinshipTable(env, res); err != nil {
			return err
		}
		for _, n := range res.Notes {
			fmt.Fprintln(env.stdout, "note:", n)
		}
		return nil
	}
}

// printKinshipTable prints a kinship result marker by marker: each hypothesis' LR against the
// reference, the inconsistencies, the totals and their log10.
func printKinshipTable(env *cliEnv, res *casejson.KinshipResult) error {
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
	return tw.Flush()
}
