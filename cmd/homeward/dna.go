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
	"github.com/homeward/homeward/kinship"
	"github.com/homeward/homeward/labfmt/cmf"
	"github.com/homeward/homeward/labfmt/freqdb"
	"github.com/homeward/homeward/labfmt/markers"
	"github.com/homeward/homeward/profileimport"
	"github.com/homeward/homeward/remains"
	flag "github.com/spf13/pflag"
)

func dnaVerb(verb string) definer {
	return func(fs *flag.FlagSet, env *cliEnv) action {
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
		return withStore(fs, env, extra, func(ctx context.Context, a *app, args []string) error {
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
			case "import":
				iopt.Role, iopt.File = homeward.ProfileRole(role), args[0]
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
				rep, err := profileimport.Import(pctx, a.db, f, iopt)
				if asJSON {
					printJSON(env, rep)
				} else {
					printImportReport(env, rep)
				}
				return err
			case "import-lineage":
				f, err := os.Open(args[0])
				if err != nil {
					return err
				}
				defer f.Close()
				rep, err := profileimport.ImportLineage(ctx, a.db, f, profileimport.LineageOptions{Kind: iopt.Format, Role: homeward.ProfileRole(role), File: filepath.Base(args[0]), DryRun: iopt.DryRun})
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
				id, err := strconv.ParseInt(args[0], 10, 64)
				if err != nil {
					return usageError{"dna lines FAMILY-ID"}
				}
				r, err := remains.Lines(ctx, a.db, id)
				if err != nil {
					return err
				}
				return printJSON(env, r)
			case "family":
				if len(args) != 1 || famName == "" || famTarget == "" {
					return usageError{"homeward dna " + verb + ": wrong arguments (see homeward dna " + verb + " --help)"}
				}
				f, err := os.Open(args[0])
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
			return usageError{"homeward dna " + verb + ": wrong arguments (see homeward dna " + verb + " --help)"}
		})
	}
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
