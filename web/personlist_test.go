package web_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/homeward/homeward"
)

// The persons list over 7,500 people: paged 50 at a time with the position shown, sorted by a
// column (either way, said to assistive technology with aria-sort), and downloaded whole as
// CSV with the filter and order of the page.
func TestE2EPersonList(t *testing.T) {
	ctx := browser(t)
	w := newWorld(t)
	base := w.srv.URL
	admin := adminCtx()
	for i := range 7500 {
		m := &homeward.MissingPerson{FamilyName: fmt.Sprintf("Person%04d", i), GivenNames: "Test", ServiceNumber: fmt.Sprintf("S%04d", i),
			DateOfLoss: homeward.Date(fmt.Sprintf("1951-%02d-%02d", i%12+1, i%28+1))}
		if err := w.db.CreateMissingPerson(admin, m); err != nil {
			t.Fatal(err)
		}
	}
	run(t, ctx, signIn(base, "custodian1"), chromedp.Navigate(base+"/persons"), chromedp.WaitVisible("#found"))
	if f := text(t, ctx, "#found"); !strings.HasPrefix(f, "1–50 of 7501") {
		t.Errorf("first page: %q", f)
	}
	run(t, ctx, chromedp.Click("#next"), chromedp.WaitVisible(`//p[@id="found"][starts-with(normalize-space(.), "51–100")]`))
	if first := text(t, ctx, "#persons tr:first-child td:first-child"); !strings.HasPrefix(first, "Person0049") {
		t.Errorf("second page begins with %q", first)
	}
	// Sorted by service number, then the other way: the page starts again at the first row.
	run(t, ctx, chromedp.Click("#sort-service_number"), chromedp.WaitVisible(`//th[@aria-sort="ascending"]/a[@id="sort-service_number"]`),
		chromedp.Click("#sort-service_number"), chromedp.WaitVisible(`//th[@aria-sort="descending"]/a[@id="sort-service_number"]`))
	if first, f := text(t, ctx, "#persons tr:first-child"), text(t, ctx, "#found"); !strings.Contains(first, "S7499") || !strings.HasPrefix(f, "1–50") {
		t.Errorf("descending by service number: %q, %q", first, f)
	}
	// The CSV of a search, in its order: the 100 persons Person00xx, newest service number first.
	run(t, ctx, chromedp.Navigate(base+"/persons?q=Person00&sort=-service_number"), chromedp.WaitVisible("#csv"))
	link := attr(t, ctx, "#csv", "href")
	body := fetchSignedIn(t, base, "custodian1", link)
	lines := strings.Split(strings.TrimSpace(body), "\n")
	if len(lines) != 101 || !strings.HasPrefix(lines[0], "service_number,family_name") || !strings.HasPrefix(lines[1], "S0099,Person0099") {
		t.Errorf("CSV: %d lines, %q, %q", len(lines), lines[0], lines[min(1, len(lines)-1)])
	}
	// A wrong order is refused with its field named, on the page.
	run(t, ctx, chromedp.Navigate(base+"/persons?sort=shoe_size"), chromedp.WaitVisible(".error"))
	if e := text(t, ctx, ".error"); !strings.Contains(e, "shoe_size") {
		t.Errorf("bad sort: %q", e)
	}
}

// fetchSignedIn signs in with the form and fetches a page's body.
func fetchSignedIn(t *testing.T, base, user, path string) string {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	if _, err := c.PostForm(base+"/login", url.Values{"username": {user}, "password": {"correct horse battery"}}); err != nil {
		t.Fatal(err)
	}
	res, err := c.Get(base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 {
		t.Fatalf("%s: %d %s", path, res.StatusCode, b)
	}
	return string(b)
}
