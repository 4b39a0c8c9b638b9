package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"

	flag "github.com/spf13/pflag"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/demo"
	"github.com/homeward/homeward/dvi"
	"github.com/homeward/homeward/dvi/dvisim"
	"github.com/homeward/homeward/jobs"
	"github.com/homeward/homeward/labfmt/freqdb"
)

const usageScreenPower = `usage: homeward screen power [-dropout 0.1,0.2,0.3,0.4] [-threshold 1e4] [-victims 300] [-families 150] [-true 30] [-seed 1] [-json]
  the identification power of screens on degraded remains: the demo world's DNA (the sons of the
  first -true families among the victims; nist-all, 23 markers) with every victim profile degraded
  at each dropout level, screened reading profiles as genotypes and under the dropout model; prints
  the true pairs found and the false candidates at or above the threshold`

// runScreenPower runs dvisim's power study on the demo world's DNA set, in this process.
func runScreenPower(fs *flag.FlagSet, env *cliEnv) action {
	levels := fs.String("dropout", "0,0.1,0.2,0.3,0.4", "dropout levels, comma-separated")
	threshold := fs.Float64("threshold", 1e4, "LR at or above which a comparison is a candidate")
	victims := fs.Int("victims", demoVictims, "victim profiles")
	families := fs.Int("families", demoFamilies, "reference families")
	truePairs := fs.Int("true", demoTruePairs, "victims that are a family's missing person")
	seed := fs.Int64("seed", demo.DefaultSeed, "seed of the DNA set and of the degradation")
	asJSON := fs.Bool("json", false, "print the rows as JSON")
	return func(ctx context.Context, args []string) error {
		var ds []float64
		for _, f := range strings.Split(*levels, ",") {
			d, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
			if err != nil {
				return usageError{fmt.Sprintf("-dropout: %q is not a number", f)}
			}
			ds = append(ds, d)
		}
		study, err := demoPowerStudy(*seed, *victims, *families, *truePairs, *threshold)
		if err != nil {
			return err
		}
		rows, err := study.Run(ctx, ds)
		if err != nil {
			return err
		}
		if *asJSON {
			return printJSON(env, rows)
		}
		w := tabwriter.NewWriter(env.stdout, 2, 4, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(w, "dropout\talleles lost %\ttrue pairs\tfound (genotypes)\tfalse (genotypes)\tfound (dropout model)\tfalse (dropout model)\t")
		for _, r := range rows {
			fmt.Fprintf(w, "%.2f\t%.1f\t%d\t%d\t%d\t%d\t%d\t\n", r.Dropout, r.AllelesLostPercent, r.TruePairs,
				r.FoundGenotypes, r.FalseGenotypes, r.FoundDropoutModel, r.FalseDropoutModel)
		}
		return w.Flush()
	}
}

// demoPowerStudy builds the study from the demo world's DNA set: its panel (nist-all with the
// alleles the profiles show), families with their typed relatives, and the truth the set knows.
func demoPowerStudy(seed int64, victims, families, truePairs int, threshold float64) (dvisim.PowerStudy, error) {
	db, err := freqdb.Load("nist-all")
	if err != nil {
		return dvisim.PowerStudy{}, err
	}
	set, err := demo.GenerateDNA(seed, db, 23, victims, families, truePairs)
	if err != nil {
		return dvisim.PowerStudy{}, err
	}
	var loci, victimLoci []map[string][]string
	for _, p := range set.References {
		loci = append(loci, p.Loci)
	}
	for _, p := range set.Victims {
		loci, victimLoci = append(loci, p.Loci), append(victimLoci, p.Loci)
	}
	pj, _, err := dvi.BuildPanel(db, loci, freqdb.MissingAlleleRule{MinFreq: 0.001})
	if err != nil {
		return dvisim.PowerStudy{}, err
	}
	panel, err := dvi.PanelMarkers(pj)
	if err != nil {
		return dvisim.PowerStudy{}, err
	}
	study := dvisim.PowerStudy{Panel: panel, Threshold: threshold, Seed: uint64(seed),
		IsTrue: func(v, f int) bool { return v == f && v < set.True }}
	for fi := range set.Families {
		f := set.Families[fi]
		f.ID = int64(fi)
		// The set's families name their references by index into set.References.
		sf, err := jobs.ScreenFamilyOf(panel, &f, func(k int64) (*homeward.Profile, error) { return &set.References[k], nil })
		if err != nil {
			return study, err
		}
		study.Families = append(study.Families, sf)
	}
	study.Victims = victimLoci
	return study, nil
}
