package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/auth"
)

// The load command against the demo world served as homeward serve serves it, briefly: every
// request of the mix succeeds, and the custody record verifies afterwards. A smoke test with a
// bound on errors, not on speed (docs/operations.md has the figures). 32 clients, more than the
// store's pool of connections: a write that waited on SQLite's lock outside the store's one
// writer (the token's last use, on every request) once held the connections the writer needed,
// and every request stalled for the 30 s lock timeout.
func TestLoadtestSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the demo world")
	}
	dir := filepath.Join(t.TempDir(), "data")
	env := &cliEnv{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard, getenv: func(string) string { return "" }}
	if _, err := runCLI(t, map[string]string{"HOMEWARD_DATA_DIR": dir, "HOMEWARD_ADMIN_PASSWORD": "a long password for the load"}, "", "migrate"); err != nil {
		t.Fatal(err)
	}
	a, err := openApp(context.Background(), &config{DataDir: dir, User: "admin"}, appOptions{needBlob: true})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if err := loadDemo(context.Background(), a, env, 1950, false); err != nil {
		t.Fatal(err)
	}
	ctx, _ := a.asUser(context.Background())
	admin := homeward.UserFromContext(ctx)
	secret, hash, _ := auth.NewToken()
	if err := a.db.CreateAPIToken(ctx, &homeward.APIToken{UserID: admin.ID, Prefix: secret[:8], TokenHash: hash}); err != nil {
		t.Fatal(err)
	}
	app, err := newHandler(a, slog.New(slog.DiscardHandler), nil, false)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(withOps(app, newMetrics(a), opsChecks(a), "", nil))
	defer srv.Close()
	out, err := runCLI(t, map[string]string{"HOMEWARD_TOKEN": secret}, "", "loadtest", "--url", srv.URL, "--duration", "3s", "--clients", "32")
	if err != nil || !strings.Contains(out, " 0 errors") {
		t.Fatalf("loadtest: %v %s", err, out)
	}
	// Every page of the demo world answers, signed in as a browser is (the times are figures to
	// read, docs/web.md, not asserted here).
	out, err = runCLI(t, map[string]string{"HOMEWARD_PASSWORD": "a long password for the load"}, "", "pagetimes", "--url", srv.URL, "--repeat", "1", "--json")
	if err != nil {
		t.Fatalf("pagetimes: %v %s", err, out)
	}
	var pages []struct {
		Path   string
		Status int
		Bytes  int
	}
	if err := json.Unmarshal([]byte(out), &pages); err != nil || len(pages) < 15 {
		t.Fatalf("pagetimes answer %q: %v", out, err)
	}
	for _, p := range pages {
		if p.Status != 200 || p.Bytes < 1000 {
			t.Errorf("%s answered %d with %d bytes", p.Path, p.Status, p.Bytes)
		}
	}
	rep, err := a.db.VerifyCustodyLog(ctx, nil)
	if err != nil || !rep.OK() {
		t.Errorf("custody after the load: %+v %v", rep, err)
	}
	var buf bytes.Buffer
	buf.WriteString(out)
	t.Log(buf.String())
}
