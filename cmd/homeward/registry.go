package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
	flag "github.com/spf13/pflag"

	"github.com/homeward/homeward/csvio"
)

func init() {
	registers := []string{"incidents", "missing_persons", "family_members"}
	register(spec{use: "import KIND FILE.csv", short: "import a CSV register (incidents, missing_persons, family_members), all or nothing",
		example: "  homeward import missing_persons persons.csv", args: cobra.ExactArgs(2), kinds: registers, define: runImport})
	register(spec{use: "export KIND", short: "export a register as CSV or JSON (incidents, missing_persons, family_members)",
		example: "  homeward export --format csv missing_persons > persons.csv", args: cobra.ExactArgs(1), kinds: registers, define: runExport})
}

func runImport(fs *flag.FlagSet, env *cliEnv) action {
	cfg := bindConfig(fs, env)
	return func(ctx context.Context, args []string) error {
		if len(args) != 2 {
			return usageError{"usage: homeward import incidents|missing_persons|family_members FILE.csv ('-' for stdin)"}
		}
		var r io.Reader = env.stdin
		if args[1] != "-" {
			f, err := os.Open(args[1])
			if err != nil {
				return err
			}
			defer f.Close()
			r = f
		}
		a, ctx, err := openAsUser(ctx, cfg)
		if err != nil {
			return err
		}
		defer a.Close()
		rep, err := csvio.Import(ctx, args[0], r, a.db, a.db)
		if err != nil {
			return fmt.Errorf("import %s %s: %w", args[0], args[1], err)
		}
		fmt.Fprintf(env.stdout, "%s: %d rows read, %d created, %d problems\n", rep.Kind, rep.Read, rep.Created, len(rep.Rejected))
		for _, p := range rep.Rejected {
			fmt.Fprintf(env.stdout, "  line %d (%s) %s: %s\n", p.Line, p.Record, p.Field, p.Message)
		}
		if len(rep.Rejected) > 0 {
			return fmt.Errorf("import %s: nothing stored (%d problems)", args[1], len(rep.Rejected))
		}
		return nil
	}
}

func runExport(fs *flag.FlagSet, env *cliEnv) action {
	format := "csv"
	extra := func(fs *flag.FlagSet) { fs.StringVar(&format, "format", "csv", "csv or json") }
	return withStore(fs, env, extra, func(ctx context.Context, a *app, args []string) error {
		if len(args) != 1 {
			return usageError{"usage: homeward export [-format csv|json] incidents|missing_persons|family_members"}
		}
		return csvio.Export(ctx, args[0], format, env.stdout, a.db)
	})
}
