package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/homeward/homeward/frequencies"
	"github.com/homeward/homeward/labfmt/freqdb"
)

func init() {
	register(command{name: "freq", summary: "allele-frequency databases: freq list | show NAME[@V] [MARKER] | import -format F -name N -source S FILE", run: runFreq})
}

const usageFreq = `usage:
  homeward freq list                              shipped and stored databases
  homeward freq show NAME[@VERSION] [MARKER]      a database (stored first, then shipped)
  homeward freq import -format nist|familias|csv|strider [-country C] -name NAME -source "..." [-min-freq F] FILE`

func runFreq(ctx context.Context, env *cliEnv, args []string) error {
	if len(args) == 0 {
		return usageError{usageFreq}
	}
	verb := args[0]
	var o frequencies.Options
	extra := func(fs *flag.FlagSet) {
		if verb == "import" {
			fs.StringVar(&o.Format, "format", "", "nist, familias, csv or strider")
			fs.StringVar(&o.Name, "name", "", "the database's name (importing it again makes the next version)")
			fs.StringVar(&o.Source, "source", "", "where the frequencies come from")
			fs.StringVar(&o.Country, "country", "", "strider: the country")
			fs.Float64Var(&o.MinFreq, "min-freq", 0, "frequency for alleles the database lacks (default 5/(2N))")
		}
	}
	return withStore(ctx, env, "freq "+verb, args[1:], extra, func(ctx context.Context, a *app, fs *flag.FlagSet) error {
		switch verb {
		case "list":
			tw := tabwriter.NewWriter(env.stdout, 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tVERSION\tMARKERS\tSOURCE")
			stored, err := a.db.ListFrequencyDBs(ctx)
			if err != nil {
				return err
			}
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
		case "import":
			if fs.NArg() != 1 {
				return usageError{usageFreq}
			}
			f, err := os.Open(fs.Arg(0))
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
		case "show":
			if fs.NArg() < 1 || fs.NArg() > 2 {
				return usageError{usageFreq}
			}
			d, label, _, err := frequencies.Resolve(ctx, a.db, fs.Arg(0))
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(env.stdout, 2, 4, 2, ' ', 0)
			if fs.NArg() == 1 {
				fmt.Fprintf(tw, "%s\n", label)
				fmt.Fprintln(tw, "MARKER\tALLELES\tN\tSUM")
				for _, m := range d.Markers {
					fmt.Fprintf(tw, "%s\t%d\t%d\t%.4f\n", m.Name, len(m.Alleles), m.N, m.Sum())
				}
				return tw.Flush()
			}
			m := d.Marker(fs.Arg(1))
			if m == nil {
				return fmt.Errorf("database %s has no marker %s", label, fs.Arg(1))
			}
			fmt.Fprintln(tw, "ALLELE\tFREQUENCY")
			for i, al := range m.Alleles {
				fmt.Fprintf(tw, "%s\t%g\n", al, m.Freqs[i])
			}
			return tw.Flush()
		}
		return usageError{usageFreq}
	})
}
