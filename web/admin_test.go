package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/auth"
)

// An administrator manages users in the browser: a new user refused for a common password (the
// message beside it, the name kept), then made with two roles; a role taken away; an API token
// made (its secret shown once, and it works) and revoked; the audit log read and filtered, a page
// at a time. A custodian sees neither page.
func TestE2EAdministration(t *testing.T) {
	ctx := browser(t)
	w := newWorld(t)
	base := w.srv.URL
	addUser(t, w, "admin1", homeward.RoleAdmin)
	run(t, ctx, signIn(base, "admin1"), chromedp.Click("#nav-users"), chromedp.WaitVisible("#create-user"),
		chromedp.SendKeys("#nu-username", "park"), chromedp.SendKeys("#nu-password", "password123"),
		chromedp.Click("#nu-role-custodian"), chromedp.Click("#create-user"), chromedp.WaitVisible("#err-nu-password"))
	if kept := value(t, ctx, "#nu-username"); kept != "park" {
		t.Errorf("user name lost on refusal: %q", kept)
	}
	run(t, ctx, chromedp.SendKeys("#nu-password", "a long and unusual passphrase"), chromedp.Click("#nu-role-custodian"), chromedp.Click("#nu-role-liaison"),
		chromedp.Click("#create-user"), chromedp.WaitVisible(flash("Created park")))
	park, err := w.db.GetUserByUsername(adminCtx(), "park")
	if err != nil || len(park.Roles) != 2 {
		t.Fatalf("park: %+v %v", park, err)
	}
	// Liaison taken away.
	run(t, ctx, chromedp.Click(`#user-park input[value="liaison"]`), chromedp.Click("#save-park"), chromedp.WaitVisible(flash("Saved park")))
	if park, _ = w.db.GetUserByUsername(adminCtx(), "park"); len(park.Roles) != 1 || park.Roles[0] != homeward.RoleCustodian {
		t.Errorf("park's roles: %v", park.Roles)
	}
	// A token: shown once, it signs requests in, then revoked it does not.
	run(t, ctx, chromedp.SendKeys("#token-name-park", "scanner"), chromedp.Click("#token-park"), chromedp.WaitVisible("#secret"))
	secret := text(t, ctx, "#secret")
	if u, _, err := w.db.UserByAPIToken(adminCtx(), auth.HashToken(secret)); err != nil || u.Username != "park" {
		t.Fatalf("the new token: %v %v", u, err)
	}
	run(t, ctx, chromedp.Click(`#user-park .token button`), chromedp.WaitVisible(flash("Revoked token")))
	if _, _, err := w.db.UserByAPIToken(adminCtx(), auth.HashToken(secret)); err == nil {
		t.Error("a revoked token still works")
	}
	// The audit log: park's creation is there, filtered by record kind.
	run(t, ctx, chromedp.Click("#nav-audit"), chromedp.WaitVisible("#audit"),
		chromedp.SendKeys("#f-entity", "user"), chromedp.Click("#filter"),
		chromedp.WaitVisible(`//input[@id="f-entity"][@value="user"]`)) // the filtered page (typing sets no attribute)
	if a := text(t, ctx, "#audit"); !strings.Contains(a, "admin1") || !strings.Contains(a, "create") || strings.Contains(a, "custody_event") {
		t.Errorf("audit filtered by user records: %q", a)
	}
	shot(t, ctx, "audit")
	// Those without the permission see neither.
	run(t, ctx, signIn(base, "custodian1"))
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#nav-users, #nav-audit").length`)); err != nil || n != 0 {
		t.Errorf("a custodian's menu has %d administration links (%v)", n, err)
	}
	run(t, ctx, chromedp.Navigate(base+"/admin/users"), chromedp.WaitVisible("main"))
	if body := text(t, ctx, "main"); strings.Contains(body, "park") {
		t.Errorf("a custodian reads the users page: %q", body)
	}
}
