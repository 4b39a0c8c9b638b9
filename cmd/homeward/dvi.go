package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	flag "github.com/spf13/pflag"

	"github.com/homeward/homeward/casebuild"
	"github.com/homeward/homeward/dvi"
	"github.com/homeward/homeward/labfmt/familias"
)

func init() {
	register(spec{use: "dvi", short: "disaster victim identification: solve a case as dvir does; convert, build, simulate and time cases", subs: []spec{
		{use: "solve CASE", short: "pairwise LRs, exclusions, undisputed, joint identification and the conclusions table of a DVI case (CASE.json or a Familias CASE.fam)",
			example: "  homeward dvi solve --threshold 10000 case.json", args: cobra.ExactArgs(1), define: runDVISolve},
		{use: "convert CASE.fam", short: "a Familias DVI file as a Homeward case file (JSON)", example: "  homeward dvi convert case.fam > case.json",
			args: cobra.ExactArgs(1), define: dviConvert(false)},
		{use: "to-fam CASE.json", short: "a Homeward case file as a Familias DVI file", example: "  homeward dvi to-fam case.json > case.fam",
			args: cobra.ExactArgs(1), define: dviConvert(true)},
		{use: "case", short: "a DVI case file from stored profiles and reference families (a screen's candidates, or those named)",
			example: "  homeward dvi case --screen 1 > case.json\n  homeward dvi case --victims V1,V2 --families F1 --db nist-all > case.json", args: cobra.NoArgs, define: runDVICase},
		{use: "simulate", short: "a simulated DVI case: families of a given size, their victims among unrelated ones",
			example: "  homeward dvi simulate --missing 12 --markers 23 --seed 42 > case.json", args: cobra.NoArgs, define: runDVISimulate},
		{use: "bench CASE...", short: "time each step of each case (and compare with dvir's timings)",
			example: "  homeward dvi bench -dvir dvi/testdata/dvir-timings.json dvi/testdata/*/*.input.json", args: cobra.MinimumNArgs(1), define: runDVIBench},
	}})
}

// runDVICase writes a DVI case file from stored profiles and families.
func runDVICase(fs *flag.FlagSet, env *cliEnv) action {
	var sel casebuild.Selection
	var vics, fams string
	extra := func(fs *flag.FlagSet) {
		fs.Int64Var(&sel.ScreenID, "screen", 0, "take the victims and families of this screen's candidates")
		fs.StringVar(&vics, "victims", "", "victim sample names, comma-separated")
		fs.StringVar(&fams, "families", "", "reference family names, comma-separated")
		fs.StringVar(&sel.FrequencyDB, "db", "nist-all", "shipped frequency database")
		fs.Float64Var(&sel.MinFreq, "min-freq", 0, "frequency of alleles the database lacks (default 5/(2N))")
		fs.StringVar(&sel.Name, "name", "homeward-case", "the case's name")
	}
	return withStore(fs, env, extra, func(ctx context.Context, a *app, args []string) error {
		split := func(s string) []string {
			var out []string
			for _, x := range strings.Split(s, ",") {
				if x = strings.TrimSpace(x); x != "" {
					out = append(out, x)
				}
			}
			return out
		}
		sel.Victims, sel.Families = split(vics), split(fams)
		c, rep, err := casebuild.Build(ctx, a.db, sel)
		if err != nil {
			return err
		}
		for _, ad := range rep.Additions {
			fmt.Fprintf(env.stderr, "allele %s %s added with frequency %.4g (%s)\n", ad.Marker, ad.Allele, ad.Freq, ad.Reason)
		}
		if len(rep.Unknown) > 0 {
			fmt.Fprintf(env.stderr, "markers left out (not in %s): %v\n", sel.FrequencyDB, rep.Unknown)
		}
		return printJSON(env, c)
	})
}

// dviConvert writes a case file in the other format (toFam: Familias), checked first.
func dviConvert(toFam bool) definer {
	return func(_ *flag.FlagSet, env *cliEnv) action {
		return func(_ context.Context, args []string) error {
			cf, err := readDVICaseFile(args[0])
			if err != nil {
				return err
			}
			if _, err := dvi.NewProblem(cf); err != nil {
				return err
			}
			if toFam {
				return familias.WriteDVI(env.stdout, cf)
			}
			return printJSON(env, cf)
		}
	}
}

func runDVISolve(fs *flag.FlagSet, env *cliEnv) action {
	o := dvi.DefaultSolveOptions()
	fs.IntVar(&o.MaxAssign, "max-assign", o.MaxAssign, "refuse joint enumeration beyond this many assignments")
	fs.Float64Var(&o.Threshold, "threshold", o.Threshold, "LR (and GLR) above which an identification is undisputed")
	fs.Float64Var(&o.Threshold2, "threshold2", 0, "LR above which a match is probable (default threshold/10, at least 1)")
	fs.IntVar(&o.MaxIncomp, "max-incomp", o.MaxIncomp, "a pairing with more incompatible markers is excluded")
	fs.BoolVar(&o.Strict, "strict", false, "undisputed only when every other LR of the victim and of the missing person is at most 1 (default: at most LR/threshold, as dvir)")
	fs.Float64Var(&o.Limit, "limit", o.Limit, "pairings with pairwise LR at or below this are dropped after the undisputed step")
	priorFile := fs.String("prior", "", "JSON file of pairing weights {\"V1\": {\"M1\": 3, \"*\": 1}} (default: the case's \"prior\", else flat)")
	return func(ctx context.Context, args []string) error {
		cf, err := readDVICaseFile(args[0])
		if err != nil {
			return err
		}
		p, err := dvi.NewProblem(cf)
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
		// Ctrl-C or SIGTERM (ctx) stops the analysis within a family likelihood's time.
		r, err := dvi.Analyse(p.WithContext(ctx), o)
		if err != nil {
			return err
		}
		enc := json.NewEncoder(env.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
}

// readDVICaseFile reads a DVI case: a Familias file with a DVI section when the name ends in .fam,
// a Homeward case file otherwise.
func readDVICaseFile(name string) (*dvi.CaseFile, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if strings.HasSuffix(strings.ToLower(name), ".fam") {
		return familias.ReadDVI(f, filepath.Base(name))
	}
	var cf dvi.CaseFile
	if err := json.NewDecoder(f).Decode(&cf); err != nil {
		return nil, fmt.Errorf("dvi case %s: %w", name, err)
	}
	return &cf, nil
}
