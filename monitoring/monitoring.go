// Package monitoring gives operators what they watch a running Homeward by: liveness and
// readiness answers, and Prometheus metrics (prometheus/client_golang) of requests, the database
// pool, custody appends and verification findings.
package monitoring

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are Homeward's Prometheus metrics, in a registry of their own.
type Metrics struct {
	Registry *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

// NewMetrics registers the request metrics, Go's and the process's, and db's pool statistics.
func NewMetrics(db *sql.DB) *Metrics {
	m := &Metrics{Registry: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "homeward_http_requests_total",
		Help: "HTTP requests by route pattern, method and status."}, []string{"route", "method", "status"})
	m.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "homeward_http_request_duration_seconds",
		Help: "HTTP request durations by route pattern and method.", Buckets: prometheus.ExponentialBuckets(0.001, 2.5, 10)}, []string{"route", "method"})
	m.Registry.MustRegister(m.requests, m.duration, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if db != nil {
		m.Registry.MustRegister(collectors.NewDBStatsCollector(db, "homeward"))
	}
	return m
}

// Register adds collectors (the store's custody counters, the job queue's depth).
func (m *Metrics) Register(cs ...prometheus.Collector) {
	m.Registry.MustRegister(cs...)
}

// Instrument counts and times every request by the route pattern that served it (ServeMux's
// pattern, so that ids in paths do not make a series each), gives it a request ID (the client's
// X-Request-ID when it is a sane one, else a new one; echoed in the answer) and, with a logger,
// writes one line per request: method, route, status, duration, user, request ID.
func (m *Metrics) Instrument(next http.Handler, logger *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		info := &requestInfo{id: requestID(r.Header.Get("X-Request-ID"))}
		w.Header().Set("X-Request-ID", info.id)
		r = r.WithContext(context.WithValue(r.Context(), infoKey{}, info))
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		defer func() {
			route := r.Pattern
			if route == "" {
				route = "unmatched"
			}
			if _, p, ok := strings.Cut(route, " "); ok {
				route = p // "GET /api/v1/x" -> "/api/v1/x": the method is a label of its own
			}
			el := time.Since(start)
			m.requests.WithLabelValues(route, r.Method, strconv.Itoa(sw.status)).Inc()
			m.duration.WithLabelValues(route, r.Method).Observe(el.Seconds())
			if logger != nil {
				logger.LogAttrs(r.Context(), slog.LevelInfo, "request", slog.String("method", r.Method), slog.String("route", route),
					slog.Int("status", sw.status), slog.Float64("ms", float64(el.Microseconds())/1000), slog.String("user", info.user),
					slog.String("request_id", info.id))
			}
		}()
		next.ServeHTTP(sw, r)
	})
}

type infoKey struct{}

type requestInfo struct {
	id   string
	user string
}

// NoteUser records who a request acts for, for its log line (authentication calls it).
func NoteUser(ctx context.Context, username string) {
	if info, ok := ctx.Value(infoKey{}).(*requestInfo); ok {
		info.user = username
	}
}

// RequestID returns the request's ID ("" outside Instrument).
func RequestID(ctx context.Context) string {
	if info, ok := ctx.Value(infoKey{}).(*requestInfo); ok {
		return info.id
	}
	return ""
}

// requestID keeps a client's ID of up to 64 letters, digits, '-' and '_', else makes one.
func requestID(given string) string {
	if n := len(given); n > 0 && n <= 64 && strings.Trim(given, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") == "" {
		return given
	}
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

type statusWriter struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (s *statusWriter) WriteHeader(code int) {
	if !s.wrote {
		s.status, s.wrote = code, true
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	s.wrote = true
	return s.ResponseWriter.Write(b)
}

func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// Check is one readiness condition: nil when it holds.
type Check struct {
	Name string
	Run  func(ctx context.Context) error
}

// Handler serves /healthz (the process answers), /readyz (every check holds, within 2 s each:
// 200, else 503 naming what failed) and /metrics. A non-empty token guards /metrics with
// "Authorization: Bearer <token>"; mount it on a private listener to leave it open.
func Handler(m *Metrics, token string, checks ...Check) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		res := map[string]string{}
		ready := true
		for _, c := range checks {
			ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
			err := c.Run(ctx)
			cancel()
			res[c.Name] = "ok"
			if err != nil {
				res[c.Name], ready = err.Error(), false
			}
		}
		w.Header().Set("Content-Type", "application/json")
		if !ready {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		json.NewEncoder(w).Encode(map[string]any{"ready": ready, "checks": res})
	})
	metrics := promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{})
	mux.HandleFunc("GET /metrics", func(w http.ResponseWriter, r *http.Request) {
		if token != "" {
			got, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
			if subtle.ConstantTimeCompare([]byte(got), []byte(token)) != 1 {
				w.Header().Set("WWW-Authenticate", `Bearer realm="homeward metrics"`)
				http.Error(w, "metrics need the metrics token", http.StatusUnauthorized)
				return
			}
		}
		metrics.ServeHTTP(w, r)
	})
	return mux
}
