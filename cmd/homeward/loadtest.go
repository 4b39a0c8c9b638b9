package main

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"
	flag "github.com/spf13/pflag"

	"github.com/homeward/homeward/loadtest"
)

func init() {
	register(spec{use: "loadtest", short: "drive a running server with the documented mix of reads and writes (needs HOMEWARD_TOKEN) and print throughput, latency and errors",
		example: "  HOMEWARD_TOKEN=... homeward loadtest --url http://127.0.0.1:8080 --duration 30s", args: cobra.NoArgs, define: runLoadtest})
}

func runLoadtest(fs *flag.FlagSet, env *cliEnv) action {
	o := loadtest.Options{Token: env.getenv("HOMEWARD_TOKEN")}
	fs.StringVar(&o.URL, "url", "http://127.0.0.1:8080", "the server to drive")
	fs.DurationVar(&o.Duration, "duration", 60*time.Second, "how long")
	fs.IntVar(&o.Clients, "clients", 32, "concurrent clients")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	return func(ctx context.Context, args []string) error {
		if o.Token == "" {
			return usageError{"loadtest needs HOMEWARD_TOKEN: an API token of a user who may read, record custody and specimens (homeward user token admin -name load)"}
		}
		fmt.Fprintf(env.stderr, "loadtest: %d clients for %s against %s\n", o.Clients, o.Duration, o.URL)
		rep, err := loadtest.Run(ctx, o)
		if err != nil {
			return err
		}
		if *asJSON {
			return printJSON(env, rep)
		}
		fmt.Fprintf(env.stdout, "%d requests, %.0f/s, p50 %s, p95 %s, p99 %s, max %s, %d errors %v\n", rep.Requests, rep.Throughput,
			rep.P50.Round(time.Microsecond*100), rep.P95.Round(time.Microsecond*100), rep.P99.Round(time.Microsecond*100), rep.Max.Round(time.Millisecond), rep.Errors, rep.Status)
		if rep.Errors > 0 {
			return fmt.Errorf("loadtest: %d requests failed (first: %v)", rep.Errors, firstOf(rep.ErrorTexts))
		}
		return nil
	}
}

func firstOf(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}
