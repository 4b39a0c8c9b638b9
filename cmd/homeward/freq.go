package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/homeward/homeward/labfmt/freqdb"
)

func init() {
	register(command{name: "freq", summary: "allele-frequency databases: freq list | freq show NAME [MARKER]", run: runFreq})
}

func runFreq(ctx context.Context, env *cliEnv, args []string) error {
	if len(args) == 0 {
		return usageError{"usage: homeward freq list | freq show NAME [MARKER]"}
	}
	switch args[0] {
	case "list":
		names, err := freqdb.Shipped()
		if err != nil {
			return err
		}
		for _, n := range names {
			fmt.Fprintln(env.stdout, n)
		}
		return nil
	case "show":
		if len(args) < 2 || len(args) > 3 {
			return usageError{"usage: homeward freq show NAME [MARKER]"}
		}
		d, err := freqdb.Load(args[1])
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(env.stdout, 2, 4, 2, ' ', 0)
		if len(args) == 2 {
			fmt.Fprintln(tw, "MARKER\tALLELES\tN\tSUM")
			for _, m := range d.Markers {
				fmt.Fprintf(tw, "%s\t%d\t%d\t%.4f\n", m.Name, len(m.Alleles), m.N, m.Sum())
			}
			return tw.Flush()
		}
		m := d.Marker(args[2])
		if m == nil {
			return fmt.Errorf("database %s has no marker %s", args[1], args[2])
		}
		fmt.Fprintln(tw, "ALLELE\tFREQUENCY")
		for i, a := range m.Alleles {
			fmt.Fprintf(tw, "%s\t%g\n", a, m.Freqs[i])
		}
		return tw.Flush()
	}
	return usageError{fmt.Sprintf("unknown freq verb %q", args[0])}
}
