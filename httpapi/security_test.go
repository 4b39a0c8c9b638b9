package httpapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/httpapi"
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
			if st := e.do("admin", "PUT", "/api/v1/users/"+itoa(ids["u-analyst"]), map[string]any{"password": pw}, &ae); st != 422 || ae.Error.Field != "password" || !strings.Contains(ae.Error.Message, want) {
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
		// A user sets their own interface language (kept, and shown by /me); an unknown one is refused.
		var me homeward.User
		e.do("viewer", "GET", "/api/v1/me", nil, &me)
		if st := e.do("viewer", "PUT", "/api/v1/me", map[string]any{"language": "fr"}, &ae); st != 422 || ae.Error.Field != "user.language" {
			t.Errorf("language fr: %d %+v", st, ae)
		}
		if st := e.do("viewer", "PUT", "/api/v1/me", map[string]any{"language": "ko"}, nil); st != 200 {
			t.Errorf("language ko: %d", st)
		}
		if e.do("viewer", "GET", "/api/v1/me", nil, &me); me.Language != homeward.LanguageKorean {
			t.Errorf("/me after choosing Korean: %+v", me)
		}
	})
}

// Family contact details reach only the roles that need them (liaison, administrator); every
// such read is in the audit log; a role that may change family records but not see contacts
// cannot erase them by sending back the redacted record.
func TestFamilyContactsRedactedAndAudited(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		var mp homeward.MissingPerson
		if st := e.do("analyst", "POST", "/api/v1/missing-persons", map[string]any{"family_name": "Kim", "given_names": "Chul-min", "service_number": "K-1", "nationality": "KOR"}, &mp); st != 201 {
			t.Fatalf("missing person: %d", st)
		}
		var fm homeward.FamilyMember
		if st := e.do("liaison", "POST", "/api/v1/family-members", map[string]any{"missing_person_id": mp.ID, "family_name": "Kim", "given_names": "Young-hee",
			"relationship": "daughter", "contact": "+82 10 1234 5678, Seoul", "consent": map[string]any{"given": true, "date": "2020-01-01", "scope": "dna"}}, &fm); st != 201 {
			t.Fatalf("family member: %d %+v", st, fm)
		}
		path := "/api/v1/family-members/" + itoa(fm.ID)
		for role, visible := range map[string]bool{"liaison": true, "admin": true, "viewer": false, "dna-analyst": false, "reviewer": false} {
			var got homeward.FamilyMember
			if st := e.do(role, "GET", path, nil, &got); st != 200 || (got.Contact != "") != visible || got.ContactRedacted == visible {
				t.Errorf("%s: %d contact %q redacted %v", role, st, got.Contact, got.ContactRedacted)
			}
			// Every way to list relatives: a person's, by name, by a name close to theirs.
			for _, p := range []string{"/api/v1/missing-persons/" + itoa(mp.ID) + "/family-members", "/api/v1/family-members?q=Kim+Young-hee",
				"/api/v1/family-members?q=Kim+Younghie&close=true"} {
				var list homeward.List[homeward.FamilyMember]
				e.do(role, "GET", p, nil, &list)
				if len(list.Items) != 1 || (list.Items[0].Contact != "") != visible {
					t.Errorf("%s list %s: %+v", role, p, list.Items)
				}
			}
		}
		// The DNA analyst edits the relationship from the redacted record: the contact stays.
		var red homeward.FamilyMember
		e.do("dna-analyst", "GET", path, nil, &red)
		red.Relationship = "eldest daughter"
		if st := e.do("dna-analyst", "PUT", path, red, nil); st != 200 {
			t.Fatalf("update by dna-analyst: %d", st)
		}
		var after homeward.FamilyMember
		e.do("liaison", "GET", path, nil, &after)
		if after.Contact != "+82 10 1234 5678, Seoul" || after.Relationship != "eldest daughter" {
			t.Errorf("after the redacted update: %+v", after)
		}
		var audit homeward.List[homeward.AuditEntry]
		e.do("admin", "GET", "/api/v1/audit?entity=family_member_contact", nil, &audit)
		readers := map[string]bool{}
		for _, a := range audit.Items {
			readers[a.Username] = true
		}
		if !readers["u-liaison"] || !readers["u-admin"] || readers["u-viewer"] {
			t.Errorf("contact reads audited for %v", readers)
		}
	})
}

// A DVI analysis that outlives the request's computation deadline is stopped and answered with
// a message saying what to do, not left running.
func TestDVIStopsAtDeadline(t *testing.T) {
	e := newEnv(t, "sqlite")
	db := e.db
	api := httpapi.New(httpapi.Config{Registry: db, Operations: db, Containers: db, Custody: db, Evidence: db, Users: db, Imports: db,
		DNA: db, Idents: db, Families: db, Settings: db, Stats: db, ComputeTimeout: time.Nanosecond})
	srv := httptest.NewServer(api)
	defer srv.Close()
	body, err := os.ReadFile(filepath.Join("..", "dvi", "testdata", "oracle", "fire.input.json"))
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("POST", srv.URL+"/api/v1/dvi/solve", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+e.tokens["dna-analyst"])
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var ae apiError
	json.NewDecoder(res.Body).Decode(&ae)
	if res.StatusCode != 413 || !strings.Contains(ae.Error.Message, "ran longer than") {
		t.Errorf("%d %+v", res.StatusCode, ae)
	}
}

// The conventions of HTTP: errors are RFC 9457 problem details with a stable type and the fields
// named; a wrong method is 405 with Allow; a body of another media type is 415; malformed JSON is
// 400 and valid JSON with invalid content 422; a creation is 201 with Location.
func TestProblemDetailsAndMethods(t *testing.T) {
	e := newEnv(t, "sqlite")
	req := func(method, path, ct, body string) (*http.Response, map[string]any) {
		r, _ := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
		r.Header.Set("Authorization", "Bearer "+e.tokens["analyst"])
		if ct != "" {
			r.Header.Set("Content-Type", ct)
		}
		res, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var m map[string]any
		json.NewDecoder(res.Body).Decode(&m)
		return res, m
	}
	res, p := req("POST", "/api/v1/missing-persons", "application/json", `{"given_names": "A"}`)
	fields, _ := p["fields"].([]any)
	if res.StatusCode != 422 || res.Header.Get("Content-Type") != "application/problem+json" || p["type"] != "urn:homeward:problem:invalid" ||
		p["status"] != float64(422) || len(fields) != 1 || fields[0].(map[string]any)["name"] != "missing_person.family_name" {
		t.Errorf("invalid: %d %s %v", res.StatusCode, res.Header.Get("Content-Type"), p)
	}
	if res, p := req("POST", "/api/v1/missing-persons", "application/json", `{"family_name": `); res.StatusCode != 400 || p["type"] != "urn:homeward:problem:malformed" {
		t.Errorf("malformed: %d %v", res.StatusCode, p)
	}
	if res, p := req("POST", "/api/v1/missing-persons", "text/csv", `a,b`); res.StatusCode != 415 || p["type"] != "urn:homeward:problem:unsupported" {
		t.Errorf("csv body: %d %v", res.StatusCode, p)
	}
	if res, _ := req("DELETE", "/api/v1/missing-persons", "", ""); res.StatusCode != 405 || res.Header.Get("Allow") != "GET, POST, HEAD" {
		t.Errorf("wrong method: %d Allow %q", res.StatusCode, res.Header.Get("Allow"))
	}
	if res, _ := req("GET", "/api/v1/no-such-thing", "", ""); res.StatusCode != 404 {
		t.Errorf("unknown path: %d", res.StatusCode)
	}
	res, p = req("POST", "/api/v1/missing-persons", "application/json; charset=utf-8", `{"family_name": "Kim", "given_names": "Chul-min"}`)
	if res.StatusCode != 201 || res.Header.Get("Location") != fmt.Sprintf("/api/v1/missing-persons/%v", p["id"]) {
		t.Errorf("created: %d Location %q (id %v)", res.StatusCode, res.Header.Get("Location"), p["id"])
	}
}
