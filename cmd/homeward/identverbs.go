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

	flag "github.com/spf13/pflag"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/idreport"
)

// identFlags are the flags of the ident verbs (each verb defines the ones it takes).
type identFlags struct {
	comment, decision, status, method, at, format, outFile, lang, stages string
	member                                                               int64
}

// define returns the definer of verb's flags.
func (f *identFlags) define(verb string) func(fs *flag.FlagSet) {
	return func(fs *flag.FlagSet) {
		switch verb {
		case "submit":
			fs.StringVar(&f.comment, "comment", "", "a note for the reviewers")
		case "review":
			fs.StringVar(&f.decision, "decision", "", "approve or return")
			fs.StringVar(&f.comment, "comment", "", "the reviewer's comment (required to return)")
		case "withdraw":
			fs.StringVar(&f.comment, "reason", "", "why the approved identification is withdrawn")
		case "list":
			fs.StringVar(&f.status, "status", "", "draft, in_review, returned, approved or withdrawn")
		case "stages":
			fs.StringVar(&f.stages, "set", "", "comma-separated stage names, in order")
		case "report":
			fs.StringVar(&f.format, "format", "pdf", "pdf, json or summary")
			fs.StringVar(&f.outFile, "o", "", "write to this file (default: standard output)")
			fs.StringVar(&f.lang, "lang", "en", "the report's language (its own words and the family summary): en or ko")
		case "notify":
			fs.Int64Var(&f.member, "member", 0, "the family member told (id)")
			fs.StringVar(&f.method, "method", "in_person", "in_person, phone, letter or video")
			fs.StringVar(&f.at, "at", "", "when (RFC 3339; default now)")
			fs.StringVar(&f.comment, "notes", "", "notes")
		}
	}
}

// identAction runs one ident verb.
type identAction func(ctx context.Context, env *cliEnv, a *app, args []string, f *identFlags) error

var identActions = map[string]identAction{
	"create": func(ctx context.Context, env *cliEnv, a *app, _ []string, _ *identFlags) error {
		return createOne(ctx, env, "identification", a.db.CreateIdentification)
	},
	"evidence": identEvidence, "submit": identDecide("submit"), "review": identDecide("review"), "withdraw": identDecide("withdraw"),
	"notify": identNotify, "dispose": identDispose, "show": identShow, "stages": identStages, "report": identReport, "list": identList,
}

// identID reads the identification id argument.
func identID(args []string) (int64, error) {
	if len(args) != 1 {
		return 0, usageError{usageIdent}
	}
	n, err := strconv.ParseInt(args[0], 10, 64)
	if err != nil {
		return 0, usageError{fmt.Sprintf("identification id %q is not a number", args[0])}
	}
	return n, nil
}

// identEvidence adds the evidence line on stdin.
func identEvidence(ctx context.Context, env *cliEnv, a *app, args []string, _ *identFlags) error {
	n, err := identID(args)
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
}

// identDecide submits, reviews or withdraws, as the user the token names.
func identDecide(verb string) identAction {
	return func(ctx context.Context, env *cliEnv, a *app, args []string, f *identFlags) error {
		n, err := identID(args)
		if err != nil {
			return err
		}
		if ctx, err = a.asDecider(ctx); err != nil {
			return err
		}
		var x *homeward.Identification
		switch verb {
		case "submit":
			x, err = a.db.Submit(ctx, n, f.comment)
		case "review":
			x, err = a.db.Review(ctx, n, homeward.ReviewDecision(f.decision), f.comment)
		default:
			x, err = a.db.Withdraw(ctx, n, f.comment)
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
	}
}

// identNotify records that a relative was told.
func identNotify(ctx context.Context, env *cliEnv, a *app, args []string, f *identFlags) error {
	n, err := identID(args)
	if err != nil {
		return err
	}
	when := time.Now().UTC()
	if f.at != "" {
		if when, err = time.Parse(time.RFC3339, f.at); err != nil {
			return homeward.FieldErrorf("notification.at", "%q is not an RFC 3339 time", f.at)
		}
	}
	nt := &homeward.Notification{IdentificationID: n, FamilyMemberID: f.member, At: when, Method: homeward.NotificationMethod(f.method), Notes: f.comment}
	if err := a.db.AddNotification(ctx, nt); err != nil {
		return err
	}
	return printJSON(env, nt)
}

// identDispose records the disposition on stdin.
func identDispose(ctx context.Context, env *cliEnv, a *app, args []string, _ *identFlags) error {
	n, err := identID(args)
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
}

// identShow prints an identification with its evidence, notifications and disposition.
func identShow(ctx context.Context, env *cliEnv, a *app, args []string, _ *identFlags) error {
	n, err := identID(args)
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
}

// identStages prints the review stages, after setting them when --set is given.
func identStages(ctx context.Context, env *cliEnv, a *app, _ []string, f *identFlags) error {
	if f.stages != "" {
		p := &homeward.ReviewPolicy{Stages: strings.Split(f.stages, ",")}
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
}

// identReport writes the report in its format, to stdout or the -o file.
func identReport(ctx context.Context, env *cliEnv, a *app, args []string, f *identFlags) error {
	n, err := identID(args)
	if err != nil {
		return err
	}
	if err := cmp.Or(idreport.CheckFormat(f.format), idreport.CheckLang(f.lang)); err != nil {
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
	r.Lang = f.lang
	for _, w := range r.Warnings {
		fmt.Fprintln(env.stderr, "warning:", w)
	}
	if f.outFile == "" {
		return r.Write(env.stdout, f.format)
	}
	var buf bytes.Buffer
	if err := r.Write(&buf, f.format); err != nil {
		return err
	}
	if err := os.WriteFile(f.outFile, buf.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(env.stderr, "wrote %s (%d bytes)\n", f.outFile, buf.Len())
	return nil
}

// identList prints the identifications, newest first.
func identList(ctx context.Context, env *cliEnv, a *app, _ []string, f *identFlags) error {
	l, err := a.db.ListIdentifications(ctx, homeward.IdentificationFilter{Status: homeward.IdentStatus(f.status), Page: homeward.Page{Limit: 1000}})
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
