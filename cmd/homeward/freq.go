package main

import (
	"context"
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/spf13/cobra"
	flag "github.com/spf13/pflag"

	"github.com/homeward/homeward/frequencies"
	"github.com/homeward/homeward/labfmt/freqdb"
)

func init() {
	register(spec{use: "freq", short: "allele-frequency databases: the shipped ones and those imported", subs: []spec{
		{records: true, use: "list", short: "shipped and stored databases", example: "  homeward freq list", args: cobra.NoArgs, define: freqListVerb},
		{use: "show NAME[@VERSION] [MARKER]", short: "a database (stored first, then shipped), or one marker's alleles",
			example: "  homeward freq show nist-all TH01", args: cobra.RangeArgs(1, 2), define: freqShowVerb},
		{use: "import FILE", short: "import a frequency file as the next version of a named database (nist, familias, csv or strider)",
			example: "  homeward freq import --format familias --name korea-2024 --source \"Lab X, 2024\" korea.txt", args: cobra.ExactArgs(1), define: freqImportVerb},
	}})
}

const usageFreq = `usage:
  homeward freq list                              shipped and stored databases
  homeward freq show NAME[@VERSION] [MARKER]      a database (stored first, then shipped)
  homeward freq import -format nist|familias|csv|strider [-country C] -name NAME -source "..." [-min-freq F] FILE`

// freqListVerb defines "freq list": the shipped and stored databases.
func freqListVerb(fs *flag.FlagSet, env *cliEnv) action {
	return withStore(fs, env, nil, func(ctx context.Context, a *app, _ []string) error {
		return freqList(ctx, env, a)
	})
}

// freqShowVerb defines "freq show NAME[@VERSION] [MARKER]": a database or one marker's alleles.
func freqShowVerb(fs *flag.FlagSet, env *cliEnv) action {
	return withStore(fs, env, nil, func(ctx context.Context, a *app, args []string) error {
		return freqShow(ctx, env, a, args)
	})
}

// freqImportVerb defines "freq import FILE": its flags, then storing the file as the next version.
func freqImportVerb(fs *flag.FlagSet, env *cliEnv) action {
	var o frequencies.Options
	extra := func(fs *flag.FlagSet) {
		fs.StringVar(&o.Format, "format", "", "nist, familias, csv or strider")
		fs.StringVar(&o.Name, "name", "", "the database's name (importing it again makes the next version)")
		fs.StringVar(&o.Source, "source", "", "where the frequencies come from")
		fs.StringVar(&o.Country, "country", "", "strider: the country")
		fs.Float64Var(&o.MinFreq, "min-freq", 0, "frequency for alleles the database lacks (default 5/(2N))")
	}
	return withStore(fs, env, extra, func(ctx context.Context, a *app, args []string) error {
		return freqImport(ctx, env, a, args, o)
	})
}

// freqImport stores the frequency file args names as the next version of its database and says so.
func freqImport(ctx context.Context, env *cliEnv, a *app, args []string, o frequencies.Options) error {
	if len(args) != 1 {
		return usageError{usageFreq}
	}
	f, err := os.Open(args[0])
	if err != nil {
		return err
	}
	defer f.Close()
	rec, err := frequencies.Import(ctx, a.db, f, o)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "stored %s version %d: %d markers (use %s@%d to pin it)\n", rec.Name, rec.Version, len(rec.Markers), rec.Name, rec.Version)
	return nil
}

// freqList prints the stored frequency databases and the shipped ones.
func freqList(ctx context.Context, env *cliEnv, a *app) error {
	stored, err := a.db.ListFrequencyDBs(ctx)
	if err != nil {
		return err
	}
	if env.asJSON {
		shipped, err := freqdb.Shipped()
		if err != nil {
			return err
		}
		return printJSON(env, map[string]any{"stored": stored, "shipped": shipped})
	}
	tw := tabwriter.NewWriter(env.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tVERSION\tMARKERS\tSOURCE")
	for _, d := range stored {
		fmt.Fprintf(tw, "%s\t%d\t\t%s\n", d.Name, d.Version, d.Source)
	}
	names, err := freqdb.Shipped()
	if err != nil {
		return err
	}
	for _, n := range names {
		fmt.Fprintf(tw, "%s\tshipped\t\t\n", n)
	}
	return tw.Flush()
}

// freqShow prints a database's markers, or one marker's alleles.
func freqShow(ctx context.Context, env *cliEnv, a *app, args []string) error {
	if len(args) < 1 || len(args) > 2 {
		return usageError{usageFreq}
	}
	d, label, _, err := frequencies.Resolve(ctx, a.db, args[0])
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(env.stdout, 2, 4, 2, ' ', 0)
	if len(args) == 1 {
		fmt.Fprintf(tw, "%s\n", label)
		fmt.Fprintln(tw, "MARKER\tALLELES\tN\tSUM")
		for _, m := range d.Markers {
			fmt.Fprintf(tw, "%s\t%d\t%d\t%.4f\n", m.Name, len(m.Alleles), m.N, m.Sum())
		}
		return tw.Flush()
	}
	m := d.Marker(args[1])
	if m == nil {
		return fmt.Errorf("database %s has no marker %s", label, args[1])
	}
	fmt.Fprintln(tw, "ALLELE\tFREQUENCY")
	for i, al := range m.Alleles {
		fmt.Fprintf(tw, "%s\t%g\n", al, m.Freqs[i])
	}
	return tw.Flush()
}
