package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/homeward/homeward/custodylog"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/auth"
	"github.com/homeward/homeward/blob"
	"github.com/homeward/homeward/httpapi"
	"github.com/homeward/homeward/jobs"
	"github.com/homeward/homeward/store"
	"github.com/homeward/homeward/store/storetest"
	"github.com/riverqueue/river"
)

// env is one API server on a fresh store with a token per role.
type env struct {
	t      *testing.T
	db     *store.DB
	srv    *httptest.Server
	api    *httpapi.Server
	tokens map[string]string
}

func newEnv(t *testing.T, dialect string) *env {
	return newEnvQueue(t, dialect, false)
}

// newEnvQueue is newEnv with, when withQueue, a job queue on the same database working screens in
// this process, as homeward serve runs it.
func newEnvQueue(t *testing.T, dialect string, withQueue bool) *env {
	url := storetest.URL(t, dialect)
	db, err := store.Open(context.Background(), store.Options{URL: url, CustodyKey: storetest.Key})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	b, err := blob.Open(context.Background(), filepath.Join(t.TempDir(), "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := httpapi.Config{Registry: db, Operations: db, Containers: db, Custody: db, Evidence: db, Users: db, Imports: db, DNA: db, Idents: db, Families: db, Settings: db, Stats: db, Osteometry: db, Blob: b, Thumbnail: blob.Thumbnail}
	if withQueue {
		w := river.NewWorkers()
		river.AddWorker(w, &jobs.ScreenWorker{DNA: db, Name: "api-test"})
		q, err := jobs.Open(context.Background(), jobs.Options{URL: url, Workers: w, Work: true, PollInterval: 50 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		if err := q.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			q.Stop(ctx)
			q.Close()
		})
		cfg.Screens = jobs.Screens{DNA: db, Queue: q}
	}
	api := httpapi.New(cfg)
	e := &env{t: t, db: db, api: api, srv: httptest.NewServer(contractChecked(t, api, api.OpenAPI())), tokens: map[string]string{}}
	t.Cleanup(e.srv.Close)
	boot := homeward.NewContextWithUser(context.Background(), &homeward.User{Username: "system", Roles: []homeward.Role{homeward.RoleAdmin}})
	for _, r := range homeward.Roles {
		u := &homeward.User{Username: "u-" + string(r), Roles: []homeward.Role{r}, PasswordHash: mustHash(t, "password for "+string(r))}
		if err := db.CreateUser(boot, u); err != nil {
			t.Fatal(err)
		}
		secret, hash, _ := auth.NewToken()
		if err := db.CreateAPIToken(homeward.NewContextWithUser(context.Background(), u), &homeward.APIToken{UserID: u.ID, Prefix: secret[:8], TokenHash: hash}); err != nil {
			t.Fatal(err)
		}
		e.tokens[string(r)] = secret
	}
	return e
}

var hashes = map[string]string{}

func mustHash(t *testing.T, pw string) string {
	if h, ok := hashes[pw]; ok {
		return h
	}
	h, err := auth.HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	hashes[pw] = h
	return h
}

// do sends a request as role ("" = anonymous) and decodes the JSON answer into out (if not nil;
// a *[]byte receives the body as it came).
func (e *env) do(role, method, path string, body any, out any) int {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		j, _ := json.Marshal(b)
		rd = bytes.NewReader(j)
	}
	req, _ := http.NewRequest(method, e.srv.URL+path, rd)
	if role != "" {
		req.Header.Set("Authorization", "Bearer "+e.tokens[role])
	}
	if text, isText := body.(string); body != nil && (!isText || strings.HasPrefix(text, "{") || strings.HasPrefix(text, "[")) {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	if raw, ok := out.(*[]byte); ok {
		*raw = data
	} else if out != nil && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			e.t.Fatalf("%s %s: decode %q: %v", method, path, data, err)
		}
	}
	return res.StatusCode
}

type apiError struct {
	Error struct{ Code, Message, Field string } `json:"error"`
}

func eachDialect(t *testing.T, body func(t *testing.T, e *env)) {
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) { body(t, newEnv(t, d)) })
	}
}

func TestLoginAndSession(t *testing.T) {
	e := newEnv(t, "sqlite")
	var bad apiError
	if st := e.do("", "POST", "/api/v1/session", map[string]string{"username": "u-admin", "password": "wrong password!!"}, &bad); st != 401 || bad.Error.Code != "unauthorized" {
		t.Errorf("wrong password: %d %+v", st, bad)
	}
	var info struct {
		Token string
		User  homeward.User
	}
	if st := e.do("", "POST", "/api/v1/session", map[string]string{"username": "u-admin", "password": "password for admin"}, &info); st != 201 || info.Token == "" || info.User.Username != "u-admin" {
		t.Fatalf("login: %d %+v", st, info)
	}
	e.tokens["session"] = info.Token
	var me homeward.User
	if st := e.do("session", "GET", "/api/v1/me", nil, &me); st != 200 || me.Username != "u-admin" {
		t.Errorf("me: %d %+v", st, me)
	}
	if st := e.do("session", "DELETE", "/api/v1/session", nil, nil); st != 204 {
		t.Errorf("logout: %d", st)
	}
	if st := e.do("session", "GET", "/api/v1/me", nil, nil); st != 401 {
		t.Errorf("after logout: %d", st)
	}
}

// Every route but login and the OpenAPI document refuses anonymous requests.
func TestEveryRouteNeedsAuth(t *testing.T) {
	e := newEnv(t, "sqlite")
	var doc struct {
		Paths map[string]map[string]struct {
			Security *[]any `json:"security"`
		} `json:"paths"`
	}
	if st := e.do("", "GET", "/api/v1/openapi.json", nil, &doc); st != 200 {
		t.Fatalf("openapi: %d", st)
	}
	param := regexp.MustCompile(`\{[a-z_]+\}`)
	n := 0
	for path, ops := range doc.Paths {
		for method, op := range ops {
			public := op.Security != nil && len(*op.Security) == 0
			st := e.do("", strings.ToUpper(method), param.ReplaceAllString(path, "1"), nil, nil)
			n++
			if public && st == 401 {
				t.Errorf("%s %s is documented public but answers 401", method, path)
			}
			if !public && st != 401 {
				t.Errorf("%s %s answers %d without credentials", method, path, st)
			}
		}
	}
	if n < 40 {
		t.Errorf("only %d operations documented", n)
	}
}

// The OpenAPI document lists exactly the registered routes, and every schema it references exists.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	e := newEnv(t, "sqlite")
	doc := e.api.OpenAPI()
	raw, _ := json.Marshal(doc)
	var parsed struct {
		OpenAPI    string                                `json:"openapi"`
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			Schemas map[string]json.RawMessage `json:"schemas"`
		} `json:"components"`
	}
	json.Unmarshal(raw, &parsed)
	if parsed.OpenAPI != "3.0.3" {
		t.Errorf("version %q", parsed.OpenAPI)
	}
	for _, m := range regexp.MustCompile(`#/components/schemas/(\w+)`).FindAllStringSubmatch(string(raw), -1) {
		if _, ok := parsed.Components.Schemas[m[1]]; !ok {
			t.Errorf("schema %s referenced but not defined", m[1])
		}
	}
	// Each documented operation is served (not the catch-all 404 for unknown routes), and an
	// undocumented one is not.
	param := regexp.MustCompile(`\{[a-z_]+\}`)
	for path, ops := range parsed.Paths {
		for method := range ops {
			var body []byte // as it came: some routes answer CSV, SVG or PDF
			e.do("admin", strings.ToUpper(method), param.ReplaceAllString(path, "1"), nil, &body)
			if strings.Contains(string(body), "no API route") {
				t.Errorf("documented %s %s has no handler", method, path)
			}
		}
	}
	var ae apiError
	if st := e.do("admin", "PATCH", "/api/v1/missing-persons/1", "{}", &ae); st != 405 && !strings.HasPrefix(ae.Error.Message, "no API route") {
		t.Errorf("undocumented PATCH answered %d %+v", st, ae)
	}
	// A missing-person schema carries the domain's fields.
	if !strings.Contains(string(parsed.Components.Schemas["MissingPerson"]), `"service_number"`) || !strings.Contains(string(parsed.Components.Schemas["CustodyState"]), `"custodian"`) {
		t.Error("schemas do not follow the domain types")
	}
}

func TestRegistryAndBadInput(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		var inc homeward.Incident
		if st := e.do("analyst", "POST", "/api/v1/incidents", map[string]any{"code": "KW-1", "kind": "air-loss", "coordinates": map[string]any{"lat": 39.1, "lon": 125.7}}, &inc); st != 201 || inc.ID == 0 {
			t.Fatalf("create incident: %d %+v", st, inc)
		}
		var mp homeward.MissingPerson
		if st := e.do("analyst", "POST", "/api/v1/missing-persons", map[string]any{"family_name": "Doe", "service_number": "RA1", "nationality": "USA", "incident_id": inc.ID}, &mp); st != 201 {
			t.Fatalf("create: %d", st)
		}
		mp.Status = homeward.StatusAccountedFor
		var upd homeward.MissingPerson
		if st := e.do("analyst", "PUT", fmt.Sprintf("/api/v1/missing-persons/%d", mp.ID), mp, &upd); st != 200 || upd.Version != 2 {
			t.Errorf("update: %d %+v", st, upd)
		}
		var ae apiError
		if st := e.do("analyst", "PUT", fmt.Sprintf("/api/v1/missing-persons/%d", mp.ID), mp, &ae); st != 409 || ae.Error.Code != "conflict" {
			t.Errorf("stale update: %d %+v", st, ae)
		}
		cases := []struct {
			name, body string
			status     int
			field      string
		}{
			{"malformed", `{"family_name": `, 400, "missing_person"},
			{"wrong type", `{"family_name": "A", "age_at_loss": "old"}`, 422, "missing_person.age_at_loss"},
			{"unknown field", `{"family_name": "A", "nickname": "x"}`, 422, "missing_person.nickname"},
			{"invalid enum", `{"family_name": "A", "sex": "m"}`, 422, "missing_person.sex"},
			{"missing field", `{"given_names": "A"}`, 422, "missing_person.family_name"},
			{"empty body", ``, 400, "missing_person"},
			{"duplicate", `{"family_name": "B", "service_number": "RA1", "nationality": "USA"}`, 409, "missing_person.service_number"},
		}
		for _, c := range cases {
			var ae apiError
			st := e.do("analyst", "POST", "/api/v1/missing-persons", c.body, &ae)
			if st != c.status || ae.Error.Field != c.field {
				t.Errorf("%s: %d %+v, want %d naming %s", c.name, st, ae.Error, c.status, c.field)
			}
		}
		if st := e.do("viewer", "POST", "/api/v1/missing-persons", `{"family_name":"V"}`, &ae); st != 403 {
			t.Errorf("viewer write: %d", st)
		}
		var l homeward.List[homeward.MissingPerson]
		if st := e.do("viewer", "GET", "/api/v1/missing-persons?q=doe", nil, &l); st != 200 || l.Total != 1 {
			t.Errorf("list: %d %+v", st, l)
		}
		if st := e.do("viewer", "GET", "/api/v1/missing-persons?limit=x", nil, &ae); st != 422 || ae.Error.Field != "limit" {
			t.Errorf("bad limit: %d %+v", st, ae)
		}
		if st := e.do("viewer", "GET", "/api/v1/missing-persons?lost_to=1950-13-45x", nil, &ae); st != 422 || ae.Error.Field != "lost_to" {
			t.Errorf("bad date: %d %+v", st, ae)
		}
		if st := e.do("viewer", "GET", "/api/v1/missing-persons?q=doe&lost_from=2100", nil, &l); st != 200 || l.Total != 0 {
			t.Errorf("lost from 2100: %d %+v", st, l)
		}
		var audit homeward.List[homeward.AuditEntry]
		if st := e.do("reviewer", "GET", fmt.Sprintf("/api/v1/audit?entity=missing_person&entity_id=%d", mp.ID), nil, &audit); st != 200 || audit.Total != 2 ||
			audit.Items[0].Username != "u-analyst" || !strings.Contains(string(audit.Items[0].After), "accounted-for") {
			t.Errorf("audit: %d %+v", st, audit)
		}
		if st := e.do("analyst", "GET", "/api/v1/audit", nil, nil); st != 403 {
			t.Errorf("analyst reading audit: %d", st)
		}
	})
}

func TestCustodyOverAPI(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		var op homeward.Operation
		e.do("custodian", "POST", "/api/v1/operations", map[string]any{"code": "K55-2018", "kind": "turnover", "name": "turnover"}, &op)
		var c homeward.Container
		if st := e.do("custodian", "POST", "/api/v1/containers", map[string]any{"kind": "case", "operation_id": op.ID}, &c); st != 201 || c.Accession != "K55-2018-001" {
			t.Fatalf("container: %d %+v", st, c)
		}
		path := "/api/v1/containers/" + c.Accession + "/custody"
		if st := e.do("custodian", "POST", path, map[string]any{"kind": "receipt", "occurred_at": "2018-07-27T01:00:00Z", "to": "UNC", "location": "Wonsan"}, nil); st != 201 {
			t.Fatalf("receipt: %d", st)
		}
		var ae apiError
		if st := e.do("custodian", "POST", path, map[string]any{"kind": "transfer", "occurred_at": "2018-07-27T02:00:00Z", "from": "KPA", "to": "X", "from_ack": "a", "to_ack": "b"}, &ae); st != 409 || !strings.Contains(ae.Error.Message, `current custodian is "UNC"`) {
			t.Errorf("transfer by non-custodian: %d %+v", st, ae)
		}
		var ev homeward.CustodyEvent
		if st := e.do("custodian", "POST", path, map[string]any{"kind": "transfer", "occurred_at": "2018-07-27T03:00:00Z", "from": "UNC", "to": "DPAA", "from_ack": "a", "to_ack": "b", "location": "Osan"}, &ev); st != 201 || ev.Seq != 2 || ev.RecordedBy != "u-custodian" {
			t.Errorf("transfer: %d %+v", st, ev)
		}
		if st := e.do("viewer", "POST", path, map[string]any{"kind": "storage", "occurred_at": "2018-07-28T00:00:00Z", "location": "x"}, nil); st != 403 {
			t.Errorf("viewer append: %d", st)
		}
		var got homeward.Container
		e.do("viewer", "GET", "/api/v1/containers/"+c.Accession, nil, &got)
		if got.Custody == nil || got.Custody.Custodian != "DPAA" || got.Custody.Location != "Osan" {
			t.Errorf("derived custody: %+v", got.Custody)
		}
		// The log: its newest checkpoint and public keys for anyone to hold, and a proof that the
		// log extends a checkpoint taken earlier.
		var cp, keys []byte
		if st := e.do("viewer", "GET", "/api/v1/custody/checkpoint", nil, &cp); st != 200 || !strings.HasPrefix(string(cp), "homeward custody log v1\n2\n") {
			t.Fatalf("checkpoint: %d %q", st, cp)
		}
		if st := e.do("viewer", "GET", "/api/v1/custody/keys", nil, &keys); st != 200 || !strings.HasPrefix(string(keys), "homeward-custody+") {
			t.Errorf("keys: %d %q", st, keys)
		}
		if _, err := custodylog.OpenWith(cp, string(keys)); err != nil {
			t.Errorf("the checkpoint does not verify under the published keys: %v", err)
		}
		e.do("custodian", "POST", path, map[string]any{"kind": "storage", "occurred_at": "2018-07-28T00:00:00Z", "location": "Honolulu"}, nil)
		var rep homeward.CustodyLogReport
		if st := e.do("viewer", "POST", "/api/v1/custody/log/consistency", string(cp), &rep); st != 200 || !rep.OK() || rep.LogSize != 3 || rep.CheckpointSize != 3 {
			t.Errorf("consistency: %d %+v", st, rep)
		}
		if st := e.do("viewer", "POST", "/api/v1/custody/log/consistency", "", &ae); st != 422 || ae.Error.Field != "checkpoint" {
			t.Errorf("empty checkpoint: %d %+v", st, ae)
		}
		// Tamper behind the server's back: the API names the container and the first bad event.
		if _, err := e.db.SQL().Exec("UPDATE custody_events SET to_party = 'Mallory' WHERE seq = 1"); err != nil {
			t.Fatal(err)
		}
		var v struct {
			Intact   bool
			Problems []homeward.ChainProblem
		}
		if st := e.do("viewer", "GET", path+"/verify", nil, &v); st != 200 || v.Intact || len(v.Problems) != 1 || v.Problems[0].Container != "K55-2018-001" || v.Problems[0].Seq != 1 {
			t.Errorf("verify: %d %+v", st, v)
		}
		if st := e.do("viewer", "GET", "/api/v1/custody/verify", nil, &v); st != 200 || v.Intact {
			t.Errorf("verify all: %d %+v", st, v)
		}
		// Deleting the newest event and rolling the head back shows in the log report.
		e.db.SQL().Exec("DELETE FROM custody_events WHERE seq = 3")
		if st := e.do("viewer", "GET", "/api/v1/custody/log", nil, &rep); st != 200 || rep.OK() || !strings.Contains(fmt.Sprint(rep.Problems), "truncated") {
			t.Errorf("log after truncation: %d %+v", st, rep.Problems)
		}
	})
}

func TestUploadAndImport(t *testing.T) {
	e := newEnv(t, "sqlite")
	var inc homeward.Incident
	e.do("analyst", "POST", "/api/v1/incidents", map[string]any{"code": "KW-9", "kind": "pow-camp"}, &inc)
	// Upload a PNG photo of the incident; original kept, thumbnail made.
	png, err := os.ReadFile(filepath.Join("..", "blob", "testdata", "photo.png"))
	if err != nil {
		png = tinyPNG()
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("subject_type", "incident")
	mw.WriteField("subject_id", fmt.Sprint(inc.ID))
	fw, _ := mw.CreateFormFile("file", "photo.png")
	fw.Write(png)
	mw.Close()
	req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/attachments", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+e.tokens["analyst"])
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var a homeward.Attachment
	json.NewDecoder(res.Body).Decode(&a)
	res.Body.Close()
	if res.StatusCode != 201 || a.Kind != "photo" || len(a.SHA256) != 64 {
		t.Fatalf("upload: %d %+v", res.StatusCode, a)
	}
	req, _ = http.NewRequest("GET", e.srv.URL+"/api/v1/blobs/"+a.SHA256, nil)
	req.Header.Set("Authorization", "Bearer "+e.tokens["viewer"])
	res, _ = http.DefaultClient.Do(req)
	got, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !bytes.Equal(got, png) {
		t.Error("downloaded original differs from the upload")
	}
	// CSV import is all or nothing, with a report naming line and field.
	csv := "code,date,kind,place,lat,lon,precision_m,description\nKW-10,1950-11-01,ground-action,Unsan,,,,\nKW-11,1950-13-01,ground-action,Unsan,,,,\n"
	var rep homeward.ImportReport
	if st := e.do("analyst", "POST", "/api/v1/import/incidents", csv, &rep); st != 422 || rep.Created != 0 || len(rep.Rejected) != 1 || rep.Rejected[0].Line != 3 {
		t.Errorf("bad import: %d %+v", st, rep)
	}
	var l homeward.List[homeward.Incident]
	e.do("viewer", "GET", "/api/v1/incidents", nil, &l)
	if l.Total != 1 {
		t.Errorf("after a failed import: %d incidents", l.Total)
	}
	csv = strings.Replace(csv, "1950-13-01", "1950-11-02", 1)
	if st := e.do("analyst", "POST", "/api/v1/import/incidents", csv, &rep); st != 201 || rep.Created != 2 {
		t.Errorf("good import: %d %+v", st, rep)
	}
	req, _ = http.NewRequest("GET", e.srv.URL+"/api/v1/export/incidents?format=csv", nil)
	req.Header.Set("Authorization", "Bearer "+e.tokens["viewer"])
	res, _ = http.DefaultClient.Do(req)
	out, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(out), "KW-10,1950-11-01,ground-action,Unsan") || strings.Count(string(out), "\n") != 4 {
		t.Errorf("export:\n%s", out)
	}
}

// tinyPNG is a valid 1x1 PNG.
func tinyPNG() []byte {
	return []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82")
}

// doH is do with request headers; it returns the status and the response headers.
func (e *env) doH(role, method, path string, body any, headers map[string]string, out any) (int, http.Header) {
	e.t.Helper()
	j, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, e.srv.URL+path, bytes.NewReader(j))
	req.Header.Set("Authorization", "Bearer "+e.tokens[role])
	req.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	if out != nil && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			e.t.Fatalf("%s %s: decode %q: %v", method, path, data, err)
		}
	}
	return res.StatusCode, res.Header
}

// doWith sends a request with a bearer secret (a session token or an API token).
func (e *env) doWith(secret, method, path string, body any, out any) int {
	e.t.Helper()
	saved := e.tokens["__with"]
	e.tokens["__with"] = secret
	defer func() { e.tokens["__with"] = saved }()
	return e.do("__with", method, path, body, out)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
