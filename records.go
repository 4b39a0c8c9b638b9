package homeward

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// Date is a calendar date without time of day, written YYYY-MM-DD. The empty Date means unknown.
// Historical records often know only a year or month; those are stored as given in free-text notes
// and the Date is left empty rather than invented.
type Date string

// Validate checks the date's form.
func (d Date) Validate(field string) error {
	if d == "" {
		return nil
	}
	if _, err := time.Parse("2006-01-02", string(d)); err != nil {
		return FieldErrorf(field, "%q is not a date (YYYY-MM-DD)", string(d))
	}
	return nil
}

// Status of a missing person.
type Status string

const (
	StatusUnaccounted    Status = "unaccounted"
	StatusAccountedFor   Status = "accounted-for"
	StatusNonRecoverable Status = "non-recoverable"
)

// Sex as recorded or estimated.
type Sex string

const (
	SexUnknown Sex = ""
	SexMale    Sex = "male"
	SexFemale  Sex = "female"
)

func validateEnum[T ~string](field string, v T, allowed ...T) error {
	for _, a := range allowed {
		if v == a {
			return nil
		}
	}
	names := make([]string, len(allowed))
	for i, a := range allowed {
		names[i] = fmt.Sprintf("%q", string(a))
	}
	return FieldErrorf(field, "%q is not one of %s", string(v), strings.Join(names, ", "))
}

func required(field, v string) error {
	if strings.TrimSpace(v) == "" {
		return FieldErrorf(field, "is required")
	}
	return nil
}

// Coordinates is a WGS84 position with its precision in metres (how far the true place may be).
type Coordinates struct {
	Lat        *float64 `json:"lat,omitempty"`
	Lon        *float64 `json:"lon,omitempty"`
	PrecisionM *float64 `json:"precision_m,omitempty"`
}

// Validate checks ranges; latitude and longitude are given together or not at all.
func (c Coordinates) Validate(field string) error {
	if (c.Lat == nil) != (c.Lon == nil) {
		return FieldErrorf(field, "latitude and longitude must be given together")
	}
	if c.Lat != nil && (math.IsNaN(*c.Lat) || *c.Lat < -90 || *c.Lat > 90) {
		return FieldErrorf(field+".lat", "%v is outside -90..90", *c.Lat)
	}
	if c.Lon != nil && (math.IsNaN(*c.Lon) || *c.Lon < -180 || *c.Lon > 180) {
		return FieldErrorf(field+".lon", "%v is outside -180..180", *c.Lon)
	}
	if c.PrecisionM != nil && (math.IsNaN(*c.PrecisionM) || *c.PrecisionM < 0) {
		return FieldErrorf(field+".precision_m", "must be zero or positive")
	}
	return nil
}

// Meta is the bookkeeping every stored record carries.
type Meta struct {
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// Version increases with every update; an update naming a stale version is refused (ECONFLICT,
	// field "version").
	Version int64 `json:"version"`
}

// RecordVersion is the record's version, its HTTP entity tag.
func (m *Meta) RecordVersion() int64 { return m.Version }

// SetRecordVersion sets the version an update is based on (from an If-Match header).
func (m *Meta) SetRecordVersion(v int64) { m.Version = v }

// MissingPerson is someone unaccounted for, with what is known of them before death (antemortem).
type MissingPerson struct {
	ID         int64  `json:"id"`
	FamilyName string `json:"family_name"`
	GivenNames string `json:"given_names"`
	// NativeName is the name in its own script when the record's is a romanization: a Korean
	// name in Hangul, family name first (김철민). Searches find the person by it and by its
	// romanizations (SearchNames).
	NativeName    string `json:"native_name,omitempty"`
	ServiceNumber string `json:"service_number,omitempty"`
	Nationality   string `json:"nationality,omitempty"` // ISO 3166-1 alpha-3, e.g. USA, KOR
	Branch        string `json:"branch,omitempty"`
	Unit          string `json:"unit,omitempty"`
	Rank          string `json:"rank,omitempty"`
	Status        Status `json:"status"`
	IncidentID    *int64 `json:"incident_id,omitempty"`
	DateOfLoss    Date   `json:"date_of_loss,omitempty"`
	// Antemortem biological profile.
	Sex         Sex      `json:"sex,omitempty"`
	StatureCM   *float64 `json:"stature_cm,omitempty"`
	AgeAtLoss   *int     `json:"age_at_loss,omitempty"`
	Ancestry    string   `json:"ancestry,omitempty"`
	DentalChart string   `json:"dental_chart,omitempty"`
	Notes       string   `json:"notes,omitempty"`
	Meta
}

// Validate checks the record; messages name the field.
func (m *MissingPerson) Validate() error {
	if err := required("missing_person.family_name", m.FamilyName); err != nil {
		return err
	}
	if m.Status == "" {
		m.Status = StatusUnaccounted
	}
	if err := validateEnum("missing_person.status", m.Status, Statuses...); err != nil {
		return err
	}
	if err := validateEnum("missing_person.sex", m.Sex, Sexes...); err != nil {
		return err
	}
	if err := m.DateOfLoss.Validate("missing_person.date_of_loss"); err != nil {
		return err
	}
	if m.StatureCM != nil && (math.IsNaN(*m.StatureCM) || *m.StatureCM < 50 || *m.StatureCM > 250) {
		return FieldErrorf("missing_person.stature_cm", "%v cm is outside 50..250", *m.StatureCM)
	}
	if m.AgeAtLoss != nil && (*m.AgeAtLoss < 0 || *m.AgeAtLoss > 120) {
		return FieldErrorf("missing_person.age_at_loss", "%d is outside 0..120", *m.AgeAtLoss)
	}
	return nil
}

// IncidentKind says how people were lost.
type IncidentKind string

const (
	IncidentAirLoss      IncidentKind = "air-loss"
	IncidentGroundAction IncidentKind = "ground-action"
	IncidentPOWCamp      IncidentKind = "pow-camp"
	IncidentMaritime     IncidentKind = "maritime"
	IncidentDisaster     IncidentKind = "disaster"
	IncidentOther        IncidentKind = "other"
)

// Incident is a loss incident: when, where and how people were lost.
type Incident struct {
	ID          int64        `json:"id"`
	Code        string       `json:"code"` // agency reference, unique, e.g. "KW-1950-11-0123"
	Date        Date         `json:"date,omitempty"`
	Kind        IncidentKind `json:"kind"`
	Place       string       `json:"place,omitempty"`
	Coordinates Coordinates  `json:"coordinates"`
	Description string       `json:"description,omitempty"`
	Meta
}

// Validate checks the record.
func (i *Incident) Validate() error {
	if err := required("incident.code", i.Code); err != nil {
		return err
	}
	if err := validateEnum("incident.kind", i.Kind, IncidentKinds...); err != nil {
		return err
	}
	if err := i.Date.Validate("incident.date"); err != nil {
		return err
	}
	return i.Coordinates.Validate("incident.coordinates")
}

// Consent records what a family member agreed to.
type Consent struct {
	Given bool   `json:"given"`
	Date  Date   `json:"date,omitempty"`
	Scope string `json:"scope,omitempty"` // e.g. "DNA reference comparison only"
}

// FamilyMember is a relative of a missing person: a potential DNA reference and a contact.
type FamilyMember struct {
	ID              int64  `json:"id"`
	MissingPersonID int64  `json:"missing_person_id"`
	FamilyName      string `json:"family_name"`
	GivenNames      string `json:"given_names"`
	// NativeName is the name in Hangul (or another script), family name first, as on the
	// missing person; relatives are found by it and by its romanizations (FamilySearchNames).
	NativeName string `json:"native_name,omitempty"`
	Sex        Sex    `json:"sex,omitempty"`
	// Relationship to the missing person, from the relative's side: "mother", "brother", "son",
	// "paternal-half-brother", "niece", ... (free text, validated only for presence).
	Relationship string `json:"relationship"`
	// PrimaryNextOfKin marks the relative to be told first and to decide on the remains.
	PrimaryNextOfKin bool    `json:"primary_next_of_kin,omitempty"`
	Consent          Consent `json:"consent"`
	// Contact (telephone, address, e-mail) is shown only to roles that may read it (family liaison,
	// administrators); for others it is empty and ContactRedacted says that there is one.
	Contact         string `json:"contact,omitempty"`
	ContactRedacted bool   `json:"contact_redacted,omitempty"`
	Notes           string `json:"notes,omitempty"`
	Meta
}

// Validate checks the record.
func (f *FamilyMember) Validate() error {
	if f.MissingPersonID <= 0 {
		return FieldErrorf("family_member.missing_person_id", "is required")
	}
	if err := required("family_member.family_name", f.FamilyName); err != nil {
		return err
	}
	if err := required("family_member.relationship", f.Relationship); err != nil {
		return err
	}
	if err := validateEnum("family_member.sex", f.Sex, Sexes...); err != nil {
		return err
	}
	return f.Consent.Date.Validate("family_member.consent.date")
}

// OperationKind says how remains came in.
type OperationKind string

const (
	OperationTurnover   OperationKind = "turnover"
	OperationExcavation OperationKind = "excavation"
	OperationRecovery   OperationKind = "recovery"
	OperationUnilateral OperationKind = "unilateral-turnover"
)

// Operation is a recovery, excavation or hand-over that brings remains in.
type Operation struct {
	ID          int64         `json:"id"`
	Code        string        `json:"code"` // unique, e.g. "K55-2018"
	Kind        OperationKind `json:"kind"`
	Name        string        `json:"name"`
	Site        string        `json:"site,omitempty"`
	Coordinates Coordinates   `json:"coordinates"`
	StartDate   Date          `json:"start_date,omitempty"`
	EndDate     Date          `json:"end_date,omitempty"`
	// HandingParty is who handed remains over (for turnovers), e.g. "DPRK".
	HandingParty string `json:"handing_party,omitempty"`
	Description  string `json:"description,omitempty"`
	Meta
}

// Validate checks the record.
func (o *Operation) Validate() error {
	if err := required("operation.code", o.Code); err != nil {
		return err
	}
	if err := required("operation.name", o.Name); err != nil {
		return err
	}
	if err := validateEnum("operation.kind", o.Kind, OperationKinds...); err != nil {
		return err
	}
	if err := o.StartDate.Validate("operation.start_date"); err != nil {
		return err
	}
	if err := o.EndDate.Validate("operation.end_date"); err != nil {
		return err
	}
	if o.StartDate != "" && o.EndDate != "" && o.EndDate < o.StartDate {
		return FieldErrorf("operation.end_date", "%s is before start date %s", o.EndDate, o.StartDate)
	}
	return o.Coordinates.Validate("operation.coordinates")
}

// TransportLeg is one movement of an operation's remains (e.g. Wonsan to Osan by C-17).
type TransportLeg struct {
	ID          int64      `json:"id"`
	OperationID int64      `json:"operation_id"`
	Seq         int        `json:"seq"`
	From        string     `json:"from"`
	To          string     `json:"to"`
	Carrier     string     `json:"carrier,omitempty"` // aircraft, vessel, vehicle
	DepartedAt  *time.Time `json:"departed_at,omitempty"`
	ArrivedAt   *time.Time `json:"arrived_at,omitempty"`
	Notes       string     `json:"notes,omitempty"`
}

// Validate checks the leg.
func (t *TransportLeg) Validate() error {
	if err := required("transport_leg.from", t.From); err != nil {
		return err
	}
	if err := required("transport_leg.to", t.To); err != nil {
		return err
	}
	if t.DepartedAt != nil && t.ArrivedAt != nil && t.ArrivedAt.Before(*t.DepartedAt) {
		return FieldErrorf("transport_leg.arrived_at", "arrival is before departure")
	}
	return nil
}

// Ceremony is an honour ceremony held for an operation's remains.
type Ceremony struct {
	ID          int64      `json:"id"`
	OperationID int64      `json:"operation_id"`
	Name        string     `json:"name"`
	Place       string     `json:"place"`
	HeldAt      *time.Time `json:"held_at,omitempty"`
	Description string     `json:"description,omitempty"`
}

// Validate checks the ceremony.
func (c *Ceremony) Validate() error {
	if err := required("ceremony.name", c.Name); err != nil {
		return err
	}
	return required("ceremony.place", c.Place)
}

// ContainerKind: case, box or bag.
type ContainerKind string

const (
	ContainerCase ContainerKind = "case"
	ContainerBox  ContainerKind = "box"
	ContainerBag  ContainerKind = "bag"
)

// Container holds remains. Its custody state (custodian, location, seals) is derived from its
// custody chain, never stored as editable fields.
type Container struct {
	ID          int64         `json:"id"`
	Accession   string        `json:"accession"` // unique, e.g. "K55-2018-001"
	Kind        ContainerKind `json:"kind"`
	OperationID *int64        `json:"operation_id,omitempty"`
	Description string        `json:"description,omitempty"`
	// Custody is derived from the chain when the container is read.
	Custody *CustodyState `json:"custody,omitempty"`
	Meta
}

// Validate checks the record.
func (c *Container) Validate() error {
	if err := required("container.accession", c.Accession); err != nil {
		return err
	}
	return validateEnum("container.kind", c.Kind, ContainerKinds...)
}

// Side of a skeletal element.
type Side string

const (
	SideLeft    Side = "left"
	SideRight   Side = "right"
	SideAxial   Side = "axial" // midline elements: skull, vertebrae, sternum
	SideUnknown Side = "unknown"
)

// Specimen is a skeletal element, portion or sample inside a container.
type Specimen struct {
	ID          int64  `json:"id"`
	ContainerID int64  `json:"container_id"`
	Code        string `json:"code"`    // unique, e.g. "K55-2018-001-S003"
	Element     string `json:"element"` // e.g. "femur", "cranium", "tooth 17"
	Side        Side   `json:"side"`
	// Portion: complete, proximal, distal, shaft, fragment, ...
	Portion     string   `json:"portion,omitempty"`
	WeightG     *float64 `json:"weight_g,omitempty"`
	Description string   `json:"description,omitempty"`
	// Measurements are osteometric measurements in mm by code (Hum_01 = Buikstra & Ubelaker 1994
	// no. 40, ...); see docs/osteometric.md.
	Measurements map[string]float64 `json:"measurements,omitempty"`
	Meta
}

// Validate checks the record.
func (s *Specimen) Validate() error {
	if s.ContainerID <= 0 {
		return FieldErrorf("specimen.container_id", "is required")
	}
	if err := required("specimen.code", s.Code); err != nil {
		return err
	}
	if err := required("specimen.element", s.Element); err != nil {
		return err
	}
	if s.Side == "" {
		s.Side = SideUnknown
	}
	if err := validateEnum("specimen.side", s.Side, Sides...); err != nil {
		return err
	}
	if s.WeightG != nil && (math.IsNaN(*s.WeightG) || *s.WeightG < 0) {
		return FieldErrorf("specimen.weight_g", "must be zero or positive")
	}
	return ValidateMeasurements("specimen.measurements", s.Measurements)
}

// Subject names the record an attachment or claim is about.
type Subject struct {
	Type string `json:"subject_type"` // missing_person, incident, operation, container, specimen, custody_event
	ID   int64  `json:"subject_id"`
}

// SubjectTypes lists the records attachments and claims may refer to.
var SubjectTypes = []string{"missing_person", "incident", "operation", "container", "specimen", "custody_event", "family_member"}

// Validate checks the subject.
func (s Subject) Validate(field string) error {
	if err := validateEnum(field+".subject_type", s.Type, SubjectTypes...); err != nil {
		return err
	}
	if s.ID <= 0 {
		return FieldErrorf(field+".subject_id", "is required")
	}
	return nil
}

// Attachment is an evidence photo or document. The content lives in blob storage under its SHA-256
// and is never altered; a thumbnail is derived for images.
type Attachment struct {
	ID         int64      `json:"id"`
	SHA256     string     `json:"sha256"`
	Kind       string     `json:"kind"` // photo or document
	Filename   string     `json:"filename"`
	MediaType  string     `json:"media_type"`
	Size       int64      `json:"size"`
	Thumbnail  string     `json:"thumbnail_sha256,omitempty"`
	Caption    string     `json:"caption,omitempty"`
	TakenAt    *time.Time `json:"taken_at,omitempty"`
	UploadedBy string     `json:"uploaded_by"`
	UploadedAt time.Time  `json:"uploaded_at"`
	Subject
}

// Validate checks the record.
func (a *Attachment) Validate() error {
	if len(a.SHA256) != 64 {
		return FieldErrorf("attachment.sha256", "must be 64 hex digits")
	}
	if err := validateEnum("attachment.kind", a.Kind, "photo", "document"); err != nil {
		return err
	}
	if err := required("attachment.filename", a.Filename); err != nil {
		return err
	}
	return a.Subject.Validate("attachment")
}

// Claim is an unverified statement made by a party (e.g. the handing side: "found near
// Sinhung-ri"). Claims are kept apart from verified facts and always shown as claims.
type Claim struct {
	ID          int64       `json:"id"`
	Party       string      `json:"party"` // who makes the claim, e.g. "DPRK"
	Statement   string      `json:"statement"`
	Place       string      `json:"place,omitempty"`
	Coordinates Coordinates `json:"coordinates"`
	ClaimedOn   Date        `json:"claimed_on,omitempty"`
	// Assessment is the analyst's note on the claim; it does not make the claim a fact.
	Assessment string `json:"assessment,omitempty"`
	Subject
	Meta
}

// Validate checks the record.
func (c *Claim) Validate() error {
	if err := required("claim.party", c.Party); err != nil {
		return err
	}
	if err := required("claim.statement", c.Statement); err != nil {
		return err
	}
	if err := c.ClaimedOn.Validate("claim.claimed_on"); err != nil {
		return err
	}
	if err := c.Coordinates.Validate("claim.coordinates"); err != nil {
		return err
	}
	return c.Subject.Validate("claim")
}
