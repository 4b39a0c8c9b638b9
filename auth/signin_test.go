package auth

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/homeward/homeward"
)

type users map[string]*homeward.User

func (u users) GetUserByUsername(_ context.Context, name string) (*homeward.User, error) {
	if x, ok := u[name]; ok {
		return x, nil
	}
	return nil, homeward.Errorf(homeward.ENOTFOUND, "no user %s", name)
}

// Known, unknown and disabled names cost one password verification each, and fail alike.
func TestSignInSameWorkForEveryName(t *testing.T) {
	hash, err := HashPassword("a long enough passphrase")
	if err != nil {
		t.Fatal(err)
	}
	s := &SignIn{Users: users{"ana": {Username: "ana", PasswordHash: hash}, "old": {Username: "old", PasswordHash: hash, Disabled: true}}}
	for _, c := range []struct {
		name, pw string
		ok       bool
	}{{"ana", "a long enough passphrase", true}, {"ana", "wrong", false}, {"nobody", "a long enough passphrase", false}, {"old", "a long enough passphrase", false}} {
		before := verifications.Load()
		u, err := s.Check(context.Background(), c.name, c.pw, "10.0.0.1")
		if n := verifications.Load() - before; n != 1 {
			t.Errorf("%s: %d verifications, want 1", c.name, n)
		}
		if (err == nil) != c.ok || (u != nil) != c.ok {
			t.Errorf("%s/%s: %v %v", c.name, c.pw, u, err)
		}
		if !c.ok && (homeward.ErrorCode(err) != homeward.EUNAUTHORIZED || err.Error() != "unknown user or wrong password") {
			t.Errorf("%s: failure %v does not read like the others", c.name, err)
		}
	}
}

func TestPasswordPolicy(t *testing.T) {
	for pw, want := range map[string]string{
		"short":                       "at least 12",
		"passwordpassword":            "most common",
		"PasswordPassword":            "most common",
		strings.Repeat("long ", 60):   "at most 256",
		"twelve chars\x00x":           "valid text",
		"a long enough passphrase 26": "",
	} {
		err := CheckPasswordPolicy(pw)
		if want == "" && err != nil || want != "" && (err == nil || !strings.Contains(err.Error(), want)) {
			t.Errorf("%q: %v, want %q", pw, err, want)
		}
	}
}

func TestSameSitePath(t *testing.T) {
	for next, want := range map[string]string{
		"/containers/K55-2018-001": "/containers/K55-2018-001",
		"/persons?q=kim":           "/persons?q=kim",
		"":                         "/",
		"//evil.example/x":         "/",
		"/\\evil.example/x":        "/",
		"https://evil.example/":    "/",
		"/ok\r\nSet-Cookie: x":     "/",
		"javascript:alert(1)":      "/",
		"/%2F%2Fevil.example":      "/", // decodes to //evil.example: refused too
	} {
		if got := SameSitePath(next); got != want {
			t.Errorf("%q -> %q, want %q", next, got, want)
		}
	}
}

func TestProxyHeadersTrustedOnlyBehindProxy(t *testing.T) {
	r := httptest.NewRequest("POST", "http://homeward.example/login", nil)
	r.RemoteAddr = "192.0.2.7:5555"
	r.Header.Set("X-Forwarded-For", "203.0.113.9, 198.51.100.4")
	r.Header.Set("X-Forwarded-Proto", "https")
	if ClientAddress(r, false) != "192.0.2.7" || SecureRequest(r, false) {
		t.Error("proxy headers believed without a proxy")
	}
	if ClientAddress(r, true) != "198.51.100.4" || !SecureRequest(r, true) {
		t.Errorf("behind a proxy: %s %v", ClientAddress(r, true), SecureRequest(r, true))
	}
}
