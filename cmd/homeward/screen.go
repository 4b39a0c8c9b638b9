package main

import (
	"context"
	"flag"
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
	"github.com/homeward/homeward/jobs"
	"github.com/homeward/homeward/kinship"
	"github.com/homeward/homeward/labfmt/cmf"
	"github.com/homeward/homeward/labfmt/freqdb"
	"github.com/homeward/homeward/labfmt/markers"
	"github.com/homeward/homeward/profileimport"
	"github.com/homeward/homeward/remains"
)

func init() {
	register(command{name: "screen", summary: "screen every victim profile against every reference family: screen start|resume|status|list|candidates", run: runScreen})
	register(command{name: "dna", summary: "DNA profiles and reference families: dna load CASE.json | synth | list | group [-container ACC]", run: runDNA})
	register(command{name: "mni", summary: "minimum number of individuals of containers' skeletal inventory: mni [ACCESSION...]", run: runMNI})
}

func runMNI(ctx context.Context, env *cliEnv, args []string) error {
	return withStore(ctx, env, "mni", args, nil, func(ctx context.Context, a *app, fs *flag.FlagSet) error {
		r, err := remains.MNI(ctx, a.db, fs.Args())
		if err != nil {
			return err
		}
		return printJSON(env, r)
	})
}

const usageScreen = `usage:
  homeward screen start [-name N] [-db nist-all] [-threshold 1e4] [-allowance 0] [-dropout D] [-drop-in C] [-shards K] [-detach]
  homeward screen resume [-detach] ID
  homeward screen status ID
  homeward screen list
  homeward screen candidates [-limit 50] ID
  homeward screen power [-dropout 0.1,0.2,0.3,0.4] [-threshold 1e4] [-json]`

// dropoutFlag defines a flag that sets part of the screen's dropout model (creating it).
func dropoutFlag(fs *flag.FlagSet, req *homeward.ScreenRequest, name, usage string, set func(*homeward.DropoutModel, float64)) {
	fs.Func(name, usage, func(v string) error {
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return err
		}
		if req.Dropout == nil {
			req.Dropout = &homeward.DropoutModel{}
		}
		set(req.Dropout, x)
		return nil
	})
}

func runScreen(ctx context.Context, env *cliEnv, args []string) error {
	if len(args) == 0 {
		return usageError{usageScreen}
	}
	verb := args[0]
	if verb == "power" {
		return runScreenPower(ctx, env, args[1:])
	}
	var req homeward.ScreenRequest
	var detach bool
	var limit int
	extra := func(fs *flag.FlagSet) {
		switch verb {
		case "start":
			fs.StringVar(&req.Name, "name", "screen "+time.Now().UTC().Format("2006-01-02 15:04"), "a name for the screen")
			fs.StringVar(&req.FrequencyDB, "db", "nist-all", "shipped frequency database (homeward freq list)")
			fs.Float64Var(&req.Threshold, "threshold", 1e4, "store comparisons with LR at or above this as candidates")
			fs.Float64Var(&req.ExclusionAllowance, "allowance", 0, "factor for a marker that excludes (0 rules the pair out; e.g. 0.001 keeps one-mutation relatives)")
			dropoutFlag(fs, &req, "dropout", "read victim profiles as degraded samples: per-allele dropout probability d (d_hom = d^2); see -drop-in",
				func(m *homeward.DropoutModel, d float64) { m.DHet, m.DHom = d, d*d })
			dropoutFlag(fs, &req, "drop-in", "drop-in rate (weighted by allele frequency) of a -dropout screen",
				func(m *homeward.DropoutModel, c float64) { m.DropIn = c })
			fs.IntVar(&req.Shards, "shards", 0, "split the families into this many jobs (default one per 500 families)")
			fs.Float64Var(&req.MinFreq, "min-freq", 0, "frequency of alleles the database lacks (default 5/(2N))")
			fs.BoolVar(&detach, "detach", false, "queue the shards and return (workers run them)")
		case "resume":
			fs.BoolVar(&detach, "detach", false, "queue the pending shards and return")
		case "candidates":
			fs.IntVar(&limit, "limit", 50, "how many, strongest first")
		}
	}
	return withStore(ctx, env, "screen "+verb, args[1:], extra, func(ctx context.Context, a *app, fs *flag.FlagSet) error {
		id := func() (int64, error) {
			if fs.NArg() != 1 {
				return 0, usageError{usageScreen}
			}
			n, err := strconv.ParseInt(fs.Arg(0), 10, 64)
			if err != nil {
				return 0, usageError{fmt.Sprintf("screen id %q is not a number", fs.Arg(0))}
			}
			return n, nil
		}
		switch verb {
		case "start", "resume":
			// The CLI works the queue itself while it waits (on SQLite it is the only worker;
			// on PostgreSQL it joins the running workers), unless detached.
			q, err := openQueue(ctx, a, !detach, 2, nil)
			if err != nil {
				return err
			}
			defer q.Close()
			var sc *homeward.Screen
			if verb == "start" {
				var rep dvi.PanelReport
				if sc, rep, err = jobs.StartScreen(ctx, a.db, q, req); err != nil {
					return err
				}
				fmt.Fprintf(env.stdout, "screen %d: %d victim profiles x %d families on %d markers (%s), %d shards\n",
					sc.ID, sc.Profiles, sc.Families, len(rep.Markers), sc.FrequencyDB, sc.Shards)
				for _, ad := range rep.Additions {
					fmt.Fprintf(env.stdout, "  allele %s %s added with frequency %.4g (%s)\n", ad.Marker, ad.Allele, ad.Freq, ad.Reason)
				}
				if len(rep.Unknown) > 0 {
					fmt.Fprintf(env.stdout, "  not screened (not in %s): %v\n", sc.FrequencyDB, rep.Unknown)
				}
			} else {
				n, err := id()
				if err != nil {
					return err
				}
				if sc, err = a.db.GetScreen(ctx, n); err != nil {
					return err
				}
				k, err := jobs.ResumeScreen(ctx, a.db, q, n)
				if err != nil {
					return err
				}
				fmt.Fprintf(env.stdout, "screen %d: %d shard(s) pending\n", n, k)
			}
			if detach {
				return nil
			}
			if err := q.Start(ctx); err != nil {
				return err
			}
			defer func() {
				stop, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				defer cancel()
				q.Shutdown(stop, jobGrace) // running jobs finish within the grace, or go back to the queue
			}()
			return waitScreen(ctx, env, a, sc.ID)
		case "status":
			n, err := id()
			if err != nil {
				return err
			}
			sc, err := a.db.GetScreen(ctx, n)
			if err != nil {
				return err
			}
			sc.Panel = nil
			return printJSON(env, sc)
		case "list":
			l, err := a.db.ListScreens(ctx, homeward.Page{Limit: 100})
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(env.stdout, 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tNAME\tSTATUS\tSHARDS\tCOMPARISONS\tCANDIDATES")
			for _, s := range l.Items {
				fmt.Fprintf(tw, "%d\t%s\t%s\t%d/%d\t%d\t%d\n", s.ID, s.Name, s.Status, s.Progress.ShardsDone, s.Progress.ShardsTotal, s.Progress.Comparisons, s.Progress.Candidates)
			}
			return tw.Flush()
		case "candidates":
			n, err := id()
			if err != nil {
				return err
			}
			l, err := a.db.ListCandidates(ctx, n, homeward.Page{Limit: limit})
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(env.stdout, 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "SAMPLE\tFAMILY\tLOG10 LR\tMARKERS\tEXCLUSIONS")
			for _, c := range l.Items {
				fmt.Fprintf(tw, "%s\t%s\t%.2f\t%d\t%d\n", c.Sample, c.Family, c.Log10LR, c.Markers, c.Exclusions)
			}
			fmt.Fprintf(tw, "(%d of %d candidates)\n", len(l.Items), l.Total)
			return tw.Flush()
		}
		return usageError{usageScreen}
	})
}

// waitScreen shows the screen's progress until every shard is done.
func waitScreen(ctx context.Context, env *cliEnv, a *app, id int64) error {
	bar := progressPrinter(env, fmt.Sprintf("screen %d shards", id))
	start := time.Now()
	for {
		sc, err := a.db.GetScreen(ctx, id)
		if err != nil {
			return err
		}
		bar(sc.Progress.ShardsDone, sc.Progress.ShardsTotal)
		if sc.Status == homeward.ScreenDone {
			el := time.Since(start)
			fmt.Fprintf(env.stdout, "screen %d done: %d comparisons, %d candidates, in %s (%.0f comparisons/s)\n",
				id, sc.Progress.Comparisons, sc.Progress.Candidates, el.Round(time.Millisecond), float64(sc.Progress.Comparisons)/el.Seconds())
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(300 * time.Millisecond):
		}
	}
}

func runDNA(ctx context.Context, env *cliEnv, args []string) error {
	const usage = "usage: homeward dna lines FAMILY-ID | dna family -name NAME -target ID FILE.ped | dna export [-format csv|genemapper|cmf|ystr|mtdna] [-role R] > FILE | dna import [-format genemapper|cmf|table] [-role victim|reference|elimination] [-dry-run] [-accept-partial] [-markers ALIASES.csv] [-json] FILE | dna import-lineage -kind ystr|mtdna [-role R] [-dry-run] [-json] FILE | dna load CASE.json | dna synth [-victims N] [-families M] [-true K] [-markers 23] [-seed S] | dna list [-role victim] | dna group [-container ACC] [-threshold 1e10] [-mismatches 0] [-min-markers 8] [-kinship-threshold 1e4]"
	if len(args) == 0 {
		return usageError{usage}
	}
	verb := args[0]
	var victims, families, truePairs, nMarkers int
	var seed int64
	var role string
	var gopt remains.GroupOptions
	var iopt profileimport.Options
	var aliases string
	var asJSON bool
	var famName, famTarget string
	extra := func(fs *flag.FlagSet) {
		switch verb {
		case "import-lineage":
			fs.StringVar(&iopt.Format, "kind", "", "ystr (GeneMapper Yfiler table or sample-by-locus table) or mtdna (CSV: sample,range,variants)")
			fs.StringVar(&role, "role", "reference", "role of new samples: victim, reference or elimination")
			fs.BoolVar(&iopt.DryRun, "dry-run", false, "read and check only; store nothing")
			fs.BoolVar(&asJSON, "json", false, "print the whole report as JSON")
		case "import":
			fs.StringVar(&iopt.Format, "format", "genemapper", "file format: genemapper, cmf, or table (long or wide genotype table: SNP panels, dna export -format csv)")
			fs.StringVar(&role, "role", "", "role of the samples: victim, reference or elimination (default: victim for genemapper; the specimen category for cmf)")
			fs.BoolVar(&iopt.DryRun, "dry-run", false, "read and check only; store nothing")
			fs.BoolVar(&iopt.AcceptPartial, "accept-partial", false, "store the samples whose rows were all accepted even if others were rejected")
			fs.StringVar(&aliases, "markers", "", "CSV of alias,canonical marker names to add to the built-in table")
			fs.BoolVar(&asJSON, "json", false, "print the whole report as JSON")
		case "group":
			fs.StringVar(&gopt.Container, "container", "", "only the victim profiles of this container's specimens")
			fs.Float64Var(&gopt.Threshold, "threshold", 1e10, "same-person LR to merge two samples")
			fs.IntVar(&gopt.Mismatches, "mismatches", 0, "mismatching markers allowed in a merge")
			fs.IntVar(&gopt.MinMarkers, "min-markers", 8, "markers compared at least for a merge")
			fs.Float64Var(&gopt.KinshipThreshold, "kinship-threshold", 1e4, "report related individuals at or above this LR")
			fs.StringVar(&gopt.FrequencyDB, "db", "nist-all", "shipped frequency database")
		case "synth":
			fs.IntVar(&victims, "victims", 1000, "victim profiles")
			fs.IntVar(&families, "families", 500, "reference families")
			fs.IntVar(&truePairs, "true", 50, "victims that are a family's missing person")
			fs.IntVar(&nMarkers, "markers", 23, "markers of nist-all typed")
			fs.Int64Var(&seed, "seed", 1, "seed (same seed, same data)")
		case "list":
			fs.StringVar(&role, "role", "", "victim, reference or elimination")
		case "family":
			fs.StringVar(&famName, "name", "", "the reference family's name")
			fs.StringVar(&famTarget, "target", "", "the pedigree id of the missing person")
		case "export":
			fs.StringVar(&iopt.Format, "format", "csv", "csv, genemapper, cmf, ystr (Y-STR haplotypes, sample by locus) or mtdna (CSV)")
			fs.StringVar(&role, "role", "", "only profiles of this role")
		}
	}
	return withStore(ctx, env, "dna "+verb, args[1:], extra, func(ctx context.Context, a *app, fs *flag.FlagSet) error {
		switch verb {
		case "synth":
			db, err := freqdb.Load("nist-all")
			if err != nil {
				return err
			}
			set, err := demo.GenerateDNA(seed, db, nMarkers, victims, families, truePairs)
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
		case "load":
			if fs.NArg() != 1 {
				return usageError{usage}
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
			np, nf, err := loadProblem(ctx, a, p)
			if err != nil {
				return err
			}
			fmt.Fprintf(env.stdout, "stored %d profiles and %d reference families from %s\n", np, nf, fs.Arg(0))
			return nil
		case "import":
			if fs.NArg() != 1 {
				return usageError{usage}
			}
			iopt.Role, iopt.File = homeward.ProfileRole(role), fs.Arg(0)
			if aliases != "" {
				iopt.Markers = markers.Default()
				af, err := os.Open(aliases)
				if err != nil {
					return err
				}
				err = iopt.Markers.LoadCSV(af)
				af.Close()
				if err != nil {
					return err
				}
			}
			f, err := os.Open(fs.Arg(0))
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
			rep, err := profileimport.Import(pctx, a.db, f, iopt)
			if asJSON {
				printJSON(env, rep)
			} else {
				printImportReport(env, rep)
			}
			return err
		case "import-lineage":
			if fs.NArg() != 1 {
				return usageError{usage}
			}
			f, err := os.Open(fs.Arg(0))
			if err != nil {
				return err
			}
			defer f.Close()
			rep, err := profileimport.ImportLineage(ctx, a.db, f, profileimport.LineageOptions{Kind: iopt.Format, Role: homeward.ProfileRole(role), File: filepath.Base(fs.Arg(0)), DryRun: iopt.DryRun})
			if rep != nil {
				if asJSON {
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
		case "lines":
			if fs.NArg() != 1 {
				return usageError{usage}
			}
			id, err := strconv.ParseInt(fs.Arg(0), 10, 64)
			if err != nil {
				return usageError{"dna lines FAMILY-ID"}
			}
			r, err := remains.Lines(ctx, a.db, id)
			if err != nil {
				return err
			}
			return printJSON(env, r)
		case "family":
			if fs.NArg() != 1 || famName == "" || famTarget == "" {
				return usageError{usage}
			}
			f, err := os.Open(fs.Arg(0))
			if err != nil {
				return err
			}
			defer f.Close()
			fam, err := profileimport.ImportPedigree(ctx, a.db, f, famName, famTarget, nil)
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
		case "export":
			n, err := profileimport.Export(ctx, a.db, env.stdout, iopt.Format, homeward.ProfileRole(role), cmf.Header{SourceLab: "Homeward", SubmitBy: a.cfg.User, At: time.Now()})
			if err == nil {
				fmt.Fprintf(env.stderr, "exported %d profiles\n", n)
			}
			return err
		case "group":
			r, err := remains.Group(ctx, a.db, a.db, gopt)
			if err != nil {
				return err
			}
			return printJSON(env, r)
		case "list":
			l, err := a.db.ListProfiles(ctx, homeward.ProfileFilter{Role: homeward.ProfileRole(role), Page: homeward.Page{Limit: 1000}})
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(env.stdout, 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tSAMPLE\tROLE\tMARKERS")
			for _, p := range l.Items {
				fmt.Fprintf(tw, "%d\t%s\t%s\t%d\n", p.ID, p.Sample, p.Role, len(p.Loci))
			}
			fmt.Fprintf(tw, "(%d of %d)\n", len(l.Items), l.Total)
			return tw.Flush()
		}
		return usageError{usage}
	})
}

// printImportReport summarises an import report for a terminal.
func printImportReport(env *cliEnv, r homeward.ProfileImportReport) {
	mode := "import"
	if r.DryRun {
		mode = "dry run"
	}
	fmt.Fprintf(env.stdout, "%s of %s (%s): %d samples, %d markers, %d alleles in %d lines; %d warnings, %d rejected rows\n",
		mode, r.File, r.Format, r.Samples, r.Markers, r.Alleles, r.Lines, len(r.Warnings), len(r.Rejected))
	for _, p := range r.Rejected {
		fmt.Fprintf(env.stdout, "  rejected line %d %s: %s\n", p.Line, p.Record, p.Message)
	}
	if len(r.LeftOut) > 0 {
		fmt.Fprintf(env.stdout, "  samples left out: %v\n", r.LeftOut)
	}
	if len(r.UnknownMarkers) > 0 {
		fmt.Fprintf(env.stdout, "  marker names not in the table (kept as given): %v\n", r.UnknownMarkers)
	}
	for _, h := range r.Contamination {
		fmt.Fprintf(env.stdout, "  CONTAMINATION: %s matches elimination profile %s at %d markers\n", h.Sample, h.Elimination, h.Markers)
	}
	if !r.DryRun {
		fmt.Fprintf(env.stdout, "  stored %d new profiles, %d already stored unchanged\n", r.Created, r.Unchanged)
	}
}

// loadProblem stores a DVI case: each victim as a victim profile, each typed family member as a
// reference profile, and one reference family per missing person (the same pedigree, that person
// as the target). Sample names are prefixed with the case's family or victim ids as they are.
func loadProblem(ctx context.Context, a *app, p *dvi.Problem) (profiles, families int, err error) {
	loci := func(id string) map[string][]string {
		l := map[string][]string{}
		for mi, m := range p.Markers {
			if g, ok := p.Genos[mi][id]; ok {
				l[m.Name] = []string{m.Alleles[g[0]], m.Alleles[g[1]]}
			}
		}
		return l
	}
	for _, v := range p.Victims {
		pr := &homeward.Profile{Sample: v.ID, Role: homeward.ProfileVictim, Loci: loci(v.ID), Source: "dvi case"}
		if err := a.db.CreateProfile(ctx, pr); err != nil {
			return profiles, families, err
		}
		profiles++
	}
	for _, f := range p.Families {
		refIDs := map[string]*int64{}
		for _, pe := range f.Ped.People {
			if l := loci(pe.ID); len(l) > 0 && !p.IsMissing(pe.ID) {
				pr := &homeward.Profile{Sample: f.Name + "/" + pe.ID, Role: homeward.ProfileReference, Loci: l, Source: "dvi case"}
				if err := a.db.CreateProfile(ctx, pr); err != nil {
					return profiles, families, err
				}
				profiles++
				refIDs[pe.ID] = &pr.ID
			}
		}
		for _, m := range p.Missing {
			if f.Ped.Index(m) < 0 {
				continue
			}
			rf := &homeward.ReferenceFamily{Name: f.Name + "/" + m, Target: m}
			for _, pe := range f.Ped.People {
				sex := homeward.SexUnknown
				switch pe.Sex {
				case kinship.Male:
					sex = homeward.SexMale
				case kinship.Female:
					sex = homeward.SexFemale
				}
				rf.Members = append(rf.Members, homeward.PedigreeMember{ID: pe.ID, Father: pe.Father, Mother: pe.Mother, Sex: sex, ProfileID: refIDs[pe.ID]})
			}
			if err := a.db.CreateReferenceFamily(ctx, rf); err != nil {
				return profiles, families, err
			}
			families++
		}
	}
	return profiles, families, nil
}
