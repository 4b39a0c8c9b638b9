// Pages read without a browser, on a tablet and by keyboard, and the custody log page (helpers in e2e_test.go).

package web_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// Pages refuse the signed-out and answer unknown records with a page and the right status.
func TestPagesWithoutBrowser(t *testing.T) {
	w := newWorld(t)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Get(w.srv.URL + "/persons")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
		t.Errorf("signed out: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if res, err := client.Get(w.srv.URL + "/static/style.css"); err != nil || res.StatusCode != 200 {
		t.Errorf("stylesheet: %v", err)
	}
	// An analyst's dashboard lists the screen candidate not yet identified, with its LR table link;
	// a custodian's does not.
	page := func(user, path string) string {
		res, err := client.PostForm(w.srv.URL+"/login", url.Values{"username": {user}, "password": {"correct horse battery"}})
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		req, _ := http.NewRequest("GET", w.srv.URL+path, nil)
		for _, c := range res.Cookies() {
			req.AddCookie(c)
		}
		res, err = client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return string(b)
	}
	if body := page("analyst1", "/"); !strings.Contains(body, `id="dash-candidates"`) || !strings.Contains(body, "/pairing?victim=PM-1&amp;family=FAM-KIM") {
		t.Errorf("analyst dashboard lacks the candidate:\n%s", body)
	}
	if body := page("custodian1", "/"); strings.Contains(body, `id="dash-candidates"`) || !strings.Contains(body, `id="locations"`) {
		t.Error("custodian dashboard")
	}
	// Registry search by unit, date of loss, place and incident.
	for path, want := range map[string]bool{
		"/persons?unit=2nd+infantry&lost_from=1950-11": true, "/persons?lost_from=1951": false, "/persons?place=kunu": true,
		"/persons?unit=marine": false,
	} {
		if body := page("custodian1", path); strings.Contains(body, "Kim, Min-jun") != want {
			t.Errorf("%s: Kim listed %v", path, !want)
		}
	}
	if body := page("custodian1", "/incidents?q=kunu&from=1950"); !strings.Contains(body, "KW-1950-11-0007") || !strings.Contains(body, "/persons?incident=") {
		t.Error("incident search")
	}
	if body := page("custodian1", "/persons?lost_to=30.11.1950"); !strings.Contains(body, "lost_to") || !strings.Contains(body, "is not a date") {
		t.Error("a bad date is not explained")
	}
}

// At tablet width (768 x 1024, touch) no page scrolls sideways (wide tables scroll within the
// page), every control can be reached with the keyboard and has a name, and focus is visible.
func TestTabletAndKeyboard(t *testing.T) {
	ctx := browser(t)
	w := newWorld(t)
	base := w.srv.URL
	run(t, ctx, signIn(base, "reviewer2"), chromedp.EmulateViewport(768, 1024, chromedp.EmulateTouch))
	for _, path := range []string{"/", "/persons?q=Kim", "/incidents", "/containers/K55-001", "/containers/K55-001/lab", "/containers/K55-001/labels",
		"/identifications/" + itoa(w.ident.ID), "/identifications/" + itoa(w.ident.ID) + "/summary", "/map", "/stats", "/families", "/screens"} {
		run(t, ctx, chromedp.Navigate(base+path), chromedp.WaitVisible("body > main"))
		over, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth - document.documentElement.clientWidth`))
		if err != nil || over > 1 {
			t.Errorf("%s scrolls sideways by %d px at tablet width (%v)", path, over, err)
		}
		unnamed, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("a[href], button, input:not([type=hidden]), select, textarea"))
			.filter(e => !(e.innerText || "").trim() && !e.getAttribute("aria-label") && !(e.labels && e.labels.length) && !e.querySelector("title") && !e.value)
			.map(e => e.outerHTML.slice(0, 80))`))
		if err != nil || len(unnamed) > 0 {
			t.Errorf("%s: controls without a name: %v %v", path, unnamed, err)
		}
	}
	// Keyboard: from the top of the identification page, Tab reaches the approve button, and the
	// focused control has a visible outline.
	run(t, ctx, chromedp.Navigate(base+"/identifications/"+itoa(w.ident.ID)), chromedp.WaitVisible("#approve"))
	reached := false
	for i := 0; i < 60 && !reached; i++ {
		run(t, ctx, chromedp.KeyEvent("\t"))
		id, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.id`))
		if err != nil {
			t.Fatal(err)
		}
		reached = id == "approve"
	}
	if !reached {
		t.Fatal("the approve button cannot be reached with Tab")
	}
	outline, err := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.activeElement).outlineStyle`))
	if err != nil || outline == "none" {
		t.Errorf("focus not visible: outline %q %v", outline, err)
	}
}

// The custody log page: verified, the newest checkpoint shown to keep elsewhere, and a checkpoint
// pasted back found consistent; a tampered one refused.
func TestE2ECustodyLog(t *testing.T) {
	ctx := browser(t)
	w := newWorld(t)
	base := w.srv.URL
	run(t, ctx, signIn(base, "custodian1"), chromedp.Navigate(base+"/custody"), chromedp.WaitVisible("#log-verify"))
	if v, sum := text(t, ctx, "#log-verify"), text(t, ctx, "#log-summary"); v != "verified" || !strings.Contains(sum, "log entries") {
		t.Errorf("log page: %q %q", v, sum)
	}
	cp := text(t, ctx, "#checkpoint")
	if !strings.HasPrefix(cp, "homeward custody log v1") {
		t.Fatalf("checkpoint %q", cp)
	}
	shot(t, ctx, "custody-log")
	run(t, ctx, chromedp.SendKeys("#since", cp), chromedp.Click("#check-since"), chromedp.WaitVisible("#since-result"))
	if res := text(t, ctx, "#since-result"); !strings.Contains(res, "consistent") || strings.Contains(res, "not consistent") {
		t.Errorf("pasted checkpoint: %q", res)
	}
	forged := strings.Replace(cp, "\n", "\n9", 1) // another size: its signature no longer holds
	run(t, ctx, chromedp.Navigate(base+"/custody"), chromedp.WaitVisible("#since"), chromedp.SendKeys("#since", forged), chromedp.Click("#check-since"), chromedp.WaitVisible("#since-result"))
	if res := text(t, ctx, "#since-result"); !strings.Contains(res, "not consistent") {
		t.Errorf("forged checkpoint: %q", res)
	}
	// An unknown address gets a page in the application's layout, menu included.
	run(t, ctx, chromedp.Navigate(base+"/no/such/page"), chromedp.WaitVisible("h1"))
	if h1, body := text(t, ctx, "h1"), text(t, ctx, "main"); h1 != "Page not found" || !strings.Contains(body, "/no/such/page") {
		t.Errorf("404 page: %q %q", h1, body)
	}
	if nav := text(t, ctx, "nav"); !strings.Contains(nav, "Custody log") {
		t.Errorf("404 page without the menu: %q", nav)
	}
}
