package main

import (
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/lineage/mtdna"
	"github.com/homeward/homeward/lineage/ystr"
	"github.com/homeward/homeward/remains"
)

func init() {
	register(command{name: "ystr", summary: "Y-STR haplotypes: ystr compare -a H -b H [-meioses N -freq F] | ystr count -haplotype H -reference FILE | ystr count-stored | ystr matches PROFILE-ID", run: runYSTR})
	register(command{name: "mtdna", summary: "mitochondrial DNA: mtdna compare -a-range R -a VARIANTS -b-range R -b VARIANTS | mtdna count -range R -variants V -reference FILE.csv | mtdna count-stored | mtdna matches PROFILE-ID", run: runMtDNA})
}

const usageMtDNA = `usage:
  homeward mtdna compare -a-range 16024-16569;1-576 -a "16519C 73G" -b-range ... -b "..."
  homeward mtdna count -range R -variants V -reference REFS.csv   (CSV: id,range,variants)
  homeward mtdna count-stored -range R -variants V [-role reference]   against the stored profiles' mtDNA
  homeward mtdna matches PROFILE-ID [-role R]                      stored profiles that cannot be excluded`

func runMtDNA(ctx context.Context, env *cliEnv, args []string) error {
	if len(args) == 0 {
		return usageError{usageMtDNA}
	}
	if args[0] == "count-stored" || args[0] == "matches" {
		return runStoredLineage(ctx, env, "mtdna", args)
	}
	fs := flag.NewFlagSet("mtdna "+args[0], flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	aRange := fs.String("a-range", "", "range of the first profile")
	a := fs.String("a", "", "variants of the first profile")
	bRange := fs.String("b-range", "", "range of the second profile")
	b := fs.String("b", "", "variants of the second profile")
	rng := fs.String("range", "", "range of the profile counted")
	vars := fs.String("variants", "", "variants of the profile counted")
	refs := fs.String("reference", "", "CSV of reference profiles: id,range,variants")
	if err := fs.Parse(args[1:]); err != nil {
		return usageError{err.Error()}
	}
	switch args[0] {
	case "compare":
		pa, err := mtdna.Parse(*aRange, *a)
		if err != nil {
			return fmt.Errorf("profile a: %w", err)
		}
		pb, err := mtdna.Parse(*bRange, *b)
		if err != nil {
			return fmt.Errorf("profile b: %w", err)
		}
		return printJSON(env, mtdna.Compare(pa, pb, mtdna.Options{}))
	case "count":
		p, err := mtdna.Parse(*rng, *vars)
		if err != nil {
			return err
		}
		f, err := os.Open(*refs)
		if err != nil {
			return err
		}
		defer f.Close()
		set, err := readMtDNASet(f, *refs)
		if err != nil {
			return err
		}
		return printJSON(env, mtdna.CountFrequency(p, set, mtdna.Options{}))
	}
	return usageError{usageMtDNA}
}

// readMtDNASet reads id,range,variants lines (a header line starting with "id" is skipped); errors
// name the line and profile.
func readMtDNASet(r io.Reader, name string) ([]mtdna.Profile, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = 3
	var out []mtdna.Profile
	for line := 1; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if line == 1 && rec[0] == "id" {
			continue
		}
		p, err := mtdna.Parse(rec[1], rec[2])
		if err != nil {
			return nil, fmt.Errorf("%s line %d (%s): %w", name, line, rec[0], err)
		}
		out = append(out, p)
	}
}

const usageYSTR = `usage:
  homeward ystr compare -a "DYS19=14; DYS385=11,14; ..." -b "..." [-meioses N -freq F]
  homeward ystr count -haplotype "..." -reference REFS.txt   (one haplotype per line: ID<TAB>DYS19=14; ...)
  homeward ystr count-stored -haplotype "..." [-role reference]   against the stored profiles' haplotypes
  homeward ystr matches PROFILE-ID [-role R] [-max-mismatches 2] [-meioses N -freq F]   stored profiles on the same paternal line`

type ystrResult struct {
	ystr.Comparison
	Meioses int      `json:"meioses,omitempty"`
	LR      *float64 `json:"lr,omitempty"`
}

func runYSTR(ctx context.Context, env *cliEnv, args []string) error {
	if len(args) == 0 {
		return usageError{usageYSTR}
	}
	if args[0] == "count-stored" || args[0] == "matches" {
		return runStoredLineage(ctx, env, "ystr", args)
	}
	fs := flag.NewFlagSet("ystr "+args[0], flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	a := fs.String("a", "", "first haplotype")
	b := fs.String("b", "", "second haplotype")
	meioses := fs.Int("meioses", 0, "meioses between them on the paternal line (with -freq: the lineage LR)")
	freq := fs.Float64("freq", 0, "frequency of the second haplotype in the population")
	hap := fs.String("haplotype", "", "haplotype counted")
	refs := fs.String("reference", "", "reference haplotypes, one per line: ID<TAB>haplotype")
	if err := fs.Parse(args[1:]); err != nil {
		return usageError{err.Error()}
	}
	switch args[0] {
	case "compare":
		ha, err := ystr.Parse(*a)
		if err != nil {
			return fmt.Errorf("haplotype a: %w", err)
		}
		hb, err := ystr.Parse(*b)
		if err != nil {
			return fmt.Errorf("haplotype b: %w", err)
		}
		res := ystrResult{Comparison: ystr.Compare(ha, hb)}
		if *meioses > 0 {
			lr, err := ystr.LineageLR(res.Comparison, *meioses, nil, *freq)
			if err != nil {
				return err
			}
			res.Meioses, res.LR = *meioses, &lr
		}
		return printJSON(env, res)
	case "count":
		h, err := ystr.Parse(*hap)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(*refs)
		if err != nil {
			return err
		}
		var set []ystr.Haplotype
		for i, line := range strings.Split(string(data), "\n") {
			if strings.TrimSpace(line) == "" {
				continue
			}
			id, text, ok := strings.Cut(line, "\t")
			if !ok {
				return fmt.Errorf("%s line %d: ID<TAB>haplotype expected", *refs, i+1)
			}
			r, err := ystr.Parse(text)
			if err != nil {
				return fmt.Errorf("%s line %d (%s): %w", *refs, i+1, id, err)
			}
			set = append(set, r)
		}
		return printJSON(env, ystr.CountFrequency(h, set))
	}
	return usageError{usageYSTR}
}

// runStoredLineage counts a haplotype or mtDNA profile against the stored profiles of a role, or
// lists the stored profiles that may share a stored profile's line.
func runStoredLineage(ctx context.Context, env *cliEnv, kind string, args []string) error {
	var hap, rng, vars, role string
	var o remains.LineageOptions
	extra := func(fs *flag.FlagSet) {
		fs.StringVar(&role, "role", "reference", "role of the stored profiles: victim, reference or elimination")
		if args[0] == "count-stored" {
			if kind == "ystr" {
				fs.StringVar(&hap, "haplotype", "", "the haplotype counted")
			} else {
				fs.StringVar(&rng, "range", "", "range of the profile counted")
				fs.StringVar(&vars, "variants", "", "variants of the profile counted")
			}
		} else if kind == "ystr" {
			fs.IntVar(&o.MaxMismatches, "max-mismatches", 2, "keep profiles with at most this many mismatching loci")
			fs.IntVar(&o.Meioses, "meioses", 0, "meioses apart on the paternal line (with -freq: the LR)")
			fs.Float64Var(&o.HapFreq, "freq", 0, "frequency of the profile's haplotype")
		}
	}
	return withStore(ctx, env, kind+" "+args[0], args[1:], extra, func(ctx context.Context, a *app, fs *flag.FlagSet) error {
		r := homeward.ProfileRole(role)
		if args[0] == "matches" {
			if fs.NArg() != 1 {
				return usageError{"usage: homeward " + kind + " matches PROFILE-ID"}
			}
			id, err := strconv.ParseInt(fs.Arg(0), 10, 64)
			if err != nil {
				return usageError{fmt.Sprintf("profile id %q is not a number", fs.Arg(0))}
			}
			o.Kind, o.Role = kind, r
			ms, err := remains.LineageMatches(ctx, a.db, id, o)
			if err != nil {
				return err
			}
			return printJSON(env, ms)
		}
		if kind == "ystr" {
			h, err := ystr.Parse(hap)
			if err != nil {
				return err
			}
			set, err := remains.StoredYSTR(ctx, a.db, r)
			if err != nil {
				return err
			}
			return printJSON(env, ystr.CountFrequency(h, set))
		}
		p, err := mtdna.Parse(rng, vars)
		if err != nil {
			return err
		}
		set, err := remains.StoredMtDNA(ctx, a.db, r)
		if err != nil {
			return err
		}
		return printJSON(env, mtdna.CountFrequency(p, set, mtdna.Options{}))
	})
}
