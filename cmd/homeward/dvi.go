package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/homeward/homeward/casebuild"
	"github.com/homeward/homeward/dvi"
	"github.com/homeward/homeward/labfmt/familias"
)

func init() {
	register(command{name: "dvi", summary: "disaster victim identification: dvi solve [flags] CASE.json|CASE.fam (dvi solve -h lists them); dvi convert; dvi to-fam; dvi case; dvi simulate; dvi bench CASE...", run: runDVI})
}

const usageDVI = "usage: homeward dvi solve [-threshold LR] [-threshold2 LR] [-max-incomp N] [-limit LR] [-max-assign N] [-prior FILE] CASE.json|CASE.fam\n       homeward dvi convert CASE.fam > CASE.json | homeward dvi to-fam CASE.json > CASE.fam\n       homeward dvi case [-screen ID] [-victims S1,S2] [-families F1,F2] [-db nist-all] [-name N] > CASE.json\n       homeward dvi simulate [-missing 12] [-markers 23] [-seed 42] > CASE.json\n       homeward dvi bench [-timeout 60s] [-dvir TIMINGS.json] CASE..."

// runDVICase writes a DVI case file from stored profiles and families.
func runDVICase(ctx context.Context, env *cliEnv, args []string) error {
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
	return withStore(ctx, env, "dvi case", args, extra, func(ctx context.Context, a *app, fs *flag.FlagSet) error {
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

func runDVI(ctx context.Context, env *cliEnv, args []string) error {
	if len(args) > 0 && args[0] == "case" {
		return runDVICase(ctx, env, args[1:])
	}
	if len(args) > 0 && args[0] == "bench" {
		return runDVIBench(ctx, env, args[1:])
	}
	if len(args) > 0 && args[0] == "simulate" {
		return runDVISimulate(ctx, env, args[1:])
	}
	if len(args) == 2 && (args[0] == "convert" || args[0] == "to-fam") {
		cf, err := readDVICaseFile(args[1])
		if err != nil {
			return err
		}
		if _, err := dvi.NewProblem(cf); err != nil {
			return err
		}
		if args[0] == "to-fam" {
			return familias.WriteDVI(env.stdout, cf)
		}
		return printJSON(env, cf)
	}
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
	fs.BoolVar(&o.Strict, "strict", false, "undisputed only when every other LR of the victim and of the missing person is at most 1 (default: at most LR/threshold, as dvir)")
	fs.Float64Var(&o.Limit, "limit", o.Limit, "pairings with pairwise LR at or below this are dropped after the undisputed step")
	priorFile := fs.String("prior", "", "JSON file of pairing weights {\"V1\": {\"M1\": 3, \"*\": 1}} (default: the case's \"prior\", else flat)")
	if err := parseInterspersed(fs, args[1:]); err != nil {
		return usageError{err.Error()}
	}
	if fs.NArg() != 1 {
		return usageError{usageDVI}
	}
	cf, err := readDVICaseFile(fs.Arg(0))
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
