package main

import (
	"context"
	"flag"
	"fmt"
)

func init() {
	register(command{name: "migrate", summary: "apply the database migrations and create the administrator of an empty store (serve does both at start)", run: runMigrate})
}

func runMigrate(ctx context.Context, env *cliEnv, args []string) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	cfg := bindConfig(fs, env)
	if err := parseInterspersed(fs, args); err != nil {
		return usageError{err.Error()}
	}
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
