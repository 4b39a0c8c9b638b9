package main

import (
	"context"
	"fmt"

	flag "github.com/spf13/pflag"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/labfmt/osteometric"
	"github.com/homeward/homeward/remains"
)

// runOsteoImport stores a measurement file's bones as specimens' measurements.
func runOsteoImport(fs *flag.FlagSet, env *cliEnv) action {
	var dryRun *bool
	return withStore(fs, env, func(fs *flag.FlagSet) {
		dryRun = fs.Bool("dry-run", false, "check and report, store nothing")
	}, func(ctx context.Context, a *app, args []string) error {
		if len(args) != 1 {
			return usageError{"name one file of measurements"}
		}
		rows, err := readRows(args[0], "id")
		if err != nil {
			return err
		}
		rep, err := a.db.ImportMeasurements(ctx, osteometric.MeasuredSpecimens(rows, ""), *dryRun)
		if err != nil {
			return err
		}
		if err := printJSON(env, rep); err != nil {
			return err
		}
		if len(rep.Rejected) > 0 {
			return fmt.Errorf("%s: %d row(s) refused, nothing stored", args[0], len(rep.Rejected))
		}
		return nil
	})
}

// runOsteoImportReference stores a reference sample file as the next version of its name.
func runOsteoImportReference(fs *flag.FlagSet, env *cliEnv) action {
	var name, source, population *string
	return withStore(fs, env, func(fs *flag.FlagSet) {
		name = fs.String("name", "", "the sample's name (importing it again makes the next version)")
		source = fs.String("source", "", "where the sample comes from (publication, collection, laboratory)")
		population = fs.String("population", "", "the population it describes")
	}, func(ctx context.Context, a *app, args []string) error {
		if len(args) != 1 {
			return usageError{"name one reference sample file"}
		}
		rows, err := readRows(args[0], "individual")
		if err != nil {
			return err
		}
		rs := &homeward.OsteoReferenceSample{Name: *name, Source: *source, Population: *population}
		if err := a.db.ImportReferenceSample(ctx, rs, osteometric.ReferenceBones(rows)); err != nil {
			return fmt.Errorf("%s: %w", args[0], err)
		}
		return printJSON(env, rs)
	})
}

// runOsteoSortStored sorts the stored measured specimens of containers against a stored sample.
func runOsteoSortStored(fs *flag.FlagSet, env *cliEnv) action {
	var o osteoFlags
	var sample *string
	var dna *bool
	return withStore(fs, env, func(fs *flag.FlagSet) {
		o.bind(fs)
		sample = fs.String("reference-sample", "", "stored reference sample: NAME, NAME@VERSION or id")
		dna = fs.Bool("dna", false, "reconcile with the containers' DNA grouping")
	}, func(ctx context.Context, a *app, args []string) error {
		if len(args) == 0 || *sample == "" {
			return usageError{"--reference-sample and at least one container are required (see homeward osteo sort-stored --help)"}
		}
		st, err := o.settings()
		if err != nil {
			return err
		}
		res, err := remains.Osteometry(ctx, a.db, a.db, a.db, remains.OsteoOptions{Containers: args, Reference: *sample, Settings: st, DNA: *dna})
		if err != nil {
			return err
		}
		if !o.json {
			fmt.Fprintf(env.stdout, "reference sample %s version %d (%s), %d individuals; %d specimen(s) without measurements not sorted\n",
				res.Reference.Name, res.Reference.Version, res.Reference.Source, res.Reference.Individuals, res.Unmeasured)
		}
		return o.report(env, res.Sorting, res.Skipped, res.Resolution)
	})
}
