package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"
	flag "github.com/spf13/pflag"
)

func init() {
	register(spec{use: "migrate", short: "apply the database migrations and create the administrator of an empty store (serve does both at start)",
		example: "  homeward migrate --database postgres://homeward@db/homeward", args: cobra.NoArgs, define: runMigrate})
}

func runMigrate(fs *flag.FlagSet, env *cliEnv) action {
	cfg := bindConfig(fs, env)
	return func(ctx context.Context, args []string) error {
		a, err := openApp(ctx, cfg, appOptions{})
		if err != nil {
			return err
		}
		defer a.Close()
		fmt.Fprintf(env.stdout, "migrated %s store at %s\n", a.db.Dialect(), redactURL(cfg.databaseURL()))
		// A store without users gets its administrator here as in serve, so that the CLI can work on a
		// fresh store (for example a PostgreSQL database that only workers and the CLI use).
		return bootstrapAdmin(ctx, a, env, "127.0.0.1:8080")
	}
}
