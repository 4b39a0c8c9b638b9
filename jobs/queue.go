// Package jobs runs Homeward's long work (screens, imports, verification sweeps) as River jobs in
// the store's own database: on the embedded SQLite store in one process, on PostgreSQL shared by any
// number of `homeward worker` processes, possibly on several machines. Workers are thin: they take
// ids and ranges from the job arguments and call the domain and science packages.
package jobs

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"

	"github.com/homeward/homeward/store" // the SQLite DSN and driver the store uses
)

// Options configure a Queue.
type Options struct {
	// URL is the store's URL: a postgres:// URL, or the path of the SQLite file.
	URL string
	// Workers registers the job kinds this process knows. Required when Work is true.
	Workers *river.Workers
	// Work makes this process fetch and run jobs; false only inserts and lists (e.g. the CLI).
	Work bool
	// Concurrency is the number of jobs this process runs at once (default 1 per core).
	Concurrency int
	// ID names this process in River's records (default host-pid, chosen by River).
	ID     string
	Logger *slog.Logger
	// RescueStuckAfter is how long a job may run: past it the job is cancelled, and a job whose
	// worker died is handed to another (River's rescuer looks every 30 s). Default 5 minutes; it
	// must exceed the longest shard.
	RescueStuckAfter time.Duration
	// PollInterval for SQLite (which has no LISTEN/NOTIFY); default 200ms.
	PollInterval time.Duration
	// Periodic are jobs this process schedules while it is the queue's leader.
	Periodic []*river.PeriodicJob
}

// Queue is a River client over either dialect.
type Queue struct {
	dialect string
	sqlite  *river.Client[*sql.Tx]
	pg      *river.Client[pgx.Tx]
	sqlDB   *sql.DB
	pool    *pgxpool.Pool
}

// IsPostgres reports whether a store URL names PostgreSQL.
func IsPostgres(url string) bool {
	u := strings.ToLower(url)
	return strings.HasPrefix(u, "postgres://") || strings.HasPrefix(u, "postgresql://")
}

// Open connects to the queue's database and applies River's own migrations.
func Open(ctx context.Context, o Options) (*Queue, error) {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Concurrency <= 0 {
		o.Concurrency = 2
	}
	if o.RescueStuckAfter == 0 {
		o.RescueStuckAfter = 5 * time.Minute
	}
	if o.PollInterval == 0 {
		o.PollInterval = 200 * time.Millisecond
	}
	cfg := &river.Config{
		ID:                   o.ID,
		Logger:               o.Logger,
		RescueStuckJobsAfter: o.RescueStuckAfter,
		// River rescues a job only when it has a timeout (a job with none is never taken as
		// stuck), so the timeout is the rescue delay: a job running longer is cancelled and
		// counted as a failed attempt, and a dead worker's job is redone after it.
		JobTimeout:  o.RescueStuckAfter,
		MaxAttempts: 10,
	}
	if o.Work {
		if o.Workers == nil {
			return nil, fmt.Errorf("jobs: a working queue needs workers")
		}
		cfg.Workers = o.Workers
		cfg.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: o.Concurrency}}
		cfg.PeriodicJobs = o.Periodic
	}
	q := &Queue{}
	if IsPostgres(o.URL) {
		q.dialect = "postgres"
		pool, err := pgxpool.New(ctx, o.URL)
		if err != nil {
			return nil, fmt.Errorf("jobs: connect to PostgreSQL: %w", err)
		}
		q.pool = pool
		drv := riverpgxv5.New(pool)
		if err := lockedMigrate(ctx, pool, drv, o.Logger); err != nil {
			pool.Close()
			return nil, err
		}
		if q.pg, err = river.NewClient(drv, cfg); err != nil {
			pool.Close()
			return nil, fmt.Errorf("jobs: %w", err)
		}
		return q, nil
	}
	q.dialect = "sqlite"
	db, err := sql.Open("sqlite", store.SQLiteDSN(o.URL))
	if err != nil {
		return nil, fmt.Errorf("jobs: open SQLite: %w", err)
	}
	// River's SQLite driver works best with a single connection (its own advice); the store keeps
	// its separate pool for the application's tables.
	db.SetMaxOpenConns(1)
	q.sqlDB = db
	drv := riversqlite.New(db)
	if err := migrate(ctx, drv, o.Logger); err != nil {
		db.Close()
		return nil, err
	}
	cfg.PollOnly = true
	cfg.FetchPollInterval = o.PollInterval
	cfg.FetchCooldown = o.PollInterval / 4
	if q.sqlite, err = river.NewClient(drv, cfg); err != nil {
		db.Close()
		return nil, fmt.Errorf("jobs: %w", err)
	}
	return q, nil
}

func migrate[TTx any](ctx context.Context, drv riverdriver.Driver[TTx], logger *slog.Logger) error {
	m, err := rivermigrate.New(drv, &rivermigrate.Config{Logger: logger})
	if err != nil {
		return fmt.Errorf("jobs: River migrator: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("jobs: River migrations: %w", err)
	}
	return nil
}

// Dialect returns "sqlite" or "postgres".
func (q *Queue) Dialect() string { return q.dialect }

// Start begins working jobs (only when opened with Work).
func (q *Queue) Start(ctx context.Context) error {
	if q.pg != nil {
		return q.pg.Start(ctx)
	}
	return q.sqlite.Start(ctx)
}

// Stop waits for running jobs to finish and stops fetching new ones.
func (q *Queue) Stop(ctx context.Context) error {
	if q.pg != nil {
		return q.pg.Stop(ctx)
	}
	return q.sqlite.Stop(ctx)
}

// Shutdown stops fetching jobs and lets running ones finish for up to grace; the contexts of those
// still running are then cancelled, and River puts each back in the queue, for this process when it
// comes back or for another worker: a stopping server hands its work back rather than holding it
// until River's rescuer notices. (A job must stop when its context is cancelled; Homeward's do.)
func (q *Queue) Shutdown(ctx context.Context, grace time.Duration) error {
	soft, cancel := context.WithTimeout(ctx, grace)
	err := q.Stop(soft)
	cancel()
	if err == nil {
		return nil
	}
	if q.pg != nil {
		return q.pg.StopAndCancel(ctx)
	}
	return q.sqlite.StopAndCancel(ctx)
}

// Observe calls fn for every job this process finishes (completed, failed, cancelled or
// snoozed), with its kind, how long it ran and whether it completed, until stop is called or the
// queue stops. Start the queue first.
func (q *Queue) Observe(fn func(kind string, run time.Duration, completed bool)) (stop func()) {
	kinds := []river.EventKind{river.EventKindJobCompleted, river.EventKindJobFailed, river.EventKindJobCancelled, river.EventKindJobSnoozed}
	var events <-chan *river.Event
	var cancel func()
	if q.pg != nil {
		events, cancel = q.pg.Subscribe(kinds...)
	} else {
		events, cancel = q.sqlite.Subscribe(kinds...)
	}
	go func() {
		for e := range events {
			var run time.Duration
			if e.JobStats != nil {
				run = e.JobStats.RunDuration
			}
			fn(e.Job.Kind, run, e.Kind == river.EventKindJobCompleted)
		}
	}()
	return cancel
}

// Close releases the connections. Stop first if started.
func (q *Queue) Close() {
	if q.pool != nil {
		q.pool.Close()
	}
	if q.sqlDB != nil {
		q.sqlDB.Close()
	}
}

// Insert enqueues one job.
func (q *Queue) Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobRow, error) {
	var res *rivertype.JobInsertResult
	var err error
	if q.pg != nil {
		res, err = q.pg.Insert(ctx, args, opts)
	} else {
		res, err = q.sqlite.Insert(ctx, args, opts)
	}
	if err != nil {
		return nil, fmt.Errorf("jobs: insert %s: %w", args.Kind(), err)
	}
	return res.Job, nil
}

// InsertMany enqueues several jobs at once.
func (q *Queue) InsertMany(ctx context.Context, args []river.InsertManyParams) error {
	var err error
	if q.pg != nil {
		_, err = q.pg.InsertMany(ctx, args)
	} else {
		_, err = q.sqlite.InsertMany(ctx, args)
	}
	if err != nil {
		return fmt.Errorf("jobs: insert %d jobs: %w", len(args), err)
	}
	return nil
}

// Get returns one job by id.
func (q *Queue) Get(ctx context.Context, id int64) (*rivertype.JobRow, error) {
	if q.pg != nil {
		return q.pg.JobGet(ctx, id)
	}
	return q.sqlite.JobGet(ctx, id)
}

// List returns jobs matching params.
func (q *Queue) List(ctx context.Context, params *river.JobListParams) ([]*rivertype.JobRow, error) {
	var res *river.JobListResult
	var err error
	if q.pg != nil {
		res, err = q.pg.JobList(ctx, params)
	} else {
		res, err = q.sqlite.JobList(ctx, params)
	}
	if err != nil {
		return nil, err
	}
	return res.Jobs, nil
}

// riverMigrationLock is the advisory lock key that serialises River migrations of processes
// starting together ("HWRIVER" in ASCII).
const riverMigrationLock = 0x4857524956455200

// lockedMigrate runs River's migrations on PostgreSQL under an advisory lock, so that two
// workers starting at once do not both create River's types and tables.
func lockedMigrate(ctx context.Context, pool *pgxpool.Pool, drv riverdriver.Driver[pgx.Tx], logger *slog.Logger) error {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("jobs: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", int64(riverMigrationLock)); err != nil {
		return fmt.Errorf("jobs: migration lock: %w", err)
	}
	defer conn.Exec(context.Background(), "SELECT pg_advisory_unlock($1)", int64(riverMigrationLock))
	return migrate(ctx, drv, logger)
}
