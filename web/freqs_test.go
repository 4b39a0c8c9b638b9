package web_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/homeward/homeward"
)

// A DNA analyst adds a frequency database in the browser: without a source the reading is refused
// beside the field; with one the file is read and its markers shown with the version it would
// become, nothing stored; storing it keeps exactly that file, listed and read back through the API.
func TestE2EFrequencyUpload(t *testing.T) {
	ctx := browser(t)
	w := newWorld(t)
	base := w.srv.URL
	file, err := filepath.Abs(filepath.Join("..", "labfmt", "freqdb", "data", "nist-all.csv"))
	if err != nil {
		t.Fatal(err)
	}
	run(t, ctx, signIn(base, "analyst1"), chromedp.Click("#nav-freqs"), chromedp.WaitVisible("#freq-read-button"),
		chromedp.SetUploadFiles("#fq-file", []string{file}), chromedp.SetValue("#fq-format", "nist"), chromedp.SendKeys("#fq-name", "lab-nist"),
		chromedp.Click("#freq-read-button"), chromedp.WaitVisible("#err-fq-source"))
	run(t, ctx, chromedp.SetUploadFiles("#fq-file", []string{file}), chromedp.SendKeys("#fq-source", "NIST 1036 U.S. population data"),
		chromedp.Click("#freq-read-button"), chromedp.WaitVisible("#freq-commit"))
	if h, m := text(t, ctx, "#freq-read-heading"), text(t, ctx, "#freq-markers"); !strings.Contains(h, "version 1") || !strings.Contains(m, "D3S1358") {
		t.Errorf("the reading: %q, markers %q", h, m)
	}
	if l, _ := w.db.ListFrequencyDBs(adminCtx()); len(l) != 0 {
		t.Fatalf("the reading stored %d databases", len(l))
	}
	run(t, ctx, chromedp.Click("#freq-commit"), chromedp.WaitVisible("#freq-stored"))
	if s := text(t, ctx, "#freq-dbs"); !strings.Contains(s, "lab-nist") || !strings.Contains(s, "NIST 1036") {
		t.Errorf("stored list: %q", s)
	}
	var got homeward.FrequencyDB
	apiGet(t, w, "analyst1", "/api/v1/frequency-dbs/lab-nist", &got)
	if got.Version != 1 || got.Format != "nist" || len(got.Markers) < 20 {
		t.Errorf("API: version %d format %q, %d markers", got.Version, got.Format, len(got.Markers))
	}
}
