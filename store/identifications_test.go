package store_test

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/store"
	"github.com/homeward/homeward/store/storetest"
)

type identSetup struct {
	db                                *store.DB
	admin, author, rev1, rev2, viewer context.Context
	mp                                *homeward.MissingPerson
	vic, ref                          *homeward.Profile
}

func newIdentSetup(t *testing.T, db *store.DB) identSetup {
	s := identSetup{db: db, admin: storetest.Admin(t, db)}
	s.author = storetest.User(t, db, "analyst1", homeward.RoleDNAAnalyst)
	s.rev1 = storetest.User(t, db, "reviewer1", homeward.RoleReviewer)
	s.rev2 = storetest.User(t, db, "reviewer2", homeward.RoleReviewer)
	s.viewer = storetest.User(t, db, "viewer9", homeward.RoleViewer)
	s.mp = &homeward.MissingPerson{FamilyName: "Kim", GivenNames: "Min-jun", Sex: homeward.SexMale}
	if err := db.CreateMissingPerson(s.admin, s.mp); err != nil {
		t.Fatal(err)
	}
	s.vic = &homeward.Profile{Sample: "PM-1", Role: homeward.ProfileVictim, Loci: map[string][]string{"TH01": {"6", "7"}}}
	s.ref = &homeward.Profile{Sample: "REF-1", Role: homeward.ProfileReference, Loci: map[string][]string{"TH01": {"6", "9"}}}
	for _, p := range []*homeward.Profile{s.vic, s.ref} {
		if err := db.CreateProfile(s.admin, p); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func (s identSetup) draft(t *testing.T) *homeward.Identification {
	x := &homeward.Identification{MissingPersonID: s.mp.ID, ProfileIDs: []int64{s.vic.ID}, Summary: "PM-1 is Kim Min-jun",
		Prior: &homeward.PriorStatement{Population: "closed", Candidates: 4, Prior: 0.25, Basis: "4 unaccounted men of the incident"}}
	if err := s.db.CreateIdentification(s.author, x); err != nil {
		t.Fatal(err)
	}
	lr := 1e6
	e := &homeward.EvidenceLine{IdentificationID: x.ID, Kind: homeward.EvidenceAutosomalDNA, Conclusion: homeward.ConclusionSupports, Summary: "parent-child, 23 markers", LR: &lr,
		Inputs: []homeward.InputRef{{Kind: "profile", ID: s.vic.ID}, {Kind: "profile", ID: s.ref.ID}}}
	if err := s.db.AddEvidence(s.author, e); err != nil {
		t.Fatal(err)
	}
	return x
}

// The whole road: draft, evidence, submission, two stages by two reviewers, approval that sets the
// missing person and the remains, a withdrawal that restores them; and the rules on the way.
func TestIdentificationWorkflow(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		s := newIdentSetup(t, db)
		x := s.draft(t)
		got, _ := db.GetIdentification(s.viewer, x.ID)
		want := homeward.PosteriorOf(0.25, 1e6)
		if got.LR == nil || *got.LR != 1e6 || got.Posterior == nil || math.Abs(*got.Posterior-want) > 1e-15 || math.Abs(want-(1e6*0.25/(1e6*0.25+0.75))) > 1e-15 {
			t.Errorf("LR/posterior: %+v %+v", got.LR, got.Posterior)
		}
		// Only the author submits; then reviewers, never the author.
		if _, err := db.Submit(s.rev1, x.ID, ""); homeward.ErrorCode(err) != homeward.EFORBIDDEN {
			t.Errorf("submit by a reviewer: %v", err)
		}
		if _, err := db.Submit(s.author, x.ID, "ready"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Review(s.author, x.ID, homeward.DecisionApprove, ""); homeward.ErrorCode(err) != homeward.EFORBIDDEN {
			t.Errorf("author reviewing (no permission): %v", err)
		}
		lr := 2.0
		if err := db.AddEvidence(s.author, &homeward.EvidenceLine{IdentificationID: x.ID, Kind: homeward.EvidenceDental, Conclusion: homeward.ConclusionConsistent, Summary: "x", LR: &lr}); err == nil {
			t.Error("evidence added in review (and an LR on a dental line)")
		}
		// Returned with comments, then resubmitted.
		if _, err := db.Review(s.rev1, x.ID, homeward.DecisionReturn, ""); homeward.ErrorCode(err) != homeward.EINVALID {
			t.Errorf("return without comment: %v", err)
		}
		if r, err := db.Review(s.rev1, x.ID, homeward.DecisionReturn, "add the dental comparison"); err != nil || r.Status != homeward.IdentReturned {
			t.Fatalf("return: %v %+v", err, r)
		}
		if err := db.AddEvidence(s.author, &homeward.EvidenceLine{IdentificationID: x.ID, Kind: homeward.EvidenceDental, Conclusion: homeward.ConclusionConsistent, Summary: "restorations 16, 36 match the chart"}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Submit(s.author, x.ID, "dental added"); err != nil {
			t.Fatal(err)
		}
		if r, err := db.Review(s.rev1, x.ID, homeward.DecisionApprove, "technical ok"); err != nil || r.Status != homeward.IdentInReview || r.Stage != 1 {
			t.Fatalf("technical review: %v %+v", err, r)
		}
		if _, err := db.Review(s.rev1, x.ID, homeward.DecisionApprove, ""); homeward.ErrorCode(err) != homeward.EFORBIDDEN {
			t.Errorf("one reviewer signing two stages: %v", err)
		}
		r, err := db.Review(s.rev2, x.ID, homeward.DecisionApprove, "approved")
		if err != nil || r.Status != homeward.IdentApproved {
			t.Fatalf("scientific review: %v %+v", err, r)
		}
		mp, _ := db.GetMissingPerson(s.viewer, s.mp.ID)
		vic, _ := db.GetProfile(s.viewer, s.vic.ID)
		if mp.Status != homeward.StatusAccountedFor || vic.IdentifiedAs == nil || *vic.IdentifiedAs != s.mp.ID {
			t.Errorf("after approval: %s %v", mp.Status, vic.IdentifiedAs)
		}
		// Withdrawal: administrators only, with a reason; restores both.
		if _, err := db.Withdraw(s.rev2, x.ID, "the reference was mislabelled"); homeward.ErrorCode(err) != homeward.EFORBIDDEN {
			t.Errorf("withdraw by a reviewer: %v", err)
		}
		if _, err := db.Withdraw(s.admin, x.ID, "no"); homeward.ErrorCode(err) != homeward.EINVALID {
			t.Errorf("withdraw without a reason: %v", err)
		}
		if r, err := db.Withdraw(s.admin, x.ID, "the reference sample was mislabelled"); err != nil || r.Status != homeward.IdentWithdrawn {
			t.Fatalf("withdraw: %v", err)
		}
		mp, _ = db.GetMissingPerson(s.viewer, s.mp.ID)
		vic, _ = db.GetProfile(s.viewer, s.vic.ID)
		if mp.Status != homeward.StatusUnaccounted || vic.IdentifiedAs != nil {
			t.Errorf("after withdrawal: %s %v", mp.Status, vic.IdentifiedAs)
		}
		// Every transition is in the history and the audit log.
		final, _ := db.GetIdentification(s.viewer, x.ID)
		var steps []string
		for _, h := range final.History {
			steps = append(steps, string(h.To))
		}
		if strings.Join(steps, ",") != "draft,in_review,returned,in_review,in_review,approved,withdrawn" {
			t.Errorf("history %v", steps)
		}
		audit, err := db.ListAudit(s.admin, homeward.AuditFilter{Entity: "identification"})
		if err != nil || audit.Total < 8 {
			t.Errorf("audit: %d entries %v", audit.Total, err)
		}
	})
}

// A corrected input marks the evidence computed from it stale.
func TestEvidenceStale(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		s := newIdentSetup(t, db)
		x := s.draft(t)
		lines, err := db.ListEvidence(s.viewer, x.ID)
		if err != nil || len(lines) != 1 || lines[0].Stale {
			t.Fatalf("fresh: %v %+v", err, lines)
		}
		ref, _ := db.GetProfile(s.admin, s.ref.ID)
		ref.Loci["TH01"] = []string{"6", "9.3"}
		if err := db.UpdateProfile(s.admin, ref); err != nil {
			t.Fatal(err)
		}
		lines, _ = db.ListEvidence(s.viewer, x.ID)
		if !lines[0].Stale {
			t.Error("evidence from a corrected profile is not stale")
		}
	})
}

// Two reviewers approving the last stage at once, or two withdrawals at once: one wins, the other
// is refused, and the records end consistent.
func TestApprovalRaces(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		s := newIdentSetup(t, db)
		rev3 := storetest.User(t, db, "reviewer3", homeward.RoleReviewer)
		x := s.draft(t)
		if _, err := db.Submit(s.author, x.ID, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Review(s.rev1, x.ID, homeward.DecisionApprove, ""); err != nil {
			t.Fatal(err)
		}
		race := func(fs ...func() error) (ok int) {
			var wg sync.WaitGroup
			errs := make([]error, len(fs))
			for i, f := range fs {
				wg.Add(1)
				go func() { defer wg.Done(); errs[i] = f() }()
			}
			wg.Wait()
			for _, err := range errs {
				if err == nil {
					ok++
				} else if c := homeward.ErrorCode(err); c != homeward.ECONFLICT && !strings.Contains(err.Error(), "locked") && !strings.Contains(err.Error(), "busy") {
					t.Errorf("unexpected error: %v", err)
				}
			}
			return ok
		}
		ok := race(
			func() error { _, err := db.Review(s.rev2, x.ID, homeward.DecisionApprove, "a"); return err },
			func() error { _, err := db.Review(rev3, x.ID, homeward.DecisionApprove, "b"); return err },
		)
		got, _ := db.GetIdentification(s.viewer, x.ID)
		if ok != 1 || got.Status != homeward.IdentApproved || len(got.History) != 4 { // draft, submitted, stage 1 signed, approved
			t.Errorf("approvals: %d succeeded, %s, %d steps", ok, got.Status, len(got.History))
		}
		ok = race(
			func() error { _, err := db.Withdraw(s.admin, x.ID, "first reason given here"); return err },
			func() error { _, err := db.Withdraw(s.admin, x.ID, "second reason given here"); return err },
		)
		got, _ = db.GetIdentification(s.viewer, x.ID)
		mp, _ := db.GetMissingPerson(s.viewer, s.mp.ID)
		if ok != 1 || got.Status != homeward.IdentWithdrawn || mp.Status != homeward.StatusUnaccounted {
			t.Errorf("withdrawals: %d succeeded, %s, %s", ok, got.Status, mp.Status)
		}
	})
}

// Families are told and remains returned only after approval, to the identified person's relatives.
func TestNotificationAndDisposition(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		s := newIdentSetup(t, db)
		liaison := storetest.User(t, db, "liaison1", homeward.RoleLiaison)
		mother := &homeward.FamilyMember{MissingPersonID: s.mp.ID, FamilyName: "Kim", GivenNames: "Soon-ja", Relationship: "mother", PrimaryNextOfKin: true, Consent: homeward.Consent{Given: true, Date: "2024-05-01", Scope: "DNA reference comparison"}}
		if err := db.CreateFamilyMember(s.admin, mother); err != nil {
			t.Fatal(err)
		}
		other := &homeward.MissingPerson{FamilyName: "Other"}
		db.CreateMissingPerson(s.admin, other)
		stranger := &homeward.FamilyMember{MissingPersonID: other.ID, FamilyName: "Other", Relationship: "son"}
		if err := db.CreateFamilyMember(s.admin, stranger); err != nil {
			t.Fatal(err)
		}
		x := s.draft(t)
		n := &homeward.Notification{IdentificationID: x.ID, FamilyMemberID: mother.ID, At: time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC), Method: homeward.NotifyInPerson}
		if err := db.AddNotification(liaison, n); homeward.ErrorCode(err) != homeward.ECONFLICT {
			t.Errorf("notification before approval: %v", err)
		}
		db.Submit(s.author, x.ID, "")
		db.Review(s.rev1, x.ID, homeward.DecisionApprove, "")
		if _, err := db.Review(s.rev2, x.ID, homeward.DecisionApprove, ""); err != nil {
			t.Fatal(err)
		}
		if err := db.AddNotification(liaison, n); err != nil || n.By != "liaison1" {
			t.Fatalf("notification: %v %+v", err, n)
		}
		bad := *n
		bad.ID, bad.FamilyMemberID = 0, stranger.ID
		if err := db.AddNotification(liaison, &bad); homeward.ErrorCode(err) != homeward.EINVALID {
			t.Errorf("another person's relative: %v", err)
		}
		if err := db.AddNotification(s.viewer, &homeward.Notification{IdentificationID: x.ID, FamilyMemberID: mother.ID, At: n.At, Method: homeward.NotifyPhone}); homeward.ErrorCode(err) != homeward.EFORBIDDEN {
			t.Errorf("viewer notifying: %v", err)
		}
		if l, err := db.ListNotifications(s.viewer, x.ID); err != nil || len(l) != 1 || l[0].Method != homeward.NotifyInPerson {
			t.Errorf("list: %+v %v", l, err)
		}
		d := &homeward.Disposition{IdentificationID: x.ID, Kind: homeward.DispositionBurial, Place: "National Cemetery, Daejeon", Date: "2026-12-10", EffectsReturned: true, EffectsNote: "identification tag"}
		if err := db.SetDisposition(liaison, d); err != nil {
			t.Fatal(err)
		}
		d2 := &homeward.Disposition{IdentificationID: x.ID, Kind: homeward.DispositionBurial, Place: "National Cemetery, Seoul", Date: "2026-12-12"}
		if err := db.SetDisposition(liaison, d2); err != nil {
			t.Fatal(err)
		}
		got, err := db.GetDisposition(s.viewer, x.ID)
		if err != nil || got.Place != "National Cemetery, Seoul" || got.Version != 2 {
			t.Errorf("disposition: %+v %v", got, err)
		}
		if err := db.SetDisposition(liaison, &homeward.Disposition{IdentificationID: x.ID, Kind: "sea", Place: "x", Date: "2026-12-12"}); homeward.ErrorCode(err) != homeward.EINVALID {
			t.Errorf("bad kind: %v", err)
		}
	})
}

func TestProgress(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		s := newIdentSetup(t, db)
		x := s.draft(t)
		db.Submit(s.author, x.ID, "")
		db.Review(s.rev1, x.ID, homeward.DecisionApprove, "")
		if _, err := db.Review(s.rev2, x.ID, homeward.DecisionApprove, ""); err != nil {
			t.Fatal(err)
		}
		c := &homeward.Container{Accession: "BOX-9", Kind: homeward.ContainerBox}
		if err := db.CreateContainer(s.admin, c); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateSpecimen(s.admin, &homeward.Specimen{ContainerID: c.ID, Code: "S-9", Element: "femur"}); err != nil {
			t.Fatal(err)
		}
		// A second approved identification, counted across pages of one.
		mp2 := &homeward.MissingPerson{FamilyName: "Choi", GivenNames: "Woo-jin", Sex: homeward.SexMale}
		vic2 := &homeward.Profile{Sample: "PM-2", Role: homeward.ProfileVictim, Loci: map[string][]string{"TH01": {"6", "9"}}}
		if err := db.CreateMissingPerson(s.admin, mp2); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateProfile(s.admin, vic2); err != nil {
			t.Fatal(err)
		}
		y := &homeward.Identification{MissingPersonID: mp2.ID, ProfileIDs: []int64{vic2.ID}, Summary: "PM-2 is Choi Woo-jin"}
		if err := db.CreateIdentification(s.author, y); err != nil {
			t.Fatal(err)
		}
		if err := db.AddEvidence(s.author, &homeward.EvidenceLine{IdentificationID: y.ID, Kind: homeward.EvidenceDental, Conclusion: homeward.ConclusionSupports, Summary: "dental chart"}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Submit(s.author, y.ID, ""); err != nil {
			t.Fatal(err)
		}
		db.Review(s.rev1, y.ID, homeward.DecisionApprove, "")
		if _, err := db.Review(s.rev2, y.ID, homeward.DecisionApprove, ""); err != nil {
			t.Fatal(err)
		}
		defer store.SetStatsPage(1)()
		p, err := db.Progress(s.viewer, nil)
		if err != nil {
			t.Fatal(err)
		}
		month := time.Now().UTC().Format("2006-01")
		if p.Totals.Containers != 1 || p.Totals.Specimens != 1 || p.Totals.VictimProfiles != 2 || p.Totals.Identifications != 2 || len(p.Rows) != 1 || p.Rows[0].Month != month {
			t.Errorf("progress: %+v", p)
		}
		// The backlog: one specimen, not typed; two victim profiles, both identified.
		if b, err := db.Backlog(s.viewer); err != nil || b.Specimens != 1 || b.SpecimensUntyped != 1 || b.VictimProfiles != 2 || b.Unidentified != 0 || b.Contaminated != 0 {
			t.Errorf("backlog: %+v %v", b, err)
		}
		// A third victim, unidentified and matching a staff member's elimination profile: the
		// counts (SQL aggregates over the stored JSON) see both.
		loci := map[string][]string{}
		for i, m := range []string{"TH01", "D3S1358", "VWA", "FGA", "D8S1179", "D21S11", "D18S51", "D5S818", "D13S317", "D7S820"} {
			loci[m] = []string{fmt.Sprint(10 + i), fmt.Sprint(11 + i)}
		}
		if err := db.CreateProfile(s.admin, &homeward.Profile{Sample: "STAFF-1", Role: homeward.ProfileElimination, Loci: loci}); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateProfile(s.admin, &homeward.Profile{Sample: "PM-3", Role: homeward.ProfileVictim, Loci: loci}); err != nil {
			t.Fatal(err)
		}
		if b, err := db.Backlog(s.viewer); err != nil || b.VictimProfiles != 3 || b.Unidentified != 1 || b.Contaminated != 1 {
			t.Errorf("backlog with a contaminated, unidentified victim: %+v %v", b, err)
		}
		op := int64(999)
		if p, err := db.Progress(s.viewer, &op); err != nil || p.Totals.Containers != 0 || p.Totals.Identifications != 0 {
			t.Errorf("unknown operation: %+v %v", p, err)
		}
	})
}

// Administrators set the stages new identifications pass; others may not choose their own, and
// an identification keeps the stages it was created with.
func TestReviewPolicy(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		s := newIdentSetup(t, db)
		p, err := db.ReviewPolicy(s.viewer)
		if err != nil || !slices.Equal(p.Stages, homeward.DefaultReviewStages) {
			t.Fatalf("default: %v %+v", err, p)
		}
		before := s.draft(t)
		three := &homeward.ReviewPolicy{Stages: []string{"technical_review", "scientific_review", "board"}}
		if err := db.SetReviewPolicy(s.rev1, three); homeward.ErrorCode(err) != homeward.EFORBIDDEN {
			t.Errorf("a reviewer set the policy: %v", err)
		}
		for _, bad := range [][]string{nil, {"a", "a"}, {"Board Review"}, {"a", "b", "c", "d", "e", "f", "g"}} {
			if err := db.SetReviewPolicy(s.admin, &homeward.ReviewPolicy{Stages: bad}); homeward.ErrorCode(err) != homeward.EINVALID {
				t.Errorf("stages %q accepted: %v", bad, err)
			}
		}
		if err := db.SetReviewPolicy(s.admin, three); err != nil {
			t.Fatal(err)
		}
		after := s.draft(t)
		if !slices.Equal(after.Stages, three.Stages) || len(before.Stages) != 2 {
			t.Errorf("stages: before %v, after %v", before.Stages, after.Stages)
		}
		// The author may not pick a single easy stage; an administrator may.
		x := &homeward.Identification{MissingPersonID: s.mp.ID, ProfileIDs: []int64{s.vic.ID}, Summary: "one stage", Stages: []string{"friend"}}
		if err := db.CreateIdentification(s.author, x); homeward.ErrorCode(err) != homeward.EINVALID || !strings.Contains(err.Error(), "administrators") {
			t.Errorf("author's own stages: %v", err)
		}
		if err := db.CreateIdentification(s.admin, x); err != nil || !slices.Equal(x.Stages, []string{"friend"}) {
			t.Errorf("admin's stages: %v %v", err, x.Stages)
		}
		// Changed again: versioned and audited with before and after.
		if err := db.SetReviewPolicy(s.admin, &homeward.ReviewPolicy{Stages: []string{"technical_review"}}); err != nil {
			t.Fatal(err)
		}
		p, _ = db.ReviewPolicy(s.viewer)
		if p.Version != 2 || len(p.Stages) != 1 {
			t.Errorf("policy now %+v", p)
		}
		a, err := db.ListAudit(s.admin, homeward.AuditFilter{Entity: "review_policy"})
		if err != nil || a.Total != 2 {
			t.Errorf("audit: %v %d", err, a.Total)
		}
		// The person's identifications, newest first; another person's are not among them.
		xs, err := db.IdentificationsOf(s.viewer, s.mp.ID)
		if err != nil || len(xs) != 3 || xs[0].ID != x.ID || xs[2].ID != before.ID {
			t.Errorf("identifications of the person: %v %+v", err, xs)
		}
		if xs, err := db.IdentificationsOf(s.viewer, s.mp.ID+1000); err != nil || len(xs) != 0 {
			t.Errorf("identifications of nobody: %v %+v", err, xs)
		}
	})
}
