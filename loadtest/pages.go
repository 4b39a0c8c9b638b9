package loadtest

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"slices"
	"strings"
	"time"
)

// DemoPages are the pages of the demo world the page timing opens: every kind of page, with the
// heaviest of each (a container of the 2018 turnover, the first person and family).
var DemoPages = []string{"/", "/persons", "/persons?q=kim", "/persons?q=" + url.QueryEscape("김"), "/persons/1", "/incidents", "/map",
	"/containers", "/containers/K55-2018-001", "/containers/K55-2018-001/lab", "/containers/K55-2018-001/labels",
	"/identifications", "/families", "/families/1", "/screens", "/stats", "/custody", "/audit", "/admin/users", "/account", "/frequencies", "/search?q=kim"}

// PageOptions say which server to time, signed in as whom, and how many times each page.
type PageOptions struct {
	URL, User, Password string
	Repeat              int
	Pages               []string
}

// PageTime is one page's server times, from the first byte asked to the last received.
type PageTime struct {
	Path          string        `json:"path"`
	Status        int           `json:"status"`
	Bytes         int           `json:"bytes"`
	P50, P95, Max time.Duration `json:"-"`
	P50ms         float64       `json:"p50_ms"`
	P95ms         float64       `json:"p95_ms"`
	MaxMs         float64       `json:"max_ms"`
}

// Pages signs in through the sign-in form (as a browser does) and opens each page Repeat times
// one after another, timing each answer in full.
func Pages(ctx context.Context, o PageOptions) ([]PageTime, error) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: time.Minute, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.PostForm(o.URL+"/login", url.Values{"username": {o.User}, "password": {o.Password}})
	if err != nil {
		return nil, fmt.Errorf("sign in: %w", err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || len(jar.Cookies(res.Request.URL)) == 0 {
		return nil, fmt.Errorf("sign in as %s: %s (is the password right?)", o.User, res.Status)
	}
	var out []PageTime
	for _, p := range o.Pages {
		pt, err := timePage(ctx, c, o.URL+p, o.Repeat)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		pt.Path = p
		out = append(out, pt)
	}
	return out, nil
}

func timePage(ctx context.Context, c *http.Client, u string, n int) (PageTime, error) {
	var pt PageTime
	times := make([]time.Duration, 0, n)
	for range max(n, 1) {
		if err := ctx.Err(); err != nil {
			return pt, err
		}
		req, err := http.NewRequestWithContext(ctx, "GET", u, nil)
		if err != nil {
			return pt, err
		}
		start := time.Now()
		res, err := c.Do(req)
		if err != nil {
			return pt, err
		}
		b, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil {
			return pt, err
		}
		times = append(times, time.Since(start))
		pt.Status, pt.Bytes = res.StatusCode, len(b)
		if res.StatusCode != http.StatusOK && res.StatusCode != http.StatusNotFound {
			return pt, fmt.Errorf("answered %s: %.200s", res.Status, strings.TrimSpace(string(b)))
		}
	}
	slices.Sort(times)
	at := func(q float64) time.Duration { return times[min(len(times)-1, int(q*float64(len(times))))] }
	pt.P50, pt.P95, pt.Max = at(0.5), at(0.95), times[len(times)-1]
	pt.P50ms, pt.P95ms, pt.MaxMs = ms(pt.P50), ms(pt.P95), ms(pt.Max)
	return pt, nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
