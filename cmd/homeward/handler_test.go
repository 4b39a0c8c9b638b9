package main

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/auth"
)

// The assembled server as a browser meets it: sign-in redirects stay on the site, cookies are
// Secure behind an HTTPS proxy, cross-site form posts are refused whatever cookie they carry, and
// repeated failed sign-ins are throttled with 429 and Retry-After, by every server sharing the store.
func TestServedPagesResistAttacks(t *testing.T) {
	a, err := openApp(context.Background(), &config{DataDir: filepath.Join(t.TempDir(), "data"), User: "admin"}, appOptions{needBlob: true})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	hash, err := auth.HashPassword("a long enough passphrase")
	if err != nil {
		t.Fatal(err)
	}
	sys := homeward.NewContextWithUser(context.Background(), systemUser)
	if err := a.db.CreateUser(sys, &homeward.User{Username: "ana", Roles: []homeward.Role{homeward.RoleCustodian}, PasswordHash: hash}); err != nil {
		t.Fatal(err)
	}
	h, err := newHandler(a, slog.New(slog.DiscardHandler), nil, true)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	post := func(path string, form url.Values, headers map[string]string, cookie *http.Cookie) *http.Response {
		t.Helper()
		req, _ := http.NewRequest("POST", srv.URL+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for k, v := range headers {
			req.Header.Set(k, v)
		}
		if cookie != nil {
			req.AddCookie(cookie)
		}
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}
	res := post("/login", url.Values{"username": {"ana"}, "password": {"a long enough passphrase"}, "next": {`/\evil.example/x`}},
		map[string]string{"X-Forwarded-Proto": "https"}, nil)
	if res.StatusCode != 303 || res.Header.Get("Location") != "/" {
		t.Errorf("sign-in with an off-site next: %d -> %q", res.StatusCode, res.Header.Get("Location"))
	}
	var session *http.Cookie
	for _, c := range res.Cookies() {
		if c.Name == "homeward_session" {
			session = c
		}
	}
	if session == nil || !session.Secure || !session.HttpOnly || session.SameSite != http.SameSiteStrictMode {
		t.Fatalf("session cookie %+v", session)
	}
	form := url.Values{"kind": {"receipt"}, "to": {"Mallory"}}
	if res := post("/containers/K55-2018-001/custody", form, map[string]string{"Sec-Fetch-Site": "cross-site"}, session); res.StatusCode != 403 {
		t.Errorf("cross-site form post: %d", res.StatusCode)
	}
	if res := post("/containers/K55-2018-001/custody", form, map[string]string{"Origin": "https://evil.example"}, session); res.StatusCode != 403 {
		t.Errorf("form post from another origin: %d", res.StatusCode)
	}
	if res := post("/containers/K55-2018-001/custody", form, map[string]string{"Sec-Fetch-Site": "same-origin"}, session); res.StatusCode == 403 {
		t.Error("same-origin form post refused")
	}
	// A second server on the same store (as several processes share one PostgreSQL database)
	// counts the same failures: guesses spread over both still meet the limit.
	h2, err := newHandler(a, slog.New(slog.DiscardHandler), nil, true)
	if err != nil {
		t.Fatal(err)
	}
	srv2 := httptest.NewServer(h2)
	defer srv2.Close()
	for i := 0; i < 5; i++ {
		target := srv.URL
		if i%2 == 1 {
			target = srv2.URL
		}
		req, _ := http.NewRequest("POST", target+"/login", strings.NewReader(url.Values{"username": {"ana"}, "password": {"wrong guess number " + string(rune('a'+i))}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if res, err := client.Do(req); err != nil || res.StatusCode == 303 {
			t.Fatalf("wrong password %d: %v %v", i, res, err)
		}
	}
	res = post("/login", url.Values{"username": {"ana"}, "password": {"a long enough passphrase"}}, nil, nil)
	if res.StatusCode != 429 || res.Header.Get("Retry-After") == "" {
		t.Errorf("sixth sign-in: %d, Retry-After %q", res.StatusCode, res.Header.Get("Retry-After"))
	}
	// The API shares the count: the same account from the same address waits there too.
	req, _ := http.NewRequest("POST", srv.URL+"/api/v1/session", strings.NewReader(`{"username":"ana","password":"a long enough passphrase"}`))
	if res, err := client.Do(req); err != nil || res.StatusCode != 429 {
		t.Errorf("API sign-in while throttled: %v %v", res.StatusCode, err)
	}
}
