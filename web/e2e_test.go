package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/auth"
	"github.com/homeward/homeward/blob"
	"github.com/homeward/homeward/httpapi"
	"github.com/homeward/homeward/labfmt/freqdb"
	"github.com/homeward/homeward/store"
	"github.com/homeward/homeward/store/storetest"
	"github.com/homeward/homeward/web"
)

// browser starts headless Chromium (Debian's chromium package). Without it the test is skipped,
// unless HOMEWARD_REQUIRE_BROWSER=1 (as in scripts/test), where it fails.
func browser(t *testing.T) context.Context {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("HOMEWARD_REQUIRE_BROWSER") == "1" {
			t.Fatal("chromium is not installed (scripts/test-tools installs it)")
		}
		t.Skip("chromium is not installed")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.WindowSize(1200, 900))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	ctx, cancel3 := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancel3)
	return ctx
}

// world is a small store for the journeys: users, a missing person with a relative, a container
// with its receipt, an identification at its last review stage, and a screen with one candidate.
type world struct {
	db    *store.DB
	srv   *httptest.Server
	ident *homeward.Identification
}

func newWorld(t *testing.T) *world {
	db := storetest.Open(t, "sqlite")
	admin := storetest.Admin(t, db)
	users := map[string]homeward.Role{"custodian1": homeward.RoleCustodian, "analyst1": homeward.RoleDNAAnalyst, "reviewer1": homeward.RoleReviewer, "reviewer2": homeward.RoleReviewer}
	hash, err := auth.HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	ctxs := map[string]context.Context{}
	for name, role := range users {
		u := &homeward.User{Username: name, Roles: []homeward.Role{role}, PasswordHash: hash}
		if err := db.CreateUser(admin, u); err != nil {
			t.Fatal(err)
		}
		ctxs[name] = homeward.NewContextWithUser(context.Background(), u)
	}
	klat, klon := 39.55, 125.93
	inc := &homeward.Incident{Code: "KW-1950-11-0007", Kind: homeward.IncidentGroundAction, Place: "Kunu-ri", Date: "1950-11-30", Coordinates: homeward.Coordinates{Lat: &klat, Lon: &klon}}
	if err := db.CreateIncident(admin, inc); err != nil {
		t.Fatal(err)
	}
	// A second incident 1.4 km away (one group on the peninsula map) and a recovery site.
	klat2, klon2 := 39.56, 125.94
	if err := db.CreateIncident(admin, &homeward.Incident{Code: "KW-1950-11-0008", Kind: homeward.IncidentGroundAction, Place: "Kunu-ri pass", Date: "1950-12-01", Coordinates: homeward.Coordinates{Lat: &klat2, Lon: &klon2}}); err != nil {
		t.Fatal(err)
	}
	slat, slon := 38.32, 127.23
	if err := db.CreateOperation(admin, &homeward.Operation{Code: "AW-2019", Kind: homeward.OperationExcavation, Name: "Arrowhead Ridge excavation", Site: "Cheorwon", Coordinates: homeward.Coordinates{Lat: &slat, Lon: &slon}}); err != nil {
		t.Fatal(err)
	}
	mp := &homeward.MissingPerson{FamilyName: "Kim", GivenNames: "Min-jun", NativeName: "김민준", ServiceNumber: "K-1001", Sex: homeward.SexMale, Unit: "2nd Infantry Division", DateOfLoss: "1950-11-30", IncidentID: &inc.ID}
	if err := db.CreateMissingPerson(admin, mp); err != nil {
		t.Fatal(err)
	}
	c := &homeward.Container{Accession: "K55-001", Kind: homeward.ContainerBox}
	if err := db.CreateContainer(admin, c); err != nil {
		t.Fatal(err)
	}
	if err := db.AppendCustodyEvent(admin, c.ID, &homeward.CustodyEvent{Kind: homeward.CustodyReceipt, OccurredAt: time.Now(), To: "UNC", Location: "Osan"}); err != nil {
		t.Fatal(err)
	}
	if err := db.AppendCustodyEvent(admin, c.ID, &homeward.CustodyEvent{Kind: homeward.CustodySealing, OccurredAt: time.Now(), SealNumber: "UNC-0042", Location: "Osan"}); err != nil {
		t.Fatal(err)
	}
	// Two left femora (MNI 2), typed with one person's profile: the laboratory view merges them into
	// one individual, says why, and flags the two left femora for checking.
	full := map[string][]string{"D3S1358": {"15", "16"}, "vWA": {"16", "17"}, "D16S539": {"11", "12"}, "CSF1PO": {"11", "12"}, "TPOX": {"8", "11"}, "D8S1179": {"13", "14"},
		"D21S11": {"29", "30"}, "D18S51": {"14", "15"}, "D2S441": {"10", "11"}, "D19S433": {"13", "14"}, "TH01": {"6", "9.3"}, "FGA": {"21", "22"}}
	for i, code := range []string{"K55-001-S1", "K55-001-S2"} {
		sp := &homeward.Specimen{ContainerID: c.ID, Code: code, Element: "femur", Side: homeward.SideLeft, Portion: "complete"}
		if err := db.CreateSpecimen(admin, sp); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateProfile(admin, &homeward.Profile{Sample: fmt.Sprintf("PM-S%d", i+1), Role: homeward.ProfileVictim, SpecimenID: &sp.ID, Loci: full}); err != nil {
			t.Fatal(err)
		}
	}
	vic := &homeward.Profile{Sample: "PM-1", Role: homeward.ProfileVictim, Loci: map[string][]string{"TH01": {"6", "7"}}}
	if err := db.CreateProfile(admin, vic); err != nil {
		t.Fatal(err)
	}
	ref := &homeward.Profile{Sample: "REF-1", Role: homeward.ProfileReference, Loci: map[string][]string{"TH01": {"6", "9"}}}
	db.CreateProfile(admin, ref)
	fam := &homeward.ReferenceFamily{Name: "FAM-KIM", Target: "MP", MissingPersonID: &mp.ID, Members: []homeward.PedigreeMember{{ID: "MO", Sex: homeward.SexFemale, ProfileID: &ref.ID}, {ID: "FA", Sex: homeward.SexMale}, {ID: "MP", Father: "FA", Mother: "MO", Sex: homeward.SexMale}}}
	if err := db.CreateReferenceFamily(admin, fam); err != nil {
		t.Fatal(err)
	}
	x := &homeward.Identification{MissingPersonID: mp.ID, ProfileIDs: []int64{vic.ID}, Summary: "PM-1 is Kim Min-jun",
		Prior: &homeward.PriorStatement{Population: "closed", Candidates: 4, Prior: 0.25, Basis: "four men of the incident"}}
	if err := db.CreateIdentification(ctxs["analyst1"], x); err != nil {
		t.Fatal(err)
	}
	lr := 2.5e7
	if err := db.AddEvidence(ctxs["analyst1"], &homeward.EvidenceLine{IdentificationID: x.ID, Kind: homeward.EvidenceAutosomalDNA, Conclusion: homeward.ConclusionSupports, Summary: "mother and sister, 23 markers", LR: &lr}); err != nil {
		t.Fatal(err)
	}
	// A line with its stored inputs, recomputed on the page: mother 6/9, victim 6/7 at TH01 gives
	// 1/(4 p6) with the shipped NIST table.
	nist, _ := freqdb.Load("nist-all")
	th01 := nist.Marker("TH01")
	lrTH01 := 1 / (4 * th01.Freqs[slices.Index(th01.Alleles, "6")])
	if err := db.AddEvidence(ctxs["analyst1"], &homeward.EvidenceLine{IdentificationID: x.ID, Kind: homeward.EvidenceAutosomalDNA, Conclusion: homeward.ConclusionSupports, Summary: "mother, TH01", LR: &lrTH01,
		Inputs: []homeward.InputRef{{Kind: "profile", ID: vic.ID}, {Kind: "reference_family", ID: fam.ID}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Submit(ctxs["analyst1"], x.ID, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Review(ctxs["reviewer1"], x.ID, homeward.DecisionApprove, "technical ok"); err != nil {
		t.Fatal(err)
	}
	sc := &homeward.Screen{Name: "K55 screen", Threshold: 1e4, Shards: 1, Panel: []byte("[]")}
	if err := db.CreateScreen(admin, sc); err != nil {
		t.Fatal(err)
	}
	if err := db.CompleteShard(admin, homeward.ShardResult{ScreenID: sc.ID, Shard: 0, Comparisons: 1, Candidates: []homeward.Candidate{{ProfileID: vic.ID, FamilyID: fam.ID, LR: 2.5e7, Log10LR: 7.4, Markers: 23}}}); err != nil {
		t.Fatal(err)
	}
	bs, err := blob.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	h, err := web.New(web.Config{Outbox: db, Users: db, Registry: db, Operations: db, Containers: db, Custody: db, Evidence: db, DNA: db, Idents: db, Families: db, Stats: db,
		Osteometry: db, Measurements: db, Blob: bs, Thumbnail: blob.Thumbnail, DVIResults: db})
	if err != nil {
		t.Fatal(err)
	}
	// The pages and the API on one server, as homeward serve mounts them (photos come from the API).
	api := httpapi.New(httpapi.Config{Registry: db, Operations: db, Containers: db, Custody: db, Evidence: db, Users: db, Imports: db,
		DNA: db, Idents: db, Families: db, Settings: db, Stats: db, Osteometry: db, Blob: bs, Thumbnail: blob.Thumbnail})
	mux := http.NewServeMux()
	mux.Handle("/api/", api)
	mux.Handle("/", h)
	w := &world{db: db, srv: httptest.NewServer(mux), ident: x}
	t.Cleanup(w.srv.Close)
	return w
}

// step is one browser action.
type step = chromedp.Action[chromedp.Void]

func signIn(base, user string) step {
	return chromedp.Steps(
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible("#username"),
		chromedp.SendKeys("#username", user),
		chromedp.SendKeys("#password", "correct horse battery"),
		chromedp.Click("#signin"),
		chromedp.WaitVisible("#unaccounted"),
	)
}

// run does the steps, failing the test on the first error.
func run(t *testing.T, ctx context.Context, steps ...step) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// text reads an element's text.
func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(sel))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

// shot saves a screenshot of the page when HOMEWARD_SCREENSHOTS names a folder.
func shot(t *testing.T, ctx context.Context, name string) {
	dir := os.Getenv("HOMEWARD_SCREENSHOTS")
	if dir == "" {
		return
	}
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(dir, 0o755)
	if err := os.WriteFile(filepath.Join(dir, name+".png"), buf, 0o644); err != nil {
		t.Fatal(err)
	}
}

// The main journeys in a real browser: sign in, find a person, follow a container's custody and
// record a transfer, open a screen's candidates, approve an identification.
func TestE2EJourneys(t *testing.T) {
	ctx := browser(t)
	w := newWorld(t)
	base := w.srv.URL

	// Signing in with a wrong password stays on the sign-in page with a message.
	run(t, ctx,
		chromedp.Navigate(base+"/persons"),
		chromedp.WaitVisible("#username"),
		chromedp.SendKeys("#username", "custodian1"),
		chromedp.SendKeys("#password", "wrong"),
		chromedp.Click("#signin"),
		chromedp.WaitVisible(".error"),
	)
	if msg := text(t, ctx, ".error"); !strings.Contains(msg, "wrong password") {
		t.Errorf("bad sign-in message %q", msg)
	}

	// A custodian finds a person and follows a container's custody, recording a transfer.
	run(t, ctx, signIn(base, "custodian1"))
	// The custodian's dashboard: where the containers are, none open, both specimens typed.
	if loc, open, untyped := text(t, ctx, "#locations"), text(t, ctx, "#open-containers"), text(t, ctx, "#untyped"); !strings.Contains(loc, "UNC") || !strings.Contains(loc, "Osan") || !strings.Contains(open, "sealed") || untyped != "0" {
		t.Errorf("custodian dashboard: locations %q, open %q, untyped %q", loc, open, untyped)
	}
	shot(t, ctx, "dashboard")
	run(t, ctx,
		chromedp.Navigate(base+"/persons"),
		chromedp.SendKeys("#q", "K-1001"),
		chromedp.Click("#search"),
		chromedp.WaitVisible("#results-for"), // the new page, not the unfiltered one
		chromedp.WaitVisible(`//a[contains(., "Kim, Min-jun")]`),
	)
	shot(t, ctx, "persons")
	run(t, ctx, chromedp.Click(`//a[contains(., "Kim, Min-jun")]`), chromedp.WaitVisible("#status"))
	status := text(t, ctx, "#status")
	shot(t, ctx, "person")
	run(t, ctx, chromedp.Navigate(base+"/containers/K55-001"), chromedp.WaitVisible("#verify"))
	badge := text(t, ctx, "#verify")
	if seals := text(t, ctx, "#seals"); !strings.Contains(seals, "UNC-0042") || !strings.Contains(seals, "intact") {
		t.Errorf("seals %q", seals)
	}
	run(t, ctx,
		chromedp.SendKeys("#to", "DPAA"),
		chromedp.SendKeys("#from_ack", "Sgt Park"),
		chromedp.SendKeys("#to_ack", "Dr Lee"),
		chromedp.SendKeys("#location", "Hickam"),
		chromedp.Click("#record"),
		chromedp.WaitVisible(".flash"),
	)
	custodian, events := text(t, ctx, "#custodian"), text(t, ctx, "#events")
	shot(t, ctx, "container")
	// Printable labels: one per container and specimen, each with a QR code image.
	run(t, ctx, chromedp.Click("#labels-link"), chromedp.WaitVisible("#labels"))
	qrs, err := chromedp.Run(ctx, chromedp.Evaluate[int](`Array.from(document.querySelectorAll("#labels img")).filter(i => i.complete && i.naturalWidth > 0).length`))
	if err != nil || qrs != 3 {
		t.Errorf("labels with a QR code: %d %v", qrs, err)
	}
	if l := text(t, ctx, "#labels"); !strings.Contains(l, "homeward:container:K55-001") || !strings.Contains(l, "homeward:specimen:K55-001-S1") {
		t.Errorf("labels %q", l)
	}
	shot(t, ctx, "labels")
	// The laboratory view: inventory with DNA, MNI, and the two femora's profiles as one individual.
	run(t, ctx, chromedp.Navigate(base+"/containers/K55-001/lab"), chromedp.WaitVisible("#individuals"))
	if mni, n, links := text(t, ctx, "#mni"), text(t, ctx, "#individuals-count"), text(t, ctx, "#links"); !strings.HasPrefix(mni, "2") || !strings.Contains(mni, "femur") || n != "1" || !strings.Contains(links, "PM-S1") || !strings.Contains(links, "PM-S2") {
		t.Errorf("lab view: mni %q, individuals %q, links %q", mni, n, links)
	}
	// The two counts side by side, and why they differ (here: bones not all typed, or not merged).
	if counts := text(t, ctx, "#counts"); !strings.Contains(counts, "The bones prove at least 2; the DNA tells 1 apart. Together: at least 2.") || !strings.Contains(counts, "The bones count more") {
		t.Errorf("counts explained: %q", counts)
	}
	if ind := text(t, ctx, "#individuals"); !strings.Contains(ind, "femur (left) more than once: K55-001-S1, K55-001-S2") {
		t.Errorf("two left femora in one individual not flagged: %q", ind)
	}
	if inv := text(t, ctx, "#inventory"); !strings.Contains(inv, "K55-001-S2") || !strings.Contains(inv, "PM-S2") {
		t.Errorf("inventory %q", inv)
	}
	shot(t, ctx, "lab")
	if status != "unaccounted" || badge != "verified" || custodian != "DPAA" || !strings.Contains(events, "transfer") || !strings.Contains(events, "custodian1") {
		t.Errorf("custody journey: status %q badge %q custodian %q events %q", status, badge, custodian, events)
	}
	// The map: both Koreas drawn, the two Kunu-ri incidents as one group and the excavation site;
	// the group zooms in, where each incident leads to the persons lost in it.
	run(t, ctx, chromedp.Navigate(base+"/map"), chromedp.WaitVisible("#map svg"))
	koreas, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#map path.korea").length`))
	if err != nil || koreas != 2 {
		t.Errorf("Korea outlines: %d %v", koreas, err)
	}
	// The map fits the window (a laptop's 900 px here), its list of markers below it.
	fits, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector("#map svg").getBoundingClientRect().height <= window.innerHeight && document.querySelectorAll("#map-list tbody tr").length > 0`))
	if err != nil || !fits {
		t.Errorf("the map is taller than the window or has no list: %v %v", fits, err)
	}
	if sum := text(t, ctx, "#map-summary"); !strings.Contains(sum, "2 loss incidents and 1 recovery sites") {
		t.Errorf("map summary %q", sum)
	}
	shot(t, ctx, "map")
	run(t, ctx, chromedp.Click("#map a.marker.incident"), chromedp.WaitVisible("#whole"))
	markers, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#map a.marker.incident").length`))
	if err != nil || markers != 2 {
		t.Errorf("zoomed markers: %d %v", markers, err)
	}
	run(t, ctx, chromedp.Click(`//table[@id="map-list"]//tr[contains(., "KW-1950-11-0007")]//a`), chromedp.WaitVisible("#incident-filter"))
	if l := text(t, ctx, "#persons"); !strings.Contains(l, "Kim, Min-jun") {
		t.Errorf("persons of the incident: %q", l)
	}
	// The custodian may not review: no approve button on the identification page.
	run(t, ctx, chromedp.Navigate(base+"/identifications/"+itoa(w.ident.ID)), chromedp.WaitVisible("#istatus"))
	forms, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#approve").length`))
	if err != nil {
		t.Fatal(err)
	}
	if forms != 0 {
		t.Error("a custodian sees the approve button")
	}
	run(t, ctx, chromedp.Click(`//button[contains(., "Sign out")]`), chromedp.WaitVisible("#username"))

	// A reviewer opens the screen's candidates and approves the identification at its last stage.
	run(t, ctx, signIn(base, "reviewer2"), chromedp.Navigate(base+"/screens"), chromedp.Click(`//a[contains(., "K55 screen")]`), chromedp.WaitVisible("#candidates"))
	cands := text(t, ctx, "#candidates")
	shot(t, ctx, "screen")
	// A candidate's LR marker by marker.
	run(t, ctx, chromedp.Click("a.pairing"), chromedp.WaitVisible(".dnaline table"))
	if pair := text(t, ctx, ".dnaline"); !strings.Contains(pair, "TH01") || !strings.Contains(pair, "Product") || !strings.Contains(pair, "MO (parent-child)") {
		t.Errorf("pairing page: %q", pair)
	}
	shot(t, ctx, "pairing")
	run(t, ctx, chromedp.Navigate(base+"/screens"), chromedp.Click(`//a[contains(., "K55 screen")]`), chromedp.WaitVisible("#candidates"))
	// The candidates solved as a DVI problem: one family, one victim, a conclusion for each.
	run(t, ctx, chromedp.Click("#dvi-link"), chromedp.WaitVisible("#dvi-am"))
	if am, pm := text(t, ctx, "#dvi-am"), text(t, ctx, "#dvi-pm"); !strings.Contains(am, "FAM-KIM/MP") || !strings.Contains(pm, "PM-1") {
		t.Errorf("DVI tables: %q %q", am, pm)
	}
	if joint := text(t, ctx, "#dvi-joint"); !strings.Contains(joint, "FAM-KIM/MP") {
		t.Errorf("joint table: %q", joint)
	}
	shot(t, ctx, "dvi")
	// The family's pedigree is drawn, with the missing person marked and the references named.
	run(t, ctx, chromedp.Navigate(base+"/families"), chromedp.Click(`//a[contains(., "FAM-KIM")]`), chromedp.WaitVisible("#pedigree svg"))
	shapes, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#pedigree svg rect, #pedigree svg circle").length`))
	if err != nil || shapes != 3 {
		t.Errorf("pedigree shapes %d %v", shapes, err)
	}
	if fig := text(t, ctx, "#pedigree"); !strings.Contains(fig, "?") || !strings.Contains(fig, "MO") {
		t.Errorf("pedigree text %q", fig)
	}
	shot(t, ctx, "family")
	// Progress: a chart of running totals (four series) above the month table.
	run(t, ctx, chromedp.Navigate(base+"/stats"), chromedp.WaitVisible("#progress-chart svg"))
	lines, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#progress-chart svg polyline.series").length`))
	if err != nil || lines != 4 {
		t.Errorf("progress chart series %d %v", lines, err)
	}
	if tbl := text(t, ctx, "#progress-table"); !strings.Contains(tbl, "Total") {
		t.Errorf("progress table %q", tbl)
	}
	shot(t, ctx, "stats")
	run(t, ctx, chromedp.Navigate(base+"/identifications/"+itoa(w.ident.ID)), chromedp.WaitVisible("#posterior"))
	posterior := text(t, ctx, "#posterior")
	// The line with stored inputs is recomputed: the pedigree and the marker table, agreeing.
	if dna := text(t, ctx, ".dnaline"); !strings.Contains(dna, "agrees with the recorded LR") || !strings.Contains(dna, "TH01") || !strings.Contains(dna, "Product") || !strings.Contains(dna, "6/9") {
		t.Errorf("DNA line on the page: %q", dna)
	}
	shot(t, ctx, "identification")
	run(t, ctx, chromedp.Click("#familysummary"), chromedp.WaitVisible("#summary"))
	if sum := text(t, ctx, "#summary"); !strings.Contains(sum, "Min-jun Kim") || !strings.Contains(sum, "not yet a confirmed identification") {
		t.Errorf("family summary: %q", sum)
	}
	shot(t, ctx, "family-summary")
	run(t, ctx, chromedp.Navigate(base+"/identifications/"+itoa(w.ident.ID)), chromedp.WaitVisible("#posterior"))
	// Approval in two steps: the page first says what the final approval will change.
	run(t, ctx,
		chromedp.SendKeys("#comment", "approved by the board"),
		chromedp.Click("#approve"),
		chromedp.WaitVisible("#confirm"),
	)
	if changes := text(t, ctx, "#changes"); !strings.Contains(changes, "Kim, Min-jun (K-1001) becomes accounted for") || !strings.Contains(changes, "The DNA sample PM-1 is marked identified") {
		t.Errorf("the confirmation does not say what changes: %q", changes)
	}
	if x, _ := w.db.GetIdentification(adminCtx(), w.ident.ID); x.Status != homeward.IdentInReview {
		t.Fatalf("approved before the confirmation: %s", x.Status)
	}
	run(t, ctx, chromedp.Click("#confirm-button"), chromedp.WaitVisible(".flash"))
	istatus := text(t, ctx, "#istatus")
	run(t, ctx, chromedp.Navigate(base+"/persons/1"), chromedp.WaitVisible("#status"))
	pstatus := text(t, ctx, "#status")
	// The person's page: the reference family with its typed mother and the missing person now
	// identified (not "to identify"), the candidate remains from the screen, and the status
	// history with the approval.
	if hist, cands, refs := text(t, ctx, "#status-history"), text(t, ctx, "#person-candidates"), text(t, ctx, "table.references"); !strings.Contains(hist, "approved") || !strings.Contains(hist, "accounted-for") ||
		!strings.Contains(cands, "PM-1") || !strings.Contains(refs, "REF-1") || !strings.Contains(refs, "identified") || strings.Contains(refs, "to identify") {
		t.Errorf("person page: history %q, candidates %q, references %q", hist, cands, refs)
	}
	if !strings.Contains(cands, "PM-1") || !strings.Contains(cands, "FAM-KIM") {
		t.Errorf("candidates %q", cands)
	}
	if !strings.HasPrefix(posterior, "more than 99.99") && !strings.HasPrefix(posterior, "99.99") {
		t.Errorf("posterior %q", posterior)
	}
	if istatus != "approved" || pstatus != "accounted-for" {
		t.Errorf("after approval: identification %q, person %q", istatus, pstatus)
	}
}

func itoa(n int64) string {
	if n == 0 {
		return "0"
	}
	var d []byte
	for ; n > 0; n /= 10 {
		d = append([]byte{byte('0' + n%10)}, d...)
	}
	return string(d)
}

// addUser gives the world one more user, with the password every user of the world has.
func addUser(t *testing.T, w *world, name string, role homeward.Role) {
	t.Helper()
	hash, err := auth.HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if err := w.db.CreateUser(adminCtx(), &homeward.User{Username: name, Roles: []homeward.Role{role}, PasswordHash: hash}); err != nil {
		t.Fatal(err)
	}
}
