package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/chart"
	"github.com/homeward/homeward/idreport"
)

func init() {
	register(command{name: "stats", summary: "progress per month: stats [-operation CODE] [-format csv|json|svg]", run: runStats})
	register(command{name: "candidates", summary: "rank missing persons against remains: candidates < REMAINS.json (sex, stature_min_cm, age_min, recovery, max_km, ...)", run: runCandidates})
	register(command{name: "ident", summary: "identifications: ident create|evidence|submit|review|withdraw|notify|dispose|show|list|report|stages", run: runIdent})
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

func runIdent(ctx context.Context, env *cliEnv, args []string) error {
	if len(args) == 0 {
		return usageError{usageIdent}
	}
	verb := args[0]
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
		case "notify":
			fs.Int64Var(&member, "member", 0, "the family member told (id)")
			fs.StringVar(&method, "method", "in_person", "in_person, phone, letter or video")
			fs.StringVar(&at, "at", "", "when (RFC 3339; default now)")
			fs.StringVar(&comment, "notes", "", "notes")
		}
	}
	return withStore(ctx, env, "ident "+verb, args[1:], extra, func(ctx context.Context, a *app, fs *flag.FlagSet) error {
		id := func() (int64, error) {
			if fs.NArg() != 1 {
				return 0, usageError{usageIdent}
			}
			n, err := strconv.ParseInt(fs.Arg(0), 10, 64)
			if err != nil {
				return 0, usageError{fmt.Sprintf("identification id %q is not a number", fs.Arg(0))}
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
			if x.Status == homeward.IdentInReview {
				stage = " at " + x.Stages[x.Stage]
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
			by := ""
			if u := homeward.UserFromContext(ctx); u != nil {
				by = u.Username
			}
			r, err := idreport.Gather(ctx, idreport.Sources{Registry: a.db, Containers: a.db, DNA: a.db, Idents: a.db, Family: a.db}, n, by, time.Now())
			if err != nil {
				return err
			}
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
			if err != nil {
				return err
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

func runCandidates(ctx context.Context, env *cliEnv, args []string) error {
	return withStore(ctx, env, "candidates", args, nil, func(ctx context.Context, a *app, fs *flag.FlagSet) error {
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

func runStats(ctx context.Context, env *cliEnv, args []string) error {
	var opCode, format string
	extra := func(fs *flag.FlagSet) {
		fs.StringVar(&opCode, "operation", "", "one operation (its code)")
		fs.StringVar(&format, "format", "csv", "csv, json, or svg (a chart of running totals)")
	}
	return withStore(ctx, env, "stats", args, extra, func(ctx context.Context, a *app, fs *flag.FlagSet) error {
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
