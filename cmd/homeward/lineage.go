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
	register(command{name: "ystr", summary: "Y-STR haplotypes: ystr compare -a H -b H [-meioses N -freq F] | ystr count -haplotype H [-reference FILE] [-stored [-role R]] | ystr matches PROFILE-ID", run: runYSTR})
	register(command{name: "mtdna", summary: "mitochondrial DNA: mtdna compare -a-range R -a VARIANTS -b-range R -b VARIANTS | mtdna count -range R -variants V [-reference FILE.csv] [-stored [-role R]] | mtdna matches PROFILE-ID", run: runMtDNA})
}

const usageMtDNA = `usage:
  homeward mtdna compare -a-range 16024-16569;1-576 -a "16519C 73G" -b-range ... -b "..."
  homeward mtdna count -range R -variants V [-reference REFS.csv] [-stored [-role reference]]
      against a file (CSV: id,range,variants), the stored profiles' mtDNA, or both (count-stored = count -stored)
  homeward mtdna matches PROFILE-ID [-role R] [-limit 50 -offset 0]   stored profiles that cannot be excluded`

func runMtDNA(ctx context.Context, env *cliEnv, args []string) error {
	if len(args) == 0 {
		return usageError{usageMtDNA}
	}
	switch args[0] {
	case "count", "count-stored":
		return runLineageCount(ctx, env, "mtdna", args[1:], args[0] == "count-stored")
	case "matches":
		return runLineageMatches(ctx, env, "mtdna", args[1:])
	}
	fs := flag.NewFlagSet("mtdna "+args[0], flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	aRange := fs.String("a-range", "", "range of the first profile")
	a := fs.String("a", "", "variants of the first profile")
	bRange := fs.String("b-range", "", "range of the second profile")
	b := fs.String("b", "", "variants of the second profile")
	if err := parseInterspersed(fs, args[1:]); err != nil {
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
  homeward ystr count -haplotype "..." [-reference REFS.txt] [-stored [-role reference]]
      against a file (one haplotype per line: ID<TAB>DYS19=14; ...), the stored profiles' haplotypes,
      or both (count-stored = count -stored)
  homeward ystr matches PROFILE-ID [-role R] [-max-mismatches 2] [-meioses N -freq F] [-limit 50 -offset 0]
      stored profiles on the same paternal line`

type ystrResult struct {
	ystr.Comparison
	Meioses int      `json:"meioses,omitempty"`
	LR      *float64 `json:"lr,omitempty"`
}

func runYSTR(ctx context.Context, env *cliEnv, args []string) error {
	if len(args) == 0 {
		return usageError{usageYSTR}
	}
	switch args[0] {
	case "count", "count-stored":
		return runLineageCount(ctx, env, "ystr", args[1:], args[0] == "count-stored")
	case "matches":
		return runLineageMatches(ctx, env, "ystr", args[1:])
	}
	fs := flag.NewFlagSet("ystr "+args[0], flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	a := fs.String("a", "", "first haplotype")
	b := fs.String("b", "", "second haplotype")
	meioses := fs.Int("meioses", 0, "meioses between them on the paternal line (with -freq: the lineage LR)")
	freq := fs.Float64("freq", 0, "frequency of the second haplotype in the population")
	if err := parseInterspersed(fs, args[1:]); err != nil {
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
	}
	return usageError{usageYSTR}
}

// runLineageCount counts a Y-STR haplotype or mtDNA profile against a reference set: the file
// given with -reference, the stored profiles of a role carrying that marker type (-stored: those
// flagged for contamination left out), or both together.
func runLineageCount(ctx context.Context, env *cliEnv, kind string, args []string, stored bool) error {
	usage := usageYSTR
	if kind == "mtdna" {
		usage = usageMtDNA
	}
	fs := flag.NewFlagSet(kind+" count", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	cfg := bindConfig(fs, env)
	var hap, rng, vars string
	if kind == "ystr" {
		fs.StringVar(&hap, "haplotype", "", "haplotype counted")
	} else {
		fs.StringVar(&rng, "range", "", "range of the profile counted")
		fs.StringVar(&vars, "variants", "", "variants of the profile counted")
	}
	refs := fs.String("reference", "", "reference file (ystr: ID<TAB>haplotype lines; mtdna: CSV id,range,variants)")
	fs.BoolVar(&stored, "stored", stored, "count against the stored profiles' lineage data too")
	role := fs.String("role", string(homeward.ProfileReference), "with -stored: role of the stored profiles (victim, reference or elimination)")
	if err := parseInterspersed(fs, args); err != nil {
		return usageError{err.Error()}
	}
	if fs.NArg() != 0 || *refs == "" && !stored {
		return usageError{usage}
	}
	// The query is checked before any file or store is opened.
	var h ystr.Haplotype
	var p mtdna.Profile
	var err error
	if kind == "ystr" {
		h, err = ystr.Parse(hap)
	} else {
		p, err = mtdna.Parse(rng, vars)
	}
	if err != nil {
		return err
	}
	var ys []ystr.Haplotype
	var ms []mtdna.Profile
	if *refs != "" {
		if kind == "ystr" {
			ys, err = readYSTRSet(*refs)
		} else {
			ms, err = readMtDNAFile(*refs)
		}
		if err != nil {
			return err
		}
	}
	if stored {
		a, err := openApp(ctx, cfg, appOptions{})
		if err != nil {
			return err
		}
		defer a.Close()
		if ctx, err = a.asUser(ctx); err != nil {
			return err
		}
		if kind == "ystr" {
			s, err := remains.StoredYSTR(ctx, a.db, homeward.ProfileRole(*role))
			if err != nil {
				return err
			}
			ys = append(ys, s...)
		} else {
			s, err := remains.StoredMtDNA(ctx, a.db, homeward.ProfileRole(*role))
			if err != nil {
				return err
			}
			ms = append(ms, s...)
		}
	}
	if kind == "ystr" {
		return printJSON(env, ystr.CountFrequency(h, ys))
	}
	return printJSON(env, mtdna.CountFrequency(p, ms, mtdna.Options{}))
}

// readYSTRSet reads a reference file of ID<TAB>haplotype lines; errors name the line and ID.
func readYSTRSet(name string) ([]ystr.Haplotype, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	var set []ystr.Haplotype
	for i, line := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		id, text, ok := strings.Cut(line, "\t")
		if !ok {
			return nil, fmt.Errorf("%s line %d: ID<TAB>haplotype expected", name, i+1)
		}
		r, err := ystr.Parse(text)
		if err != nil {
			return nil, fmt.Errorf("%s line %d (%s): %w", name, i+1, id, err)
		}
		set = append(set, r)
	}
	return set, nil
}

// readMtDNAFile opens and reads a CSV reference file (readMtDNASet).
func readMtDNAFile(name string) ([]mtdna.Profile, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readMtDNASet(f, name)
}

// runLineageMatches lists the stored profiles that may share a stored profile's paternal (ystr) or
// maternal (mtdna) line, closest first (remains.LineageMatches).
func runLineageMatches(ctx context.Context, env *cliEnv, kind string, args []string) error {
	var role string
	var maxMis int
	var o remains.LineageOptions
	extra := func(fs *flag.FlagSet) {
		fs.StringVar(&role, "role", "", "role of the stored profiles compared with: victim, reference or elimination (default every role)")
		fs.IntVar(&o.Page.Limit, "limit", 50, "at most this many (up to 1000)")
		fs.IntVar(&o.Page.Offset, "offset", 0, "skip this many first")
		if kind == "ystr" {
			fs.IntVar(&maxMis, "max-mismatches", remains.DefaultMaxMismatches, "keep profiles with at most this many mismatching loci (0: identical only)")
			fs.IntVar(&o.Meioses, "meioses", 0, "meioses apart on the paternal line (with -freq: the LR)")
			fs.Float64Var(&o.HapFreq, "freq", 0, "frequency of the profile's haplotype (with -meioses: the LR)")
		}
	}
	return withStore(ctx, env, kind+" matches", args, extra, func(ctx context.Context, a *app, fs *flag.FlagSet) error {
		if fs.NArg() != 1 {
			return usageError{"usage: homeward " + kind + " matches PROFILE-ID [flags]"}
		}
		id, err := strconv.ParseInt(fs.Arg(0), 10, 64)
		if err != nil {
			return usageError{fmt.Sprintf("profile id %q is not a number", fs.Arg(0))}
		}
		o.Kind, o.Role = kind, homeward.ProfileRole(role)
		if kind == "ystr" {
			o.MaxMismatches = &maxMis
		}
		ms, err := remains.LineageMatches(ctx, a.db, id, o)
		if err != nil {
			return err
		}
		return printJSON(env, ms)
	})
}
