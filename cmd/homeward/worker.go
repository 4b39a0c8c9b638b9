package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/spf13/cobra"
	flag "github.com/spf13/pflag"

	"github.com/homeward/homeward/jobs"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

func init() {
	register(spec{use: "worker", short: "run background jobs from the shared queue (several may run on PostgreSQL)",
		example: "  homeward worker --concurrency 2 --database postgres://homeward@db/homeward", args: cobra.NoArgs, define: runWorker})
	register(spec{use: "jobs", short: "background jobs: queue a custody sweep, list the queue", subs: []spec{
		{use: "sweep", short: "queue custody verification jobs over every container", example: "  homeward jobs sweep --shards 3", args: cobra.NoArgs, define: jobsVerb("sweep")},
		{records: true, use: "list", short: "the queue's jobs with their state and result", example: "  homeward jobs list", args: cobra.NoArgs, define: jobsVerb("list")},
	}})
}

func workerName() string {
	h, _ := os.Hostname()
	return fmt.Sprintf("%s-%d", h, os.Getpid())
}

func openQueue(ctx context.Context, a *app, work bool, concurrency int, logger *slog.Logger) (*jobs.Queue, error) {
	return openQueueRescue(ctx, a, work, concurrency, logger, 0)
}

// openQueueRescue opens the queue; rescue is how long a job may run before it is taken as
// abandoned by a dead worker and redone (0: the queue's default).
func openQueueRescue(ctx context.Context, a *app, work bool, concurrency int, logger *slog.Logger, rescue time.Duration) (*jobs.Queue, error) {
	w := river.NewWorkers()
	name := workerName()
	river.AddWorker(w, &jobs.VerifyCustodyWorker{Custody: a.db, Name: name})
	river.AddWorker(w, &jobs.ScreenWorker{DNA: a.db, Name: name})
	river.AddWorker(w, &jobs.DVIWorker{DNA: a.db, Results: a.db})
	var periodic []*river.PeriodicJob
	if a.cfg.SMTPURL != "" {
		sender, err := a.cfg.mailSender()
		if err != nil {
			return nil, err
		}
		river.AddWorker(w, &jobs.SendNoticesWorker{Sender: sender, Outbox: a.db})
		periodic = append(periodic, jobs.SendNoticesPeriodic(time.Minute))
	}
	return jobs.Open(ctx, jobs.Options{URL: a.cfg.databaseURL(), Workers: w, Work: work, Concurrency: concurrency, ID: name, Logger: logger,
		RescueStuckAfter: rescue, Periodic: periodic})
}

// bindWorker registers worker's own flags.
func bindWorker(fs *flag.FlagSet) (concurrency *int, rescue *time.Duration) {
	concurrency = fs.Int("concurrency", 2, "jobs run at once by this process")
	rescue = fs.Duration("rescue-after", 5*time.Minute, "a job running this long without finishing is taken as abandoned (its worker died) and redone")
	return concurrency, rescue
}

func runWorker(fs *flag.FlagSet, env *cliEnv) action {
	cfg := bindConfig(fs, env)
	concurrency, rescue := bindWorker(fs)
	return func(ctx context.Context, args []string) error {
		a, err := openApp(ctx, cfg, appOptions{})
		if err != nil {
			return err
		}
		defer a.Close()
		logger := slog.New(slog.NewTextHandler(env.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
		q, err := openQueueRescue(ctx, a, true, *concurrency, logger, *rescue)
		if err != nil {
			return err
		}
		defer q.Close()
		if err := q.Start(ctx); err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "worker %s working the %s queue\n", workerName(), q.Dialect())
		<-ctx.Done()
		return stopQueue(q)
	}
}

// jobGrace is how long a stopping process lets its running jobs finish before handing them back
// to the queue (a shard of a screen takes seconds; a supervisor's stop timeout is 10–30 s).
const jobGrace = 10 * time.Second

// stopQueue stops a queue this process works: running jobs finish within the grace, or go back
// to the queue for another worker.
func stopQueue(q *jobs.Queue) error {
	stop, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return q.Shutdown(stop, jobGrace)
}

func jobsVerb(verb string) definer {
	return func(fs *flag.FlagSet, env *cliEnv) action {
		cfg := bindConfig(fs, env)
		shards := fs.Int("shards", 1, "sweep: split the containers into this many jobs")
		return func(ctx context.Context, args []string) error {
			a, err := openApp(ctx, cfg, appOptions{})
			if err != nil {
				return err
			}
			defer a.Close()
			q, err := openQueue(ctx, a, false, 1, nil)
			if err != nil {
				return err
			}
			defer q.Close()
			switch verb {
			case "sweep":
				var maxID int64
				if err := a.db.SQL().QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) FROM containers").Scan(&maxID); err != nil {
					return err
				}
				if *shards < 1 {
					*shards = 1
				}
				size := maxID / int64(*shards)
				if size < 1 {
					size = 1
				}
				var params []river.InsertManyParams
				for from := int64(1); from <= maxID; from += size {
					to := min(from+size-1, maxID)
					params = append(params, river.InsertManyParams{Args: jobs.VerifyCustodyArgs{FromID: from, ToID: to}})
				}
				if err := q.InsertMany(ctx, params); err != nil {
					return err
				}
				fmt.Fprintf(env.stdout, "queued %d custody verification job(s) over containers 1..%d\n", len(params), maxID)
				return nil
			case "list":
				list, err := q.List(ctx, river.NewJobListParams().States(rivertype.JobStateAvailable, rivertype.JobStateRunning, rivertype.JobStateCompleted, rivertype.JobStateRetryable, rivertype.JobStateDiscarded).First(1000))
				if err != nil {
					return err
				}
				if env.asJSON {
					type job struct {
						ID     int64           `json:"id"`
						Kind   string          `json:"kind"`
						State  string          `json:"state"`
						Args   json.RawMessage `json:"args"`
						Output json.RawMessage `json:"output,omitempty"`
					}
					out := []job{}
					for _, j := range list {
						out = append(out, job{ID: j.ID, Kind: j.Kind, State: string(j.State), Args: j.EncodedArgs, Output: j.Output()})
					}
					return printJSON(env, out)
				}
				for _, j := range list {
					out := ""
					if o := j.Output(); len(o) > 0 {
						var r jobs.VerifyCustodyResult
						if json.Unmarshal(o, &r) == nil {
							out = fmt.Sprintf("checked %d, %d broken, by %s", r.Checked, len(r.Problems), r.Worker)
						}
					}
					fmt.Fprintf(env.stdout, "%d\t%s\t%s\t%s\t%s\n", j.ID, j.Kind, j.State, string(j.EncodedArgs), out)
				}
				return nil
			}
			return usageError{fmt.Sprintf("unknown jobs verb %q", verb)}
		}
	}
}
