package main

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/homeward/homeward/jobs"
	"github.com/homeward/homeward/monitoring"
	"github.com/prometheus/client_golang/prometheus"
)

// opsChecks are the readiness conditions of a server: the database answers, its schema is
// current, the custody key is bound, the job queue's table can be read.
func opsChecks(a *app) []monitoring.Check {
	return []monitoring.Check{
		{Name: "database", Run: a.db.Ping},
		{Name: "migrations", Run: a.db.MigrationsCurrent},
		{Name: "custody_key", Run: a.db.KeyBound},
		{Name: "job_queue", Run: func(ctx context.Context) error { _, err := a.db.QueueDepth(ctx); return err }},
	}
}

// newMetrics makes the server's metrics: requests, the database pool, custody appends and
// verification findings, and the job queue's depth.
func newMetrics(a *app) *monitoring.Metrics {
	m := monitoring.NewMetrics(a.db.SQL())
	m.Register(
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "homeward_custody_appends_total", Help: "Custody events appended by this process."},
			func() float64 { return float64(a.db.CustodyAppends()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "homeward_custody_verification_problems_total", Help: "Problems found by custody verifications in this process (alert on any increase)."},
			func() float64 { return float64(a.db.VerificationProblems()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "homeward_job_queue_depth", Help: "Background jobs waiting to run (-1: the queue cannot be read)."},
			func() float64 {
				n, err := a.db.QueueDepth(context.Background())
				if err != nil {
					return -1
				}
				return float64(n)
			}),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "homeward_screen_comparisons_total", Help: "Victim-family comparisons of every finished screen shard, by all workers (its rate is the screens' throughput)."},
			func() float64 {
				n, _ := a.db.ScreenComparisons(context.Background())
				return float64(n)
			}),
	)
	return m
}

// observeJobs records how long each job this process finishes ran, by kind and outcome.
func observeJobs(m *monitoring.Metrics, q *jobs.Queue) (stop func()) {
	h := prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "homeward_job_duration_seconds", Help: "Run time of the background jobs this process finished, by kind and outcome.",
		Buckets: prometheus.ExponentialBuckets(0.01, 4, 9)}, []string{"kind", "outcome"})
	m.Register(h)
	return q.Observe(func(kind string, run time.Duration, completed bool) {
		outcome := "completed"
		if !completed {
			outcome = "not_completed"
		}
		h.WithLabelValues(kind, outcome).Observe(run.Seconds())
	})
}

// withOps serves the application instrumented, with /healthz and /readyz beside it and /metrics
// too when a metrics token guards it (metricsToken ""): otherwise metrics are only on the
// operations listener (--ops-addr).
func withOps(app http.Handler, m *monitoring.Metrics, checks []monitoring.Check, metricsToken string, logger *slog.Logger) http.Handler {
	ops := monitoring.Handler(m, metricsToken, checks...)
	mux := http.NewServeMux()
	mux.Handle("GET /healthz", ops)
	mux.Handle("GET /readyz", ops)
	if metricsToken != "" {
		mux.Handle("GET /metrics", ops)
	}
	mux.Handle("/", m.Instrument(app, logger))
	return mux
}
