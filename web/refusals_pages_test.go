package web_test

import (
	"html"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Refusals that carry values are said in the page's language with their values: an unknown address,
// a failed sign-in and a list asked in an order it does not have, on Korean pages; the English
// page still says them in English.
func TestRefusalsInThePagesLanguage(t *testing.T) {
	w := newWorld(t)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(method, path, lang string, form url.Values, cookies []*http.Cookie) (int, string, []*http.Cookie) {
		t.Helper()
		req, _ := http.NewRequest(method, w.srv.URL+path, strings.NewReader(form.Encode()))
		req.Header.Set("Accept-Language", lang)
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		for _, c := range cookies {
			req.AddCookie(c)
		}
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, html.UnescapeString(string(b)), res.Cookies()
	}
	if code, body, _ := get("GET", "/no/such/page", "ko-KR", nil, nil); code != 404 || !strings.Contains(body, "/no/such/page에는 페이지가 없습니다.") {
		t.Errorf("Korean 404: %d %s", code, body)
	}
	if code, body, _ := get("GET", "/no/such/page", "en-US", nil, nil); code != 404 || !strings.Contains(body, "There is no page at /no/such/page.") {
		t.Errorf("English 404: %d %s", code, body)
	}
	if code, body, _ := get("POST", "/login", "ko-KR", url.Values{"username": {"admin"}, "password": {"wrong"}}, nil); code != 401 || !strings.Contains(body, "사용자가 없거나 비밀번호가 틀립니다.") {
		t.Errorf("Korean sign-in refusal: %d", code)
	}
	_, _, session := get("POST", "/login", "ko-KR", url.Values{"username": {"reviewer1"}, "password": {"correct horse battery"}}, nil)
	code, body, _ := get("GET", "/persons?sort=shoe_size", "ko-KR", nil, session)
	if code != 400 || !strings.Contains(body, `sort: "shoe_size"은(는) 다음 중 하나가 아닙니다`) {
		t.Errorf("Korean list refusal: %d", code)
	}
	code, body, _ = get("GET", "/persons?sort=shoe_size", "en-US", nil, session)
	if code != 400 || !strings.Contains(body, `sort: "shoe_size" is not one of`) {
		t.Errorf("English list refusal: %d", code)
	}
}
