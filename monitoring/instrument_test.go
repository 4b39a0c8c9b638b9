package monitoring_test

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/homeward/homeward/monitoring"
)

// The request line: one per request, with the route pattern (not the path), the status and the
// request ID the answer carries.
func TestInstrumentLogsOneLinePerRequest(t *testing.T) {
	var logs bytes.Buffer
	mux := http.NewServeMux()
	mux.HandleFunc("GET /containers/{accession}", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTeapot) })
	h := monitoring.NewMetrics(nil).Instrument(mux, slog.New(slog.NewTextHandler(&logs, nil)))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/containers/K55-2018-001", nil))
	line := logs.String()
	if strings.Count(line, "\n") != 1 || !strings.Contains(line, "route=/containers/{accession}") || strings.Contains(line, "K55-2018-001") ||
		!strings.Contains(line, "status=418") || !strings.Contains(line, "request_id="+rec.Header().Get("X-Request-ID")) {
		t.Errorf("request line %q", line)
	}
}

// What the request line costs: the middleware with and without a logger, around a handler that
// does nothing (go test -bench Instrument ./monitoring). The difference is the line's cost per
// request, to set beside a request's own time (docs/operations.md).
func BenchmarkInstrument(b *testing.B) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /containers/{accession}", func(w http.ResponseWriter, r *http.Request) {})
	for _, c := range []struct {
		name   string
		logger *slog.Logger
	}{{"no-log", nil}, {"log", slog.New(slog.NewTextHandler(io.Discard, nil))}} {
		b.Run(c.name, func(b *testing.B) {
			h := monitoring.NewMetrics(nil).Instrument(mux, c.logger)
			req := httptest.NewRequest("GET", "/containers/K55-2018-001", nil)
			for b.Loop() {
				h.ServeHTTP(httptest.NewRecorder(), req)
			}
		})
	}
}
