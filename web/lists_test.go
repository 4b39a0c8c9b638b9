package web_test

import (
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/homeward/homeward"
)

// The lists of incidents, containers and identifications are paged with their position, sorted
// by their column headings (aria-sort says how), filtered, and downloaded whole as CSV with the
// page's filter and order.
func TestE2EListsPagedSortedExported(t *testing.T) {
	ctx := browser(t)
	w := newWorld(t)
	base := w.srv.URL
	admin := adminCtx()
	for i := range 60 {
		in := &homeward.Incident{Code: fmt.Sprintf("AL-%03d", i), Kind: homeward.IncidentAirLoss, Place: fmt.Sprintf("Place %02d", 59-i), Date: homeward.Date(fmt.Sprintf("1951-%02d-01", 1+i%12))}
		if err := w.db.CreateIncident(admin, in); err != nil {
			t.Fatal(err)
		}
	}
	run(t, ctx, signIn(base, "analyst1"), chromedp.Navigate(base+"/incidents?kind=air-loss"), chromedp.WaitVisible("#incidents"))
	if c := text(t, ctx, ".list-count"); !strings.Contains(c, "1–50 of 60") {
		t.Errorf("first page: %q", c)
	}
	// Sorted by place (ascending: Place 00 is AL-059), then the other way, then page 2.
	run(t, ctx, chromedp.Click("#sort-place"), chromedp.WaitVisible(`//th[@aria-sort="ascending"]/a[@id="sort-place"]`))
	if first := text(t, ctx, "#incidents tr:first-child td:first-child"); first != "AL-059" {
		t.Errorf("by place, first %q", first)
	}
	run(t, ctx, chromedp.Click("#sort-place"), chromedp.WaitVisible(`//th[@aria-sort="descending"]/a[@id="sort-place"]`),
		chromedp.Click(".pager .next"), chromedp.WaitVisible(`//p[contains(@class,"list-count")][contains(., "51–60 of 60")]`))
	if first := text(t, ctx, "#incidents tr:first-child td:first-child"); first != "AL-050" {
		t.Errorf("by place descending, page 2 starts with %q", first)
	}
	href := attr(t, ctx, ".csv-link", "href")
	rows := getCSV(t, w, "analyst1", href)
	if len(rows) != 61 || rows[0][0] != "code" || rows[1][0] != "AL-000" || rows[60][0] != "AL-059" {
		t.Errorf("incidents CSV (%s): %d rows, first %v, last %v", href, len(rows), rows[1], rows[len(rows)-1])
	}
	// Containers: descending by accession, and the CSV in that order with the custody state.
	run(t, ctx, chromedp.Navigate(base+"/containers"), chromedp.WaitVisible("#sort-accession"), chromedp.Click("#sort-accession"),
		chromedp.WaitVisible(`//th[@aria-sort="descending"]/a[@id="sort-accession"]`))
	crows := getCSV(t, w, "analyst1", attr(t, ctx, ".csv-link", "href"))
	if len(crows) < 2 || crows[1][0] != "K55-001" || crows[1][4] != "UNC" {
		t.Errorf("containers CSV: %v", crows)
	}
	// Identifications filtered by status, in Korean too.
	run(t, ctx, chromedp.Navigate(base+"/identifications"), chromedp.WaitVisible("#status-filter"), chromedp.SetValue("#status-filter", "approved"),
		chromedp.Click("#filter"), chromedp.WaitReady(`//select[@id="status-filter"]/option[@value="approved"][@selected]`))
	if c := text(t, ctx, ".list-count"); !strings.Contains(c, "None found") {
		t.Errorf("approved identifications: %q", c)
	}
	irows := getCSV(t, w, "analyst1", "/identifications.csv?status=in_review")
	if len(irows) != 2 || irows[1][2] != "in_review" {
		t.Errorf("identifications CSV: %v", irows)
	}
	// Identifications sorted: newest first by default, then by number, then by status (a draft
	// before one in review), and the CSV in the order shown.
	draft := &homeward.Identification{MissingPersonID: w.ident.MissingPersonID, ProfileIDs: w.ident.ProfileIDs, Summary: "a second look"}
	if err := w.db.CreateIdentification(homeward.NewContextWithUser(admin, &homeward.User{Username: "analyst1", Roles: []homeward.Role{homeward.RoleDNAAnalyst}}), draft); err != nil {
		t.Fatal(err)
	}
	first := func() string { return text(t, ctx, "#identifications tbody tr:first-child td:first-child") }
	run(t, ctx, chromedp.Navigate(base+"/identifications"), chromedp.WaitVisible(`//th[@aria-sort="descending"]/a[@id="sort-number"]`))
	if got := first(); got != fmt.Sprint(draft.ID) {
		t.Errorf("newest first: %s, want %d", got, draft.ID)
	}
	run(t, ctx, chromedp.Click("#sort-number"), chromedp.WaitVisible(`//th[@aria-sort="ascending"]/a[@id="sort-number"]`))
	if got := first(); got != fmt.Sprint(w.ident.ID) {
		t.Errorf("by number: %s, want %d", got, w.ident.ID)
	}
	run(t, ctx, chromedp.Click("#sort-status"), chromedp.WaitVisible(`//th[@aria-sort="ascending"]/a[@id="sort-status"]`))
	if got := first(); got != fmt.Sprint(draft.ID) {
		t.Errorf("by status: %s first, want the draft %d", got, draft.ID)
	}
	run(t, ctx, chromedp.Click("#sort-status"), chromedp.WaitVisible(`//th[@aria-sort="descending"]/a[@id="sort-status"]`))
	if irows := getCSV(t, w, "analyst1", attr(t, ctx, ".csv-link", "href")); len(irows) != 3 || irows[1][2] != "in_review" || irows[2][2] != "draft" {
		t.Errorf("identifications CSV by status descending: %v", irows)
	}
	// Reference families by name, the other way, and their members as CSV in that order.
	fams, err := w.db.ListReferenceFamilies(admin, homeward.FamilyFilter{})
	if err != nil || len(fams.Items) != 1 {
		t.Fatalf("families: %+v %v", fams, err)
	}
	other := &homeward.ReferenceFamily{Name: "FAM-PARK", Target: "MP", Members: []homeward.PedigreeMember{{ID: "MP", Sex: homeward.SexMale}, {ID: "BR", Sex: homeward.SexMale, ProfileID: fams.Items[0].Members[0].ProfileID}}}
	if err := w.db.CreateReferenceFamily(admin, other); err != nil {
		t.Fatal(err)
	}
	run(t, ctx, chromedp.Navigate(base+"/families"), chromedp.WaitVisible("#sort-name"), chromedp.Click("#sort-name"),
		chromedp.WaitVisible(`//th[@aria-sort="ascending"]/a[@id="sort-name"]`), chromedp.Click("#sort-name"),
		chromedp.WaitVisible(`//th[@aria-sort="descending"]/a[@id="sort-name"]`))
	if got := text(t, ctx, "#families tbody tr:first-child td:first-child"); got != "FAM-PARK" {
		t.Errorf("families by name descending: %q first", got)
	}
	frows := getCSV(t, w, "analyst1", attr(t, ctx, ".csv-link", "href"))
	if len(frows) != 6 || frows[0][0] != "family" || frows[1][0] != "FAM-PARK" || frows[3][0] != "FAM-KIM" || frows[3][4] != "female" {
		t.Errorf("families CSV: %v", frows)
	}
	// Containers by their number of custody events, most first.
	run(t, ctx, chromedp.Navigate(base+"/containers?sort=-events"), chromedp.WaitVisible(`//th[@aria-sort="descending"]/a[@id="sort-events"]`))
	events := text(t, ctx, "#containers tbody tr:first-child td:last-child")
	if n, err := strconv.Atoi(events); err != nil || n < 1 {
		t.Errorf("containers by events: first row has %q", events)
	}
}

// getCSV downloads a CSV of the pages as the user (with an API token) and parses it.
func getCSV(t *testing.T, w *world, user, path string) [][]string {
	t.Helper()
	u, err := url.Parse(path)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("GET", w.srv.URL+u.RequestURI(), nil)
	for _, c := range sessionCookies(t, w, user) {
		req.AddCookie(c)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("GET %s: %s %s", path, res.Status, b)
	}
	rows, err := csv.NewReader(strings.NewReader(string(b))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// sessionCookies signs the user in through the sign-in form and returns the session's cookies.
func sessionCookies(t *testing.T, w *world, user string) []*http.Cookie {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.PostForm(w.srv.URL+"/login", url.Values{"username": {user}, "password": {"correct horse battery"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.Cookies()
}
