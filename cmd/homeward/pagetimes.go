package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	flag "github.com/spf13/pflag"

	"github.com/homeward/homeward/loadtest"
)

func init() {
	register(spec{use: "pagetimes [PAGE...]", short: "time the server's pages (signed in with HOMEWARD_PASSWORD): p50, p95 and max of each, against the 200 ms asked of them",
		example: "  HOMEWARD_PASSWORD=... homeward pagetimes --url http://127.0.0.1:8080 --user admin --repeat 20", define: runPagetimes})
}

// pageBudget is the 95th percentile each page must stay under (issue 14).
const pageBudget = 200 * time.Millisecond

func runPagetimes(fs *flag.FlagSet, env *cliEnv) action {
	o := loadtest.PageOptions{Password: env.getenv("HOMEWARD_PASSWORD")}
	fs.StringVar(&o.URL, "url", "http://127.0.0.1:8080", "the server")
	fs.StringVar(&o.User, "user", "admin", "who signs in (password: HOMEWARD_PASSWORD)")
	fs.IntVar(&o.Repeat, "repeat", 20, "times each page is opened")
	asJSON := fs.Bool("json", false, "print the figures as JSON")
	return func(ctx context.Context, args []string) error {
		if o.Password == "" {
			return usageError{"pagetimes signs in as a browser does: set HOMEWARD_PASSWORD to --user's password"}
		}
		o.Pages = loadtest.DemoPages
		if len(args) > 0 {
			o.Pages = args
		}
		times, err := loadtest.Pages(ctx, o)
		if err != nil {
			return err
		}
		if *asJSON {
			return printJSON(env, times)
		}
		return printPageTimes(env, times)
	}
}

func printPageTimes(env *cliEnv, times []loadtest.PageTime) error {
	tw := tabwriter.NewWriter(env.stdout, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "p50 ms\tp95 ms\tmax ms\tKB\t\tpage")
	var over []string
	for _, p := range times {
		mark := ""
		if p.P95 > pageBudget {
			mark, over = "over", append(over, p.Path)
		}
		fmt.Fprintf(tw, "%.1f\t%.1f\t%.1f\t%d\t%s\t%s\n", p.P50ms, p.P95ms, p.MaxMs, p.Bytes/1024, mark, p.Path)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(over) > 0 {
		return fmt.Errorf("pagetimes: %d page(s) over %s at the 95th percentile: %s", len(over), pageBudget, strings.Join(over, ", "))
	}
	fmt.Fprintf(env.stdout, "every page under %s at the 95th percentile\n", pageBudget)
	return nil
}
