package main

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/jobs"
)

// Served with the job queue, a screen's DVI page queues the analysis and says so; a worker
// computes and keeps it; the page then shows it (and a second view does not queue it again).
func TestDVIPageAsJob(t *testing.T) {
	if testing.Short() {
		t.Skip("screens the DNA set")
	}
	dir := t.TempDir()
	vars := map[string]string{"HOMEWARD_DATA_DIR": dir, "HOMEWARD_ADMIN_PASSWORD": "a long password for the job"}
	if _, err := runCLI(t, vars, "", "migrate"); err != nil {
		t.Fatal(err)
	}
	if out, err := runCLI(t, vars, "", "dna", "synth", "--victims", "40", "--families", "20", "--true", "6", "--seed", "3"); err != nil {
		t.Fatalf("synth: %v %s", err, out)
	}
	if out, err := runCLI(t, vars, "", "screen", "start", "--threshold", "1e3"); err != nil {
		t.Fatalf("screen: %v %s", err, out)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	a, err := openApp(ctx, &config{DataDir: dir, User: "admin"}, appOptions{needBlob: true})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	q, err := openQueue(ctx, a, true, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer stopQueue(q)
	h, err := newHandler(a, nil, jobs.Screens{DNA: a.db, Queue: q}, false)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	if _, err := c.PostForm(srv.URL+"/login", url.Values{"username": {"admin"}, "password": {"a long password for the job"}}); err != nil {
		t.Fatal(err)
	}
	get := func() string {
		res, err := c.Get(srv.URL + "/screens/1/dvi")
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return string(b)
	}
	if first := get(); !strings.Contains(first, "Being computed") {
		t.Fatalf("the first view did not queue the analysis: %.600s", first)
	}
	deadline := time.Now().Add(2 * time.Minute)
	for {
		page := get()
		if strings.Contains(page, `id="dvi-am"`) && strings.Contains(page, "Computed") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the analysis never arrived: %.600s", page)
		}
		time.Sleep(200 * time.Millisecond)
	}
	stored, err := a.db.GetDVIResult(homeward.NewContextWithUser(context.Background(), systemUser), 1)
	if err != nil || stored.Status != "done" {
		t.Errorf("stored %+v %v", stored, err)
	}
}
