package main

import (
	"context"

	flag "github.com/spf13/pflag"

	"github.com/homeward/homeward/dvi/dvisim"
)

const usageDVISimulate = `usage: homeward dvi simulate [-missing 12] [-markers 23] [-seed 42] > CASE.json
  writes a simulated single-family DVI case: dvir's icmp family (4 generations, 6 typed
  references) with 12 (or 8) missing persons, genotypes dropped down the pedigree at the first
  N markers of forrel's Norwegian frequencies, 5 victims carrying M6, M10, M12, M8 and M1`

// runDVISimulate writes dvisim's large-family case.
func runDVISimulate(fs *flag.FlagSet, env *cliEnv) action {
	missing := fs.Int("missing", 12, "missing persons: 12, or 8 (M9-M12 become untyped relatives)")
	markers := fs.Int("markers", 23, "markers, the first of forrel's Norwegian frequencies (1 to 35)")
	seed := fs.Uint64("seed", 42, "random seed; the same seed gives the same case")
	return func(ctx context.Context, args []string) error {
		if len(args) != 0 {
			return usageError{usageDVISimulate}
		}
		cf, err := dvisim.LargeFamily(*missing, *markers, *seed)
		if err != nil {
			return err
		}
		return printJSON(env, cf)
	}
}
