package jobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

type tallyArgs struct {
	N int `json:"n"`
}

func (tallyArgs) Kind() string { return "test_tally" }

// tally records which process ran which job.
type tally struct {
	mu   sync.Mutex
	seen map[int][]string
}

type tallyWorker struct {
	river.WorkerDefaults[tallyArgs]
	t    *tally
	name string
}

func (w *tallyWorker) Work(ctx context.Context, j *river.Job[tallyArgs]) error {
	w.t.mu.Lock()
	defer w.t.mu.Unlock()
	w.t.seen[j.Args.N] = append(w.t.seen[j.Args.N], w.name)
	return nil
}

// testURLs returns the store URLs to run against: a temp SQLite file, and a fresh PostgreSQL
// schema when HOMEWARD_TEST_POSTGRES is set (required when HOMEWARD_REQUIRE_POSTGRES=1).
func testURLs(t *testing.T) map[string]string {
	urls := map[string]string{"sqlite": filepath.Join(t.TempDir(), "q.db")}
	pgURL := os.Getenv("HOMEWARD_TEST_POSTGRES")
	if pgURL == "" {
		if os.Getenv("HOMEWARD_REQUIRE_POSTGRES") == "1" {
			t.Fatal("HOMEWARD_REQUIRE_POSTGRES=1 but HOMEWARD_TEST_POSTGRES is not set")
		}
		return urls
	}
	urls["postgres"] = freshSchema(t, pgURL)
	return urls
}

func freshSchema(t *testing.T, base string) string {
	t.Helper()
	ctx := context.Background()
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_jobs_" + hex.EncodeToString(b)
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("connect PostgreSQL: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), base)
		if err == nil {
			c.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
			c.Close(context.Background())
		}
	})
	sep := "?"
	if containsQuery(base) {
		sep = "&"
	}
	return base + sep + "search_path=" + schema
}

func containsQuery(s string) bool {
	for _, c := range s {
		if c == '?' {
			return true
		}
	}
	return false
}

// Two queues on one database stand for two worker processes: every job runs exactly once.
func TestQueueSharesWorkAcrossProcesses(t *testing.T) {
	for dialect, url := range testURLs(t) {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			tl := &tally{seen: map[int][]string{}}
			nProc := 2
			if dialect == "sqlite" {
				nProc = 1 // the embedded store is single-process
			}
			var queues []*Queue
			for i := 0; i < nProc; i++ {
				w := river.NewWorkers()
				river.AddWorker(w, &tallyWorker{t: tl, name: []string{"a", "b"}[i]})
				q, err := Open(ctx, Options{URL: url, Workers: w, Work: true, Concurrency: 2, PollInterval: 20 * time.Millisecond})
				if err != nil {
					t.Fatal(err)
				}
				if q.Dialect() != dialect {
					t.Fatalf("dialect %s", q.Dialect())
				}
				queues = append(queues, q)
			}
			const n = 40
			var params []river.InsertManyParams
			for i := 0; i < n; i++ {
				params = append(params, river.InsertManyParams{Args: tallyArgs{N: i}})
			}
			if err := queues[0].InsertMany(ctx, params); err != nil {
				t.Fatal(err)
			}
			for _, q := range queues {
				if err := q.Start(ctx); err != nil {
					t.Fatal(err)
				}
			}
			deadline := time.Now().Add(60 * time.Second)
			for {
				jobs, err := queues[0].List(ctx, river.NewJobListParams().States(rivertype.JobStateCompleted).First(1000))
				if err != nil {
					t.Fatal(err)
				}
				if len(jobs) == n {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("only %d of %d jobs completed", len(jobs), n)
				}
				time.Sleep(50 * time.Millisecond)
			}
			for _, q := range queues {
				q.Stop(ctx)
				q.Close()
			}
			tl.mu.Lock()
			defer tl.mu.Unlock()
			for i := 0; i < n; i++ {
				if len(tl.seen[i]) != 1 {
					t.Errorf("job %d ran %d times (%v)", i, len(tl.seen[i]), tl.seen[i])
				}
			}
		})
	}
}

type waitArgs struct{}

func (waitArgs) Kind() string { return "test_wait" }

// waitWorker runs until its context is cancelled.
type waitWorker struct {
	river.WorkerDefaults[waitArgs]
	started chan struct{}
}

func (w *waitWorker) Work(ctx context.Context, j *river.Job[waitArgs]) error {
	close(w.started)
	<-ctx.Done()
	return ctx.Err()
}

// A stopping process hands a job that is still running back to the queue: after the grace period
// the job is cancelled and is available again (River puts a job cancelled by its client's stop
// back), instead of staying "running" until the rescuer notices.
func TestShutdownHandsRunningJobsBack(t *testing.T) {
	for dialect, url := range testURLs(t) {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			ww := &waitWorker{started: make(chan struct{})}
			workers := river.NewWorkers()
			river.AddWorker(workers, ww)
			q, err := Open(ctx, Options{URL: url, Workers: workers, Work: true, Concurrency: 1, PollInterval: 20 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			defer q.Close()
			if err := q.Start(ctx); err != nil {
				t.Fatal(err)
			}
			row, err := q.Insert(ctx, waitArgs{}, nil)
			if err != nil {
				t.Fatal(err)
			}
			select {
			case <-ww.started:
			case <-time.After(10 * time.Second):
				t.Fatal("the job never started")
			}
			if err := q.Shutdown(ctx, 200*time.Millisecond); err != nil {
				t.Fatalf("shutdown: %v", err)
			}
			got, err := q.Get(ctx, row.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.State != rivertype.JobStateRetryable && got.State != rivertype.JobStateAvailable {
				t.Errorf("after shutdown the job is %s", got.State)
			}
		})
	}
}

// Every finished job is observed with its kind, run time and outcome (for the job-duration metric).
func TestObserveFinishedJobs(t *testing.T) {
	ctx := context.Background()
	tl := &tally{seen: map[int][]string{}}
	workers := river.NewWorkers()
	river.AddWorker(workers, &tallyWorker{t: tl, name: "a"})
	q, err := Open(ctx, Options{URL: filepath.Join(t.TempDir(), "q.db"), Workers: workers, Work: true, PollInterval: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer q.Shutdown(ctx, time.Second)
	seen := make(chan string, 4)
	stop := q.Observe(func(kind string, run time.Duration, completed bool) {
		if completed && run >= 0 {
			seen <- kind
		}
	})
	defer stop()
	if _, err := q.Insert(ctx, tallyArgs{N: 1}, nil); err != nil {
		t.Fatal(err)
	}
	select {
	case k := <-seen:
		if k != "test_tally" {
			t.Errorf("observed kind %q", k)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the finished job was not observed")
	}
}
