package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	flag "github.com/spf13/pflag"

	"github.com/homeward/homeward/store"
)

func init() {
	register(spec{use: "migrate-store", short: "copy the whole store into an empty one of the other engine (SQLite to PostgreSQL or back) and verify it",
		example: "  homeward migrate-store --to postgres://homeward@db/homeward", args: cobra.NoArgs, define: runMigrateStore})
}

// runMigrateStore copies the configured store into an empty store of either engine (a postgres://
// URL, or a data directory for the embedded one), then verifies the copy whole with the same
// custody key and the same photos and documents. Stop the servers first: the copy reads one table
// after another.
func runMigrateStore(fs *flag.FlagSet, env *cliEnv) action {
	var to *string
	return withStore(fs, env, func(fs *flag.FlagSet) {
		to = fs.String("to", "", "the target: a postgres:// URL (an empty database) or a data directory for the embedded store")
	}, func(ctx context.Context, a *app, args []string) error {
		if *to == "" || len(args) != 0 {
			return usageError{"usage: homeward migrate-store -to postgres://...|DIR"}
		}
		target := *a.cfg
		target.applied, target.fromFile = true, map[string]bool{}
		target.BlobURL = a.cfg.blobURL() // the photos and documents stay where they are
		if strings.HasPrefix(*to, "postgres://") || strings.HasPrefix(*to, "postgresql://") {
			target.DatabaseURL = *to
		} else {
			target.DatabaseURL, target.DataDir = "", *to
		}
		if target.databaseURL() == a.cfg.databaseURL() {
			return fmt.Errorf("migrate-store: the target is the store itself")
		}
		if err := copyStore(ctx, env, a, &target); err != nil {
			return err
		}
		rep, err := verifyRestored(ctx, &target, nil)
		if err != nil {
			return fmt.Errorf("migrate-store: the copy does not verify: %w", err)
		}
		if !rep.OK() {
			return verificationError{fmt.Sprintf("migrate-store: the copy does not verify: %s", rep.Problems[0].Error())}
		}
		fmt.Fprintf(env.stdout, "copied %s store into %s: %d containers, %d custody events, log of %d entries (root %s), verified; point the configuration at it (photos and documents stay in %s)\n",
			a.db.Dialect(), redactURL(target.databaseURL()), rep.Containers, rep.Events, rep.LogSize, rep.Root, redactURL(target.BlobURL))
		return nil
	})
}

// copyStore migrates the target's schema and copies every record into it, in one transaction.
func copyStore(ctx context.Context, env *cliEnv, a *app, target *config) error {
	if !target.isPostgres() {
		if err := mkdirPrivate(target.DataDir); err != nil {
			return err
		}
	}
	dst, err := store.Open(ctx, store.Options{URL: target.databaseURL()})
	if err != nil {
		return fmt.Errorf("migrate-store: open %s: %w", redactURL(target.databaseURL()), err)
	}
	defer dst.Close()
	if err := dst.Migrate(ctx); err != nil {
		return fmt.Errorf("migrate-store: %w", err)
	}
	return a.db.CopyTo(ctx, dst, func(table string, rows int) {
		fmt.Fprintf(env.stderr, "migrate-store: %s: %d rows\n", table, rows)
	})
}

func mkdirPrivate(dir string) error {
	if dir == "" {
		return fmt.Errorf("migrate-store: no data directory")
	}
	return os.MkdirAll(filepath.Clean(dir), 0o700)
}
