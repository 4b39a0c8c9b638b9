package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/osteo/synth"
	"github.com/homeward/homeward/store/storetest"
)

// seedOsteometry stores a synthetic reference sample and a container of measured long bones of
// six people.
func seedOsteometry(t *testing.T, w *world) {
	admin := storetest.User(t, w.db, "osteologist", homeward.RoleAnalyst)
	m := synth.NewModel(3)
	sample := m.Sample("synthetic", 60)
	var bones []homeward.ReferenceBone
	for _, b := range sample.Bones {
		bones = append(bones, homeward.ReferenceBone{Individual: b.ID, Element: b.Element, Side: homeward.Side(b.Side), Measurements: b.Values})
	}
	if err := w.db.ImportReferenceSample(admin, &homeward.OsteoReferenceSample{Name: "synthetic", Source: "homeward osteo/synth"}, bones); err != nil {
		t.Fatal(err)
	}
	c := &homeward.Container{Accession: "K55-002", Kind: homeward.ContainerBox}
	if err := w.db.CreateContainer(admin, c); err != nil {
		t.Fatal(err)
	}
	box, _ := m.Box(6, "K55-002-", 0, 0.1)
	var rows []homeward.MeasuredSpecimen
	for i, b := range box {
		rows = append(rows, homeward.MeasuredSpecimen{Line: i + 2, Container: c.Accession, Code: b.ID, Element: b.Element, Side: homeward.Side(b.Side), Measurements: b.Values})
	}
	if rep, err := w.db.ImportMeasurements(admin, rows, false); err != nil || len(rep.Rejected) > 0 {
		t.Fatalf("measurements: %+v %v", rep, err)
	}
}

// An analyst sorts a box by its measurements in the browser, reads the MNI, the groupings with
// the bones to sample, the exclusion matrix and the graph, and records a measurement (a wrong one
// first: refused next to the form, nothing stored).
func TestE2EOsteometry(t *testing.T) {
	ctx := browser(t)
	w := newWorld(t)
	seedOsteometry(t, w)
	base := w.srv.URL
	run(t, ctx, signIn(base, "analyst1"), chromedp.Navigate(base+"/containers/K55-002/lab"), chromedp.WaitVisible("#osteometry-link"))
	if inv := text(t, ctx, "#inventory"); !strings.Contains(inv, "Hum_01") || !strings.Contains(inv, "Fem_01") {
		t.Errorf("the laboratory inventory shows no measurements: %.300q", inv)
	}
	run(t, ctx, chromedp.Click("#osteometry-link"), chromedp.WaitVisible("#measurements"))
	if got := text(t, ctx, "#measurements"); !strings.Contains(got, "Hum_01") || !strings.Contains(got, "K55-002-036") {
		t.Errorf("measurements table: %.200q", got)
	}
	run(t, ctx, chromedp.SetValue("#alpha", "0.05"), chromedp.Click("#sort"), chromedp.WaitVisible("#osteo-mni"))
	shot(t, ctx, "osteometry")
	if mni := text(t, ctx, "#osteo-mni"); mni < "6" || len(mni) != 1 {
		t.Errorf("MNI %q for six people", mni)
	}
	if tests := text(t, ctx, "#tests"); !strings.Contains(tests, "pair_match humerus") || !strings.Contains(tests, "synthetic version 1") {
		t.Errorf("tests: %q", tests)
	}
	groups := text(t, ctx, "#groups")
	if !strings.Contains(groups, "G1") || !strings.Contains(groups, "K55-002-") {
		t.Errorf("groups: %.300q", groups)
	}
	count := func(sel string) int {
		t.Helper()
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("`+sel+`").length`))
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	cells, excluded, nodes := count("table.matrix td"), count("table.matrix td.excl"), count("#osteo-graph circle")
	if cells == 0 || excluded == 0 || excluded == cells || nodes != 36 {
		t.Errorf("matrix %d cells, %d excluded; graph %d bones", cells, excluded, nodes)
	}
	// Alpha is kept in the form for the next sorting.
	alpha, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#alpha").value`))
	if err != nil || alpha != "0.05" {
		t.Errorf("alpha after sorting: %q", alpha)
	}
	run(t, ctx, chromedp.Click("#record-measurements summary"), chromedp.WaitVisible("#m-code"),
		chromedp.SendKeys("#m-code", "K55-002-NEW"), chromedp.SendKeys("#m-element", "humerus"),
		chromedp.SendKeys("#m-values", "Hum_01=-318.5"), chromedp.Click("#m-save"), chromedp.WaitVisible(".error"))
	if e := text(t, ctx, ".error"); !strings.Contains(e, "Hum_01") {
		t.Errorf("refused measurement: %q", e)
	}
	run(t, ctx, chromedp.Click("#record-measurements summary"), chromedp.WaitVisible("#m-code"), chromedp.SetValue("#m-code", "K55-002-NEW"), chromedp.SetValue("#m-element", "humerus"),
		chromedp.SetValue("#m-values", "Hum_01=318.5, Hum_03=45.1"), chromedp.Click("#m-save"), chromedp.WaitVisible(".flash"))
	if f := text(t, ctx, ".flash"); !strings.Contains(f, "1 created") {
		t.Errorf("stored measurement: %q", f)
	}
	if got := text(t, ctx, "#measurements"); !strings.Contains(got, "K55-002-NEW") || !strings.Contains(got, "318.5") {
		t.Errorf("new specimen missing from the table")
	}
}

// A browser that prefers Korean gets the interface in Korean (the records as entered); the switch
// in the header changes it for good and stays on the page.
func TestE2EKoreanInterface(t *testing.T) {
	ctx := browser(t)
	w := newWorld(t)
	base := w.srv.URL
	run(t, ctx, chromedp.Navigate(base+"/lang?to=ko&next=/login"), chromedp.WaitVisible("#username"))
	if lang, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.lang`)); err != nil || lang != "ko" {
		t.Errorf("html lang %q %v", lang, err)
	}
	if b := text(t, ctx, "#signin"); b != "로그인" {
		t.Errorf("sign-in button %q", b)
	}
	run(t, ctx, chromedp.SendKeys("#username", "analyst1"), chromedp.SendKeys("#password", "correct horse battery"),
		chromedp.Click("#signin"), chromedp.WaitVisible("#unaccounted"))
	if nav := text(t, ctx, "nav"); !strings.Contains(nav, "실종자") || !strings.Contains(nav, "인수인계 기록") {
		t.Errorf("menu in Korean: %q", nav)
	}
	// The start page's summary, with its counts in the Korean sentences.
	if cards := text(t, ctx, "section.cards"); !strings.Contains(cards, "미확인 실종자") || !strings.Contains(cards, "DNA 결과 대기") {
		t.Errorf("start page in Korean: %q", cards)
	}
	// The laboratory page's headings and its counts sentence, numbers in their Korean places.
	run(t, ctx, chromedp.Navigate(base+"/containers/K55-001/lab"), chromedp.WaitVisible("#counts"))
	if c := text(t, ctx, "#counts"); !strings.Contains(c, "뼈로는 최소 2명이 증명되고, DNA로는 1명이 구별됩니다") || !strings.Contains(c, "뼈 쪽이 많") {
		t.Errorf("counts in Korean: %q", c)
	}
	if r := text(t, ctx, ".repeated"); !strings.HasPrefix(r, "femur (왼쪽) 중복: K55-001-S1, K55-001-S2") {
		t.Errorf("a repeated element in Korean: %q", r)
	}
	// A person's status history in Korean words.
	run(t, ctx, chromedp.Navigate(base+"/persons/1"), chromedp.WaitVisible("#status-history"))
	if h := text(t, ctx, "#status-history"); !strings.Contains(h, "미확인 — 기록됨") {
		t.Errorf("status history in Korean: %q", h)
	}
	// The posterior and the prior's population in Korean words.
	run(t, ctx, chromedp.Navigate(base+"/identifications/"+itoa(w.ident.ID)), chromedp.WaitVisible("#posterior"))
	if p, body := text(t, ctx, "#posterior"), text(t, ctx, "main"); !strings.HasSuffix(p, "% 이상") || !strings.Contains(body, "폐쇄형 모집단 4명") {
		t.Errorf("posterior in Korean: %q", p)
	}
	run(t, ctx, chromedp.Navigate(base+"/containers"), chromedp.WaitVisible("#lang-en"), chromedp.Click("#lang-en"), chromedp.WaitVisible("nav"))
	if nav := text(t, ctx, "nav"); !strings.Contains(nav, "Missing persons") {
		t.Errorf("menu after choosing English: %q", nav)
	}
	if u, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname`)); err != nil || u != "/containers" {
		t.Errorf("the switch left the page: %q %v", u, err)
	}
}
