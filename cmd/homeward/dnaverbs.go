package main

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/demo"
	"github.com/homeward/homeward/dvi"
	"github.com/homeward/homeward/labfmt/cmf"
	"github.com/homeward/homeward/labfmt/freqdb"
	"github.com/homeward/homeward/labfmt/markers"
	"github.com/homeward/homeward/profileimport"
	"github.com/homeward/homeward/remains"
)

// dnaSynth stores a synthetic DNA world (references, families, victims) for tests and benchmarks.
func dnaSynth(ctx context.Context, env *cliEnv, a *app, args []string, fl *dnaFlags) error {
	db, err := freqdb.Load("nist-all")
	if err != nil {
		return err
	}
	set, err := demo.GenerateDNA(fl.seed, db, fl.nMarkers, fl.victims, fl.families, fl.truePairs)
	if err != nil {
		return err
	}
	bars := map[string]func(int, int){}
	start := time.Now()
	err = demo.LoadDNA(ctx, a.db, set, func(stage string, done, total int) {
		if bars[stage] == nil {
			bars[stage] = progressPrinter(env, stage)
		}
		bars[stage](done, total)
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "stored %d reference profiles, %d families, %d victim profiles (%d true pairs) in %s\n",
		len(set.References), len(set.Families), len(set.Victims), set.True, time.Since(start).Round(time.Millisecond))
	return nil
}

// dnaLoad stores the profiles and families of a DVI problem file.
func dnaLoad(ctx context.Context, env *cliEnv, a *app, args []string, fl *dnaFlags) error {
	f, err := os.Open(args[0])
	if err != nil {
		return err
	}
	defer f.Close()
	p, err := dvi.ReadProblem(f)
	if err != nil {
		return err
	}
	np, nf, err := loadProblem(ctx, a, p)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "stored %d profiles and %d reference families from %s\n", np, nf, args[0])
	return nil
}

// dnaImport imports a laboratory genotype file, with progress.
func dnaImport(ctx context.Context, env *cliEnv, a *app, args []string, fl *dnaFlags) error {
	fl.iopt.Role, fl.iopt.File = homeward.ProfileRole(fl.role), args[0]
	if fl.aliases != "" {
		fl.iopt.Markers = markers.Default()
		af, err := os.Open(fl.aliases)
		if err != nil {
			return err
		}
		err = fl.iopt.Markers.LoadCSV(af)
		af.Close()
		if err != nil {
			return err
		}
	}
	f, err := os.Open(args[0])
	if err != nil {
		return err
	}
	defer f.Close()
	bars := map[string]func(int, int){}
	pctx := homeward.WithProgress(ctx, func(stage string, done, total int) {
		if bars[stage] == nil {
			bars[stage] = progressPrinter(env, stage)
		}
		bars[stage](done, total)
	})
	rep, err := profileimport.Import(pctx, a.db, f, fl.iopt)
	if fl.asJSON {
		printJSON(env, rep)
	} else {
		printImportReport(env, rep)
	}
	return err
}

// dnaImportLineage imports Y-STR or mtDNA results and prints their report.
func dnaImportLineage(ctx context.Context, env *cliEnv, a *app, args []string, fl *dnaFlags) error {
	f, err := os.Open(args[0])
	if err != nil {
		return err
	}
	defer f.Close()
	rep, err := profileimport.ImportLineage(ctx, a.db, f, profileimport.LineageOptions{Kind: fl.iopt.Format, Role: homeward.ProfileRole(fl.role), File: filepath.Base(args[0]), DryRun: fl.iopt.DryRun})
	if rep != nil {
		if fl.asJSON {
			printJSON(env, rep)
		} else {
			fmt.Fprintf(env.stdout, "%s %s (%s): %d lines, %d samples", rep.Kind, rep.File, rep.Layout, rep.Lines, rep.Samples)
			if rep.Loci > 0 {
				fmt.Fprintf(env.stdout, ", %d loci", rep.Loci)
			}
			fmt.Fprintln(env.stdout)
			for _, w := range rep.Warnings {
				fmt.Fprintf(env.stdout, "warning: line %d %s %s: %s\n", w.Line, w.Record, w.Field, w.Message)
			}
			for _, x := range rep.Rejected {
				fmt.Fprintf(env.stdout, "rejected: line %d %s %s: %s\n", x.Line, x.Record, x.Field, x.Message)
			}
			if len(rep.LeftOut) > 0 {
				fmt.Fprintf(env.stdout, "left out: %s\n", strings.Join(rep.LeftOut, ", "))
			}
			for _, h := range rep.Contamination {
				fmt.Fprintf(env.stdout, "contamination: %s matches elimination profile %s (%s, %d compared)\n", h.Sample, h.Elimination, h.System, h.Markers)
			}
			if rep.DryRun {
				fmt.Fprintln(env.stdout, "dry run: nothing stored")
			} else if err == nil {
				fmt.Fprintf(env.stdout, "stored: %d new profiles, %d profiles given the data, %d unchanged\n", rep.Created, rep.Updated, rep.Unchanged)
			}
		}
	}
	return err
}

// dnaLines prints a reference family's maternal and paternal lines.
func dnaLines(ctx context.Context, env *cliEnv, a *app, args []string, fl *dnaFlags) error {
	id, err := strconv.ParseInt(args[0], 10, 64)
	if err != nil {
		return usageError{"dna lines FAMILY-ID"}
	}
	r, err := remains.Lines(ctx, a.db, id)
	if err != nil {
		return err
	}
	return printJSON(env, r)
}

// dnaFamily stores a reference family from a pedigree file.
func dnaFamily(ctx context.Context, env *cliEnv, a *app, args []string, fl *dnaFlags) error {
	if len(args) != 1 || fl.famName == "" || fl.famTarget == "" {
		return usageError{"homeward dna family: wrong arguments (see homeward dna family --help)"}
	}
	f, err := os.Open(args[0])
	if err != nil {
		return err
	}
	defer f.Close()
	fam, err := profileimport.ImportPedigree(ctx, a.db, f, fl.famName, fl.famTarget, nil)
	if err != nil {
		return err
	}
	typed := 0
	for _, m := range fam.Members {
		if m.ProfileID != nil {
			typed++
		}
	}
	fmt.Fprintf(env.stdout, "stored reference family %s (id %d): %d members, %d typed, missing person %s\n", fam.Name, fam.ID, len(fam.Members), typed, fam.Target)
	return nil
}

// dnaExport writes the profiles in a laboratory format to stdout.
func dnaExport(ctx context.Context, env *cliEnv, a *app, args []string, fl *dnaFlags) error {
	n, err := profileimport.Export(ctx, a.db, env.stdout, fl.iopt.Format, homeward.ProfileRole(fl.role), cmf.Header{SourceLab: "Homeward", SubmitBy: a.cfg.User, At: time.Now()})
	if err == nil {
		fmt.Fprintf(env.stderr, "exported %d profiles\n", n)
	}
	return err
}

// dnaGroup merges victim profiles into post-mortem individuals.
func dnaGroup(ctx context.Context, env *cliEnv, a *app, args []string, fl *dnaFlags) error {
	r, err := remains.Group(ctx, a.db, a.db, fl.gopt)
	if err != nil {
		return err
	}
	return printJSON(env, r)
}

// dnaList prints the profiles as a table.
func dnaList(ctx context.Context, env *cliEnv, a *app, args []string, fl *dnaFlags) error {
	l, err := a.db.ListProfiles(ctx, homeward.ProfileFilter{Role: homeward.ProfileRole(fl.role), Page: homeward.Page{Limit: 1000}})
	if err != nil || env.asJSON {
		return cmp.Or(err, printJSON(env, l))
	}
	tw := tabwriter.NewWriter(env.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSAMPLE\tROLE\tMARKERS")
	for _, p := range l.Items {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d\n", p.ID, p.Sample, p.Role, len(p.Loci))
	}
	fmt.Fprintf(tw, "(%d of %d)\n", len(l.Items), l.Total)
	return tw.Flush()
}
