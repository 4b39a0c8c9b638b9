package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/homeward/homeward"
)

const axeDir = "testdata/axe"

// axeSource is axe-core's script, installed from the npm registry at the version of
// testdata/axe/package-lock.json.
func axeSource(t *testing.T) string {
	t.Helper()
	file := filepath.Join(axeDir, "node_modules", "axe-core", "axe.min.js")
	if _, err := os.Stat(file); err != nil {
		cmd := exec.Command("npm", "ci", "--no-audit", "--no-fund")
		cmd.Dir = axeDir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("npm ci in %s: %v\n%s", axeDir, err, out)
		}
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// axeViolation is one rule a page breaks, with the elements that break it.
type axeViolation struct {
	ID, Impact, Help string
	Nodes            []struct {
		Target []any `json:"target"`
	} `json:"nodes"`
}

// axeCheck runs axe-core on the page the browser shows, for WCAG 2.0-2.2 A and AA, and returns
// the serious and critical violations.
func axeCheck(t *testing.T, ctx context.Context, src string) []axeViolation {
	t.Helper()
	script := src + `;axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}, resultTypes: ["violations"]})
		.then(r => JSON.stringify(r.violations.filter(v => v.impact === "serious" || v.impact === "critical")))`
	out, err := chromedp.Run(ctx, chromedp.Evaluate[string](script, func(p *runtime.EvaluateParams) { yes := true; p.AwaitPromise = &yes }))
	if err != nil {
		t.Fatalf("axe: %v", err)
	}
	var vs []axeViolation
	if err := json.Unmarshal([]byte(out), &vs); err != nil {
		t.Fatalf("axe answer %q: %v", out, err)
	}
	return vs
}

// Every page of the application, as the roles that see most of it, has no serious or critical
// WCAG 2.2 A/AA violation that axe-core finds.
func TestE2EAccessibility(t *testing.T) {
	ctx := browser(t)
	src := axeSource(t)
	w := newWorld(t)
	base := w.srv.URL
	addUser(t, w, "admin1", homeward.RoleAdmin)
	// A notice in the outbox, so the users page shows its table.
	rv2 := mustUser(t, w, "reviewer2")
	rv2.Email = "reviewer2@example.org"
	if err := w.db.UpdateUser(adminCtx(), rv2); err != nil {
		t.Fatal(err)
	}
	submitAnother(t, w)
	ident := itoa(w.ident.ID)
	pages := []string{"/", "/persons", "/persons?q=kim", "/persons/1", "/incidents", "/map", "/containers", "/containers/K55-001",
		"/containers/K55-001/lab", "/containers/K55-001/labels", "/containers/K55-001/osteometry", "/identifications", "/identifications/" + ident,
		"/identifications/" + ident + "/summary", "/identifications/new?missing_person_id=1", "/families", "/families/1", "/screens", "/screens/1",
		"/stats", "/custody", "/audit", "/admin/users", "/account", "/frequencies", "/search?q=kim", "/dna/import", "/no/such/page"}
	checked := 0
	for _, user := range []string{"", "admin1", "reviewer2"} {
		if user == "" {
			run(t, ctx, chromedp.Navigate(base+"/login"), chromedp.WaitVisible("#username"))
			report(t, "/login (signed out)", axeCheck(t, ctx, src))
			checked++
			continue
		}
		run(t, ctx, signIn(base, user))
		for _, p := range pages {
			run(t, ctx, chromedp.Navigate(base+p), chromedp.WaitVisible(chromedp.CSS("main")))
			report(t, fmt.Sprintf("%s (%s)", p, user), axeCheck(t, ctx, src))
			checked++
			if user == "admin1" {
				shot(t, ctx, "page"+pageName(p)+"-en")
			}
		}
	}
	// Every page again in Korean (its texts and their lengths differ), as the administrator.
	run(t, ctx, signIn(base, "admin1"), chromedp.Navigate(base+"/lang?to=ko&next=/"), chromedp.WaitVisible(`//html[@lang="ko"]`))
	for _, p := range pages {
		run(t, ctx, chromedp.Navigate(base+p), chromedp.WaitVisible(chromedp.CSS("main")))
		report(t, p+" (admin1, Korean)", axeCheck(t, ctx, src))
		checked++
		shot(t, ctx, "page"+pageName(p)+"-ko")
	}
	t.Logf("%d pages checked with axe-core", checked)
}

func report(t *testing.T, page string, vs []axeViolation) {
	t.Helper()
	for _, v := range vs {
		var where []string
		for i, n := range v.Nodes {
			if i == 3 {
				where = append(where, fmt.Sprintf("and %d more", len(v.Nodes)-3))
				break
			}
			where = append(where, fmt.Sprint(n.Target...))
		}
		t.Errorf("%s: %s (%s): %s — %s", page, v.ID, v.Impact, v.Help, strings.Join(where, "; "))
	}
}

// pageName is an address as part of a file name: "/containers/K55-001/lab" is "-containers-K55-001-lab".
func pageName(path string) string {
	return strings.NewReplacer("/", "-", "?", "-", "=", "-", "&", "-").Replace(strings.TrimSuffix(path, "/"))
}
