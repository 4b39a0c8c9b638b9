package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/auth"
)

// A user keeps their own settings: Korean chosen on the settings page is the language of every
// page at once and, stored with the user, on a browser that has never chosen one; a new password
// needs the current one (a wrong one is refused beside its field, nothing changed) and then ends
// the session.
func TestE2EAccountSettings(t *testing.T) {
	ctx := browser(t)
	w := newWorld(t)
	base := w.srv.URL
	addUser(t, w, "kim", homeward.RoleAnalyst)
	run(t, ctx, signIn(base, "kim"), chromedp.Click("#nav-account"), chromedp.WaitVisible("#save-account"),
		chromedp.SetValue("#acc-language", "ko"), chromedp.Clear("#acc-display"), chromedp.SendKeys("#acc-display", "김지현"),
		chromedp.Click("#save-account"), chromedp.WaitVisible(`//html[@lang="ko"]//p[contains(@class,"flash")]`))
	kim, err := w.db.GetUserByUsername(adminCtx(), "kim")
	if err != nil || kim.Language != homeward.LanguageKorean || kim.DisplayName != "김지현" {
		t.Fatalf("stored: %+v %v", kim, err)
	}
	// Another browser (no cookies, an English Accept-Language): Korean after signing in.
	if _, err := chromedp.Call(ctx, network.ClearBrowserCookies, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	run(t, ctx, signIn(base, "kim"))
	if lang := attr(t, ctx, "html", "lang"); lang != "ko" {
		t.Errorf("after signing in elsewhere the page is in %q", lang)
	}
	// The wrong current password: refused beside it, the password unchanged.
	run(t, ctx, chromedp.Navigate(base+"/account"), chromedp.WaitVisible("#save-account"),
		chromedp.SendKeys("#acc-current", "not my password"), chromedp.SendKeys("#acc-new", "a new and unusual passphrase"),
		chromedp.Click("#save-account"), chromedp.WaitVisible("#err-acc-current"))
	if msg := text(t, ctx, "#err-acc-current"); msg != "현재 비밀번호가 아닙니다" {
		t.Errorf("the refusal on a Korean page: %q", msg)
	}
	if v := value(t, ctx, "#acc-current") + value(t, ctx, "#acc-new"); v != "" {
		t.Errorf("passwords sent back: %q", v)
	}
	if kim2, _ := w.db.GetUserByUsername(adminCtx(), "kim"); kim2.PasswordHash != kim.PasswordHash {
		t.Error("the password changed on a refusal")
	}
	// A new password too short: refused in Korean with its figure.
	run(t, ctx, chromedp.SendKeys("#acc-current", "correct horse battery"), chromedp.SendKeys("#acc-new", "short"),
		chromedp.Click("#save-account"), chromedp.WaitVisible("#err-acc-new"))
	if msg := text(t, ctx, "#err-acc-new"); !strings.HasSuffix(msg, "자 이상이어야 합니다") || !strings.ContainsAny(msg, "0123456789") {
		t.Errorf("a refusal with a value on a Korean page: %q", msg)
	}
	// The right one: changed, and the browser signs in again.
	run(t, ctx, chromedp.SendKeys("#acc-current", "correct horse battery"), chromedp.SendKeys("#acc-new", "a new and unusual passphrase"),
		chromedp.Click("#save-account"), chromedp.WaitVisible("#username"))
	kim, _ = w.db.GetUserByUsername(adminCtx(), "kim")
	if !auth.VerifyPassword(kim.PasswordHash, "a new and unusual passphrase") {
		t.Error("the new password does not work")
	}
	// Back to the browser's language: English again (the browser asks for English).
	run(t, ctx, chromedp.SendKeys("#username", "kim"), chromedp.SendKeys("#password", "a new and unusual passphrase"), chromedp.Click("#signin"),
		chromedp.WaitVisible("#save-account"), // back where the change was made
		chromedp.SetValue("#acc-language", ""), chromedp.Click("#save-account"), chromedp.WaitVisible(`//html[@lang="en"]//p[contains(@class,"flash")]`))
	if body := text(t, ctx, "header"); !strings.Contains(body, "Sign out") {
		t.Errorf("header not in English: %q", body)
	}
}
