package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	flag "github.com/spf13/pflag"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/lineage/mtdna"
	"github.com/homeward/homeward/lineage/ystr"
	"github.com/homeward/homeward/remains"
)

func init() {
	register(spec{use: "ystr", short: "Y-STR haplotypes: compare two, count one in a reference set, find stored profiles of the same paternal line", subs: []spec{
		{use: "compare", short: "compare two haplotypes; with --meioses and --freq, the paternal-line LR",
			example: "  homeward ystr compare --a \"DYS19=14; DYS390=24\" --b \"DYS19=14; DYS390=23\" --meioses 2 --freq 0.001", args: cobra.NoArgs, define: ystrCompare},
		{use: "count", short: "count a haplotype in a reference file (ID<TAB>haplotype lines), the stored profiles (--stored), or both",
			example: "  homeward ystr count --haplotype \"DYS19=14; DYS390=24\" --reference refs.txt", args: cobra.NoArgs, define: lineageCount("ystr", false)},
		{use: "count-stored", short: "count a haplotype among the stored profiles (count --stored)",
			example: "  homeward ystr count-stored --haplotype \"DYS19=14; DYS390=24\" --role reference", args: cobra.NoArgs, define: lineageCount("ystr", true)},
		{use: "matches PROFILE", short: "stored profiles that may share this profile's paternal line, closest first (PROFILE: its id or sample name)",
			example: "  homeward ystr matches PM-101 --max-mismatches 1", args: cobra.ExactArgs(1), define: lineageMatches("ystr")},
	}})
	register(spec{use: "mtdna", short: "mitochondrial DNA: compare two profiles, count one in a reference set, find stored profiles of the same maternal line", subs: []spec{
		{use: "compare", short: "compare two profiles (EMPOP notation) over their common range",
			example: "  homeward mtdna compare --a-range \"16024-16569;1-576\" --a \"16519C 73G\" --b-range \"16024-16569;1-576\" --b \"16519C 73G 263G\"", args: cobra.NoArgs, define: mtdnaCompare},
		{use: "count", short: "count a profile in a reference file (CSV id,range,variants, as dna export --format mtdna writes), the stored profiles (--stored), or both",
			example: "  homeward mtdna count --range \"16024-16569\" --variants \"16519C\" --reference refs.csv", args: cobra.NoArgs, define: lineageCount("mtdna", false)},
		{use: "count-stored", short: "count a profile among the stored profiles (count --stored)",
			example: "  homeward mtdna count-stored --range \"16024-16569\" --variants \"16519C\"", args: cobra.NoArgs, define: lineageCount("mtdna", true)},
		{use: "matches PROFILE", short: "stored profiles that cannot be excluded from this profile's maternal line (PROFILE: its id or sample name)",
			example: "  homeward mtdna matches PM-101", args: cobra.ExactArgs(1), define: lineageMatches("mtdna")},
	}})
}

const usageMtDNA = `usage:
  homeward mtdna compare -a-range 16024-16569;1-576 -a "16519C 73G" -b-range ... -b "..."
  homeward mtdna count -range R -variants V [-reference REFS.csv] [-stored [-role reference]]
      against a file (CSV: id,range,variants), the stored profiles' mtDNA, or both (count-stored = count -stored)
  homeward mtdna matches PROFILE-ID [-role R] [-limit 50 -offset 0]   stored profiles that cannot be excluded`

func mtdnaCompare(fs *flag.FlagSet, env *cliEnv) action {
	aRange := fs.String("a-range", "", "range of the first profile")
	a := fs.String("a", "", "variants of the first profile")
	bRange := fs.String("b-range", "", "range of the second profile")
	b := fs.String("b", "", "variants of the second profile")
	return func(context.Context, []string) error {
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
}

// readMtDNASet reads id,range,variants lines (a header starting with "id" or "sample", as dna export
// --format mtdna writes, is skipped); errors
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
		if h := strings.ToLower(strings.TrimPrefix(rec[0], "\ufeff")); line == 1 && (h == "id" || h == "sample") {
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

func ystrCompare(fs *flag.FlagSet, env *cliEnv) action {
	a := fs.String("a", "", "first haplotype")
	b := fs.String("b", "", "second haplotype")
	meioses := fs.Int("meioses", 0, "meioses between them on the paternal line (with --freq: the lineage LR)")
	freq := fs.Float64("freq", 0, "frequency of the second haplotype in the population")
	return func(context.Context, []string) error {
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
}

// lineageCount counts a Y-STR haplotype or mtDNA profile against a reference set: the file
// given with -reference, the stored profiles of a role carrying that marker type (-stored: those
// flagged for contamination left out), or both together.
func lineageCount(kind string, stored bool) definer {
	return func(fs *flag.FlagSet, env *cliEnv) action {
		usage := usageYSTR
		if kind == "mtdna" {
			usage = usageMtDNA
		}
		cfg := bindConfig(fs, env)
		var hap, rng, vars string
		if kind == "ystr" {
			fs.StringVar(&hap, "haplotype", "", "haplotype counted")
		} else {
			fs.StringVar(&rng, "range", "", "range of the profile counted")
			fs.StringVar(&vars, "variants", "", "variants of the profile counted")
		}
		refs := fs.String("reference", "", "reference file (ystr: ID<TAB>haplotype lines; mtdna: CSV id,range,variants)")
		stored := stored // this build's own flag, not the definer's
		fs.BoolVar(&stored, "stored", stored, "count against the stored profiles' lineage data too")
		role := fs.String("role", string(homeward.ProfileReference), "with --stored: role of the stored profiles (victim, reference or elimination)")
		return func(ctx context.Context, args []string) error {
			if len(args) != 0 || *refs == "" && !stored {
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
				a, ctx, err := openAsUser(ctx, cfg)
				if err != nil {
					return err
				}
				defer a.Close()
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
	}
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

// lineageMatches lists the stored profiles that may share a stored profile's paternal (ystr) or
// maternal (mtdna) line, closest first (remains.LineageMatches).
func lineageMatches(kind string) definer {
	return func(fs *flag.FlagSet, env *cliEnv) action {
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
		return withStore(fs, env, extra, func(ctx context.Context, a *app, args []string) error {
			if len(args) != 1 {
				return usageError{"usage: homeward " + kind + " matches PROFILE-ID [flags]"}
			}
			id, err := profileID(ctx, a, args[0])
			if err != nil {
				return err
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
}

// profileID finds a stored profile by its id or its sample name (what a laboratory knows it by).
func profileID(ctx context.Context, a *app, key string) (int64, error) {
	if id, err := strconv.ParseInt(key, 10, 64); err == nil {
		return id, nil
	}
	l, err := a.db.ListProfiles(ctx, homeward.ProfileFilter{Query: key, Page: homeward.Page{Limit: 1000}})
	if err != nil {
		return 0, err
	}
	for _, p := range l.Items {
		if p.Sample == key {
			return p.ID, nil
		}
	}
	return 0, homeward.Errorf(homeward.ENOTFOUND, "no stored profile has the id or sample name %q", key)
}
