package web_test

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/homeward/homeward"
)

// pngFile writes a small picture (a photo of an opened box, for the test) and returns its path.
func pngFile(t *testing.T, name string, shade uint8) string {
	img := image.NewRGBA(image.Rect(0, 0, 40, 30))
	for x := range 40 {
		for y := range 30 {
			img.Set(x, y, color.RGBA{shade, uint8(x * 6), uint8(y * 8), 255})
		}
	}
	p := filepath.Join(t.TempDir(), name)
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	return p
}

// A custodian records custody events of every kind from the container page: a refused event
// comes back with the message beside its field and what was typed kept; an opening carries two
// photos, stored as the container's attachments and named in the event; the seal check follows.
// Checked afterwards in the store, not only on the page.
func TestE2ECustodyForm(t *testing.T) {
	ctx := browser(t)
	w := newWorld(t)
	base := w.srv.URL
	run(t, ctx, signIn(base, "custodian1"), chromedp.Navigate(base+"/containers/K55-001"), chromedp.WaitVisible("#kind"))

	// A sealing without its seal number: refused, the message next to the field, the notes kept.
	run(t, ctx,
		chromedp.SetValue("#kind", "sealing"),
		chromedp.SendKeys("#notes", "resealed after inventory"),
		chromedp.Click("#record"),
		chromedp.WaitVisible("#err-seal_number"),
	)
	if msg, notes := text(t, ctx, "#err-seal_number"), value(t, ctx, "#notes"); !strings.Contains(msg, "required") || notes != "resealed after inventory" {
		t.Errorf("refusal: message %q, notes kept %q", msg, notes)
	}
	if inv := attr(t, ctx, "#seal_number", "aria-invalid"); inv != "true" {
		t.Errorf("the refused field is not marked invalid: %q", inv)
	}
	// The opening: the seal named, two photos.
	one, two := pngFile(t, "opening-1.png", 40), pngFile(t, "opening-2.png", 200)
	run(t, ctx,
		chromedp.SetValue("#kind", "opening"),
		chromedp.SetValue("#seal_number", "UNC-0042"),
		chromedp.SetValue("#location", "CIL Hawaii"),
		chromedp.SetUploadFiles("#photos", []string{one, two}),
		chromedp.Click("#record"),
		chromedp.WaitVisible(".flash"),
	)
	if ev := text(t, ctx, "#events"); !strings.Contains(ev, "opening") {
		t.Errorf("timeline without the opening: %q", ev)
	}
	photos, err := chromedp.Run(ctx, chromedp.Evaluate[int](`Array.from(document.querySelectorAll(".photos img")).filter(i => i.complete && i.naturalWidth > 0).length`))
	if err != nil || photos != 2 {
		t.Errorf("photos shown: %d %v", photos, err)
	}
	// A new seal, then its check.
	run(t, ctx,
		chromedp.SetValue("#kind", "sealing"), chromedp.SetValue("#seal_number", "DPAA-LAB-1"), chromedp.Click("#record"),
		chromedp.WaitVisible(`//tbody[@id="events"]/tr[td[contains(., "sealing seal DPAA-LAB-1")]]`),
		chromedp.SetValue("#kind", "seal-check"), chromedp.SetValue("#seal_number", "DPAA-LAB-1"), chromedp.SetValue("#seal_intact", "yes"),
		chromedp.Click("#record"), chromedp.WaitVisible(`//tbody[@id="events"]/tr[td[contains(., "seal-check")]]`),
	)
	if seals := text(t, ctx, "#seals"); !strings.Contains(seals, "DPAA-LAB-1") || !strings.Contains(seals, "UNC-0042") {
		t.Errorf("seals %q", seals)
	}
	// What the store holds: the opening names both photos, each a stored photo of the container.
	c, err := w.db.GetContainerByAccession(adminCtx(), "K55-001")
	if err != nil {
		t.Fatal(err)
	}
	events, err := w.db.ListCustodyEvents(adminCtx(), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	var opening *homeward.CustodyEvent
	for i := range events {
		if events[i].Kind == homeward.CustodyOpening {
			opening = &events[i]
		}
	}
	if opening == nil || len(opening.Photos) != 2 || opening.RecordedBy != "custodian1" || opening.SealNumber != "UNC-0042" {
		t.Fatalf("opening stored as %+v", opening)
	}
	atts, err := w.db.ListAttachments(adminCtx(), homeward.Subject{Type: "container", ID: c.ID})
	if err != nil || len(atts) != 2 {
		t.Fatalf("attachments %v %v", atts, err)
	}
	for _, a := range atts {
		if (a.SHA256 != opening.Photos[0] && a.SHA256 != opening.Photos[1]) || a.Kind != "photo" || a.Thumbnail == "" || a.UploadedBy != "custodian1" {
			t.Errorf("attachment %+v is not one of the opening's photos", a)
		}
	}
	if last := events[len(events)-1]; last.Kind != homeward.CustodySealCheck || last.SealIntact == nil || !*last.SealIntact {
		t.Errorf("last event %+v", last)
	}
	shot(t, ctx, "container-custody-form")
}

func adminCtx() context.Context {
	return homeward.NewContextWithUser(context.Background(), &homeward.User{Username: "system", Roles: []homeward.Role{homeward.RoleAdmin}})
}

func value(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Value(sel))
	if err != nil {
		t.Fatalf("value of %s: %v", sel, err)
	}
	return v
}

func attr(t *testing.T, ctx context.Context, sel, name string) string {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.AttributeValue(sel, name))
	if err != nil {
		t.Fatalf("%s of %s: %v", name, sel, err)
	}
	return v.Value
}

// A custodian moves a turnover's boxes to the laboratory at once: the containers searched and all
// selected, one transfer for them. One box is with someone else: nothing is recorded, that box
// is named with the reason, the selection and values stay; without it, every other box's chain
// gets the transfer, signed by both sides.
func TestE2EBulkCustody(t *testing.T) {
	ctx := browser(t)
	w := newWorld(t)
	base := w.srv.URL
	admin := adminCtx()
	for i, custodian := range []string{"UNC", "UNC", "UNC", "KPA"} {
		c := &homeward.Container{Accession: fmt.Sprintf("K55-%03d", i+2), Kind: homeward.ContainerCase}
		if err := w.db.CreateContainer(admin, c); err != nil {
			t.Fatal(err)
		}
		if err := w.db.AppendCustodyEvent(admin, c.ID, &homeward.CustodyEvent{Kind: homeward.CustodyReceipt, OccurredAt: time.Now().Add(-time.Hour), To: custodian, Location: "Osan"}); err != nil {
			t.Fatal(err)
		}
	}
	// A box registered and not received yet waits on the custodian's start page.
	if err := w.db.CreateContainer(admin, &homeward.Container{Accession: "OSN-001", Kind: homeward.ContainerBox, Description: "arrived from Osan"}); err != nil {
		t.Fatal(err)
	}
	run(t, ctx, signIn(base, "custodian1"), chromedp.WaitVisible("#awaiting-receipt"))
	if q := text(t, ctx, "#awaiting-receipt"); !strings.Contains(q, "OSN-001") || strings.Contains(q, "K55-002") {
		t.Errorf("custodian's queue: %q", q)
	}
	run(t, ctx, chromedp.Navigate(base+"/containers?q=K55"), chromedp.WaitVisible("#select-all"),
		chromedp.Click("#select-all"),
		chromedp.SetValue("#kind", "transfer"),
		chromedp.SendKeys("#from", "UNC"), chromedp.SendKeys("#to", "DPAA"),
		chromedp.SendKeys("#from_ack", "Maj Choi"), chromedp.SendKeys("#to_ack", "Dr Lee"),
		chromedp.SendKeys("#location", "Osan air base"),
		chromedp.Click("#record-bulk"),
		chromedp.WaitVisible("#bulk-results"),
	)
	if res, msg := text(t, ctx, "#bulk-results"), text(t, ctx, "#form-error"); !strings.Contains(res, "K55-005") || !strings.Contains(res, `the current custodian is "KPA"`) || !strings.Contains(msg, "Nothing was recorded") {
		t.Errorf("refused bulk: results %q, message %q", res, msg)
	}
	checked, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("pick-K55-003").checked && document.getElementById("pick-K55-005").checked`))
	if kept := value(t, ctx, "#to_ack"); kept != "Dr Lee" || err != nil || !checked {
		t.Errorf("values or selection lost: to_ack %q, selection kept %v %v", kept, checked, err)
	}
	if n := custodyEvents(t, w, "K55-002"); n != 1 {
		t.Fatalf("a refused bulk event recorded something: K55-002 has %d events", n)
	}
	run(t, ctx, chromedp.Click("#pick-K55-005"), chromedp.Click("#record-bulk"),
		chromedp.WaitVisible(`//table[@id="bulk-results"]//tr[td[contains(., "K55-004")]]//span[contains(@class, "ok")]`))
	res := text(t, ctx, "#bulk-results")
	for _, acc := range []string{"K55-001", "K55-002", "K55-003", "K55-004"} {
		if !strings.Contains(res, acc) {
			t.Errorf("%s not in the outcome: %q", acc, res)
		}
	}
	if strings.Contains(res, "K55-005") || strings.Contains(res, "refused") {
		t.Errorf("outcome %q", res)
	}
	shot(t, ctx, "containers-bulk")
	for _, acc := range []string{"K55-002", "K55-003", "K55-004"} {
		c, err := w.db.GetContainerByAccession(admin, acc)
		if err != nil || c.Custody == nil || c.Custody.Custodian != "DPAA" || c.Custody.Location != "Osan air base" {
			t.Errorf("%s after the bulk transfer: %+v %v", acc, c, err)
		}
	}
	if c, _ := w.db.GetContainerByAccession(admin, "K55-005"); c.Custody.Custodian != "KPA" {
		t.Errorf("K55-005 moved: %+v", c.Custody)
	}
	if p, err := w.db.VerifyCustody(admin, mustContainer(t, w, "K55-003").ID); err != nil || p != nil {
		t.Errorf("K55-003's chain after the bulk transfer: %v %v", p, err)
	}
}

func mustContainer(t *testing.T, w *world, acc string) *homeward.Container {
	c, err := w.db.GetContainerByAccession(adminCtx(), acc)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func custodyEvents(t *testing.T, w *world, acc string) int {
	ev, err := w.db.ListCustodyEvents(adminCtx(), mustContainer(t, w, acc).ID)
	if err != nil {
		t.Fatal(err)
	}
	return len(ev)
}

// The person search box finds a Korean soldier by his name in Hangul and by its romanizations
// (Revised Romanization, McCune-Reischauer), family name first or last, and shows the Hangul.
func TestE2ESearchKoreanNames(t *testing.T) {
	ctx := browser(t)
	w := newWorld(t)
	base := w.srv.URL
	run(t, ctx, signIn(base, "custodian1"))
	for _, q := range []string{"김민준", "Gim Min-jun", "Min-jun Kim", "kim minjun"} {
		run(t, ctx, chromedp.Navigate(base+"/persons?q="+url.QueryEscape(q)), chromedp.WaitVisible("#results-for"))
		if res := text(t, ctx, "main"); !strings.Contains(res, "Kim, Min-jun") || !strings.Contains(res, "김민준") {
			t.Errorf("%q does not find Kim Min-jun: %q", q, res)
		}
	}
	run(t, ctx, chromedp.Navigate(base+"/persons?q="+url.QueryEscape("박민준")), chromedp.WaitVisible("#results-for"))
	if res := text(t, ctx, "main"); strings.Contains(res, "Kim, Min-jun") {
		t.Errorf("박민준 finds Kim Min-jun: %q", res)
	}
}
