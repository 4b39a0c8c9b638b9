package homeward

import (
	"math"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)

func draft(t *testing.T) *Identification {
	t.Helper()
	x := &Identification{ID: 7, MissingPersonID: 3, ProfileIDs: []int64{11}}
	if err := x.Start("ana", ReviewPolicy{Stages: DefaultReviewStages}, false, t0); err != nil {
		t.Fatal(err)
	}
	return x
}

// A new draft takes the configured stages; only an administrator may choose others, and they must
// be valid; a closed population's prior defaults to 1/N.
func TestStart(t *testing.T) {
	x := draft(t)
	if x.Status != IdentDraft || x.Author != "ana" || len(x.Stages) != 2 || len(x.History) != 1 || x.History[0].To != IdentDraft {
		t.Errorf("draft: %+v", x)
	}
	policy := ReviewPolicy{Stages: DefaultReviewStages}
	other := &Identification{MissingPersonID: 3, ProfileIDs: []int64{1}, Stages: []string{"one_stage"}}
	if err := other.Start("ana", policy, false, t0); ErrorCode(err) != EINVALID || !strings.Contains(err.Error(), "only administrators") {
		t.Errorf("analyst choosing stages: %v", err)
	}
	if err := other.Start("admin", policy, true, t0); err != nil || other.Stages[0] != "one_stage" {
		t.Errorf("administrator choosing stages: %v %v", err, other.Stages)
	}
	bad := &Identification{MissingPersonID: 3, ProfileIDs: []int64{1}, Stages: []string{"Bad Stage"}}
	if err := bad.Start("admin", policy, true, t0); err == nil {
		t.Error("an invalid stage name accepted")
	}
	closed := &Identification{MissingPersonID: 3, ProfileIDs: []int64{1}, Prior: &PriorStatement{Population: "closed", Candidates: 40, Basis: "manifest of 40"}}
	if err := closed.Start("ana", policy, false, t0); err != nil || closed.Prior.Prior != 1.0/40 {
		t.Errorf("closed prior: %v %+v", err, closed.Prior)
	}
}

// Evidence is admitted to drafts and returned identifications; the LRs of the lines multiply and
// give the posterior with the prior.
func TestAddEvidence(t *testing.T) {
	x := draft(t)
	x.Prior = &PriorStatement{Population: "closed", Candidates: 100, Prior: 0.01, Basis: "b"}
	lines := []EvidenceLine{{LR: ptr(1e3)}, {LR: ptr(20.0)}, {}}
	if err := x.AddEvidence(lines); err != nil || *x.LR != 2e4 {
		t.Fatalf("LR: %v %v", err, x.LR)
	}
	if want := 2e4 * 0.01 / (2e4*0.01 + 0.99); math.Abs(*x.Posterior-want) > 1e-15 {
		t.Errorf("posterior %v, want %v", *x.Posterior, want)
	}
	x.Status = IdentInReview
	if err := x.AddEvidence(lines); ErrorCode(err) != ECONFLICT {
		t.Errorf("evidence in review: %v", err)
	}
}

// Only the author submits, only a draft or returned identification, only with evidence.
func TestSubmit(t *testing.T) {
	x := draft(t)
	if err := x.Submit("bob", 1, "", t0); ErrorCode(err) != EFORBIDDEN {
		t.Errorf("submitted by another: %v", err)
	}
	if err := x.Submit("ana", 0, "", t0); ErrorCode(err) != EINVALID {
		t.Errorf("submitted without evidence: %v", err)
	}
	if err := x.Submit("ana", 2, "ready", t0); err != nil || x.Status != IdentInReview || x.Stage != 0 {
		t.Fatalf("submit: %v %+v", err, x)
	}
	if last := x.History[len(x.History)-1]; last.Stage != "technical_review" || last.By != "ana" || last.Comment != "ready" {
		t.Errorf("transition %+v", last)
	}
	if err := x.Submit("ana", 2, "", t0); ErrorCode(err) != ECONFLICT {
		t.Errorf("submitted twice: %v", err)
	}
}

// Review: the author may not review, one person signs one stage, a return needs its reason and
// sends the identification back to stage 0; approving both stages approves it.
func TestDecide(t *testing.T) {
	x := draft(t)
	if _, err := x.Decide(DecisionApprove, "rev1", "", t0); ErrorCode(err) != ECONFLICT {
		t.Errorf("decision on a draft: %v", err)
	}
	x.Submit("ana", 1, "", t0)
	if _, err := x.Decide(DecisionApprove, "ana", "", t0); ErrorCode(err) != EFORBIDDEN {
		t.Errorf("author reviewing: %v", err)
	}
	if _, err := x.Decide(DecisionReturn, "rev1", " ", t0); ErrorCode(err) != EINVALID {
		t.Errorf("return without a reason: %v", err)
	}
	if tr, err := x.Decide(DecisionApprove, "rev1", "", t0); err != nil || tr.To != IdentInReview || x.Stage != 1 {
		t.Fatalf("first stage: %v %+v", err, x)
	}
	if _, err := x.Decide(DecisionApprove, "rev1", "", t0); ErrorCode(err) != EFORBIDDEN {
		t.Errorf("one reviewer signing two stages: %v", err)
	}
	if tr, err := x.Decide(DecisionReturn, "rev2", "check the sister's profile", t0); err != nil || tr.To != IdentReturned || x.Status != IdentReturned || x.Stage != 0 {
		t.Fatalf("return: %v %+v", err, x)
	}
	x.Submit("ana", 1, "", t0)
	x.Decide(DecisionApprove, "rev1", "", t0)
	if tr, err := x.Decide(DecisionApprove, "rev2", "", t0); err != nil || tr.To != IdentApproved || x.Status != IdentApproved {
		t.Fatalf("approve: %v %+v", err, x)
	}
	if _, err := x.Decide("maybe", "rev3", "", t0); err == nil {
		t.Error("a decision after approval accepted")
	}
}

// Approval accounts for the person and identifies the profiles; a person already accounted for or
// a profile identified as someone else stops it with nothing changed; withdrawal undoes it.
func TestIdentifyAndWithdraw(t *testing.T) {
	x := draft(t)
	m := &MissingPerson{ID: 3, Status: StatusUnaccounted}
	p := &Profile{ID: 11, Sample: "PM-11", Role: ProfileVictim}
	other := &Profile{ID: 12, Sample: "PM-12", Role: ProfileVictim, IdentifiedAs: ptr(int64(9))}
	if err := x.Identify(m, []*Profile{p, other}, true); ErrorCode(err) != ECONFLICT || m.Status != StatusUnaccounted || p.IdentifiedAs != nil {
		t.Errorf("conflicting profile: %v, person %s, profile %v", err, m.Status, p.IdentifiedAs)
	}
	if err := x.Identify(&MissingPerson{ID: 4}, []*Profile{p}, true); err == nil {
		t.Error("another person's record accepted")
	}
	if err := x.Identify(m, []*Profile{p}, true); err != nil || m.Status != StatusAccountedFor || *p.IdentifiedAs != 3 {
		t.Fatalf("identify: %v %s %v", err, m.Status, p.IdentifiedAs)
	}
	if err := x.Identify(m, []*Profile{p}, true); ErrorCode(err) != ECONFLICT {
		t.Errorf("a second approval: %v", err)
	}
	if err := x.Withdraw("adm", "wrong family", t0); ErrorCode(err) != ECONFLICT {
		t.Errorf("withdrawing a draft: %v", err)
	}
	x.Status = IdentApproved
	if err := x.Withdraw("adm", "too short", t0); ErrorCode(err) != EINVALID {
		t.Errorf("short reason: %v", err)
	}
	if err := x.Withdraw("adm", "the sister's sample was swapped", t0); err != nil || x.Status != IdentWithdrawn {
		t.Fatalf("withdraw: %v", err)
	}
	if err := x.Identify(m, []*Profile{p}, false); err != nil || m.Status != StatusUnaccounted || p.IdentifiedAs != nil {
		t.Errorf("undo: %v %s %v", err, m.Status, p.IdentifiedAs)
	}
	if err := CanIdentify(other); ErrorCode(err) != ECONFLICT {
		t.Errorf("identified profile named again: %v", err)
	}
	if err := CanIdentify(&Profile{Role: ProfileReference}); ErrorCode(err) != EINVALID {
		t.Errorf("reference profile named: %v", err)
	}
}

// A line is stale when its inputs changed or one is gone since it was sealed.
func TestEvidenceStale(t *testing.T) {
	e := EvidenceLine{Inputs: []InputRef{{Kind: "profile", ID: 1}}}
	e.Seal([]any{map[string][]string{"TH01": {"6", "7"}}})
	e.CheckStale([]any{map[string][]string{"TH01": {"6", "7"}}}, false)
	if e.Stale {
		t.Error("unchanged inputs stale")
	}
	if e.CheckStale([]any{map[string][]string{"TH01": {"6", "9"}}}, false); !e.Stale {
		t.Error("changed input not stale")
	}
	if e.CheckStale(nil, true); !e.Stale {
		t.Error("missing input not stale")
	}
	none := EvidenceLine{}
	if none.CheckStale(nil, false); none.Stale {
		t.Error("a line without inputs stale")
	}
}

func TestCurrentStage(t *testing.T) {
	stages := []string{"technical_review", "scientific_review"}
	for _, c := range []struct {
		x    Identification
		want string
	}{
		{Identification{Status: IdentInReview, Stages: stages, Stage: 1}, "scientific_review"},
		{Identification{Status: IdentDraft, Stages: stages}, ""},
		{Identification{Status: IdentInReview, Stages: stages, Stage: 2}, ""},
	} {
		if got := c.x.CurrentStage(); got != c.want {
			t.Errorf("%+v: %q, want %q", c.x, got, c.want)
		}
	}
}
