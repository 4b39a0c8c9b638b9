// The API tests of its conventions: idempotent and conditional custody appends, ETag and If-Match,
// next links and cursors, finding relatives by name (the helpers are in api_test.go).

package httpapi_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/homeward/homeward"
)

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
		if st := e.do("viewer", "GET", "/api/v1/family-members?q=Kim+Youngje&close=true", nil, &l); st != 200 || l.Total != 1 || l.Items[0].NativeName != "김영자" {
			t.Errorf("a relative's close name: %d %+v", st, l)
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
