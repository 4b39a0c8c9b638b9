package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/homeward/homeward"
)

// The search box on every page finds a relative by an McCune–Reischauer spelling of her Hangul
// name, with the missing person she is the relative of one click away, and a person by Hangul.
func TestE2ESiteSearch(t *testing.T) {
	ctx := browser(t)
	w := newWorld(t)
	base := w.srv.URL
	sister := &homeward.FamilyMember{MissingPersonID: 1, FamilyName: "Kim", GivenNames: "Young-ja", NativeName: "김영자", Relationship: "sister"}
	if err := w.db.CreateFamilyMember(adminCtx(), sister); err != nil {
		t.Fatal(err)
	}
	run(t, ctx, signIn(base, "analyst1"), chromedp.Navigate(base+"/containers"), chromedp.WaitVisible("#site-q"),
		chromedp.SendKeys("#site-q", "Kim Yŏng-ja"), chromedp.Click("#site-search"), chromedp.WaitVisible("#hits-relatives"))
	rel := text(t, ctx, "main")
	if !strings.Contains(rel, "Kim, Young-ja") || !strings.Contains(rel, "김영자") || !strings.Contains(rel, "relative of") {
		t.Errorf("search results: %q", rel)
	}
	run(t, ctx, chromedp.Click("#search-relatives a"), chromedp.WaitVisible("#status"))
	if loc, err := chromedp.Run(ctx, chromedp.Location()); err != nil || !strings.HasSuffix(loc, "/persons/1") {
		t.Errorf("the relative's person: %s %v", loc, err)
	}
	// A name with a letter wrong finds nothing as typed, and offers the close names.
	run(t, ctx, chromedp.Navigate(base+"/persons?q=Kim+Minjum"), chromedp.WaitVisible("#close-names"))
	if c := text(t, ctx, "#close-names"); !strings.Contains(c, "Kim, Min-jun") {
		t.Errorf("close names: %q", c)
	}
	// The search box with letters wrong in a relative's and a person's name: their close names,
	// said to be close.
	run(t, ctx, chromedp.Navigate(base+"/search?q=Kim+Youngje"), chromedp.WaitVisible("#search-relatives"))
	if h, l := text(t, ctx, "#hits-relatives"), text(t, ctx, "#search-relatives"); !strings.Contains(h, "Close names") || !strings.Contains(l, "Kim, Young-ja") {
		t.Errorf("close relatives: %q %q", h, l)
	}
	run(t, ctx, chromedp.Navigate(base+"/search?q=Kim+Minjum"), chromedp.WaitVisible("#search-persons"))
	if h, l := text(t, ctx, "#hits-persons"), text(t, ctx, "#search-persons"); !strings.Contains(h, "Close names") || !strings.Contains(l, "Kim, Min-jun") {
		t.Errorf("close persons: %q %q", h, l)
	}
	// In Korean, the same box, the headings in Korean.
	run(t, ctx, chromedp.Navigate(base+"/lang?to=ko&next=/search?q=%EA%B9%80%EC%98%81%EC%9E%90"), chromedp.WaitVisible("#hits-relatives"))
	if h := text(t, ctx, "#hits-relatives"); !strings.Contains(h, "유가족") {
		t.Errorf("Korean heading: %q", h)
	}
	// The family summary follows the page's language.
	run(t, ctx, chromedp.Navigate(base+"/identifications/"+itoa(w.ident.ID)+"/summary"), chromedp.WaitVisible("#summary"))
	if s, lang := text(t, ctx, "#summary"), attr(t, ctx, "#summary", "lang"); !strings.Contains(s, "보고되었습니다") || lang != "ko" {
		t.Errorf("Korean family summary (lang %q): %q", lang, s)
	}
}
