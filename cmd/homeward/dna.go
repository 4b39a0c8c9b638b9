package main

import (
	"context"
	"fmt"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/dvi"
	"github.com/homeward/homeward/kinship"
	"github.com/homeward/homeward/profileimport"
	"github.com/homeward/homeward/remains"
	flag "github.com/spf13/pflag"
)

func dnaVerb(verb string) definer {
	return func(fs *flag.FlagSet, env *cliEnv) action {
		f := &dnaFlags{}
		return withStore(fs, env, f.define(verb), func(ctx context.Context, a *app, args []string) error {
			run := dnaActions[verb]
			if run == nil {
				return usageError{"homeward dna " + verb + ": wrong arguments (see homeward dna " + verb + " --help)"}
			}
			return run(ctx, env, a, args, f)
		})
	}
}

// dnaFlags are the flags of the dna verbs (each verb defines the ones it takes).
type dnaFlags struct {
	victims, families, truePairs, nMarkers int
	seed                                   int64
	role, aliases, famName, famTarget      string
	asJSON                                 bool
	gopt                                   remains.GroupOptions
	iopt                                   profileimport.Options
}

// define returns the definer of verb's flags.
func (f *dnaFlags) define(verb string) func(fs *flag.FlagSet) {
	return func(fs *flag.FlagSet) {
		switch verb {
		case "import-lineage":
			fs.StringVar(&f.iopt.Format, "kind", "", "ystr (GeneMapper Yfiler table or sample-by-locus table) or mtdna (CSV: sample,range,variants)")
			fs.StringVar(&f.role, "role", "reference", "role of new samples: victim, reference or elimination")
			fs.BoolVar(&f.iopt.DryRun, "dry-run", false, "read and check only; store nothing")
			fs.BoolVar(&f.asJSON, "json", false, "print the whole report as JSON")
		case "import":
			fs.StringVar(&f.iopt.Format, "format", "genemapper", "file format: genemapper, cmf, or table (long or wide genotype table: SNP panels, dna export -format csv)")
			fs.StringVar(&f.role, "role", "", "role of the samples: victim, reference or elimination (default: victim for genemapper; the specimen category for cmf)")
			fs.BoolVar(&f.iopt.DryRun, "dry-run", false, "read and check only; store nothing")
			fs.BoolVar(&f.iopt.AcceptPartial, "accept-partial", false, "store the samples whose rows were all accepted even if others were rejected")
			fs.StringVar(&f.aliases, "markers", "", "CSV of alias,canonical marker names to add to the built-in table")
			fs.BoolVar(&f.asJSON, "json", false, "print the whole report as JSON")
		case "group":
			fs.StringVar(&f.gopt.Container, "container", "", "only the victim profiles of this container's specimens")
			fs.Float64Var(&f.gopt.Threshold, "threshold", 1e10, "same-person LR to merge two samples")
			fs.IntVar(&f.gopt.Mismatches, "mismatches", 0, "mismatching markers allowed in a merge")
			fs.IntVar(&f.gopt.MinMarkers, "min-markers", 8, "markers compared at least for a merge")
			fs.Float64Var(&f.gopt.KinshipThreshold, "kinship-threshold", 1e4, "report related individuals at or above this LR")
			fs.StringVar(&f.gopt.FrequencyDB, "db", "nist-all", "shipped frequency database")
		case "synth":
			fs.IntVar(&f.victims, "victims", 1000, "victim profiles")
			fs.IntVar(&f.families, "families", 500, "reference families")
			fs.IntVar(&f.truePairs, "true", 50, "victims that are a family's missing person")
			fs.IntVar(&f.nMarkers, "markers", 23, "markers of nist-all typed")
			fs.Int64Var(&f.seed, "seed", 1, "seed (same seed, same data)")
		case "list":
			fs.StringVar(&f.role, "role", "", "victim, reference or elimination")
		case "family":
			fs.StringVar(&f.famName, "name", "", "the reference family's name")
			fs.StringVar(&f.famTarget, "target", "", "the pedigree id of the missing person")
		case "export":
			fs.StringVar(&f.iopt.Format, "format", "csv", "csv, genemapper, cmf, ystr (Y-STR haplotypes, sample by locus) or mtdna (CSV)")
			fs.StringVar(&f.role, "role", "", "only profiles of this role")
		}
	}
}

var dnaActions = map[string]func(ctx context.Context, env *cliEnv, a *app, args []string, f *dnaFlags) error{
	"synth":          dnaSynth,
	"load":           dnaLoad,
	"import":         dnaImport,
	"import-lineage": dnaImportLineage,
	"lines":          dnaLines,
	"family":         dnaFamily,
	"export":         dnaExport,
	"group":          dnaGroup,
	"list":           dnaList,
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
