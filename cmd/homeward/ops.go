package main

import (
	"context"
	"log/slog"
	"net/http"

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
	)
	return m
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
