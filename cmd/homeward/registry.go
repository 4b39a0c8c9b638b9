package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/homeward/homeward/csvio"
)

func init() {
	register(command{name: "import", summary: "import a CSV register: import incidents|missing_persons|family_members FILE.csv", run: runImport})
	register(command{name: "export", summary: "export a register: export [-format csv|json] incidents|missing_persons|family_members", run: runExport})
}

func runImport(ctx context.Context, env *cliEnv, args []string) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	cfg := bindConfig(fs, env)
	if err := parseInterspersed(fs, args); err != nil {
		return usageError{err.Error()}
	}
	if fs.NArg() != 2 {
		return usageError{"usage: homeward import incidents|missing_persons|family_members FILE.csv ('-' for stdin)"}
	}
	var r io.Reader = env.stdin
	if fs.Arg(1) != "-" {
		f, err := os.Open(fs.Arg(1))
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
	}
	a, err := openApp(ctx, cfg, appOptions{})
	if err != nil {
		return err
	}
	defer a.Close()
	if ctx, err = a.asUser(ctx); err != nil {
		return err
	}
	rep, err := csvio.Import(ctx, fs.Arg(0), r, a.db, a.db)
	if err != nil {
		return fmt.Errorf("import %s %s: %w", fs.Arg(0), fs.Arg(1), err)
	}
	fmt.Fprintf(env.stdout, "%s: %d rows read, %d created, %d problems\n", rep.Kind, rep.Read, rep.Created, len(rep.Rejected))
	for _, p := range rep.Rejected {
		fmt.Fprintf(env.stdout, "  line %d (%s) %s: %s\n", p.Line, p.Record, p.Field, p.Message)
	}
	if len(rep.Rejected) > 0 {
		return fmt.Errorf("import %s: nothing stored (%d problems)", fs.Arg(1), len(rep.Rejected))
	}
	return nil
}

func runExport(ctx context.Context, env *cliEnv, args []string) error {
	format := "csv"
	extra := func(fs *flag.FlagSet) { fs.StringVar(&format, "format", "csv", "csv or json") }
	return withStore(ctx, env, "export", args, extra, func(ctx context.Context, a *app, fs *flag.FlagSet) error {
		if fs.NArg() != 1 {
			return usageError{"usage: homeward export [-format csv|json] incidents|missing_persons|family_members"}
		}
		return csvio.Export(ctx, fs.Arg(0), format, env.stdout, a.db)
	})
}
