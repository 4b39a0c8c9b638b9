package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/homeward/homeward"
)

// An identification through the pages only: an analyst proposes it from the candidate remains on
// the person's page, records a DNA line (a refused value comes back beside its field), submits;
// two reviewers approve it in two stages, each after a confirmation saying what will change; the
// liaison records that the sister was told and the burial; an administrator withdraws it, after
// its confirmation. Each step is checked in the store.
func TestE2EIdentificationJourney(t *testing.T) {
	ctx := browser(t)
	w := newWorld(t)
	base := w.srv.URL
	admin := adminCtx()
	addUser(t, w, "liaison1", homeward.RoleLiaison)
	addUser(t, w, "admin1", homeward.RoleAdmin)
	sister := &homeward.FamilyMember{MissingPersonID: 1, FamilyName: "Kim", GivenNames: "Soo-ah", Relationship: "sister"}
	if err := w.db.CreateFamilyMember(admin, sister); err != nil {
		t.Fatal(err)
	}

	// The analyst proposes it from the person's candidate remains.
	run(t, ctx, signIn(base, "analyst1"), chromedp.Navigate(base+"/persons/1"), chromedp.WaitReady("#propose-PM-1"))
	href := attr(t, ctx, "#propose-PM-1", "href")
	run(t, ctx, chromedp.Navigate(base+href), chromedp.WaitVisible("#person-named"))
	if p, s := text(t, ctx, "#person-named"), text(t, ctx, "#profile-named"); !strings.Contains(p, "Kim, Min-jun") || s != "PM-1" {
		t.Errorf("proposal form names %q and %q", p, s)
	}
	run(t, ctx, chromedp.SendKeys("#summary", "PM-1 is Kim Min-jun"), chromedp.SendKeys("#basis", "the men lost at Kunu-ri"),
		chromedp.SetValue("#candidates", "4"), chromedp.Click("#propose"), chromedp.WaitVisible("#ev-kind"))
	id := lastIdent(t, w)
	if id.Status != homeward.IdentDraft || id.Author != "analyst1" || len(id.ProfileIDs) != 1 || id.Prior == nil || id.Prior.Population != "closed" {
		t.Fatalf("proposed %+v", id)
	}
	// The author's start page lists the draft.
	run(t, ctx, chromedp.Navigate(base+"/"), chromedp.WaitVisible("#my-drafts"))
	if q := text(t, ctx, "#my-drafts"); !strings.Contains(q, "PM-1 is Kim Min-jun") || !strings.Contains(q, "draft") {
		t.Errorf("author's queue: %q", q)
	}
	run(t, ctx, chromedp.Navigate(base+"/identifications/"+itoa(id.ID)), chromedp.WaitVisible("#ev-lr"))
	// A DNA line: a value that is not a number is refused beside its field, the summary kept.
	run(t, ctx, chromedp.SetValue("#ev-kind", "autosomal_dna"), chromedp.SendKeys("#ev-lr", "lots"), chromedp.SendKeys("#ev-summary", "mother, TH01"),
		chromedp.Click("#add-evidence"), chromedp.WaitVisible("#err-ev-lr"))
	if kept := value(t, ctx, "#ev-summary"); kept != "mother, TH01" {
		t.Errorf("summary lost on refusal: %q", kept)
	}
	run(t, ctx, chromedp.SetValue("#ev-lr", "2.5e7"), chromedp.Click("#add-evidence"), chromedp.WaitVisible(flash("Evidence recorded")),
		chromedp.Click("#submit"), chromedp.WaitVisible(flash("Submitted")))
	if x := ident(t, w, id.ID); x.Status != homeward.IdentInReview || x.LR == nil || *x.LR != 2.5e7 {
		t.Fatalf("submitted %+v", x)
	}
	// Two reviewers, each confirming what their approval changes.
	path := base + "/identifications/" + itoa(id.ID)
	// A reviewer's start page: the identification with the stage it waits at.
	run(t, ctx, signIn(base, "reviewer1"), chromedp.WaitVisible("#in-review"))
	if q := text(t, ctx, "#in-review"); !strings.Contains(q, "#"+itoa(id.ID)) || !strings.Contains(q, "technical_review") {
		t.Errorf("reviewer's queue: %q", q)
	}
	run(t, ctx, chromedp.Navigate(path), chromedp.WaitVisible("#approve"), chromedp.Click("#approve"), chromedp.WaitVisible("#confirm"))
	if c := text(t, ctx, "#changes"); !strings.Contains(c, "moves to stage scientific_review") {
		t.Errorf("first stage confirmation %q", c)
	}
	run(t, ctx, chromedp.Click("#confirm-button"), chromedp.WaitVisible(".flash"))
	run(t, ctx, signIn(base, "reviewer2"), chromedp.Navigate(path), chromedp.WaitVisible("#approve"), chromedp.Click("#approve"), chromedp.WaitVisible("#confirm"))
	if c := text(t, ctx, "#changes"); !strings.Contains(c, "Kim, Min-jun (K-1001) becomes accounted for") {
		t.Errorf("final confirmation %q", c)
	}
	run(t, ctx, chromedp.Click("#confirm-button"), chromedp.WaitVisible(".flash"))
	if x := ident(t, w, id.ID); x.Status != homeward.IdentApproved {
		t.Fatalf("after two approvals: %s", x.Status)
	}
	if mp, _ := w.db.GetMissingPerson(admin, 1); mp.Status != homeward.StatusAccountedFor {
		t.Errorf("person after approval: %s", mp.Status)
	}
	// The liaison: the family to notify is on the start page; the sister told, the burial recorded.
	run(t, ctx, signIn(base, "liaison1"), chromedp.WaitVisible("#to-notify"))
	if q := text(t, ctx, "#to-notify"); !strings.Contains(q, "#"+itoa(id.ID)) {
		t.Errorf("liaison's queue: %q", q)
	}
	run(t, ctx, chromedp.Navigate(path), chromedp.WaitVisible("#notify"),
		chromedp.SetValue("#method", "phone"), chromedp.SendKeys("#notify-notes", "she asked for the report"),
		chromedp.Click("#notify"), chromedp.WaitVisible(flash("Notification recorded")),
		chromedp.SetValue("#dp-kind", "burial"), chromedp.SendKeys("#dp-place", "Daejeon National Cemetery"), chromedp.SendKeys("#dp-date", "2026-12-01"),
		chromedp.Click("#dispose"), chromedp.WaitVisible(flash("Disposition recorded")))
	ns, err := w.db.ListNotifications(admin, id.ID)
	if err != nil || len(ns) != 1 || ns[0].FamilyMemberID != sister.ID || ns[0].Method != homeward.NotifyPhone || ns[0].By != "liaison1" {
		t.Errorf("notifications %+v %v", ns, err)
	}
	run(t, ctx, chromedp.Navigate(base+"/"), chromedp.WaitVisible("#unaccounted"))
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#to-notify").length`)); err != nil || n != 0 {
		t.Errorf("the family told is still to notify (%d, %v)", n, err)
	}
	if dp, err := w.db.GetDisposition(admin, id.ID); err != nil || dp.Kind != homeward.DispositionBurial || dp.Place != "Daejeon National Cemetery" {
		t.Errorf("disposition %+v %v", dp, err)
	}
	// The administrator withdraws it, after the confirmation.
	run(t, ctx, signIn(base, "admin1"), chromedp.Navigate(path), chromedp.WaitVisible("#reason"),
		chromedp.SendKeys("#reason", "sample mix-up at the laboratory"), chromedp.Click("#withdraw"), chromedp.WaitVisible("#confirm"))
	if c := text(t, ctx, "#changes"); !strings.Contains(c, "goes back to unaccounted for") {
		t.Errorf("withdrawal confirmation %q", c)
	}
	if x := ident(t, w, id.ID); x.Status != homeward.IdentApproved {
		t.Fatalf("withdrawn before the confirmation: %s", x.Status)
	}
	run(t, ctx, chromedp.Click("#confirm-button"), chromedp.WaitVisible(".flash"))
	if x := ident(t, w, id.ID); x.Status != homeward.IdentWithdrawn {
		t.Errorf("after the withdrawal: %s", x.Status)
	}
	if mp, _ := w.db.GetMissingPerson(admin, 1); mp.Status != homeward.StatusUnaccounted {
		t.Errorf("person after the withdrawal: %s", mp.Status)
	}
	shot(t, ctx, "identification-withdrawn")
}

func ident(t *testing.T, w *world, id int64) *homeward.Identification {
	x, err := w.db.GetIdentification(adminCtx(), id)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// lastIdent is the newest identification.
func lastIdent(t *testing.T, w *world) *homeward.Identification {
	l, err := w.db.ListIdentifications(adminCtx(), homeward.IdentificationFilter{Page: homeward.Page{Limit: 1}})
	if err != nil || len(l.Items) == 0 {
		t.Fatalf("identifications: %v %v", l, err)
	}
	return &l.Items[0]
}

// flash finds the page's message saying what was just done.
func flash(words string) string {
	return `//*[contains(@class, "flash")][contains(., "` + words + `")]`
}
