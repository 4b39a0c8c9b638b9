package web_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// A screen's DVI analysis is computed once, kept, and shown from the store: a second view shows
// what is stored (here marked by the test), and a change of the case (here its recorded hash made
// stale) has it computed again.
func TestE2EDVIComputedOnce(t *testing.T) {
	ctx := browser(t)
	w := newWorld(t)
	base := w.srv.URL
	admin := adminCtx()
	run(t, ctx, signIn(base, "analyst1"), chromedp.Navigate(base+"/screens/1/dvi"), chromedp.WaitVisible("#dvi-am"))
	if s := text(t, ctx, "#dvi-status"); !strings.HasPrefix(s, "Computed") {
		t.Errorf("status %q", s)
	}
	stored, err := w.db.GetDVIResult(admin, 1)
	if err != nil || stored.Status != "done" || len(stored.CaseHash) != 64 {
		t.Fatalf("stored analysis %+v %v", stored, err)
	}
	// Served from the store: the stored result, marked, is what the page shows.
	var a map[string]any
	if err := json.Unmarshal(stored.Result, &a); err != nil {
		t.Fatal(err)
	}
	a["joint"], a["joint_note"] = nil, "marked by the test"
	stored.Result, _ = json.Marshal(a)
	if err := w.db.SaveDVIResult(admin, stored); err != nil {
		t.Fatal(err)
	}
	run(t, ctx, chromedp.Navigate(base+"/screens/1/dvi"), chromedp.WaitVisible("#dvi-am"))
	if body := text(t, ctx, "main"); !strings.Contains(body, "marked by the test") {
		t.Errorf("the second view did not show the stored analysis: %q", body)
	}
	// Another case: computed again.
	stored.CaseHash = strings.Repeat("0", 64)
	if err := w.db.SaveDVIResult(admin, stored); err != nil {
		t.Fatal(err)
	}
	run(t, ctx, chromedp.Navigate(base+"/screens/1/dvi"), chromedp.WaitVisible("#dvi-joint"))
	if body := text(t, ctx, "main"); strings.Contains(body, "marked by the test") {
		t.Error("a stale analysis was shown")
	}
	if again, _ := w.db.GetDVIResult(admin, 1); again.CaseHash == strings.Repeat("0", 64) {
		t.Error("the new analysis was not kept")
	}
}
