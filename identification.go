package homeward

import (
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// IdentStatus is where an identification stands in its review.
type IdentStatus string

const (
	IdentDraft     IdentStatus = "draft"
	IdentInReview  IdentStatus = "in_review" // at Stages[Stage]
	IdentReturned  IdentStatus = "returned"  // sent back to the author with comments
	IdentApproved  IdentStatus = "approved"
	IdentWithdrawn IdentStatus = "withdrawn"
)

// DefaultReviewStages are the sign-offs an identification passes after its author submits it,
// until administrators set a ReviewPolicy.
var DefaultReviewStages = []string{"technical_review", "scientific_review"}

// ReviewPolicy is the administrators' setting of the stages new identifications pass (an
// identification keeps the stages it was created with). Only administrators may create an
// identification with other stages.
type ReviewPolicy struct {
	ID     int64    `json:"id"`
	Stages []string `json:"stages"`
	Meta
}

var stageName = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

// Validate checks the policy: one to six distinct stages named in lower case (letters, digits,
// underscores).
func (p *ReviewPolicy) Validate() error {
	if len(p.Stages) == 0 || len(p.Stages) > 6 {
		return FieldErrorf("review_policy.stages", "give one to six stages (%d given)", len(p.Stages))
	}
	seen := map[string]bool{}
	for _, st := range p.Stages {
		if !stageName.MatchString(st) {
			return FieldErrorf("review_policy.stages", "%q is not a stage name (lower-case letters, digits and _; 40 at most)", st)
		}
		if seen[st] {
			return FieldErrorf("review_policy.stages", "%q appears twice", st)
		}
		seen[st] = true
	}
	return nil
}

// SettingsService keeps the settings administrators change.
type SettingsService interface {
	// ReviewPolicy returns the stages in force (DefaultReviewStages until one is set).
	ReviewPolicy(ctx context.Context) (*ReviewPolicy, error)
	// SetReviewPolicy replaces the stages for identifications created from now on (administrators).
	SetReviewPolicy(ctx context.Context, p *ReviewPolicy) error
}

// Transition is one step of an identification's history.
type Transition struct {
	From    IdentStatus `json:"from,omitempty"` // none for the creation
	To      IdentStatus `json:"to"`
	Stage   string      `json:"stage,omitempty"`
	By      string      `json:"by"`
	At      time.Time   `json:"at"`
	Comment string      `json:"comment,omitempty"`
}

// PriorStatement is the prior probability of the identification before DNA, with its assumptions.
type PriorStatement struct {
	// Population is "closed" (the person is one of Candidates) or "open" (may be someone else).
	Population string  `json:"population"`
	Candidates int     `json:"candidates"`
	Prior      float64 `json:"prior"`
	Basis      string  `json:"basis"` // in words: which list, which criteria
}

// Identification proposes that post-mortem remains (victim profiles, specimens) are a missing
// person, with the evidence lines that support it, through a multi-stage review.
type Identification struct {
	ID              int64           `json:"id"`
	MissingPersonID int64           `json:"missing_person_id"`
	ProfileIDs      []int64         `json:"profile_ids"`  // the victim profiles of the remains
	SpecimenIDs     []int64         `json:"specimen_ids"` // the specimens of the remains
	Summary         string          `json:"summary"`
	Author          string          `json:"author"`
	Status          IdentStatus     `json:"status"`
	Stages          []string        `json:"stages"` // fixed when created
	Stage           int             `json:"stage"`  // index into Stages while in review
	Prior           *PriorStatement `json:"prior,omitempty"`
	// LR is the product of the DNA evidence lines' LRs (independent marker systems), Posterior the
	// probability of the identification given the prior and LR.
	LR        *float64     `json:"lr,omitempty"`
	Posterior *float64     `json:"posterior,omitempty"`
	History   []Transition `json:"history"`
	Meta
}

// Validate checks a new or edited identification.
func (x *Identification) Validate() error {
	if x.MissingPersonID <= 0 {
		return FieldErrorf("identification.missing_person_id", "is required")
	}
	if len(x.ProfileIDs) == 0 && len(x.SpecimenIDs) == 0 {
		return FieldErrorf("identification.profile_ids", "name the remains: victim profiles or specimens")
	}
	if x.Prior != nil {
		if err := x.Prior.Validate(); err != nil {
			return err
		}
	}
	return nil
}

// Validate checks a prior statement.
func (p *PriorStatement) Validate() error {
	if err := validateEnum("identification.prior.population", p.Population, "closed", "open"); err != nil {
		return err
	}
	if !(p.Prior > 0 && p.Prior < 1) {
		return FieldErrorf("identification.prior.prior", "%v must be strictly between 0 and 1", p.Prior)
	}
	if strings.TrimSpace(p.Basis) == "" {
		return FieldErrorf("identification.prior.basis", "say what the prior rests on")
	}
	return nil
}

// ClosedPrior is the flat prior over a closed list of n candidates: 1/n.
func ClosedPrior(n int, basis string) PriorStatement {
	return PriorStatement{Population: "closed", Candidates: n, Prior: 1 / float64(n), Basis: basis}
}

// PosteriorOf combines a prior probability with a likelihood ratio: LR p / (LR p + 1 - p),
// computed in log-odds so that very large LRs do not overflow.
func PosteriorOf(prior, lr float64) float64 {
	if lr == 0 {
		return 0
	}
	logOdds := math.Log(prior) - math.Log1p(-prior) + math.Log(lr)
	if logOdds > 700 {
		return 1
	}
	o := math.Exp(logOdds)
	return o / (1 + o)
}

// EvidenceKind names a line of evidence.
type EvidenceKind string

const (
	EvidenceAutosomalDNA EvidenceKind = "autosomal_dna"
	EvidenceYSTR         EvidenceKind = "ystr"
	EvidenceMtDNA        EvidenceKind = "mtdna"
	EvidenceDental       EvidenceKind = "dental"
	EvidenceRadiograph   EvidenceKind = "radiograph"
	EvidenceAnthropology EvidenceKind = "anthropology"
	EvidenceMaterial     EvidenceKind = "material"
	EvidenceHistorical   EvidenceKind = "circumstantial"
)

// EvidenceConclusion is what a line says.
type EvidenceConclusion string

const (
	ConclusionSupports     EvidenceConclusion = "supports"
	ConclusionConsistent   EvidenceConclusion = "consistent"
	ConclusionInconclusive EvidenceConclusion = "inconclusive"
	ConclusionExcludes     EvidenceConclusion = "excludes"
)

// InputRef points at a stored record a result was computed from.
type InputRef struct {
	Kind string `json:"kind"` // profile, reference_family, frequency_db
	ID   int64  `json:"id,omitempty"`
	Name string `json:"name,omitempty"` // frequency_db: NAME@V
}

// EvidenceLine is one line of evidence for an identification.
type EvidenceLine struct {
	ID               int64              `json:"id"`
	IdentificationID int64              `json:"identification_id"`
	Kind             EvidenceKind       `json:"kind"`
	Analyst          string             `json:"analyst"` // set from the acting user
	Date             Date               `json:"date"`
	Conclusion       EvidenceConclusion `json:"conclusion"`
	Summary          string             `json:"summary"`
	// LR of a DNA line (autosomal, Y-STR, mtDNA) for "the remains are the missing person".
	LR *float64 `json:"lr,omitempty"`
	// Inputs are the stored records the result was computed from; Fingerprint is their content hash
	// when the line was recorded, so a later change to any of them marks the line stale.
	Inputs        []InputRef `json:"inputs,omitempty"`
	Fingerprint   string     `json:"fingerprint,omitempty"`
	Stale         bool       `json:"stale"` // filled on reads
	AttachmentIDs []int64    `json:"attachment_ids,omitempty"`
	Meta
}

// Validate checks a line.
func (e *EvidenceLine) Validate() error {
	if err := validateEnum("evidence.kind", e.Kind, EvidenceKinds...); err != nil {
		return err
	}
	if err := validateEnum("evidence.conclusion", e.Conclusion, EvidenceConclusions...); err != nil {
		return err
	}
	if err := required("evidence.summary", e.Summary); err != nil {
		return err
	}
	dna := e.Kind == EvidenceAutosomalDNA || e.Kind == EvidenceYSTR || e.Kind == EvidenceMtDNA
	if e.LR != nil {
		if !dna {
			return FieldErrorf("evidence.lr", "only DNA lines carry a likelihood ratio")
		}
		if !(*e.LR >= 0) || math.IsInf(*e.LR, 0) {
			return FieldErrorf("evidence.lr", "%v is not a likelihood ratio", *e.LR)
		}
	}
	for _, in := range e.Inputs {
		if err := validateEnum("evidence.inputs.kind", in.Kind, "profile", "reference_family", "frequency_db"); err != nil {
			return err
		}
	}
	return nil
}

// Fingerprint hashes the records a result was computed from (as their JSON), in the order given.
func Fingerprint(records []any) string {
	h := sha256.New()
	for _, r := range records {
		b, _ := json.Marshal(r)
		h.Write(b)
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// ReviewDecision is a reviewer's answer at a stage.
type ReviewDecision string

const (
	DecisionApprove ReviewDecision = "approve"
	DecisionReturn  ReviewDecision = "return"
)

// signedOtherStage is the stage other than the current one that reviewer signed, "" when none:
// one person signs one stage, so a reviewer of an earlier stage may not sign a later one.
func (x *Identification) signedOtherStage(reviewer string) string {
	for _, t := range x.History {
		if t.Stage != "" && t.Stage != x.CurrentStage() && t.By == reviewer && t.From == IdentInReview {
			return t.Stage
		}
	}
	return ""
}

// MayReview reports whether the user may decide the identification's current stage: it is in
// review, they may review, are not its author and signed no other stage.
func (x *Identification) MayReview(u *User) bool {
	return x.Status == IdentInReview && u.Can(PermReview) && !u.Disabled && u.Username != x.Author && x.signedOtherStage(u.Username) == ""
}

// NextState applies a review decision at the current stage: approving moves to the next stage or,
// after the last, to approved; returning sends it back to the author. The author may not review
// their own identification. It returns the transition to record.
func (x *Identification) NextState(d ReviewDecision, reviewer, comment string, at time.Time) (Transition, error) {
	if x.Status != IdentInReview {
		return Transition{}, Errorf(ECONFLICT, "identification %d is %s, not in review", x.ID, x.Status)
	}
	if reviewer == x.Author {
		return Transition{}, Errorf(EFORBIDDEN, "identification %d: %s is its author and may not review it", x.ID, reviewer)
	}
	stage := x.Stages[x.Stage]
	if other := x.signedOtherStage(reviewer); other != "" {
		return Transition{}, Errorf(EFORBIDDEN, "identification %d: %s already signed stage %s", x.ID, reviewer, other)
	}
	t := Transition{From: x.Status, Stage: stage, By: reviewer, At: at, Comment: comment}
	switch d {
	case DecisionApprove:
		if x.Stage == len(x.Stages)-1 {
			t.To = IdentApproved
		} else {
			t.To = IdentInReview
		}
	case DecisionReturn:
		if strings.TrimSpace(comment) == "" {
			return Transition{}, FieldErrorf("review.comment", "say why it is returned")
		}
		t.To = IdentReturned
	default:
		return Transition{}, FieldErrorf("review.decision", "%q is not approve or return", d)
	}
	return t, nil
}

// IdentificationService keeps identifications and their evidence through review.
type IdentificationService interface {
	CreateIdentification(ctx context.Context, x *Identification) error
	GetIdentification(ctx context.Context, id int64) (*Identification, error)
	ListIdentifications(ctx context.Context, f IdentificationFilter) (List[Identification], error)
	// IdentificationsOf lists the identifications proposed for one missing person, newest first.
	IdentificationsOf(ctx context.Context, missingPersonID int64) ([]Identification, error)
	// AddEvidence records a line (the acting user is its analyst) and recomputes the
	// identification's LR and posterior; only while it is a draft or returned.
	AddEvidence(ctx context.Context, e *EvidenceLine) error
	ListEvidence(ctx context.Context, identificationID int64) ([]EvidenceLine, error)
	// Submit sends a draft or returned identification (by its author) to the first review stage.
	Submit(ctx context.Context, id int64, comment string) (*Identification, error)
	// Review records a reviewer's decision at the current stage. The final approval sets the
	// missing person accounted-for and the victim profiles identified, in the same transaction.
	Review(ctx context.Context, id int64, d ReviewDecision, comment string) (*Identification, error)
	// Withdraw undoes an approved identification (administrators only, with a reason), restoring
	// the missing person's and the profiles' status.
	Withdraw(ctx context.Context, id int64, reason string) (*Identification, error)
}

// NotificationMethod is how a family was told.
type NotificationMethod string

const (
	NotifyInPerson NotificationMethod = "in_person"
	NotifyPhone    NotificationMethod = "phone"
	NotifyLetter   NotificationMethod = "letter"
	NotifyVideo    NotificationMethod = "video"
)

// Notification records that a relative was told of an approved identification.
type Notification struct {
	ID               int64              `json:"id"`
	IdentificationID int64              `json:"identification_id"`
	FamilyMemberID   int64              `json:"family_member_id"`
	At               time.Time          `json:"at"`
	Method           NotificationMethod `json:"method"`
	By               string             `json:"by"` // the acting user
	Notes            string             `json:"notes,omitempty"`
	Meta
}

// Validate checks the record.
func (n *Notification) Validate() error {
	if n.FamilyMemberID <= 0 {
		return FieldErrorf("notification.family_member_id", "is required")
	}
	if n.At.IsZero() {
		return FieldErrorf("notification.at", "is required")
	}
	return validateEnum("notification.method", n.Method, NotificationMethods...)
}

// DispositionKind is what became of the remains.
type DispositionKind string

const (
	DispositionBurial       DispositionKind = "burial"
	DispositionCremation    DispositionKind = "cremation"
	DispositionRepatriation DispositionKind = "repatriation"
	DispositionOther        DispositionKind = "other"
)

// Disposition records the remains' return: burial or cremation, place and date, the ceremony, and
// the return of personal effects.
type Disposition struct {
	ID               int64           `json:"id"`
	IdentificationID int64           `json:"identification_id"`
	Kind             DispositionKind `json:"kind"`
	Place            string          `json:"place"`
	Date             Date            `json:"date"`
	CeremonyID       *int64          `json:"ceremony_id,omitempty"`
	EffectsReturned  bool            `json:"effects_returned"`
	EffectsNote      string          `json:"effects_note,omitempty"`
	Notes            string          `json:"notes,omitempty"`
	Meta
}

// Validate checks the record.
func (d *Disposition) Validate() error {
	if err := validateEnum("disposition.kind", d.Kind, DispositionKinds...); err != nil {
		return err
	}
	if err := required("disposition.place", d.Place); err != nil {
		return err
	}
	return d.Date.Validate("disposition.date")
}

// FamilyService records what the families are told and what becomes of the remains.
type FamilyService interface {
	// AddNotification records that a relative of the identified person was told (approved
	// identifications only; the relative must be one of the missing person's family members).
	AddNotification(ctx context.Context, n *Notification) error
	ListNotifications(ctx context.Context, identificationID int64) ([]Notification, error)
	// SetDisposition records (or replaces) the disposition of an approved identification's remains.
	SetDisposition(ctx context.Context, d *Disposition) error
	GetDisposition(ctx context.Context, identificationID int64) (*Disposition, error)
}

// ProgressRow counts, for one month, what was registered and identified.
type ProgressRow struct {
	Month           string `json:"month"` // YYYY-MM
	Containers      int    `json:"containers"`
	Specimens       int    `json:"specimens"`
	VictimProfiles  int    `json:"victim_profiles"`
	Identifications int    `json:"identifications_approved"`
}

// Progress is the month-by-month work of an operation (or of everything), with totals.
type Progress struct {
	OperationID *int64        `json:"operation_id,omitempty"`
	Rows        []ProgressRow `json:"rows"`
	Totals      ProgressRow   `json:"totals"`
}

// StatsService reports progress.
type StatsService interface {
	// Progress counts containers, specimens, victim profiles (of the operation's specimens when an
	// operation is given) and approved identifications per month.
	Progress(ctx context.Context, operationID *int64) (*Progress, error)
	// Backlog counts the work waiting: specimens not yet typed, open containers.
	Backlog(ctx context.Context) (*Backlog, error)
}

// Backlog is the work waiting across the store, for dashboards.
type Backlog struct {
	Specimens         int `json:"specimens"`
	SpecimensUntyped  int `json:"specimens_untyped"` // no DNA profile typed from them yet
	VictimProfiles    int `json:"victim_profiles"`
	Unidentified      int `json:"victim_profiles_unidentified"`
	Contaminated      int `json:"victim_profiles_contaminated"`
	ReferenceFamilies int `json:"reference_families"`
}

// WriteProgressCSV writes the progress as CSV: month, containers, specimens, victim_profiles,
// identifications_approved, then a total row.
func WriteProgressCSV(w io.Writer, p *Progress) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"month", "containers", "specimens", "victim_profiles", "identifications_approved"})
	for _, r := range append(append([]ProgressRow{}, p.Rows...), p.Totals) {
		cw.Write([]string{r.Month, strconv.Itoa(r.Containers), strconv.Itoa(r.Specimens), strconv.Itoa(r.VictimProfiles), strconv.Itoa(r.Identifications)})
	}
	cw.Flush()
	return cw.Error()
}
