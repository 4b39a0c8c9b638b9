package main

import (
	"cmp"
	"context"
	"fmt"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	flag "github.com/spf13/pflag"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/jobs"
	"github.com/homeward/homeward/remains"
)

func init() {
	id := cobra.ExactArgs(1)
	register(spec{use: "screen", short: "screen every victim profile against every reference family (background jobs), and its power on degraded profiles", subs: []spec{
		{use: "start", short: "start a screen and, unless --detach, work it here until done", example: "  homeward screen start --threshold 1e4 --db nist-all\n  homeward screen start --dropout 0.2 --drop-in 0.05 --detach", args: cobra.NoArgs, define: screenStart},
		{use: "resume ID", short: "queue the shards of a screen not yet finished", example: "  homeward screen resume 1", args: id, define: screenResume},
		{use: "status ID", short: "a screen's progress", example: "  homeward screen status 1", args: id, define: screenStatus},
		{records: true, use: "list", short: "every screen with its progress", example: "  homeward screen list", args: cobra.NoArgs, define: screenList},
		{records: true, use: "candidates ID", short: "a screen's candidate matches, strongest first", example: "  homeward screen candidates 1 --limit 20", args: id, define: screenCandidates},
		{use: "power", short: "how many true pairs screens find as victim profiles lose alleles, read as genotypes and with the dropout model", example: "  homeward screen power --dropout 0.1,0.2,0.3 --json", args: cobra.NoArgs, long: usageScreenPower, define: runScreenPower},
	}})
	register(spec{use: "dna", short: "DNA profiles and reference families: import, export, list, group, load and synthesise", subs: []spec{
		{use: "import FILE", short: "import a genotype file (GeneMapper, CODIS CMF, or a long/wide genotype table), all or nothing", example: "  homeward dna import --format genemapper --role reference --dry-run refs.txt", args: id, define: dnaVerb("import")},
		{use: "import-lineage FILE", short: "import Y-STR (GeneMapper Yfiler or sample-by-locus table) or mtDNA (CSV sample,range,variants) results", example: "  homeward dna import-lineage --kind ystr yfiler.txt", args: id, define: dnaVerb("import-lineage")},
		{use: "export", short: "export the stored profiles (csv, genemapper, cmf, ystr or mtdna)", example: "  homeward dna export --format genemapper --role victim > victims.txt", args: cobra.NoArgs, define: dnaVerb("export")},
		{records: true, use: "list", short: "stored profiles as JSON", example: "  homeward dna list --role victim", args: cobra.NoArgs, define: dnaVerb("list")},
		{use: "lines FAMILY-ID", short: "the members sharing the missing person's maternal and paternal lines", example: "  homeward dna lines 3", args: id, define: dnaVerb("lines")},
		{use: "family FILE.ped", short: "store a reference family from a pedigree file", example: "  homeward dna family --name F-0001 --target 5 family.ped", args: id, define: dnaVerb("family")},
		{use: "group", short: "merge victim profiles of one person into individuals and find related individuals", example: "  homeward dna group --container K55-2018-001", args: cobra.NoArgs, define: dnaVerb("group")},
		{use: "load CASE.json", short: "store the profiles and families of a case file", example: "  homeward dna load case.json", args: id, define: dnaVerb("load")},
		{use: "synth", short: "store synthetic victim profiles and reference families (for trials and load tests)", example: "  homeward dna synth --victims 1000 --families 500 --true 50 --seed 1", args: cobra.NoArgs, define: dnaVerb("synth")},
	}})
	register(spec{use: "mni [ACCESSION...]", short: "minimum number of individuals of containers' skeletal inventory (none named: all)", example: "  homeward mni K55-2018-001", define: runMNI})
}

func runMNI(fs *flag.FlagSet, env *cliEnv) action {
	return withStore(fs, env, nil, func(ctx context.Context, a *app, args []string) error {
		r, err := remains.MNI(ctx, a.db, args)
		if err != nil {
			return err
		}
		return printJSON(env, r)
	})
}

const usageScreen = `usage:
  homeward screen start [-name N] [-db nist-all] [-threshold 1e4] [-allowance 0] [-dropout D] [-drop-in C] [-shards K] [-detach]
  homeward screen resume [-detach] ID
  homeward screen status ID
  homeward screen list
  homeward screen candidates [-limit 50] ID
  homeward screen power [-dropout 0.1,0.2,0.3,0.4] [-threshold 1e4] [-json]`

// dropoutFlag defines a flag that sets part of the screen's dropout model (creating it).
func dropoutFlag(fs *flag.FlagSet, req *homeward.ScreenRequest, name, usage string, set func(*homeward.DropoutModel, float64)) {
	fs.Func(name, usage, func(v string) error {
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return err
		}
		if req.Dropout == nil {
			req.Dropout = &homeward.DropoutModel{}
		}
		set(req.Dropout, x)
		return nil
	})
}

// screenStart defines "screen start": the request's flags, then starting the screen and, unless
// --detach, working it here until done.
func screenStart(fs *flag.FlagSet, env *cliEnv) action {
	var req homeward.ScreenRequest
	var detach bool
	extra := func(fs *flag.FlagSet) { defineScreenRequest(fs, &req, &detach) }
	return withStore(fs, env, extra, func(ctx context.Context, a *app, _ []string) error {
		return workScreen(ctx, env, a, detach, func(q *jobs.Queue) (int64, error) {
			return startScreen(ctx, env, a, q, req)
		})
	})
}

// defineScreenRequest defines the flags of "screen start" on req and detach.
func defineScreenRequest(fs *flag.FlagSet, req *homeward.ScreenRequest, detach *bool) {
	fs.StringVar(&req.Name, "name", "screen "+time.Now().UTC().Format("2006-01-02 15:04"), "a name for the screen")
	fs.StringVar(&req.FrequencyDB, "db", "nist-all", "shipped frequency database (homeward freq list)")
	fs.Float64Var(&req.Threshold, "threshold", 1e4, "store comparisons with LR at or above this as candidates")
	fs.Float64Var(&req.ExclusionAllowance, "allowance", 0, "factor for a marker that excludes (0 rules the pair out; e.g. 0.001 keeps one-mutation relatives)")
	dropoutFlag(fs, req, "dropout", "read victim profiles as degraded samples: per-allele dropout probability d (d_hom = d^2); see -drop-in",
		func(m *homeward.DropoutModel, d float64) { m.DHet, m.DHom = d, d*d })
	dropoutFlag(fs, req, "drop-in", "drop-in rate (weighted by allele frequency) of a -dropout screen",
		func(m *homeward.DropoutModel, c float64) { m.DropIn = c })
	fs.IntVar(&req.Shards, "shards", 0, "split the families into this many jobs (default one per 500 families)")
	fs.Float64Var(&req.MinFreq, "min-freq", 0, "frequency of alleles the database lacks (default 5/(2N))")
	fs.BoolVar(detach, "detach", false, "queue the shards and return (workers run them)")
}

// screenResume defines "screen resume ID": queueing the shards not yet finished and, unless
// --detach, working them here until done.
func screenResume(fs *flag.FlagSet, env *cliEnv) action {
	var detach bool
	extra := func(fs *flag.FlagSet) { fs.BoolVar(&detach, "detach", false, "queue the pending shards and return") }
	return withStore(fs, env, extra, func(ctx context.Context, a *app, args []string) error {
		return workScreen(ctx, env, a, detach, func(q *jobs.Queue) (int64, error) {
			return resumeScreen(ctx, env, a, q, args)
		})
	})
}

// screenStatus defines "screen status ID": the screen's progress as JSON.
func screenStatus(fs *flag.FlagSet, env *cliEnv) action {
	return withStore(fs, env, nil, func(ctx context.Context, a *app, args []string) error {
		n, err := screenID(args)
		if err != nil {
			return err
		}
		sc, err := a.db.GetScreen(ctx, n)
		if err != nil {
			return err
		}
		sc.Panel = nil
		return printJSON(env, sc)
	})
}

// screenList defines "screen list": every screen with its progress.
func screenList(fs *flag.FlagSet, env *cliEnv) action {
	return withStore(fs, env, nil, func(ctx context.Context, a *app, _ []string) error {
		l, err := a.db.ListScreens(ctx, homeward.Page{Limit: 100})
		if err != nil || env.asJSON {
			return cmp.Or(err, printJSON(env, l))
		}
		return printScreens(env, l)
	})
}

// screenCandidates defines "screen candidates ID": the screen's strongest candidates (--limit).
func screenCandidates(fs *flag.FlagSet, env *cliEnv) action {
	var limit int
	extra := func(fs *flag.FlagSet) { fs.IntVar(&limit, "limit", 50, "how many, strongest first") }
	return withStore(fs, env, extra, func(ctx context.Context, a *app, args []string) error {
		n, err := screenID(args)
		if err != nil {
			return err
		}
		l, err := a.db.ListCandidates(ctx, n, homeward.Page{Limit: limit})
		if err != nil || env.asJSON {
			return cmp.Or(err, printJSON(env, l))
		}
		return printCandidates(env, l)
	})
}

// screenID reads the one argument of a screen verb as the screen's id.
func screenID(args []string) (int64, error) {
	if len(args) != 1 {
		return 0, usageError{usageScreen}
	}
	n, err := strconv.ParseInt(args[0], 10, 64)
	if err != nil {
		return 0, usageError{fmt.Sprintf("screen id %q is not a number", args[0])}
	}
	return n, nil
}

// workScreen opens the job queue, queues a screen's shards with queue and, unless detached, works
// the queue until every shard is done. The CLI works the queue itself while it waits (on SQLite it
// is the only worker; on PostgreSQL it joins the running workers).
func workScreen(ctx context.Context, env *cliEnv, a *app, detach bool, queue func(q *jobs.Queue) (int64, error)) error {
	q, err := openQueue(ctx, a, !detach, 2, nil)
	if err != nil {
		return err
	}
	defer q.Close()
	id, err := queue(q)
	if err != nil {
		return err
	}
	if detach {
		return nil
	}
	if err := q.Start(ctx); err != nil {
		return err
	}
	defer stopQueue(q)
	return waitScreen(ctx, env, a, id)
}

// startScreen starts a screen on q, prints what it will compare and returns its id.
func startScreen(ctx context.Context, env *cliEnv, a *app, q *jobs.Queue, req homeward.ScreenRequest) (int64, error) {
	sc, rep, err := jobs.StartScreen(ctx, a.db, q, req)
	if err != nil {
		return 0, err
	}
	fmt.Fprintf(env.stdout, "screen %d: %d victim profiles x %d families on %d markers (%s), %d shards\n",
		sc.ID, sc.Profiles, sc.Families, len(rep.Markers), sc.FrequencyDB, sc.Shards)
	for _, ad := range rep.Additions {
		fmt.Fprintf(env.stdout, "  allele %s %s added with frequency %.4g (%s)\n", ad.Marker, ad.Allele, ad.Freq, ad.Reason)
	}
	if len(rep.Unknown) > 0 {
		fmt.Fprintf(env.stdout, "  not screened (not in %s): %v\n", sc.FrequencyDB, rep.Unknown)
	}
	return sc.ID, nil
}

// resumeScreen queues on q the pending shards of the screen args name, prints how many and
// returns its id.
func resumeScreen(ctx context.Context, env *cliEnv, a *app, q *jobs.Queue, args []string) (int64, error) {
	n, err := screenID(args)
	if err != nil {
		return 0, err
	}
	sc, err := a.db.GetScreen(ctx, n)
	if err != nil {
		return 0, err
	}
	k, err := jobs.ResumeScreen(ctx, a.db, q, n)
	if err != nil {
		return 0, err
	}
	fmt.Fprintf(env.stdout, "screen %d: %d shard(s) pending\n", n, k)
	return sc.ID, nil
}

// printScreens prints the screens as a table.
func printScreens(env *cliEnv, l homeward.List[homeward.Screen]) error {
	tw := tabwriter.NewWriter(env.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tSTATUS\tSHARDS\tCOMPARISONS\tCANDIDATES")
	for _, s := range l.Items {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d/%d\t%d\t%d\n", s.ID, s.Name, s.Status, s.Progress.ShardsDone, s.Progress.ShardsTotal, s.Progress.Comparisons, s.Progress.Candidates)
	}
	return tw.Flush()
}

// printCandidates prints a screen's candidates as a table.
func printCandidates(env *cliEnv, l homeward.List[homeward.Candidate]) error {
	tw := tabwriter.NewWriter(env.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SAMPLE\tFAMILY\tLOG10 LR\tMARKERS\tEXCLUSIONS")
	for _, c := range l.Items {
		fmt.Fprintf(tw, "%s\t%s\t%.2f\t%d\t%d\n", c.Sample, c.Family, c.Log10LR, c.Markers, c.Exclusions)
	}
	fmt.Fprintf(tw, "(%d of %d candidates)\n", len(l.Items), l.Total)
	return tw.Flush()
}

// waitScreen shows the screen's progress until every shard is done.
func waitScreen(ctx context.Context, env *cliEnv, a *app, id int64) error {
	bar := progressPrinter(env, fmt.Sprintf("screen %d shards", id))
	start := time.Now()
	for {
		sc, err := a.db.GetScreen(ctx, id)
		if err != nil {
			return err
		}
		bar(sc.Progress.ShardsDone, sc.Progress.ShardsTotal)
		if sc.Status == homeward.ScreenDone {
			el := time.Since(start)
			fmt.Fprintf(env.stdout, "screen %d done: %d comparisons, %d candidates, in %s (%.0f comparisons/s)\n",
				id, sc.Progress.Comparisons, sc.Progress.Candidates, el.Round(time.Millisecond), float64(sc.Progress.Comparisons)/el.Seconds())
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(300 * time.Millisecond):
		}
	}
}
