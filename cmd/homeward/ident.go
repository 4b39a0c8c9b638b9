package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	flag "github.com/spf13/pflag"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/chart"
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
		f := &identFlags{}
		return withStore(fs, env, f.define(verb), func(ctx context.Context, a *app, args []string) error {
			run := identActions[verb]
			if run == nil {
				return usageError{usageIdent}
			}
			return run(ctx, env, a, args, f)
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
