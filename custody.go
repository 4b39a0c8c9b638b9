package homeward

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// CustodyKind is the kind of a custody event.
type CustodyKind string

const (
	CustodyReceipt   CustodyKind = "receipt"    // first event: the container comes into the system's custody
	CustodyTransfer  CustodyKind = "transfer"   // from one custodian to another, both acknowledging
	CustodyOpening   CustodyKind = "opening"    // container opened (photos), breaks the seals it names
	CustodySealing   CustodyKind = "sealing"    // a numbered seal applied
	CustodySealCheck CustodyKind = "seal-check" // a seal inspected: intact or not
	CustodySampling  CustodyKind = "sampling"   // material taken for analysis
	CustodyTransport CustodyKind = "transport"  // container moved to a location
	CustodyStorage   CustodyKind = "storage"    // container placed in a store
	CustodyCeremony  CustodyKind = "ceremony"   // container present at an honour ceremony
)

// CustodyKinds lists every kind in a stable order.
var CustodyKinds = []CustodyKind{CustodyReceipt, CustodyTransfer, CustodyOpening, CustodySealing, CustodySealCheck, CustodySampling, CustodyTransport, CustodyStorage, CustodyCeremony}

// CustodyEvent is one append-only entry in a container's chain of custody. Hash covers the event's
// canonical content and the previous event's hash; MAC is an HMAC of Hash under the server's custody
// key, so that a chain recomputed by someone editing the database does not verify.
type CustodyEvent struct {
	ID          int64       `json:"id"`
	ContainerID int64       `json:"container_id"`
	Seq         int64       `json:"seq"` // 1, 2, 3, ... within the container
	Kind        CustodyKind `json:"kind"`
	OccurredAt  time.Time   `json:"occurred_at"`
	RecordedAt  time.Time   `json:"recorded_at"`
	RecordedBy  string      `json:"recorded_by"` // username of the user who recorded it
	// From and To are custodians (a person or an organisation) for receipt and transfer.
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
	// FromAck and ToAck name the persons who acknowledged (signed) a transfer on each side.
	FromAck    string   `json:"from_ack,omitempty"`
	ToAck      string   `json:"to_ack,omitempty"`
	Location   string   `json:"location,omitempty"`
	SealNumber string   `json:"seal_number,omitempty"`
	SealIntact *bool    `json:"seal_intact,omitempty"`
	Notes      string   `json:"notes,omitempty"`
	Photos     []string `json:"photos,omitempty"` // SHA-256 of attached photos, in order
	PrevHash   string   `json:"prev_hash"`
	Hash       string   `json:"hash"`
	MAC        string   `json:"mac"`
}

// canonicalCustody is the hashed content of an event: a fixed field order, times in UTC with
// nanoseconds, no database ids. Changing this struct breaks every stored chain: don't.
type canonicalCustody struct {
	V          int      `json:"v"`
	Container  string   `json:"container"`
	Seq        int64    `json:"seq"`
	Kind       string   `json:"kind"`
	OccurredAt string   `json:"occurred_at"`
	RecordedAt string   `json:"recorded_at"`
	RecordedBy string   `json:"recorded_by"`
	From       string   `json:"from"`
	To         string   `json:"to"`
	FromAck    string   `json:"from_ack"`
	ToAck      string   `json:"to_ack"`
	Location   string   `json:"location"`
	SealNumber string   `json:"seal_number"`
	SealIntact *bool    `json:"seal_intact"`
	Notes      string   `json:"notes"`
	Photos     []string `json:"photos"`
	PrevHash   string   `json:"prev_hash"`
}

// CustodyTimeFormat is how event times enter the hash. Stores must keep at least microseconds;
// times are truncated to microseconds before hashing so that both databases round-trip them.
const CustodyTimeFormat = "2006-01-02T15:04:05.000000Z07:00"

// TruncateCustodyTime normalises a time as stored and hashed: UTC, microsecond precision.
func TruncateCustodyTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// CanonicalContent returns the bytes that are hashed for event e of the container with the given
// accession number.
func (e *CustodyEvent) CanonicalContent(accession string) []byte {
	photos := e.Photos
	if photos == nil {
		photos = []string{}
	}
	c := canonicalCustody{
		V: 1, Container: accession, Seq: e.Seq, Kind: string(e.Kind),
		OccurredAt: TruncateCustodyTime(e.OccurredAt).Format(CustodyTimeFormat),
		RecordedAt: TruncateCustodyTime(e.RecordedAt).Format(CustodyTimeFormat),
		RecordedBy: e.RecordedBy, From: e.From, To: e.To, FromAck: e.FromAck, ToAck: e.ToAck,
		Location: e.Location, SealNumber: e.SealNumber, SealIntact: e.SealIntact, Notes: e.Notes,
		Photos: photos, PrevHash: e.PrevHash,
	}
	b, err := json.Marshal(c)
	if err != nil { // cannot happen: only strings, ints and bools
		panic(err)
	}
	return b
}

// ComputeHash returns the hex SHA-256 of the event's canonical content.
func (e *CustodyEvent) ComputeHash(accession string) string {
	sum := sha256.Sum256(e.CanonicalContent(accession))
	return hex.EncodeToString(sum[:])
}

// ComputeMAC returns the hex HMAC-SHA256 of hash under key.
func ComputeMAC(key []byte, hash string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(hash))
	return hex.EncodeToString(m.Sum(nil))
}

// Seal computes PrevHash-dependent Hash and MAC for e, which must already carry Seq and PrevHash.
func (e *CustodyEvent) Seal(accession string, key []byte) {
	e.OccurredAt = TruncateCustodyTime(e.OccurredAt)
	e.RecordedAt = TruncateCustodyTime(e.RecordedAt)
	e.Hash = e.ComputeHash(accession)
	e.MAC = ComputeMAC(key, e.Hash)
}

// SealState is what the chain says about one numbered seal.
type SealState struct {
	Number    string    `json:"number"`
	AppliedAt time.Time `json:"applied_at"`
	// Status: intact, broken (found not intact at a check) or removed (container opened).
	Status        string     `json:"status"`
	LastCheckedAt *time.Time `json:"last_checked_at,omitempty"`
}

// CustodyState is derived from a container's chain.
type CustodyState struct {
	Custodian string      `json:"custodian"`
	Location  string      `json:"location"`
	Events    int64       `json:"events"`
	HeadHash  string      `json:"head_hash"`
	LastEvent *time.Time  `json:"last_event_at,omitempty"`
	Seals     []SealState `json:"seals"`
	Open      bool        `json:"open"` // opened and not resealed since
}

// DeriveCustodyState folds events (in seq order) into the current state.
func DeriveCustodyState(events []CustodyEvent) CustodyState {
	var s CustodyState
	s.Seals = []SealState{}
	for i := range events {
		s.apply(&events[i])
	}
	return s
}

func (s *CustodyState) apply(e *CustodyEvent) {
	s.Events = e.Seq
	s.HeadHash = e.Hash
	t := e.OccurredAt
	s.LastEvent = &t
	if e.Location != "" {
		s.Location = e.Location
	}
	switch e.Kind {
	case CustodyReceipt, CustodyTransfer:
		s.Custodian = e.To
	case CustodyOpening:
		s.Open = true
		for i := range s.Seals {
			if s.Seals[i].Status == "intact" && (e.SealNumber == "" || e.SealNumber == s.Seals[i].Number) {
				s.Seals[i].Status = "removed"
			}
		}
	case CustodySealing:
		s.Open = false
		s.Seals = append(s.Seals, SealState{Number: e.SealNumber, AppliedAt: e.OccurredAt, Status: "intact"})
	case CustodySealCheck:
		for i := range s.Seals {
			if s.Seals[i].Number == e.SealNumber {
				t := e.OccurredAt
				s.Seals[i].LastCheckedAt = &t
				if e.SealIntact != nil && !*e.SealIntact {
					s.Seals[i].Status = "broken"
				}
			}
		}
	}
}

// ValidateAppend checks that e may follow the chain whose current state is s, for the container
// with the given accession number. It checks fields and custody rules, not hashes.
func (s *CustodyState) ValidateAppend(accession string, e *CustodyEvent) error {
	where := fmt.Sprintf("container %s custody event %d", accession, s.Events+1)
	if !slices.Contains(CustodyKinds, e.Kind) {
		return FieldErrorf("custody_event.kind", "%s: %q is not one of %v", where, e.Kind, CustodyKinds)
	}
	if e.OccurredAt.IsZero() {
		return FieldErrorf("custody_event.occurred_at", "%s: is required", where)
	}
	if s.LastEvent != nil && e.OccurredAt.Before(*s.LastEvent) {
		return FieldErrorf("custody_event.occurred_at", "%s: %s is before the previous event (%s); custody events are appended in time order",
			where, e.OccurredAt.UTC().Format(time.RFC3339), s.LastEvent.UTC().Format(time.RFC3339))
	}
	if s.Events == 0 && e.Kind != CustodyReceipt {
		return FieldErrorf("custody_event.kind", "%s: the first event of a chain must be a receipt, not %s", where, e.Kind)
	}
	if s.Events > 0 && e.Kind == CustodyReceipt {
		return Errorf(ECONFLICT, "%s: container is already in custody of %q; use a transfer", where, s.Custodian)
	}
	switch e.Kind {
	case CustodyReceipt:
		if err := required("custody_event.to", e.To); err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
	case CustodyTransfer:
		if err := required("custody_event.from", e.From); err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		if err := required("custody_event.to", e.To); err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		if !strings.EqualFold(strings.TrimSpace(e.From), s.Custodian) {
			return Errorf(ECONFLICT, "%s: transfer from %q refused: the current custodian is %q", where, e.From, s.Custodian)
		}
		if strings.EqualFold(e.From, e.To) {
			return FieldErrorf("custody_event.to", "%s: transfer to the current custodian %q", where, e.To)
		}
		if strings.TrimSpace(e.FromAck) == "" || strings.TrimSpace(e.ToAck) == "" {
			return FieldErrorf("custody_event.from_ack", "%s: a transfer must be acknowledged by both sides (from_ack and to_ack)", where)
		}
		e.From = s.Custodian
	case CustodySealing:
		if err := required("custody_event.seal_number", e.SealNumber); err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		for _, seal := range s.Seals {
			if seal.Number == e.SealNumber {
				return Errorf(ECONFLICT, "%s: seal %q was already used on this container", where, e.SealNumber)
			}
		}
	case CustodySealCheck:
		if err := required("custody_event.seal_number", e.SealNumber); err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		if e.SealIntact == nil {
			return FieldErrorf("custody_event.seal_intact", "%s: a seal check must say whether the seal is intact", where)
		}
		found := false
		for _, seal := range s.Seals {
			found = found || seal.Number == e.SealNumber
		}
		if !found {
			return FieldErrorf("custody_event.seal_number", "%s: seal %q was never applied to this container", where, e.SealNumber)
		}
	case CustodyTransport, CustodyStorage:
		if err := required("custody_event.location", e.Location); err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
	}
	for i, p := range e.Photos {
		if len(p) != 64 {
			return FieldErrorf(fmt.Sprintf("custody_event.photos[%d]", i), "%s: %q is not a SHA-256", where, p)
		}
	}
	return nil
}

// ChainProblem describes a bad event, chain or log entry found by verification.
type ChainProblem struct {
	// Kind names what was found (chain, truncated, container-deleted, unlogged, edited, log,
	// checkpoint, rewritten, unsigned-entries, blob); empty means chain.
	Kind      string `json:"kind,omitempty"`
	Container string `json:"container,omitempty"`
	Seq       int64  `json:"seq,omitempty"` // the first bad event's position (or the expected position)
	EventID   int64  `json:"event_id,omitempty"`
	LogEntry  *int64 `json:"log_entry,omitempty"`
	Reason    string `json:"reason"`
}

func (p *ChainProblem) Error() string {
	kind := ""
	if p.Kind != "" {
		kind = "[" + p.Kind + "] "
	}
	if p.Container == "" {
		return kind + p.Reason
	}
	return fmt.Sprintf("%scontainer %s: custody event %d (id %d): %s", kind, p.Container, p.Seq, p.EventID, p.Reason)
}

// CustodyLogReport is what a verification of every chain and the custody log establishes.
type CustodyLogReport struct {
	Containers int   `json:"containers"`
	Events     int   `json:"events"`
	LogSize    int64 `json:"log_size"`
	// Root is the hex root hash over every log entry as recomputed from the events.
	Root string `json:"root"`
	// CheckpointSize is how many entries the newest signed checkpoint vouches for, SignedBy the
	// key hash of its signer.
	CheckpointSize int64          `json:"checkpoint_size"`
	SignedBy       string         `json:"signed_by,omitempty"`
	Blobs          int            `json:"blobs_checked"`
	Problems       []ChainProblem `json:"problems"`
}

// OK reports whether verification found nothing.
func (r *CustodyLogReport) OK() bool { return len(r.Problems) == 0 }

// VerifyChain checks a container's events as read from storage (ordered by seq, then id) against
// their hashes, MACs and the head recorded on the container (headSeq, headHash). It returns nil when
// the chain is intact, else the first bad event. Edits, deletions, insertions and reorderings all
// break at least one link.
func VerifyChain(accession string, key []byte, events []CustodyEvent, headSeq int64, headHash string) *ChainProblem {
	prev := ""
	for i := range events {
		e := &events[i]
		want := int64(i + 1)
		bad := func(reason string, args ...any) *ChainProblem {
			return &ChainProblem{Container: accession, Seq: e.Seq, EventID: e.ID, Reason: fmt.Sprintf(reason, args...)}
		}
		if e.Seq != want {
			return bad("sequence number is %d where %d was expected (an event was deleted, inserted or reordered)", e.Seq, want)
		}
		if e.PrevHash != prev {
			return bad("previous-hash link does not match event %d (an event was deleted, inserted or reordered)", want-1)
		}
		if h := e.ComputeHash(accession); h != e.Hash {
			return bad("content does not match its hash (the event was edited)")
		}
		if !hmac.Equal([]byte(ComputeMAC(key, e.Hash)), []byte(e.MAC)) {
			return bad("signature does not match (the event was forged or the chain recomputed outside Homeward)")
		}
		prev = e.Hash
	}
	n := int64(len(events))
	if n != headSeq || prev != headHash {
		return &ChainProblem{Container: accession, Seq: n + 1, Reason: fmt.Sprintf(
			"chain ends at event %d but the container's recorded head is event %d (events were deleted or appended outside Homeward)", n, headSeq)}
	}
	return nil
}
