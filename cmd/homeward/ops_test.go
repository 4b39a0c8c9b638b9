package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/auth"
	"github.com/homeward/homeward/store/storetest"
)

// Health and metrics as an operator reads them: /healthz answers, /readyz names each check,
// /metrics counts requests by route pattern and needs the metrics token on the main listener.
func TestHealthAndMetrics(t *testing.T) {
	a, err := openApp(context.Background(), &config{DataDir: filepath.Join(t.TempDir(), "data"), User: "admin"}, appOptions{needBlob: true})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	q, err := openQueue(context.Background(), a, false, 1, slog.New(slog.DiscardHandler)) // creates the queue's tables, as serve does
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	app, err := newHandler(a, slog.New(slog.DiscardHandler), nil, false)
	if err != nil {
		t.Fatal(err)
	}
	m := newMetrics(a)
	var logs bytes.Buffer
	srv := httptest.NewServer(withOps(app, m, opsChecks(a), "s3cret-metrics-token", slog.New(slog.NewJSONHandler(&logs, nil))))
	defer srv.Close()
	get := func(path, token string) (int, string) {
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	if st, body := get("/healthz", ""); st != 200 || body != "ok\n" {
		t.Errorf("healthz: %d %q", st, body)
	}
	st, body := get("/readyz", "")
	var ready struct {
		Ready  bool
		Checks map[string]string
	}
	if json.Unmarshal([]byte(body), &ready); st != 200 || !ready.Ready || len(ready.Checks) != 4 {
		t.Errorf("readyz: %d %s", st, body)
	}
	get("/api/v1/openapi.json", "")
	get("/containers/K55-2018-001", "")
	sys := homeward.NewContextWithUser(context.Background(), systemUser)
	admin := &homeward.User{Username: "admin", Roles: []homeward.Role{homeward.RoleAdmin}, PasswordHash: "x"}
	if err := a.db.CreateUser(sys, admin); err != nil {
		t.Fatal(err)
	}
	secret, hash, _ := auth.NewToken()
	if err := a.db.CreateAPIToken(homeward.NewContextWithUser(context.Background(), admin), &homeward.APIToken{UserID: admin.ID, Prefix: secret[:8], TokenHash: hash}); err != nil {
		t.Fatal(err)
	}
	if st, _ := get("/api/v1/incidents", secret); st != 200 {
		t.Errorf("incidents: %d", st)
	}
	if !strings.Contains(logs.String(), `"route":"/api/v1/incidents","status":200`) || !strings.Contains(logs.String(), `"user":"admin"`) {
		t.Errorf("the API request's log line lacks its route or user: %s", logs.String())
	}
	// One log line per request, with its route pattern, status, user and request ID.
	var line struct {
		Msg, Method, Route, User string
		Status                   int
		RequestID                string `json:"request_id"`
	}
	for _, l := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		json.Unmarshal([]byte(l), &line)
		if line.Route == "/containers/{accession}" {
			break
		}
	}
	if line.Msg != "request" || line.Method != "GET" || line.Route != "/containers/{accession}" || line.Status != 303 || len(line.RequestID) != 16 {
		t.Errorf("request log %q", logs.String())
	}
	if st, _ := get("/metrics", ""); st != 401 {
		t.Errorf("metrics without the token: %d", st)
	}
	st, body = get("/metrics", "s3cret-metrics-token")
	for _, want := range []string{`homeward_http_requests_total{method="GET",route="/api/v1/openapi.json",status="200"} 1`,
		`route="/containers/{accession}"`, "homeward_custody_appends_total 0", "homeward_job_queue_depth 0", "homeward_screen_comparisons_total 0", `go_sql_max_open_connections{db_name="homeward"}`} {
		if st != 200 || !strings.Contains(body, want) {
			t.Errorf("metrics lack %q (%d)", want, st)
		}
	}
}

// relay forwards TCP connections to a target until stopped: a network path that can be cut.
type relay struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	conns  []net.Conn
}

func startRelay(t *testing.T, addr, target string) *relay {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	r := &relay{ln: ln, target: target}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			d, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			r.mu.Lock()
			r.conns = append(r.conns, c, d)
			r.mu.Unlock()
			go func() { io.Copy(d, c); d.Close() }()
			go func() { io.Copy(c, d); c.Close() }()
		}
	}()
	return r
}

func (r *relay) stop() {
	r.ln.Close()
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, c := range r.conns {
		c.Close()
	}
}

// /readyz turns unready when PostgreSQL cannot be reached and ready again when it can: the store
// reaches the real PostgreSQL through a relay that the test cuts and restores.
func TestReadyzFollowsTheDatabase(t *testing.T) {
	if len(storetest.Dialects(t)) < 2 {
		t.Skip("needs PostgreSQL (HOMEWARD_TEST_POSTGRES)")
	}
	url := storetest.URL(t, "postgres")
	r := startRelay(t, "127.0.0.1:0", "127.0.0.1:5432")
	addr := r.ln.Addr().String()
	relayed := strings.Replace(url, "127.0.0.1:5432", addr, 1)
	if relayed == url {
		t.Skipf("the test database is not at 127.0.0.1:5432: %s", url)
	}
	a, err := openApp(context.Background(), &config{DatabaseURL: relayed, CustodyKeyText: strings.Repeat("ab", 32), User: "admin", DataDir: t.TempDir()}, appOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	q, err := openQueue(context.Background(), a, false, 1, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	srv := httptest.NewServer(withOps(http.NotFoundHandler(), newMetrics(a), opsChecks(a), "", nil))
	defer srv.Close()
	ready := func() (int, string) {
		res, err := http.Get(srv.URL + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	if st, body := ready(); st != 200 {
		t.Fatalf("before the cut: %d %s", st, body)
	}
	r.stop()
	if st, body := ready(); st != 503 || !strings.Contains(body, "database unreachable") {
		t.Errorf("database cut: %d %s", st, body)
	}
	r = startRelay(t, addr, "127.0.0.1:5432")
	defer r.stop()
	deadline := time.Now().Add(10 * time.Second)
	for {
		st, body := ready()
		if st == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the database came back: %d %s", st, body)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
