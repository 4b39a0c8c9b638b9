package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/homeward/homeward"
)

// A reviewer gives an e-mail address on their settings page (one the browser takes but that has no
// domain to reach is refused beside the field); an identification submitted then queues a notice
// to them, in their language, which the administrator sees on the users page with each user's
// address.
func TestE2EReviewNotices(t *testing.T) {
	ctx := browser(t)
	w := newWorld(t)
	base := w.srv.URL
	run(t, ctx, signIn(base, "reviewer2"), chromedp.Navigate(base+"/account"), chromedp.WaitVisible("#acc-email"),
		chromedp.SendKeys("#acc-email", "reviewer2@localhost"), chromedp.Click("#save-account"), chromedp.WaitVisible("#err-acc-email"))
	if msg := text(t, ctx, "#err-acc-email"); !strings.Contains(msg, "is not an e-mail address") {
		t.Errorf("malformed address: %q", msg)
	}
	run(t, ctx, chromedp.Clear("#acc-email"), chromedp.SendKeys("#acc-email", "reviewer2@example.org"), chromedp.SetValue("#acc-language", "ko"),
		chromedp.Click("#save-account"), chromedp.WaitVisible(`//html[@lang="ko"]//p[contains(@class,"flash")]`))
	// A second identification of the same remains, proposed and submitted by analyst1: its first
	// stage is asked of the reviewers, reviewer2 by e-mail (reviewer1 has no address).
	x := submitAnother(t, w)
	addUser(t, w, "admin1", homeward.RoleAdmin)
	run(t, ctx, signIn(base, "admin1"), chromedp.Navigate(base+"/admin/users"), chromedp.WaitVisible("#outbox"))
	if row := text(t, ctx, "#user-reviewer2"); !strings.Contains(row, "reviewer2@example.org") || !strings.Contains(row, "(ko)") {
		t.Errorf("the users table: %q", row)
	}
	box := text(t, ctx, "#outbox")
	if !strings.Contains(box, "reviewer2 <reviewer2@example.org>") || !strings.Contains(box, "awaits_review") && !strings.Contains(box, "심사 요청") {
		t.Errorf("the outbox: %q", box)
	}
	box2, err := w.db.ListOutbox(adminCtx(), 10)
	if err != nil || len(box2) != 1 || box2[0].Lang != homeward.LanguageKorean || box2[0].Username != "reviewer2" || box2[0].IdentificationID != x.ID || box2[0].SentAt != nil {
		t.Errorf("stored notices: %+v %v", box2, err)
	}
}

func mustUser(t *testing.T, w *world, name string) *homeward.User {
	t.Helper()
	u, err := w.db.GetUserByUsername(adminCtx(), name)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// submitAnother proposes a second identification of the world's remains as analyst1, with a DNA
// line, and submits it: its first stage is asked of the reviewers.
func submitAnother(t *testing.T, w *world) *homeward.Identification {
	t.Helper()
	an := homeward.NewContextWithUser(adminCtx(), mustUser(t, w, "analyst1"))
	x := &homeward.Identification{MissingPersonID: w.ident.MissingPersonID, ProfileIDs: w.ident.ProfileIDs, Summary: "a second look"}
	if err := w.db.CreateIdentification(an, x); err != nil {
		t.Fatal(err)
	}
	lr := 1e6
	if err := w.db.AddEvidence(an, &homeward.EvidenceLine{IdentificationID: x.ID, Kind: homeward.EvidenceAutosomalDNA, Conclusion: homeward.ConclusionSupports, Summary: "mother", LR: &lr}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.db.Submit(an, x.ID, ""); err != nil {
		t.Fatal(err)
	}
	return x
}
