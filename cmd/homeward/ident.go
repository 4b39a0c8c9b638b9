package main

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	flag "github.com/spf13/pflag"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/chart"
	"github.com/homeward/homeward/idreport"
)

func init() {
	register(spec{use: "stats", short: "containers, specimens, victim profiles and identifications per month",
		example: "  homeward stats --operation K55-2018 --format csv", args: cobra.NoArgs, define: runStats})
	register(spec{use: "candidates", short: "rank missing persons against remains described on stdin (sex, stature_min_cm, age_min, recovery, max_km, ...)",
		example: "  homeward candidates < remains.json", args: cobra.NoArgs, define: runCandidates})
	id := cobra.ExactArgs(1)
	register(spec{use: "ident", short: "identifications: propose, add evidence, submit, review, withdraw, notify the family, record the disposition, report", subs: []spec{
		{creates: true, use: "create", short: "a draft identification from JSON on stdin (you are its author)", example: "  homeward ident create < identification.json", args: cobra.NoArgs, define: identVerb("create")},
		{use: "evidence ID", short: "add an evidence line from JSON on stdin", example: "  homeward ident evidence 1 < evidence.json", args: id, define: identVerb("evidence")},
		{use: "submit ID", short: "submit to review (the author; needs HOMEWARD_TOKEN)", example: "  homeward ident submit 1 --comment \"ready\"", args: id, define: identVerb("submit")},
		{use: "review ID", short: "approve or return at the current stage (needs HOMEWARD_TOKEN)", example: "  homeward ident review 1 --decision approve", args: id, define: identVerb("review")},
		{use: "withdraw ID", short: "withdraw an approved identification (administrators; needs HOMEWARD_TOKEN)", example: "  homeward ident withdraw 1 --reason \"sample mix-up\"", args: id, define: identVerb("withdraw")},
		{use: "notify ID", short: "record that a relative was told", example: "  homeward ident notify 1 --member 12 --method in_person", args: id, define: identVerb("notify")},
		{use: "dispose ID", short: "record the disposition of the remains from JSON on stdin", example: "  homeward ident dispose 1 < disposition.json", args: id, define: identVerb("dispose")},
		{use: "show ID", short: "an identification as JSON", example: "  homeward ident show 1", args: id, define: identVerb("show")},
		{records: true, use: "list", short: "identifications, newest first", example: "  homeward ident list --status in_review", args: cobra.NoArgs, define: identVerb("list")},
		{use: "report ID", short: "the identification report (PDF), its data (json) or the family's summary", example: "  homeward ident report 1 --format pdf -o report.pdf", args: id, define: identVerb("report")},
		{use: "stages", short: "the review stages new identifications pass (setting them: administrators)", example: "  homeward ident stages --set technical_review,scientific_review", args: cobra.NoArgs, define: identVerb("stages")},
	}})
}

const usageIdent = `usage:
  homeward ident create < IDENTIFICATION.json       a draft (you are its author)
  homeward ident evidence ID < EVIDENCE.json         add an evidence line
  homeward ident submit ID [-comment C]
  homeward ident review ID -decision approve|return [-comment C]
  homeward ident withdraw ID -reason R                administrators
  homeward ident notify ID -member FAMILY-MEMBER-ID [-method in_person|phone|letter|video] [-at TIME] [-notes N]
  homeward ident dispose ID < DISPOSITION.json       burial/cremation, place, date, effects returned
  homeward ident show ID | list [-status S]
  homeward ident report ID [-format pdf|json|summary] [-o FILE]   the report (PDF), its data, or the family's summary
  homeward ident stages [-set S1,S2,...]              the review stages new identifications pass (setting: administrators)`

func identVerb(verb string) definer {
	return func(fs *flag.FlagSet, env *cliEnv) action {
		var comment, decision, status, method, at, format, outFile string
		var member int64
		extra := func(fs *flag.FlagSet) {
			switch verb {
			case "submit":
				fs.StringVar(&comment, "comment", "", "a note for the reviewers")
			case "review":
				fs.StringVar(&decision, "decision", "", "approve or return")
				fs.StringVar(&comment, "comment", "", "the reviewer's comment (required to return)")
			case "withdraw":
				fs.StringVar(&comment, "reason", "", "why the approved identification is withdrawn")
			case "list":
				fs.StringVar(&status, "status", "", "draft, in_review, returned, approved or withdrawn")
			case "stages":
				fs.StringVar(&format, "set", "", "comma-separated stage names, in order")
			case "report":
				fs.StringVar(&format, "format", "pdf", "pdf, json or summary")
				fs.StringVar(&outFile, "o", "", "write to this file (default: standard output)")
				fs.StringVar(&method, "lang", "en", "the family summary's language: en or ko")
			case "notify":
				fs.Int64Var(&member, "member", 0, "the family member told (id)")
				fs.StringVar(&method, "method", "in_person", "in_person, phone, letter or video")
				fs.StringVar(&at, "at", "", "when (RFC 3339; default now)")
				fs.StringVar(&comment, "notes", "", "notes")
			}
		}
		return withStore(fs, env, extra, func(ctx context.Context, a *app, args []string) error {
			id := func() (int64, error) {
				if len(args) != 1 {
					return 0, usageError{usageIdent}
				}
				n, err := strconv.ParseInt(args[0], 10, 64)
				if err != nil {
					return 0, usageError{fmt.Sprintf("identification id %q is not a number", args[0])}
				}
				return n, nil
			}
			switch verb {
			case "create":
				return createOne(ctx, env, "identification", a.db.CreateIdentification)
			case "evidence":
				n, err := id()
				if err != nil {
					return err
				}
				var e homeward.EvidenceLine
				if err := decodeStrict(env, "evidence", &e); err != nil {
					return err
				}
				e.IdentificationID = n
				if err := a.db.AddEvidence(ctx, &e); err != nil {
					return err
				}
				return printJSON(env, e)
			case "submit", "review", "withdraw":
				n, err := id()
				if err != nil {
					return err
				}
				if ctx, err = a.asDecider(ctx); err != nil {
					return err
				}
				var x *homeward.Identification
				switch verb {
				case "submit":
					x, err = a.db.Submit(ctx, n, comment)
				case "review":
					x, err = a.db.Review(ctx, n, homeward.ReviewDecision(decision), comment)
				default:
					x, err = a.db.Withdraw(ctx, n, comment)
				}
				if err != nil {
					return err
				}
				stage := ""
				if s := x.CurrentStage(); s != "" {
					stage = " at " + s
				}
				fmt.Fprintf(env.stdout, "identification %d: %s%s\n", x.ID, x.Status, stage)
				return nil
			case "notify":
				n, err := id()
				if err != nil {
					return err
				}
				when := time.Now().UTC()
				if at != "" {
					if when, err = time.Parse(time.RFC3339, at); err != nil {
						return homeward.FieldErrorf("notification.at", "%q is not an RFC 3339 time", at)
					}
				}
				nt := &homeward.Notification{IdentificationID: n, FamilyMemberID: member, At: when, Method: homeward.NotificationMethod(method), Notes: comment}
				if err := a.db.AddNotification(ctx, nt); err != nil {
					return err
				}
				return printJSON(env, nt)
			case "dispose":
				n, err := id()
				if err != nil {
					return err
				}
				var d homeward.Disposition
				if err := decodeStrict(env, "disposition", &d); err != nil {
					return err
				}
				d.IdentificationID = n
				if err := a.db.SetDisposition(ctx, &d); err != nil {
					return err
				}
				return printJSON(env, d)
			case "show":
				n, err := id()
				if err != nil {
					return err
				}
				x, err := a.db.GetIdentification(ctx, n)
				if err != nil {
					return err
				}
				ev, err := a.db.ListEvidence(ctx, n)
				if err != nil {
					return err
				}
				notes, err := a.db.ListNotifications(ctx, n)
				if err != nil {
					return err
				}
				out := map[string]any{"identification": x, "evidence": ev, "notifications": notes}
				if d, err := a.db.GetDisposition(ctx, n); err == nil {
					out["disposition"] = d
				}
				return printJSON(env, out)
			case "stages":
				if format != "" {
					p := &homeward.ReviewPolicy{Stages: strings.Split(format, ",")}
					for i := range p.Stages {
						p.Stages[i] = strings.TrimSpace(p.Stages[i])
					}
					old, err := a.db.ReviewPolicy(ctx)
					if err != nil {
						return err
					}
					p.Version = old.Version
					if err := a.db.SetReviewPolicy(ctx, p); err != nil {
						return err
					}
				}
				p, err := a.db.ReviewPolicy(ctx)
				if err != nil {
					return err
				}
				fmt.Fprintf(env.stdout, "review stages: %s\n", strings.Join(p.Stages, " > "))
				return nil
			case "report":
				n, err := id()
				if err != nil {
					return err
				}
				if err := idreport.CheckFormat(format); err != nil {
					return err
				}
				if err := idreport.CheckLang(method); err != nil {
					return err
				}
				by := ""
				if u := homeward.UserFromContext(ctx); u != nil {
					by = u.Username
				}
				r, err := idreport.Gather(ctx, idreport.Sources{Registry: a.db, Containers: a.db, DNA: a.db, Idents: a.db, Family: a.db}, n, by, time.Now())
				if err != nil {
					return err
				}
				r.Lang = method // the --lang of report
				for _, w := range r.Warnings {
					fmt.Fprintln(env.stderr, "warning:", w)
				}
				if outFile == "" {
					return r.Write(env.stdout, format)
				}
				var buf bytes.Buffer
				if err := r.Write(&buf, format); err != nil {
					return err
				}
				if err := os.WriteFile(outFile, buf.Bytes(), 0o644); err != nil {
					return err
				}
				fmt.Fprintf(env.stderr, "wrote %s (%d bytes)\n", outFile, buf.Len())
				return nil
			case "list":
				l, err := a.db.ListIdentifications(ctx, homeward.IdentStatus(status), homeward.Page{Limit: 1000})
				if err != nil || env.asJSON {
					return cmp.Or(err, printJSON(env, l))
				}
				tw := tabwriter.NewWriter(env.stdout, 2, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tMISSING PERSON\tSTATUS\tAUTHOR\tPOSTERIOR")
				for _, x := range l.Items {
					post := "-"
					if x.Posterior != nil {
						post = strconv.FormatFloat(*x.Posterior, 'g', 6, 64)
					}
					fmt.Fprintf(tw, "%d\t%d\t%s\t%s\t%s\n", x.ID, x.MissingPersonID, x.Status, x.Author, post)
				}
				if err := tw.Flush(); err != nil {
					return err
				}
				if l.Total > len(l.Items) {
					fmt.Fprintf(env.stderr, "the newest %d of %d shown (the API pages through all)\n", len(l.Items), l.Total)
				}
				return nil
			}
			return usageError{usageIdent}
		})
	}
}

func runCandidates(fs *flag.FlagSet, env *cliEnv) action {
	return withStore(fs, env, nil, func(ctx context.Context, a *app, args []string) error {
		var r homeward.RemainsProfile
		if err := decodeStrict(env, "remains", &r); err != nil {
			return err
		}
		l, err := homeward.CandidateList(ctx, a.db, r)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(env.stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "\tID\tNAME\tKM\tREASONS")
		for _, c := range l {
			mark := "drop"
			if c.Kept {
				mark = "keep"
			}
			km := "-"
			if c.DistanceKM != nil {
				km = strconv.FormatFloat(*c.DistanceKM, 'f', 0, 64)
			}
			fmt.Fprintf(tw, "%s\t%d\t%s, %s\t%s\t%s\n", mark, c.MissingPerson.ID, c.MissingPerson.FamilyName, c.MissingPerson.GivenNames, km, strings.Join(c.Reasons, "; "))
		}
		return tw.Flush()
	})
}

func runStats(fs *flag.FlagSet, env *cliEnv) action {
	var opCode, format string
	extra := func(fs *flag.FlagSet) {
		fs.StringVar(&opCode, "operation", "", "one operation (its code)")
		fs.StringVar(&format, "format", "csv", "csv, json, or svg (a chart of running totals)")
	}
	return withStore(fs, env, extra, func(ctx context.Context, a *app, args []string) error {
		var opID *int64
		if opCode != "" {
			op, err := a.db.GetOperationByCode(ctx, opCode)
			if err != nil {
				return err
			}
			opID = &op.ID
		}
		p, err := a.db.Progress(ctx, opID)
		if err != nil {
			return err
		}
		switch format {
		case "json":
			return printJSON(env, p)
		case "svg":
			title := "Progress (running totals per month)"
			if opCode != "" {
				title = opCode + ": " + title
			}
			svg, err := chart.Progress(p, title).SVG()
			if err != nil {
				return err
			}
			_, err = fmt.Fprintln(env.stdout, svg)
			return err
		case "csv":
			return homeward.WriteProgressCSV(env.stdout, p)
		}
		return usageError{fmt.Sprintf("stats: format %q is not csv, json or svg", format)}
	})
}
