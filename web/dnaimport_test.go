package web_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/homeward/homeward"
)

// A DNA analyst imports a laboratory's GeneMapper export through the page: the file read and
// checked first (nothing stored), its report shown, then the same file committed; a file with a
// rejected row shows the row, its line and why, and offers no commit.
func TestE2EGenotypeImport(t *testing.T) {
	ctx := browser(t)
	w := newWorld(t)
	base := w.srv.URL
	before := profiles(t, w)
	ref3, err := filepath.Abs("../labfmt/genemapper/testdata/ref3.txt") // the browser wants a full path
	if err != nil {
		t.Fatal(err)
	}
	run(t, ctx, signIn(base, "analyst1"), chromedp.Click("#nav-dna-import"), chromedp.WaitVisible("#file"),
		chromedp.SetUploadFiles("#file", []string{ref3}),
		chromedp.SetValue("#role", "reference"), chromedp.Click("#check"), chromedp.WaitVisible("#commit"))
	if rep := text(t, ctx, "#report"); !strings.HasPrefix(rep, "3 samples") {
		t.Errorf("dry run report %q", rep)
	}
	if n := profiles(t, w); n != before {
		t.Fatalf("the dry run stored %d profiles", n-before)
	}
	run(t, ctx, chromedp.Click("#commit"), chromedp.WaitVisible("#another"))
	if rep := text(t, ctx, "#report"); !strings.Contains(rep, "3 created") {
		t.Errorf("commit report %q", rep)
	}
	if n := profiles(t, w); n != before+3 {
		t.Errorf("committed %d profiles, want 3", n-before)
	}
	badFile := filepath.Join(t.TempDir(), "bad.txt")
	if err := os.WriteFile(badFile, []byte("Sample Name\tMarker\tAllele 1\tAllele 2\tAllele 3\nX1\tTH01\t6\t7\t\nX2\tTH01\t6\t7\t8\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	run(t, ctx, chromedp.Click("#another"), chromedp.WaitVisible("#file"), chromedp.SetUploadFiles("#file", []string{badFile}),
		chromedp.Click("#check"), chromedp.WaitVisible("#import-error"))
	if rej := text(t, ctx, "#rejected"); !strings.Contains(rej, "3") || !strings.Contains(rej, "X2") {
		t.Errorf("rejected rows %q", rej)
	}
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#commit").length`)); err != nil || n != 0 {
		t.Errorf("a file with a rejected row may be committed (%d, %v)", n, err)
	}
}

func profiles(t *testing.T, w *world) int {
	l, err := w.db.ListProfiles(adminCtx(), homeward.ProfileFilter{Page: homeward.Page{Limit: 1}})
	if err != nil {
		t.Fatal(err)
	}
	return l.Total
}
