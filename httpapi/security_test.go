package httpapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/homeward/homeward"
)

// Sign-in over the API: failures throttled per account and address with 429 and Retry-After,
// without locking out another user; a password change, a disabled account or a role taken away
// end that user's sessions and tokens; the last administrator stays one; common and short
// passwords are refused naming the field.
func TestSignInAndSessionsUnderAttack(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		login := func(name, pw string) (int, http.Header, string) {
			var out struct {
				Token string `json:"token"`
			}
			st, h := e.doH("", "POST", "/api/v1/session", map[string]string{"username": name, "password": pw}, nil, &out)
			return st, h, out.Token
		}
		for i := 0; i < 5; i++ {
			if st, _, _ := login("u-custodian", "not the password"); st != 401 {
				t.Fatalf("failure %d: %d", i+1, st)
			}
		}
		st, h, _ := login("u-custodian", "password for custodian")
		if st != 429 || h.Get("Retry-After") == "" {
			t.Errorf("sixth attempt: %d, Retry-After %q", st, h.Get("Retry-After"))
		}
		if st, _, _ := login("u-viewer", "password for viewer"); st != 201 {
			t.Errorf("another user from the same address: %d", st)
		}
		if st, _, _ := login("nobody-at-all", "whatever it is"); st != 401 {
			t.Errorf("unknown user: %d", st)
		}

		// The analyst signs in and makes a token; an administrator then changes the password.
		st, _, session := login("u-analyst", "password for analyst")
		if st != 201 || session == "" {
			t.Fatalf("analyst sign-in: %d", st)
		}
		var users []homeward.User
		e.do("admin", "GET", "/api/v1/users", nil, &users)
		ids := map[string]int64{}
		for _, u := range users {
			ids[u.Username] = u.ID
		}
		var tok struct{ Token string }
		if st := e.doWith(session, "POST", "/api/v1/users/"+itoa(ids["u-analyst"])+"/tokens", map[string]any{"name": "script"}, &tok); st != 201 {
			t.Fatalf("token: %d", st)
		}
		var ae apiError
		for pw, want := range map[string]string{"short": "at least 12", "passwordpassword": "most common"} {
			if st := e.do("admin", "PUT", "/api/v1/users/"+itoa(ids["u-analyst"]), map[string]any{"password": pw}, &ae); st != 400 || ae.Error.Field != "password" || !strings.Contains(ae.Error.Message, want) {
				t.Errorf("password %q: %d %+v", pw, st, ae)
			}
		}
		if st := e.do("admin", "PUT", "/api/v1/users/"+itoa(ids["u-analyst"]), map[string]any{"password": "a new long passphrase 2026"}, nil); st != 200 {
			t.Fatalf("password change: %d", st)
		}
		for what, secret := range map[string]string{"session": session, "API token": tok.Token, "older API token": e.tokens["analyst"]} {
			if st := e.doWith(secret, "GET", "/api/v1/incidents", nil, nil); st != 401 {
				t.Errorf("%s after the password change: %d", what, st)
			}
		}
		// A role taken away ends the tokens too.
		if st := e.do("admin", "PUT", "/api/v1/users/"+itoa(ids["u-reviewer"]), map[string]any{"roles": []string{"viewer"}}, nil); st != 200 {
			t.Fatalf("demote: %d", st)
		}
		if st := e.do("reviewer", "GET", "/api/v1/incidents", nil, nil); st != 401 {
			t.Errorf("token after losing a role: %d", st)
		}
		// The only administrator cannot stop being one.
		if st := e.do("admin", "PUT", "/api/v1/users/"+itoa(ids["u-admin"]), map[string]any{"roles": []string{"viewer"}}, &ae); st != 409 || ae.Error.Field != "user.roles" {
			t.Errorf("last administrator demoted: %d %+v", st, ae)
		}
		if st := e.do("admin", "PUT", "/api/v1/users/"+itoa(ids["u-admin"]), map[string]any{"disabled": true}, &ae); st != 409 {
			t.Errorf("last administrator disabled: %d %+v", st, ae)
		}
	})
}
