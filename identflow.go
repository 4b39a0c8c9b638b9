package homeward

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// The identification workflow as rules on the records, like custody: what a draft may receive,
// who submits, decides and withdraws, what each step changes, what approval does to the missing
// person and the victims' profiles, and when evidence is stale. The store loads the records in a
// transaction, calls these, and persists what they changed; nothing here reads a database.

// Start makes x a new draft by author: the stages it must pass (the configured policy unless an
// administrator chose others, mayChoose), its first history entry, and a closed population's
// prior (1/N when not given; this default used to be applied after validation had already
// refused the missing prior).
func (x *Identification) Start(author string, policy ReviewPolicy, mayChoose bool, at time.Time) error {
	if p := x.Prior; p != nil && p.Population == "closed" && p.Candidates > 0 && p.Prior == 0 {
		p.Prior = 1 / float64(p.Candidates)
	}
	if err := x.Validate(); err != nil {
		return err
	}
	x.Author, x.Status, x.Stage, x.LR, x.Posterior = author, IdentDraft, 0, nil, nil
	if len(x.Stages) == 0 {
		x.Stages = slices.Clone(policy.Stages)
	} else if !slices.Equal(x.Stages, policy.Stages) {
		// Choosing other stages is choosing who must sign: administrators only.
		if !mayChoose {
			return FieldErrorf("identification.stages", "only administrators may choose stages other than the configured %v", policy.Stages)
		}
		if err := (&ReviewPolicy{Stages: x.Stages}).Validate(); err != nil {
			return FieldErrorf("identification.stages", "%s", ErrorMessage(err))
		}
	}
	x.History = []Transition{{To: IdentDraft, By: author, At: at}}
	return nil
}

// CanIdentify checks a victim profile named by a new identification: remains, not identified yet.
func CanIdentify(p *Profile) error {
	if p.Role != ProfileVictim {
		return FieldErrorf("identification.profile_ids", "profile %d (%s) is a %s profile, not remains", p.ID, p.Sample, p.Role)
	}
	if p.IdentifiedAs != nil {
		return Errorf(ECONFLICT, "profile %d (%s) is already identified as missing person %d", p.ID, p.Sample, *p.IdentifiedAs)
	}
	return nil
}

// editable reports whether evidence may be added: a draft, or returned to its author.
// CurrentStage names the review stage the identification waits at ("" when it is not in review).
func (x Identification) CurrentStage() string {
	if x.Status != IdentInReview || x.Stage < 0 || x.Stage >= len(x.Stages) {
		return ""
	}
	return x.Stages[x.Stage]
}

func (x *Identification) editable() bool {
	return x.Status == IdentDraft || x.Status == IdentReturned
}

// AddEvidence admits a new line (already validated) while x is a draft or returned, and combines
// every line's LR (lines, the new one included) into x's DNA LR and, with a prior, its posterior.
func (x *Identification) AddEvidence(lines []EvidenceLine) error {
	if !x.editable() {
		return Errorf(ECONFLICT, "identification %d is %s: evidence is added to drafts and returned identifications only", x.ID, x.Status)
	}
	x.LR, x.Posterior = nil, nil
	for _, l := range lines {
		if l.LR == nil {
			continue
		}
		lr := *l.LR
		if x.LR != nil {
			lr *= *x.LR
		}
		x.LR = &lr
	}
	if x.LR != nil && x.Prior != nil {
		p := PosteriorOf(x.Prior.Prior, *x.LR)
		x.Posterior = &p
	}
	return nil
}

// Submit sends a draft or returned identification to its first review stage. Only its author
// submits it, and only with at least one evidence line.
func (x *Identification) Submit(by string, evidenceLines int, comment string, at time.Time) error {
	if x.Author != by {
		return Errorf(EFORBIDDEN, "identification %d is %s's: only its author submits it", x.ID, x.Author)
	}
	if !x.editable() {
		return Errorf(ECONFLICT, "identification %d is %s, not a draft", x.ID, x.Status)
	}
	if evidenceLines == 0 {
		return Errorf(EINVALID, "identification %d has no evidence line", x.ID)
	}
	x.History = append(x.History, Transition{From: x.Status, To: IdentInReview, Stage: x.Stages[0], By: by, At: at, Comment: comment})
	x.Status, x.Stage = IdentInReview, 0
	return nil
}

// Decide applies a review decision (see NextState for who may decide) and moves x: on to the next
// stage, to approved after the last, or back to its author. It returns the transition recorded;
// when x is approved the caller must also apply Identify.
func (x *Identification) Decide(d ReviewDecision, reviewer, comment string, at time.Time) (Transition, error) {
	t, err := x.NextState(d, reviewer, comment, at)
	if err != nil {
		return t, err
	}
	x.History = append(x.History, t)
	switch t.To {
	case IdentApproved:
		x.Status = IdentApproved
	case IdentReturned:
		x.Status, x.Stage = IdentReturned, 0
	default:
		x.Stage++
	}
	return t, nil
}

// Withdraw ends an approved identification, with its reason (at least 10 characters); the caller
// must also apply Identify to undo what approval did.
func (x *Identification) Withdraw(by, reason string, at time.Time) error {
	if len(strings.TrimSpace(reason)) < 10 {
		return FieldErrorf("withdraw.reason", "give the reason (at least 10 characters)")
	}
	if x.Status != IdentApproved {
		return Errorf(ECONFLICT, "identification %d is %s: only an approved identification is withdrawn", x.ID, x.Status)
	}
	x.History = append(x.History, Transition{From: x.Status, To: IdentWithdrawn, By: by, At: at, Comment: reason})
	x.Status = IdentWithdrawn
	return nil
}

// Identify applies what x's approval means (on) or its withdrawal undoes (!on) to the missing
// person and the victims' profiles: the person accounted for and each profile identified as them.
// A person already accounted for, or a profile identified as someone else, is a conflict and
// nothing is changed.
func (x *Identification) Identify(m *MissingPerson, profiles []*Profile, on bool) error {
	if m.ID != x.MissingPersonID {
		return fmt.Errorf("identification %d is of missing person %d, not %d", x.ID, x.MissingPersonID, m.ID)
	}
	if on {
		if m.Status == StatusAccountedFor {
			return Errorf(ECONFLICT, "missing person %d is already accounted for", m.ID)
		}
		for _, p := range profiles {
			if p.IdentifiedAs != nil && *p.IdentifiedAs != x.MissingPersonID {
				return Errorf(ECONFLICT, "profile %s is already identified as missing person %d", p.Sample, *p.IdentifiedAs)
			}
		}
	}
	m.Status = StatusUnaccounted
	if on {
		m.Status = StatusAccountedFor
	}
	for _, p := range profiles {
		p.IdentifiedAs = nil
		if on {
			mp := x.MissingPersonID
			p.IdentifiedAs = &mp
		}
	}
	return nil
}

// Seal records the fingerprint of the records a line was computed from (see Fingerprint).
func (e *EvidenceLine) Seal(inputs []any) {
	e.Fingerprint, e.Stale = Fingerprint(inputs), false
}

// CheckStale marks the line stale when its inputs (as they are now; nil with missing: one is
// gone) no longer match the fingerprint it was sealed with.
func (e *EvidenceLine) CheckStale(inputs []any, missing bool) {
	e.Stale = len(e.Inputs) > 0 && (missing || Fingerprint(inputs) != e.Fingerprint)
}
