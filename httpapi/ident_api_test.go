// The API test of the identification workflow, its report and the family (helpers in api_test.go).

package httpapi_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/assets"
	"github.com/homeward/homeward/idreport"
)

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
