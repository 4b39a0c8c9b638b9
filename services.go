package homeward

import (
	"context"
	"io"
	"slices"
	"strings"
)

// Page selects a window of a list. Limit 0 means the adapter's default (50); the maximum is 1000.
type Page struct {
	Limit  int `json:"limit"`
	Offset int `json:"offset"`
	// Cursor starts the page after the row it names: a List's NextCursor, from the same query.
	// Cursors stay right while records are added or removed; offsets shift.
	Cursor string `json:"cursor,omitempty"`
}

// Normalize returns the page with its defaults and bounds applied.
func (p Page) Normalize() Page {
	if p.Limit <= 0 {
		p.Limit = 50
	}
	if p.Limit > 1000 {
		p.Limit = 1000
	}
	if p.Offset < 0 {
		p.Offset = 0
	}
	return p
}

// List is one page of records and the total that match.
type List[T any] struct {
	Items []T `json:"items"`
	Total int `json:"total"`
	// Next is the request for the following page (set by the HTTP layer; absent on the last page).
	Next string `json:"next,omitempty"`
	// NextCursor names the page after this one (the Page.Cursor that fetches it); empty on the
	// last page, or from a list that pages only by offset.
	NextCursor string `json:"-"`
}

// MissingPersonFilter selects missing persons; zero fields do not filter.
type MissingPersonFilter struct {
	Query string // matches name or service number (case-insensitive substring)
	// Close finds the names close to Query instead (a letter or two wrong), best first; the
	// other fields and Sort do not apply.
	Close       bool
	Status      Status
	Nationality string
	IncidentID  int64
	Unit        string // substring
	Place       string // substring of the loss incident's place
	// LostFrom and LostTo bound the date of loss (YYYY, YYYY-MM or YYYY-MM-DD, inclusive).
	LostFrom, LostTo string
	// Sort orders the list: one of PersonSorts, "-" first for the reverse order (default: name).
	Sort string
	Page
}

// PersonSorts are the orders a list of missing persons can be sorted in.
var PersonSorts = []string{"name", "service_number", "date_of_loss", "status"}

// ValidatePersonSort checks a list order ("name", "-date_of_loss").
func ValidatePersonSort(sort string) error { return ValidateSort(sort, PersonSorts) }

// ContainerSorts and IncidentSorts are the orders those lists can be sorted in (the first is the
// default).
var (
	ContainerSorts = []string{"accession", "registered", "kind", "events"}
	IncidentSorts  = []string{"code", "date", "place", "kind"}
	// IdentificationSorts: number is the order they were proposed in; the default is the newest
	// first (-number).
	IdentificationSorts = []string{"number", "status"}
	FamilySorts         = []string{"registered", "name"}
)

// ValidateSort checks a list order: one of sorts, "-" first for the reverse; "" is the default.
func ValidateSort(sort string, sorts []string) error {
	if sort == "" || slices.Contains(sorts, strings.TrimPrefix(sort, "-")) {
		return nil
	}
	return FieldErrorf("sort", "%q is not one of %v (a - first reverses it)", sort, sorts)
}

// IncidentFilter selects incidents.
type IncidentFilter struct {
	Query string // code or place
	Kind  IncidentKind
	// From and To bound the incident's date (YYYY, YYYY-MM or YYYY-MM-DD, inclusive).
	From, To string
	// Sort: one of IncidentSorts, "-" first to reverse (default: code).
	Sort string
	Page
}

// IdentificationFilter selects identifications.
type IdentificationFilter struct {
	Status IdentStatus // "" for every status
	// Sort: one of IdentificationSorts, "-" first to reverse (default: -number, the newest first).
	Sort string
	Page
}

// ContainerFilter selects containers.
type ContainerFilter struct {
	OperationID int64
	Query       string // accession substring
	// Sort: one of ContainerSorts, "-" first to reverse (default: accession).
	Sort string
	Page
}

// Every method that changes a record reads the acting user from ctx (RequireUser), checks the
// permission, validates, and writes the change and its audit entry in one transaction. Reads check
// PermRead. Create methods set the record's ID and Meta.

// RegistryService keeps missing persons, incidents and family members.
type RegistryService interface {
	// Snapshot runs fn with a reader of whole registers from one consistent read of the store.
	Snapshot(ctx context.Context, fn func(RegistrySnapshot) error) error
	CreateMissingPerson(ctx context.Context, m *MissingPerson) error
	GetMissingPerson(ctx context.Context, id int64) (*MissingPerson, error)
	// UpdateMissingPerson replaces the record; m.Version must equal the stored version.
	UpdateMissingPerson(ctx context.Context, m *MissingPerson) error
	ListMissingPersons(ctx context.Context, f MissingPersonFilter) (List[MissingPerson], error)

	CreateIncident(ctx context.Context, i *Incident) error
	GetIncident(ctx context.Context, id int64) (*Incident, error)
	UpdateIncident(ctx context.Context, i *Incident) error
	ListIncidents(ctx context.Context, f IncidentFilter) (List[Incident], error)

	CreateFamilyMember(ctx context.Context, f *FamilyMember) error
	GetFamilyMember(ctx context.Context, id int64) (*FamilyMember, error)
	UpdateFamilyMember(ctx context.Context, f *FamilyMember) error
	ListFamilyMembers(ctx context.Context, missingPersonID int64, p Page) (List[FamilyMember], error)
	// FindFamilyMembers lists the relatives (of any missing person) whose name matches the query,
	// in Hangul or any romanization, either order, or whose name is close to it.
	FindFamilyMembers(ctx context.Context, f FamilyMemberSearch) (List[FamilyMember], error)
}

// FamilyMemberSearch finds relatives by name.
type FamilyMemberSearch struct {
	Query string
	// Close asks for the names close to Query (a letter or two wrong), best first, as
	// MissingPersonFilter.Close does.
	Close bool
	Page
}

// OperationService keeps operations, their transport legs and ceremonies.
type OperationService interface {
	CreateOperation(ctx context.Context, o *Operation) error
	GetOperation(ctx context.Context, id int64) (*Operation, error)
	GetOperationByCode(ctx context.Context, code string) (*Operation, error)
	UpdateOperation(ctx context.Context, o *Operation) error
	ListOperations(ctx context.Context, p Page) (List[Operation], error)
	AddTransportLeg(ctx context.Context, t *TransportLeg) error
	ListTransportLegs(ctx context.Context, operationID int64) ([]TransportLeg, error)
	AddCeremony(ctx context.Context, c *Ceremony) error
	ListCeremonies(ctx context.Context, operationID int64) ([]Ceremony, error)
}

// ContainerService keeps containers and specimens.
type ContainerService interface {
	// CreateContainer registers a container. An empty Accession is filled from the configured
	// accession scheme.
	CreateContainer(ctx context.Context, c *Container) error
	GetContainer(ctx context.Context, id int64) (*Container, error)
	GetContainerByAccession(ctx context.Context, accession string) (*Container, error)
	ListContainers(ctx context.Context, f ContainerFilter) (List[Container], error)

	CreateSpecimen(ctx context.Context, s *Specimen) error
	GetSpecimen(ctx context.Context, id int64) (*Specimen, error)
	UpdateSpecimen(ctx context.Context, s *Specimen) error
	ListSpecimens(ctx context.Context, containerID int64, p Page) (List[Specimen], error)
}

// CustodyService keeps the append-only chains of custody.
type CustodyService interface {
	// AppendCustodyEvent validates e against the chain (custody rules), sets Seq, RecordedAt,
	// RecordedBy, PrevHash, Hash and MAC, and appends it. Concurrent appends to one container are
	// serialised: the chain never forks.
	AppendCustodyEvent(ctx context.Context, containerID int64, e *CustodyEvent) error
	// AppendCustodyEventWith is AppendCustodyEvent with conditions: an idempotency key (a retry
	// with the same key by the same user returns the first append's event, replayed true) and the
	// head the caller last saw (EPRECONDITION when the chain has moved on).
	AppendCustodyEventWith(ctx context.Context, containerID int64, e *CustodyEvent, o AppendOptions) (replayed bool, err error)
	ListCustodyEvents(ctx context.Context, containerID int64) ([]CustodyEvent, error)
	// VerifyCustody checks one container's chain; nil problem means intact.
	VerifyCustody(ctx context.Context, containerID int64) (*ChainProblem, error)
	// VerifyAllCustody checks every chain and the custody log and returns the problems found.
	VerifyAllCustody(ctx context.Context, progress func(done, total int)) ([]ChainProblem, error)
	// VerifyCustodyLog checks every chain and the custody log against its newest signed checkpoint
	// and against each earlier checkpoint given (signed notes, e.g. exported and held elsewhere).
	VerifyCustodyLog(ctx context.Context, earlier [][]byte) (*CustodyLogReport, error)
	// NewestCheckpoint returns the custody log's newest signed checkpoint (signed-note text).
	NewestCheckpoint(ctx context.Context) ([]byte, error)
	// CustodyVerifierKeys returns the public keys that verify the log's checkpoints, current first.
	CustodyVerifierKeys() []string
}

// AppendOptions make a custody append conditional.
type AppendOptions struct {
	// IdempotencyKey names the request: at most 200 printable characters, unique per user.
	IdempotencyKey string
	// ExpectHead is the chain head (hash of the newest event, "" for an empty chain) the caller saw;
	// nil appends whatever the head.
	ExpectHead *string
}

// Validate checks the key's form.
func (o AppendOptions) Validate() error {
	if len(o.IdempotencyKey) > 200 {
		return FieldErrorf("idempotency_key", "at most 200 characters, not %d", len(o.IdempotencyKey))
	}
	for _, r := range o.IdempotencyKey {
		if r < 0x21 || r > 0x7e {
			return FieldErrorf("idempotency_key", "printable ASCII without spaces only")
		}
	}
	return nil
}

// RegistrySnapshot reads whole registers from one consistent snapshot of the store, a record at
// a time (exports stream it: no duplicates or gaps under concurrent writes, memory flat).
type RegistrySnapshot interface {
	EachIncident(fn func(*Incident) error) error
	EachMissingPerson(fn func(*MissingPerson) error) error
	// EachFamilyMember gives family members with contact details as the reader may see them.
	EachFamilyMember(fn func(*FamilyMember) error) error
	// ServiceNumbers calls fn with every missing person's id and service number.
	ServiceNumbers(fn func(id int64, serviceNumber string) error) error
}

// EvidenceService keeps attachments (metadata; content in BlobStore) and claims.
type EvidenceService interface {
	CreateAttachment(ctx context.Context, a *Attachment) error
	GetAttachment(ctx context.Context, id int64) (*Attachment, error)
	ListAttachments(ctx context.Context, s Subject) ([]Attachment, error)

	// BlobRefs lists every blob the records refer to (custody events' photos, attachments), for
	// verification to re-hash.
	BlobRefs(ctx context.Context) ([]BlobRef, error)

	CreateClaim(ctx context.Context, c *Claim) error
	UpdateClaim(ctx context.Context, c *Claim) error
	ListClaims(ctx context.Context, s Subject) ([]Claim, error)
}

// UserService keeps users, sessions, API tokens and the audit log.
type UserService interface {
	// CreateUser stores u with the given password hash (callers hash with the auth package).
	CreateUser(ctx context.Context, u *User) error
	GetUser(ctx context.Context, id int64) (*User, error)
	GetUserByUsername(ctx context.Context, username string) (*User, error)
	UpdateUser(ctx context.Context, u *User) error
	ListUsers(ctx context.Context) ([]User, error)
	CountUsers(ctx context.Context) (int, error)

	CreateSession(ctx context.Context, s *Session) error
	// UserBySession returns the user of an unexpired session.
	UserBySession(ctx context.Context, tokenHash string) (*User, error)
	DeleteSession(ctx context.Context, tokenHash string) error

	CreateAPIToken(ctx context.Context, t *APIToken) error
	UserByAPIToken(ctx context.Context, tokenHash string) (*User, *APIToken, error)
	ListAPITokens(ctx context.Context, userID int64) ([]APIToken, error)
	RevokeAPIToken(ctx context.Context, id int64) error

	ListAudit(ctx context.Context, f AuditFilter) (List[AuditEntry], error)
}

// ImportReport says what an all-or-nothing import did. When Rejected is non-empty nothing was stored.
type ImportReport struct {
	Kind     string       `json:"kind"` // missing_persons, incidents, family_members
	Read     int          `json:"rows_read"`
	Created  int          `json:"rows_created"`
	Rejected []RowProblem `json:"rejected"`
}

// RowProblem names one bad row of an import.
type RowProblem struct {
	Line    int    `json:"line"`
	Record  string `json:"record"` // a key identifying the row (e.g. service number), when known
	Field   string `json:"field"`
	Message string `json:"message"`
}

// ImportService stores whole batches in one transaction: all rows or none.
type ImportService interface {
	ImportMissingPersons(ctx context.Context, rows []MissingPerson, lines []int) (ImportReport, error)
	ImportIncidents(ctx context.Context, rows []Incident, lines []int) (ImportReport, error)
	ImportFamilyMembers(ctx context.Context, rows []FamilyMember, lines []int) (ImportReport, error)
}

// BlobRef is a blob some record refers to, with what refers to it ("container K55-2018-001
// custody event 3", "attachment 12 (container 5)").
type BlobRef struct {
	SHA256 string
	Where  string
}

// BlobStore keeps evidence content addressed by SHA-256. Put never overwrites existing content.
type BlobStore interface {
	// Put stores the content read from r and returns its SHA-256 (hex) and size.
	Put(ctx context.Context, r io.Reader) (sha string, size int64, err error)
	Get(ctx context.Context, sha string) (io.ReadCloser, error)
	Exists(ctx context.Context, sha string) (bool, error)
}
