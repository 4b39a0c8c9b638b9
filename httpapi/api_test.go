package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/homeward/homeward/custodylog"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/assets"
	"github.com/homeward/homeward/auth"
	"github.com/homeward/homeward/blob"
	"github.com/homeward/homeward/httpapi"
	"github.com/homeward/homeward/idreport"
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

func TestKinshipOverAPI(t *testing.T) {
	e := newEnv(t, "sqlite")
	body, err := os.ReadFile(filepath.Join("..", "labfmt", "casejson", "testdata", "oracle", "paternity_trio.input.json"))
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		LRTotal map[string]float64 `json:"LR_total"`
	}
	if st := e.do("dna-analyst", "POST", "/api/v1/kinship/lr", string(body), &res); st != 200 || res.LRTotal["H1:H2"] < 1e6 {
		t.Errorf("kinship: %d %+v", st, res)
	}
	var ae apiError
	bad := strings.Replace(string(body), `"15", "17"`, `"15", "99"`, 1)
	if st := e.do("dna-analyst", "POST", "/api/v1/kinship/lr", bad, &ae); st != 422 || !strings.Contains(ae.Error.Message, "allele") {
		t.Errorf("bad allele: %d %+v", st, ae)
	}
	if st := e.do("custodian", "POST", "/api/v1/kinship/lr", string(body), nil); st != 403 {
		t.Errorf("custodian running kinship: %d", st)
	}
}

func TestDVIOverAPI(t *testing.T) {
	e := newEnv(t, "sqlite")
	body, err := os.ReadFile(filepath.Join("..", "dvi", "testdata", "oracle", "KETPexer497.input.json"))
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Solve struct {
			AM []struct{ Missing, Sample, Conclusion string } `json:"AM"`
		} `json:"dviSolve"`
		Default struct {
			Rows []struct{ Assignment []string } `json:"rows"`
		} `json:"jointDVI_default"`
	}
	if st := e.do("dna-analyst", "POST", "/api/v1/dvi/solve", string(body), &res); st != 200 || len(res.Solve.AM) != 3 ||
		res.Solve.AM[0].Conclusion != "Undisputed" || res.Solve.AM[0].Sample != "V1" || len(res.Default.Rows) == 0 {
		t.Errorf("dvi solve: %d %+v", st, res)
	}
	var ae apiError
	if st := e.do("dna-analyst", "POST", "/api/v1/dvi/solve?threshold=abc", string(body), &ae); st != 422 || ae.Error.Field != "threshold" {
		t.Errorf("bad threshold: %d %+v", st, ae)
	}
	// Values that parse but no analysis can use are refused naming the field, before any work.
	for q, field := range map[string]string{"threshold=NaN": "threshold", "threshold=1": "threshold", "threshold2=-1": "threshold2",
		"limit=Inf": "limit", "max_assign=1000000000": "max_assign", "max_incomp=-1": "max_incomp", "strict=maybe": "strict"} {
		ae = apiError{}
		if st := e.do("dna-analyst", "POST", "/api/v1/dvi/solve?"+q, string(body), &ae); st != 422 || ae.Error.Field != field {
			t.Errorf("%s: %d %+v, want 422 naming %s", q, st, ae, field)
		}
	}
	plane, err := os.ReadFile(filepath.Join("..", "dvi", "testdata", "oracle", "planecrash.input.json"))
	if err != nil {
		t.Fatal(err)
	}
	var und struct {
		Undisputed struct {
			Strict  bool             `json:"strict"`
			Summary []map[string]any `json:"summary"`
		} `json:"undisputed"`
	}
	for strict, n := range map[string]int{"false": 3, "true": 2} {
		if st := e.do("dna-analyst", "POST", "/api/v1/dvi/solve?strict="+strict, string(plane), &und); st != 200 || len(und.Undisputed.Summary) != n ||
			fmt.Sprint(und.Undisputed.Strict) != strict {
			t.Errorf("planecrash strict=%s: %d, %d undisputed (strict %v), want %d", strict, st, len(und.Undisputed.Summary), und.Undisputed.Strict, n)
		}
	}
	bad := strings.Replace(string(body), `"type": "dvi"`, `"type": "kinship"`, 1)
	if st := e.do("dna-analyst", "POST", "/api/v1/dvi/solve", bad, &ae); st != 422 || !strings.Contains(ae.Error.Message, "not dvi") {
		t.Errorf("kinship case sent to dvi: %d %+v", st, ae)
	}
	if st := e.do("viewer", "POST", "/api/v1/dvi/solve", string(body), nil); st != 403 {
		t.Errorf("viewer running dvi: %d", st)
	}
}

// Profiles, families and a screen over the API: the screen runs as a background job in this
// process and its candidates come back through the API; bad input is refused with the field named.
func TestScreensOverAPI(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			e := newEnvQueue(t, d, true)
			loci := func(a, b string) map[string][]string {
				return map[string][]string{"TH01": {a, b}, "D3S1358": {"15", "16"}, "FGA": {"21", "22"}, "vWA": {"16", "17"}, "D8S1179": {"13", "14"}}
			}
			var fa, mo, son, stranger homeward.Profile
			for _, c := range []struct {
				out  *homeward.Profile
				body homeward.Profile
			}{
				{&fa, homeward.Profile{Sample: "REF-FA", Role: homeward.ProfileReference, Loci: loci("6", "7")}},
				{&mo, homeward.Profile{Sample: "REF-MO", Role: homeward.ProfileReference, Loci: loci("9", "9.3")}},
				{&son, homeward.Profile{Sample: "PM-SON", Role: homeward.ProfileVictim, Loci: loci("7", "9.3")}},
				{&stranger, homeward.Profile{Sample: "PM-X", Role: homeward.ProfileVictim, Loci: map[string][]string{"TH01": {"8", "10"}, "FGA": {"19", "24"}}}},
			} {
				if st := e.do("dna-analyst", "POST", "/api/v1/profiles", c.body, c.out); st != 201 {
					t.Fatalf("profile %s: %d", c.body.Sample, st)
				}
			}
			var ae apiError
			if st := e.do("dna-analyst", "POST", "/api/v1/profiles", homeward.Profile{Sample: "BAD", Role: "suspect", Loci: loci("6", "7")}, &ae); st != 422 || ae.Error.Field != "profile.role" {
				t.Errorf("bad role: %d %+v", st, ae)
			}
			fam := homeward.ReferenceFamily{Name: "FAM-A", Target: "MP", Members: []homeward.PedigreeMember{
				{ID: "FA", Sex: homeward.SexMale, ProfileID: &fa.ID}, {ID: "MO", Sex: homeward.SexFemale, ProfileID: &mo.ID},
				{ID: "MP", Father: "FA", Mother: "MO", Sex: homeward.SexMale}}}
			if st := e.do("dna-analyst", "POST", "/api/v1/reference-families", fam, &fam); st != 201 {
				t.Fatalf("family: %d", st)
			}
			var started struct {
				Screen homeward.Screen `json:"screen"`
			}
			if st := e.do("viewer", "POST", "/api/v1/screens", homeward.ScreenRequest{Name: "api"}, nil); st != 403 {
				t.Errorf("viewer started a screen: %d", st)
			}
			if st := e.do("dna-analyst", "POST", "/api/v1/screens", homeward.ScreenRequest{Name: "api", Threshold: 10, MinFreq: 0.01}, &started); st != 202 || started.Screen.ID == 0 {
				t.Fatalf("start: %d %+v", st, started)
			}
			var sc homeward.Screen
			deadline := time.Now().Add(30 * time.Second)
			for time.Now().Before(deadline) {
				e.do("viewer", "GET", fmt.Sprintf("/api/v1/screens/%d", started.Screen.ID), nil, &sc)
				if sc.Status == homeward.ScreenDone {
					break
				}
				time.Sleep(50 * time.Millisecond)
			}
			if sc.Status != homeward.ScreenDone || sc.Progress.Comparisons != 2 {
				t.Fatalf("screen: %+v", sc)
			}
			var cands homeward.List[homeward.Candidate]
			if st := e.do("viewer", "GET", fmt.Sprintf("/api/v1/screens/%d/candidates", sc.ID), nil, &cands); st != 200 || cands.Total != 1 || cands.Items[0].Sample != "PM-SON" || cands.Items[0].Family != "FAM-A" {
				t.Errorf("candidates: %d %+v", st, cands)
			}
			var res struct {
				Pending int `json:"pending_shards"`
			}
			if st := e.do("dna-analyst", "POST", fmt.Sprintf("/api/v1/screens/%d/resume", sc.ID), nil, &res); st != 202 || res.Pending != 0 {
				t.Errorf("resume: %d %+v", st, res)
			}
			if st := e.do("dna-analyst", "POST", "/api/v1/screens/999/resume", nil, nil); st != 404 {
				t.Errorf("resume of no screen: %d", st)
			}
		})
	}
}

// A server without a job queue says so instead of accepting screens it cannot run.
func TestScreensWithoutQueue(t *testing.T) {
	e := newEnv(t, "sqlite")
	var ae apiError
	if st := e.do("dna-analyst", "POST", "/api/v1/screens", homeward.ScreenRequest{Name: "x"}, &ae); st != 503 || !strings.Contains(ae.Error.Message, "no job queue") {
		t.Errorf("%d %+v", st, ae)
	}
}

func TestRemainsOverAPI(t *testing.T) {
	e := newEnv(t, "sqlite")
	admin := homeward.NewContextWithUser(context.Background(), &homeward.User{Username: "system", Roles: []homeward.Role{homeward.RoleAdmin}})
	c := &homeward.Container{Accession: "BOX-1", Kind: homeward.ContainerBox}
	if err := e.db.CreateContainer(admin, c); err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{"B1", "B2"} {
		if err := e.db.CreateSpecimen(admin, &homeward.Specimen{ContainerID: c.ID, Code: code, Element: "tibia", Side: homeward.SideRight}); err != nil {
			t.Fatal(err)
		}
	}
	var mni struct {
		PerContainer map[string]struct {
			MNI int `json:"mni"`
		} `json:"per_container"`
	}
	if st := e.do("viewer", "GET", "/api/v1/mni?container=BOX-1", nil, &mni); st != 200 || mni.PerContainer["BOX-1"].MNI != 2 {
		t.Errorf("mni: %d %+v", st, mni)
	}
	if st := e.do("viewer", "GET", "/api/v1/mni?container=NOPE", nil, nil); st != 404 {
		t.Errorf("unknown container: %d", st)
	}
	for _, s := range []string{"PM-1", "PM-2"} {
		p := homeward.Profile{Sample: s, Role: homeward.ProfileVictim, Loci: map[string][]string{"TH01": {"6", "9.3"}, "FGA": {"21", "22"}, "vWA": {"16", "17"}}}
		if st := e.do("dna-analyst", "POST", "/api/v1/profiles", p, nil); st != 201 {
			t.Fatalf("profile %d", st)
		}
	}
	var g struct {
		Profiles    int `json:"profiles"`
		Individuals []struct {
			Samples []string `json:"samples"`
		} `json:"individuals"`
	}
	if st := e.do("dna-analyst", "POST", "/api/v1/dna/group", map[string]any{"threshold": 10, "min_markers": 3}, &g); st != 200 || g.Profiles != 2 || len(g.Individuals) != 1 || len(g.Individuals[0].Samples) != 2 {
		t.Errorf("group: %d %+v", st, g)
	}
	if st := e.do("dna-analyst", "POST", "/api/v1/dna/group", map[string]any{"container": "NOPE"}, nil); st != 404 {
		t.Errorf("group of unknown container: %d", st)
	}
}

// A genotype file through the API: a dry run stores nothing, the import stores the samples, a file
// with rejected rows is refused whole.
func TestProfileImportOverAPI(t *testing.T) {
	e := newEnv(t, "sqlite")
	body, err := os.ReadFile(filepath.Join("..", "labfmt", "genemapper", "testdata", "ref3.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var rep homeward.ProfileImportReport
	if st := e.do("dna-analyst", "POST", "/api/v1/profiles/import?role=reference&dry_run=true&file=ref3.txt", string(body), &rep); st != 200 || !rep.DryRun || rep.Samples != 3 {
		t.Fatalf("dry run: %d %+v", st, rep)
	}
	var l homeward.List[homeward.Profile]
	if e.do("viewer", "GET", "/api/v1/profiles", nil, &l); l.Total != 0 {
		t.Errorf("dry run stored %d", l.Total)
	}
	if st := e.do("dna-analyst", "POST", "/api/v1/profiles/import?role=reference&file=ref3.txt", string(body), &rep); st != 200 || rep.Created != 3 {
		t.Fatalf("import: %d %+v", st, rep)
	}
	bad := []byte("Sample Name\tMarker\tAllele 1\tAllele 2\nX1\tTH01\t6\t7\nX2\tTH01\t6\n")
	// Rejected rows: 422 with the report, every rejected row and why nothing was stored.
	rep = homeward.ProfileImportReport{}
	if st := e.do("dna-analyst", "POST", "/api/v1/profiles/import?file=bad.txt", string(bad), &rep); st != 422 || len(rep.Rejected) != 1 || rep.Rejected[0].Line != 3 || !strings.Contains(rep.Refused, "nothing stored") {
		t.Errorf("rejected rows: %d %+v", st, rep)
	}
	var ae apiError
	if st := e.do("dna-analyst", "POST", "/api/v1/profiles/import?dry_run=maybe", string(bad), &ae); st != 422 || ae.Error.Field != "dry_run" {
		t.Errorf("bad flag: %d %+v", st, ae)
	}
	if st := e.do("viewer", "POST", "/api/v1/profiles/import", string(body), nil); st != 403 {
		t.Errorf("viewer import: %d", st)
	}
}

func TestMtDNAOverAPI(t *testing.T) {
	e := newEnv(t, "sqlite")
	var c struct {
		Differences int    `json:"differences"`
		Verdict     string `json:"verdict"`
	}
	body := map[string]any{"a": map[string]string{"range": "16024-16569;1-576", "variants": "16519C 73G 263G"}, "b": map[string]string{"range": "16024-16569", "variants": "16519C 16311C"}}
	if st := e.do("dna-analyst", "POST", "/api/v1/mtdna/compare", body, &c); st != 200 || c.Differences != 1 || c.Verdict != "inconclusive" {
		t.Errorf("compare: %d %+v", st, c)
	}
	var ae apiError
	bad := map[string]any{"a": map[string]string{"range": "1-576", "variants": "16519C"}, "b": map[string]string{"range": "1-576"}}
	if st := e.do("dna-analyst", "POST", "/api/v1/mtdna/compare", bad, &ae); st != 422 || ae.Error.Field != "a" || !strings.Contains(ae.Error.Message, "outside the sequenced range") {
		t.Errorf("bad profile: %d %+v", st, ae)
	}
}

func TestYSTROverAPI(t *testing.T) {
	e := newEnv(t, "sqlite")
	var c struct {
		Mismatches int     `json:"mismatches"`
		LR         float64 `json:"lr"`
	}
	body := map[string]any{"a": "DYS19=14; DYS390=24", "b": "DYS19=15; DYS390=24", "meioses": 1, "haplotype_frequency": 0.01, "rates": map[string]float64{"DYS19": 0.002, "DYS390": 0.002}}
	want := 0.001 * 0.998 / 0.01
	if st := e.do("dna-analyst", "POST", "/api/v1/ystr/compare", body, &c); st != 200 || c.Mismatches != 1 || c.LR < want*0.999999 || c.LR > want*1.000001 {
		t.Errorf("compare: %d %+v, want LR %v", st, c, want)
	}
	var ae apiError
	if st := e.do("dna-analyst", "POST", "/api/v1/ystr/compare", map[string]any{"a": "DYS19=x", "b": "DYS19=14"}, &ae); st != 422 || ae.Error.Field != "a" {
		t.Errorf("bad haplotype: %d %+v", st, ae)
	}
	// Stored haplotypes: a file with a rejected row stores nothing and answers its report; a clean
	// one stores; the victim's matches are the references on its paternal line, closest first.
	var rep struct {
		Created  int
		Rejected []struct{ Line int }
	}
	bad := "Sample Name\tMarker\tAllele 1\nPM-9\tDYS19\t14\nPM-9\tDYS19\t15\n"
	if st := e.do("dna-analyst", "POST", "/api/v1/profiles/import-lineage?kind=ystr&role=victim", bad, &rep); st != 422 || len(rep.Rejected) != 1 || rep.Rejected[0].Line != 3 {
		t.Errorf("rejected file: %d %+v", st, rep)
	}
	refs := "Sample Name\tDYS19\tDYS390\tDYS391\nREF-A\t14\t24\t11\nREF-B\t14\t25\t11\nREF-C\t16\t22\t10\n"
	if st := e.do("dna-analyst", "POST", "/api/v1/profiles/import-lineage?kind=ystr&file=refs.tsv", refs, &rep); st != 200 || rep.Created != 3 {
		t.Errorf("references: %d %+v", st, rep)
	}
	var exported []byte
	if st := e.do("viewer", "GET", "/api/v1/profiles/export?format=ystr&role=reference", nil, &exported); st != 200 || !bytes.HasPrefix(exported, []byte("Sample Name\tDYS19\tDYS390\tDYS391\nREF-A\t14\t24\t11\n")) {
		t.Errorf("export: %d %q", st, exported)
	}
	if st := e.do("viewer", "GET", "/api/v1/profiles/export?format=xls", nil, &ae); st != 422 || ae.Error.Field != "format" {
		t.Errorf("export xls: %d %+v", st, ae)
	}
	var vic homeward.Profile
	if st := e.do("dna-analyst", "POST", "/api/v1/profiles", homeward.Profile{Sample: "PM-9", Role: homeward.ProfileVictim, YSTR: "DYS19=14; DYS390=24; DYS391=11"}, &vic); st != 201 {
		t.Fatalf("victim: %d", st)
	}
	type match struct {
		Sample string
		LR     *float64
		YSTR   *struct{ Mismatches, Steps int }
		MtDNA  *struct {
			Differences int
			Verdict     string
		}
	}
	var ms struct {
		Items []match
		Total int
		Next  string
	}
	matches := func(query string) int {
		ms.Items, ms.Total, ms.Next = nil, -1, ""
		return e.do("viewer", "GET", fmt.Sprintf("/api/v1/profiles/%d/lineage-matches?%s", vic.ID, query), nil, &ms)
	}
	// By hand, for brothers (2 meioses) under the single-step model: P(d=0) = (1-mu)^2 + mu^2/2 and
	// P(|d|=1) = 2 (mu/2)(1-mu) = mu(1-mu) per locus, with YHRD's rates DYS19 2.20e-3, DYS390
	// 2.08e-3, DYS391 2.53e-3, over the frequency 0.01. REF-A matches at all three loci (about 98.6);
	// REF-B is one step off at DYS390 (about 0.205).
	same := func(mu float64) float64 { return (1-mu)*(1-mu) + mu*mu/2 }
	wantA := same(2.20e-3) * same(2.08e-3) * same(2.53e-3) / 0.01
	wantB := same(2.20e-3) * 2.08e-3 * (1 - 2.08e-3) * same(2.53e-3) / 0.01
	near := func(got *float64, want float64) bool { return got != nil && math.Abs(*got/want-1) < 1e-9 }
	if st := matches("kind=ystr&role=reference&meioses=2&freq=0.01"); st != 200 || ms.Total != 2 || len(ms.Items) != 2 || ms.Items[0].Sample != "REF-A" || ms.Items[1].Sample != "REF-B" ||
		!near(ms.Items[0].LR, wantA) || !near(ms.Items[1].LR, wantB) || ms.Items[1].YSTR.Mismatches != 1 || ms.Items[1].YSTR.Steps != 1 {
		t.Errorf("matches: %d %+v, want LRs %g and %g", st, ms, wantA, wantB)
	}
	if st := matches("kind=ystr&max_mismatches=0"); st != 200 || ms.Total != 1 || ms.Items[0].Sample != "REF-A" || ms.Items[0].LR != nil {
		t.Errorf("identical only: %d %+v", st, ms)
	}
	if st := matches("kind=ystr&limit=1&offset=1"); st != 200 || ms.Total != 2 || len(ms.Items) != 1 || ms.Items[0].Sample != "REF-B" {
		t.Errorf("second page: %d %+v", st, ms)
	}
	// The first page's next link carries a cursor to the second; the last page has none.
	if st := matches("kind=ystr&limit=1"); st != 200 || len(ms.Items) != 1 || ms.Items[0].Sample != "REF-A" || !strings.Contains(ms.Next, "cursor=") {
		t.Fatalf("first page: %d %+v", st, ms)
	}
	next := ms.Next
	ms.Next = ""
	if st := e.do("viewer", "GET", next, nil, &ms); st != 200 || len(ms.Items) != 1 || ms.Items[0].Sample != "REF-B" || ms.Next != "" {
		t.Errorf("the page after the cursor: %d %+v", st, ms)
	}
	if st := e.do("viewer", "GET", fmt.Sprintf("/api/v1/profiles/%d/lineage-matches?kind=ystr&cursor=%s", vic.ID, "bXRkbmEuMC4tMy43"), nil, &ae); st != 422 || ae.Error.Field != "cursor" {
		t.Errorf("an mtDNA cursor for Y-STR matches: %d %+v", st, ae)
	}
	for q, field := range map[string]string{"kind=ystr&meioses=2": "freq", "kind=ystr&meioses=two&freq=0.1": "meioses", "kind=ystr&offset=-1": "offset", "kind=ystr&role=aunt": "role", "kind=x": "kind"} {
		if st := e.do("viewer", "GET", fmt.Sprintf("/api/v1/profiles/%d/lineage-matches?%s", vic.ID, q), nil, &ae); st != 422 || ae.Error.Field != field {
			t.Errorf("%s: %d %+v, want an error on %s", q, st, ae, field)
		}
	}
	if st := e.do("viewer", "GET", fmt.Sprintf("/api/v1/profiles/%d/lineage-matches?kind=mtdna", vic.ID), nil, &ae); st != 422 || !strings.Contains(ae.Error.Message, "no mtDNA") {
		t.Errorf("mtdna of a Y-only profile: %d %+v", st, ae)
	}
	// mtDNA results: the stored victim gets its mtDNA (its haplotype stays), three new references
	// are created. Against the victim's 16519C 263G over 16024-16569 and 1-576: REF-M1 has no
	// difference (cannot exclude), REF-M3 one (16311C: inconclusive), REF-M2 two (exclusion, left
	// out).
	var mrep struct{ Created, Updated, Unchanged int }
	mt := "sample,range,variants\nPM-9,16024-16569;1-576,16519C 263G\nREF-M1,16024-16569;1-576,263G 16519C\nREF-M2,16024-16569;1-576,16311C 16519C 73G 263G\nREF-M3,16024-16569;1-576,16311C 16519C 263G\n"
	if st := e.do("dna-analyst", "POST", "/api/v1/profiles/import-lineage?kind=mtdna&file=mt.csv", mt, &mrep); st != 200 || mrep.Created != 3 || mrep.Updated != 1 {
		t.Errorf("mtDNA import: %d %+v", st, mrep)
	}
	if st := e.do("dna-analyst", "POST", "/api/v1/profiles/import-lineage?kind=mtdna&file=mt.csv", mt, &mrep); st != 200 || mrep.Created != 0 || mrep.Updated != 0 || mrep.Unchanged != 4 {
		t.Errorf("mtDNA again: %d %+v", st, mrep)
	}
	if st := matches("kind=mtdna"); st != 200 || ms.Total != 2 || ms.Items[0].Sample != "REF-M1" || ms.Items[0].MtDNA.Verdict != "cannot exclude" ||
		ms.Items[1].Sample != "REF-M3" || ms.Items[1].MtDNA.Differences != 1 || ms.Items[1].MtDNA.Verdict != "inconclusive" {
		t.Errorf("mtdna matches: %d %+v", st, ms)
	}
	var got homeward.Profile
	if st := e.do("viewer", "GET", fmt.Sprintf("/api/v1/profiles/%d", vic.ID), nil, &got); st != 200 || got.YSTR != "DYS19=14; DYS390=24; DYS391=11" || got.MtDNA == nil || got.MtDNA.Variants != "263G 16519C" {
		t.Errorf("victim after both: %d %+v", st, got)
	}
}

func TestFrequencyDBsOverAPI(t *testing.T) {
	e := newEnv(t, "sqlite")
	body, err := os.ReadFile(filepath.Join("..", "labfmt", "freqdb", "data", "nist-all.csv"))
	if err != nil {
		t.Fatal(err)
	}
	var d homeward.FrequencyDB
	if st := e.do("dna-analyst", "POST", "/api/v1/frequency-dbs/import?format=nist&name=lab&source=NIST%201036", string(body), &d); st != 201 || d.Version != 1 {
		t.Fatalf("import: %d %+v", st, d.Version)
	}
	e.do("dna-analyst", "POST", "/api/v1/frequency-dbs/import?format=nist&name=lab&source=NIST%201036&min_freq=0.001", string(body), &d)
	if d.Version != 2 {
		t.Errorf("second import version %d", d.Version)
	}
	var got homeward.FrequencyDB
	if st := e.do("viewer", "GET", "/api/v1/frequency-dbs/lab?version=1", nil, &got); st != 200 || got.Version != 1 || len(got.Markers) == 0 {
		t.Errorf("get v1: %d %+v", st, got.Version)
	}
	var l []homeward.FrequencyDB
	if st := e.do("viewer", "GET", "/api/v1/frequency-dbs", nil, &l); st != 200 || len(l) != 2 {
		t.Errorf("list: %d %d", st, len(l))
	}
	var ae apiError
	if st := e.do("dna-analyst", "POST", "/api/v1/frequency-dbs/import?format=nist&name=lab", string(body), &ae); st != 422 || ae.Error.Field != "source" {
		t.Errorf("no source: %d %+v", st, ae)
	}
	if st := e.do("viewer", "GET", "/api/v1/frequency-dbs/nope", nil, nil); st != 404 {
		t.Errorf("unknown: %d", st)
	}
}

// An identification over the API: draft, evidence, submission, two stages, approval.
func TestIdentificationOverAPI(t *testing.T) {
	e := newEnv(t, "sqlite")
	admin := homeward.NewContextWithUser(context.Background(), &homeward.User{Username: "system", Roles: []homeward.Role{homeward.RoleAdmin}})
	mp := &homeward.MissingPerson{FamilyName: "Lee", GivenNames: "Seo-yeon"}
	if err := e.db.CreateMissingPerson(admin, mp); err != nil {
		t.Fatal(err)
	}
	var vic homeward.Profile
	if st := e.do("dna-analyst", "POST", "/api/v1/profiles", homeward.Profile{Sample: "PM-7", Role: homeward.ProfileVictim, Loci: map[string][]string{"TH01": {"6", "7"}}}, &vic); st != 201 {
		t.Fatal(st)
	}
	// The review stages: read by anyone, set by administrators only.
	var pol homeward.ReviewPolicy
	if st := e.do("viewer", "GET", "/api/v1/settings/review-policy", nil, &pol); st != 200 || len(pol.Stages) != 2 {
		t.Errorf("policy: %d %+v", st, pol)
	}
	if st := e.do("reviewer", "PUT", "/api/v1/settings/review-policy", map[string]any{"stages": []string{"technical_review"}}, nil); st != 403 {
		t.Errorf("reviewer set the policy: %d", st)
	}
	if st := e.do("admin", "PUT", "/api/v1/settings/review-policy", map[string]any{"stages": []string{"technical_review", "scientific_review"}}, &pol); st != 200 || pol.Version != 1 {
		t.Errorf("admin set the policy: %d %+v", st, pol)
	}
	var x homeward.Identification
	body := map[string]any{"missing_person_id": mp.ID, "profile_ids": []int64{vic.ID}, "summary": "PM-7 is Lee Seo-yeon",
		"prior": map[string]any{"population": "closed", "candidates": 10, "prior": 0.1, "basis": "ten women lost in the incident"}}
	if st := e.do("dna-analyst", "POST", "/api/v1/identifications", body, &x); st != 201 || x.Status != homeward.IdentDraft || x.Author != "u-dna-analyst" {
		t.Fatalf("create: %d %+v", st, x)
	}
	path := fmt.Sprintf("/api/v1/identifications/%d", x.ID)
	var ev homeward.EvidenceLine
	if st := e.do("dna-analyst", "POST", path+"/evidence", map[string]any{"kind": "autosomal_dna", "conclusion": "supports", "summary": "mother and brother, 23 markers", "lr": 4e5,
		"inputs": []map[string]any{{"kind": "profile", "id": vic.ID}}}, &ev); st != 201 || ev.Analyst != "u-dna-analyst" || ev.Fingerprint == "" {
		t.Fatalf("evidence: %d %+v", st, ev)
	}
	var ae apiError
	if st := e.do("dna-analyst", "POST", path+"/evidence", map[string]any{"kind": "telepathy", "conclusion": "supports", "summary": "x"}, &ae); st != 422 || ae.Error.Field != "evidence.kind" {
		t.Errorf("bad kind: %d %+v", st, ae)
	}
	e.do("dna-analyst", "POST", path+"/submit", map[string]any{"comment": "ready"}, &x)
	if x.Status != homeward.IdentInReview || x.Posterior == nil || *x.Posterior < 0.99997 {
		t.Fatalf("submitted: %+v", x)
	}
	if st := e.do("dna-analyst", "POST", path+"/review", map[string]any{"decision": "approve"}, nil); st != 403 {
		t.Errorf("author's role reviewing: %d", st)
	}
	if st := e.do("reviewer", "POST", path+"/review", map[string]any{"decision": "approve", "comment": "ok"}, &x); st != 200 || x.Stage != 1 {
		t.Fatalf("stage 1: %d %+v", st, x)
	}
	// The same reviewer cannot sign the second stage.
	if st := e.do("reviewer", "POST", path+"/review", map[string]any{"decision": "approve"}, &ae); st != 403 {
		t.Errorf("second stage by the same reviewer: %d %+v", st, ae)
	}
	if st := e.do("admin", "POST", path+"/review", map[string]any{"decision": "approve", "comment": "approved"}, &x); st != 200 || x.Status != homeward.IdentApproved {
		t.Fatalf("approval: %d %+v", st, x)
	}
	var m homeward.MissingPerson
	e.do("viewer", "GET", fmt.Sprintf("/api/v1/missing-persons/%d", mp.ID), nil, &m)
	if m.Status != homeward.StatusAccountedFor {
		t.Errorf("missing person %s", m.Status)
	}
	// The family is told; the remains are buried.
	fm := &homeward.FamilyMember{MissingPersonID: mp.ID, FamilyName: "Lee", Relationship: "daughter", PrimaryNextOfKin: true}
	if err := e.db.CreateFamilyMember(admin, fm); err != nil {
		t.Fatal(err)
	}
	var n homeward.Notification
	if st := e.do("liaison", "POST", path+"/notifications", map[string]any{"family_member_id": fm.ID, "at": "2026-11-25T09:00:00Z", "method": "in_person", "notes": "with the unit chaplain"}, &n); st != 201 || n.By != "u-liaison" {
		t.Errorf("notification: %d %+v", st, n)
	}
	var d homeward.Disposition
	if st := e.do("liaison", "PUT", path+"/disposition", map[string]any{"kind": "burial", "place": "Seoul National Cemetery", "date": "2026-12-01", "effects_returned": true}, &d); st != 200 || d.ID == 0 {
		t.Errorf("disposition: %d %+v", st, d)
	}
	// The report: its data, the family's summary and the PDF.
	var rep idreport.Report
	if st := e.do("viewer", "GET", path+"/report?format=json", nil, &rep); st != 200 || rep.Disposition == nil || len(rep.Notifications) != 1 || len(rep.Evidence) != 1 || len(rep.Warnings) != 0 {
		t.Errorf("report json: %d %+v", st, rep)
	}
	var text []byte
	if st := e.do("viewer", "GET", path+"/report?format=summary", nil, &text); st != 200 || !bytes.Contains(text, []byte("identified as Seo-yeon Lee")) || !bytes.Contains(text, []byte("Seoul National Cemetery")) {
		t.Errorf("report summary: %d %s", st, text)
	}
	if _, _, err := assets.Report(); err == nil {
		if st := e.do("viewer", "GET", path+"/report", nil, &text); st != 200 || !bytes.HasPrefix(text, []byte("%PDF-")) {
			t.Errorf("report pdf: %d %q", st, text[:min(len(text), 40)])
		}
	}
	if st := e.do("viewer", "GET", path+"/report?format=docx", nil, &ae); st != 422 || ae.Error.Field != "format" {
		t.Errorf("report docx: %d %+v", st, ae)
	}
	if st := e.do("viewer", "GET", path+"/report?format=summary&lang=ko", nil, &text); st != 200 || !bytes.Contains(text, []byte("Seoul National Cemetery")) || !bytes.Contains(text, []byte("신원이")) {
		t.Errorf("Korean summary: %d %s", st, text)
	}
	if st := e.do("viewer", "GET", path+"/report?format=summary&lang=fr", nil, &ae); st != 422 || ae.Error.Field != "lang" {
		t.Errorf("summary in French: %d %+v", st, ae)
	}
	if st := e.do("", "GET", path+"/report?format=summary", nil, nil); st != 401 {
		t.Errorf("report without sign-in: %d", st)
	}
	if st := e.do("viewer", "GET", "/api/v1/stats/progress?format=svg", nil, &text); st != 200 || !bytes.HasPrefix(text, []byte("<svg")) || bytes.Count(text, []byte(`class="series"`)) != 4 {
		t.Errorf("progress svg: %d %s", st, text)
	}
	if st := e.do("viewer", "GET", "/api/v1/stats/progress?format=xls", nil, &ae); st != 422 || ae.Error.Field != "format" {
		t.Errorf("progress xls: %d %+v", st, ae)
	}
	var prog homeward.Progress
	if st := e.do("viewer", "GET", "/api/v1/stats/progress", nil, &prog); st != 200 || prog.Totals.Identifications != 1 {
		t.Errorf("progress: %d %+v", st, prog.Totals)
	}
	var ns []homeward.Notification
	if st := e.do("viewer", "GET", path+"/notifications", nil, &ns); st != 200 || len(ns) != 1 {
		t.Errorf("notifications: %d %+v", st, ns)
	}
	if st := e.do("admin", "POST", path+"/withdraw", map[string]any{"comment": "sample swap found in the lab"}, &x); st != 200 || x.Status != homeward.IdentWithdrawn {
		t.Errorf("withdraw: %d %+v", st, x)
	}
}

func TestCandidatesOverAPI(t *testing.T) {
	e := newEnv(t, "sqlite")
	admin := homeward.NewContextWithUser(context.Background(), &homeward.User{Username: "system", Roles: []homeward.Role{homeward.RoleAdmin}})
	lat, lon := 40.45, 127.2
	in := &homeward.Incident{Code: "KW-1", Kind: homeward.IncidentGroundAction, Coordinates: homeward.Coordinates{Lat: &lat, Lon: &lon}}
	if err := e.db.CreateIncident(admin, in); err != nil {
		t.Fatal(err)
	}
	for _, m := range []*homeward.MissingPerson{{FamilyName: "Near", Sex: homeward.SexMale, IncidentID: &in.ID}, {FamilyName: "Woman", Sex: homeward.SexFemale}} {
		if err := e.db.CreateMissingPerson(admin, m); err != nil {
			t.Fatal(err)
		}
	}
	var l []homeward.ListedCandidate
	if st := e.do("viewer", "POST", "/api/v1/candidates", map[string]any{"sex": "male", "recovery": map[string]float64{"lat": 40.4, "lon": 127.25}, "max_km": 20}, &l); st != 200 || len(l) != 2 || !l[0].Kept || l[0].MissingPerson.FamilyName != "Near" || l[1].Kept {
		t.Errorf("candidates: %d %+v", st, l)
	}
	var ae apiError
	if st := e.do("viewer", "POST", "/api/v1/candidates", map[string]any{"sex": "unknown-sex"}, &ae); st != 422 || ae.Error.Field != "remains.sex" {
		t.Errorf("bad sex: %d %+v", st, ae)
	}
	if st := e.do("viewer", "POST", "/api/v1/candidates", map[string]any{"age_min": 40, "age_max": 20}, &ae); st != 422 || ae.Error.Field != "remains.age_min" {
		t.Errorf("bad age range: %d %+v", st, ae)
	}
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

// A retried append records the event once and answers with the first result; an append
// conditional on a head someone has moved past is refused with 412.
func TestCustodyAppendIdempotentAndConditional(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		var c, c2 homeward.Container
		e.do("custodian", "POST", "/api/v1/containers", map[string]any{"kind": "case", "accession": "IDEM-1"}, &c)
		e.do("custodian", "POST", "/api/v1/containers", map[string]any{"kind": "case", "accession": "IDEM-2"}, &c2)
		path := "/api/v1/containers/IDEM-1/custody"
		receipt := map[string]any{"kind": "receipt", "occurred_at": "2018-07-27T01:00:00Z", "to": "UNC", "location": "Wonsan"}
		var first, again homeward.CustodyEvent
		st, h := e.doH("custodian", "POST", path, receipt, map[string]string{"Idempotency-Key": "lab-42-receipt"}, &first)
		if st != 201 || h.Get("Idempotent-Replayed") != "" || h.Get("ETag") != `"`+first.Hash+`"` {
			t.Fatalf("first: %d %v %+v", st, h, first)
		}
		st, h = e.doH("custodian", "POST", path, receipt, map[string]string{"Idempotency-Key": "lab-42-receipt"}, &again)
		if st != 201 || h.Get("Idempotent-Replayed") != "true" || again.ID != first.ID || again.Hash != first.Hash {
			t.Errorf("retry: %d %v %+v", st, h, again)
		}
		var chain []homeward.CustodyEvent
		st, h = e.doH("viewer", "GET", path, nil, nil, &chain)
		if st != 200 || len(chain) != 1 || h.Get("ETag") != `"`+first.Hash+`"` {
			t.Fatalf("chain after retry: %d %d events, etag %s", st, len(chain), h.Get("ETag"))
		}
		var ae apiError
		if st, _ := e.doH("custodian", "POST", "/api/v1/containers/IDEM-2/custody", receipt, map[string]string{"Idempotency-Key": "lab-42-receipt"}, &ae); st != 409 || ae.Error.Field != "idempotency_key" {
			t.Errorf("key reused for another container: %d %+v", st, ae)
		}
		storage := map[string]any{"kind": "storage", "occurred_at": "2018-07-28T01:00:00Z", "location": "Osan"}
		etag := h.Get("ETag")
		if st, _ := e.doH("custodian", "POST", path, storage, map[string]string{"If-Match": etag}, nil); st != 201 {
			t.Fatalf("append on the head read: %d", st)
		}
		if st, _ := e.doH("custodian", "POST", path, storage, map[string]string{"If-Match": etag}, &ae); st != 412 || ae.Error.Code != "precondition" {
			t.Errorf("append on a stale head: %d %+v", st, ae)
		}
		if st, _ := e.doH("custodian", "POST", path, storage, map[string]string{"If-Match": "abc"}, &ae); st != 422 || ae.Error.Field != "If-Match" {
			t.Errorf("malformed If-Match: %d %+v", st, ae)
		}
		if st, _ := e.doH("custodian", "POST", path, storage, map[string]string{"Idempotency-Key": "has space"}, &ae); st != 422 || ae.Error.Field != "idempotency_key" {
			t.Errorf("bad key: %d %+v", st, ae)
		}
		if err := e.db.SQL().QueryRow("SELECT COUNT(*) FROM custody_events WHERE container_id = $1", c.ID).Scan(&st); err != nil || st != 2 {
			t.Errorf("%d events stored, want 2 (%v)", st, err)
		}
	})
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

// Records carry their version as an ETag; an update with If-Match is refused with 412 when the
// record changed since that version was read, whatever version the body says; a malformed tag
// is refused naming the header; without If-Match the body's version decides, as before (409).
func TestRecordETagAndIfMatch(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		var mp homeward.MissingPerson
		st, h := e.doH("analyst", "POST", "/api/v1/missing-persons", map[string]any{"family_name": "Park", "given_names": "Ji-ho"}, nil, &mp)
		if st != 201 || h.Get("ETag") != `"1"` {
			t.Fatalf("create: %d ETag %q", st, h.Get("ETag"))
		}
		path := "/api/v1/missing-persons/" + itoa(mp.ID)
		if st, h := e.doH("viewer", "GET", path, nil, nil, nil); st != 200 || h.Get("ETag") != `"1"` {
			t.Errorf("get: %d ETag %q", st, h.Get("ETag"))
		}
		mp.Unit = "7th Infantry"
		mp.Version = 99 // the header, not the body, names the version read
		var upd homeward.MissingPerson
		if st, h := e.doH("analyst", "PUT", path, mp, map[string]string{"If-Match": `"1"`}, &upd); st != 200 || upd.Version != 2 || h.Get("ETag") != `"2"` {
			t.Fatalf("conditional update: %d %+v ETag %q", st, upd, h.Get("ETag"))
		}
		var ae apiError
		if st, _ := e.doH("analyst", "PUT", path, mp, map[string]string{"If-Match": `"1"`}, &ae); st != 412 || ae.Error.Code != "precondition" || ae.Error.Field != "If-Match" {
			t.Errorf("stale If-Match: %d %+v", st, ae)
		}
		for _, bad := range []string{`1`, `W/"2"`, `"two"`} {
			if st, _ := e.doH("analyst", "PUT", path, mp, map[string]string{"If-Match": bad}, &ae); st != 422 || ae.Error.Field != "If-Match" {
				t.Errorf("If-Match %s: %d %+v", bad, st, ae)
			}
		}
		mp.Version = 1
		if st, _ := e.doH("analyst", "PUT", path, mp, nil, &ae); st != 409 || ae.Error.Field != "version" {
			t.Errorf("stale body version: %d %+v", st, ae)
		}
	})
}

// A page of a list names the next page (body and Link header), keeping the query's filters; the
// last page names none; following next walks the whole list once.
func TestListNextLinks(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		for i := range 5 {
			if st := e.do("analyst", "POST", "/api/v1/incidents", map[string]any{"code": "NL-" + itoa(int64(i)), "kind": "air-loss"}, nil); st != 201 {
				t.Fatalf("create: %d", st)
			}
		}
		seen := map[int64]bool{}
		path := "/api/v1/incidents?limit=2&kind=air-loss"
		for pages := 0; path != ""; pages++ {
			var l homeward.List[homeward.Incident]
			st, h := e.doH("viewer", "GET", path, nil, nil, &l)
			if st != 200 || pages > 3 {
				t.Fatalf("%s: %d after %d pages", path, st, pages)
			}
			for _, in := range l.Items {
				if seen[in.ID] {
					t.Errorf("incident %d twice", in.ID)
				}
				seen[in.ID] = true
			}
			if l.Next != "" && (h.Get("Link") != "<"+l.Next+`>; rel="next"` || !strings.Contains(l.Next, "kind=air-loss") || !strings.Contains(l.Next, "limit=2")) {
				t.Errorf("next %q, Link %q", l.Next, h.Get("Link"))
			}
			if l.Next == "" && h.Get("Link") != "" {
				t.Errorf("last page with a Link %q", h.Get("Link"))
			}
			path = l.Next
		}
		if len(seen) != 5 {
			t.Errorf("walked %d of 5 incidents", len(seen))
		}
		// A cursor used with another list, with an offset, or made up is refused, naming it.
		var l homeward.List[homeward.Incident]
		if st := e.do("viewer", "GET", "/api/v1/incidents?limit=2", nil, &l); st != 200 || !strings.Contains(l.Next, "cursor=") {
			t.Fatalf("first page: %d next %q", st, l.Next)
		}
		u, _ := url.Parse(l.Next)
		c := url.QueryEscape(u.Query().Get("cursor"))
		for _, q := range []string{"/api/v1/containers?cursor=" + c, "/api/v1/incidents?offset=2&cursor=" + c, "/api/v1/audit?cursor=bm90IGEgY3Vyc29y"} {
			var ae apiError
			if st := e.do("admin", "GET", q, nil, &ae); st != 422 || ae.Error.Field != "cursor" {
				t.Errorf("%s: %d %+v, want a refusal naming cursor", q, st, ae)
			}
		}
	})
}

// Relatives are found by name across missing persons, in Hangul or a romanization; an empty
// search is refused naming q.
func TestFindRelativesOverAPI(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) {
		var mp homeward.MissingPerson
		if st := e.do("analyst", "POST", "/api/v1/missing-persons", map[string]any{"family_name": "Kim", "given_names": "Chul-min", "nationality": "KOR"}, &mp); st != 201 {
			t.Fatalf("person: %d", st)
		}
		if st := e.do("admin", "POST", "/api/v1/family-members",
			map[string]any{"missing_person_id": mp.ID, "family_name": "Kim", "given_names": "Young-ja", "native_name": "김영자", "relationship": "sister"}, nil); st != 201 {
			t.Fatalf("relative: %d", st)
		}
		var l homeward.List[homeward.FamilyMember]
		for _, q := range []string{"%EA%B9%80%EC%98%81%EC%9E%90", "Gim+Yeong-ja"} {
			if st := e.do("viewer", "GET", "/api/v1/family-members?q="+q, nil, &l); st != 200 || l.Total != 1 || l.Items[0].NativeName != "김영자" || l.Items[0].MissingPersonID != mp.ID {
				t.Errorf("%s: %d %+v", q, st, l)
			}
		}
		var ae apiError
		if st := e.do("viewer", "GET", "/api/v1/family-members?q=", nil, &ae); st != 422 || ae.Error.Field != "q" {
			t.Errorf("empty search: %d %+v", st, ae)
		}
		// The person by a name with a letter wrong, asked for close names.
		var ps homeward.List[homeward.MissingPerson]
		if st := e.do("viewer", "GET", "/api/v1/missing-persons?q=Kim+Chulmim&close=true", nil, &ps); st != 200 || ps.Total != 1 || ps.Items[0].ID != mp.ID {
			t.Errorf("close names: %d %+v", st, ps)
		}
	})
}
