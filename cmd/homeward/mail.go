package main

import (
	"cmp"
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"
	flag "github.com/spf13/pflag"
)

func init() {
	register(spec{use: "mail", short: "the review notices e-mailed to users: the outbox, and sending it now", subs: []spec{
		{records: true, use: "outbox", short: "the newest notices with their state (sent, or attempts and the last error)", example: "  homeward mail outbox", args: cobra.NoArgs, define: mailVerb("outbox")},
		{use: "send", short: "send the pending notices now through --smtp-url (workers do it every minute)",
			example: "  HOMEWARD_SMTP_PASSWORD=... homeward mail send --smtp-url smtp://homeward@mail.example.org --mail-from homeward@example.org", args: cobra.NoArgs, define: mailVerb("send")},
	}})
}

func mailVerb(verb string) definer {
	return func(fs *flag.FlagSet, env *cliEnv) action {
		cfg := bindConfig(fs, env)
		limit := fs.Int("limit", 50, "outbox: how many notices, newest first; send: at most this many")
		return func(ctx context.Context, args []string) error {
			a, err := openApp(ctx, cfg, appOptions{})
			if err != nil {
				return err
			}
			defer a.Close()
			if ctx, err = a.asUser(ctx); err != nil {
				return err
			}
			if verb == "send" {
				sender, err := cfg.mailSender()
				if err != nil {
					return err
				}
				res, err := sender.SendPending(ctx, a.db, *limit)
				if err != nil {
					return err
				}
				fmt.Fprintf(env.stdout, "sent %d notice(s), %d failed (see homeward mail outbox)\n", res.Sent, res.Failed)
				return nil
			}
			box, err := a.db.ListOutbox(ctx, *limit)
			if err != nil || env.asJSON {
				return cmp.Or(err, printJSON(env, box))
			}
			tw := tabwriter.NewWriter(env.stdout, 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tTO\tEVENT\tIDENTIFICATION\tSTAGE\tSTATE")
			for _, e := range box {
				state := fmt.Sprintf("pending (%d attempt(s)) %s", e.Attempts, e.LastError)
				if e.SentAt != nil {
					state = "sent " + e.SentAt.Format("2006-01-02 15:04")
				}
				fmt.Fprintf(tw, "%d\t%s <%s>\t%s\t%d\t%s\t%s\n", e.ID, e.Username, e.Address, e.Event, e.IdentificationID, e.Stage, state)
			}
			return tw.Flush()
		}
	}
}
