package demo

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/homeward/homeward"
)

// mem is a minimal in-memory stand-in for the store, enough to run Load's logic without a
// database: it applies the domain's own custody rules and hashing. The real store is exercised by
// TestLoadStore. Methods Load does not call are left to the nil embedded interfaces.
type mem struct {
	homeward.RegistryService
	homeward.OperationService
	homeward.ContainerService
	homeward.CustodyService
	homeward.EvidenceService

	key        []byte
	incidents  []homeward.Incident
	persons    []homeward.MissingPerson
	family     []homeward.FamilyMember
	ops        []homeward.Operation
	legs       []homeward.TransportLeg
	ceremonies []homeward.Ceremony
	containers []homeward.Container
	specimens  []homeward.Specimen
	events     map[int64][]homeward.CustodyEvent
	atts       []homeward.Attachment
	claims     []homeward.Claim
	blobs      map[string][]byte
}

func newMem() *mem {
	return &mem{key: []byte("test key"), events: map[int64][]homeward.CustodyEvent{}, blobs: map[string][]byte{}}
}

func (m *mem) services() Services {
	return Services{Registry: m, Operations: m, Containers: m, Custody: m, Evidence: m, Import: m, Blob: m}
}

func page[T any](items []T, p homeward.Page) homeward.List[T] {
	p = p.Normalize()
	end := min(len(items), p.Offset+p.Limit)
	start := min(p.Offset, end)
	return homeward.List[T]{Items: items[start:end], Total: len(items)}
}

func (m *mem) ListIncidents(ctx context.Context, f homeward.IncidentFilter) (homeward.List[homeward.Incident], error) {
	return page(m.incidents, f.Page), homeward.Require(ctx, homeward.PermRead)
}
func (m *mem) ListMissingPersons(ctx context.Context, f homeward.MissingPersonFilter) (homeward.List[homeward.MissingPerson], error) {
	return page(m.persons, f.Page), homeward.Require(ctx, homeward.PermRead)
}
func (m *mem) ImportIncidents(ctx context.Context, rows []homeward.Incident, lines []int) (homeward.ImportReport, error) {
	r := homeward.ImportReport{Kind: "incidents", Read: len(rows)}
	for i := range rows {
		if err := rows[i].Validate(); err != nil {
			r.Rejected = append(r.Rejected, homeward.RowProblem{Line: lines[i], Record: rows[i].Code, Message: err.Error()})
		}
	}
	if len(r.Rejected) == 0 {
		for _, in := range rows {
			in.ID = int64(len(m.incidents) + 1)
			m.incidents = append(m.incidents, in)
		}
		r.Created = len(rows)
	}
	return r, nil
}
func (m *mem) ImportMissingPersons(ctx context.Context, rows []homeward.MissingPerson, lines []int) (homeward.ImportReport, error) {
	r := homeward.ImportReport{Kind: "missing_persons", Read: len(rows)}
	for i := range rows {
		err := rows[i].Validate()
		if err == nil && (rows[i].IncidentID == nil || *rows[i].IncidentID < 1 || *rows[i].IncidentID > int64(len(m.incidents))) {
			err = homeward.FieldErrorf("incident_id", "no such incident")
		}
		if err != nil {
			r.Rejected = append(r.Rejected, homeward.RowProblem{Line: lines[i], Record: rows[i].ServiceNumber, Message: err.Error()})
		}
	}
	if len(r.Rejected) == 0 {
		for _, p := range rows {
			p.ID = int64(len(m.persons) + 1)
			m.persons = append(m.persons, p)
		}
		r.Created = len(rows)
	}
	return r, nil
}
func (m *mem) ImportFamilyMembers(ctx context.Context, rows []homeward.FamilyMember, lines []int) (homeward.ImportReport, error) {
	r := homeward.ImportReport{Kind: "family_members", Read: len(rows)}
	for i := range rows {
		err := rows[i].Validate()
		if err == nil && rows[i].MissingPersonID > int64(len(m.persons)) {
			err = homeward.FieldErrorf("missing_person_id", "no such person")
		}
		if err != nil {
			r.Rejected = append(r.Rejected, homeward.RowProblem{Line: lines[i], Message: err.Error()})
		}
	}
	if len(r.Rejected) == 0 {
		m.family = append(m.family, rows...)
		r.Created = len(rows)
	}
	return r, nil
}
func (m *mem) CreateOperation(ctx context.Context, o *homeward.Operation) error {
	o.ID = int64(len(m.ops) + 1)
	m.ops = append(m.ops, *o)
	return o.Validate()
}
func (m *mem) GetOperationByCode(ctx context.Context, code string) (*homeward.Operation, error) {
	for _, o := range m.ops {
		if o.Code == code {
			return &o, nil
		}
	}
	return nil, homeward.Errorf(homeward.ENOTFOUND, "no operation %s", code)
}
func (m *mem) AddTransportLeg(ctx context.Context, t *homeward.TransportLeg) error {
	m.legs = append(m.legs, *t)
	return t.Validate()
}
func (m *mem) AddCeremony(ctx context.Context, c *homeward.Ceremony) error {
	m.ceremonies = append(m.ceremonies, *c)
	return c.Validate()
}
func (m *mem) CreateContainer(ctx context.Context, c *homeward.Container) error {
	c.ID = int64(len(m.containers) + 1)
	m.containers = append(m.containers, *c)
	return c.Validate()
}
func (m *mem) CreateSpecimen(ctx context.Context, s *homeward.Specimen) error {
	m.specimens = append(m.specimens, *s)
	return s.Validate()
}
func (m *mem) AppendCustodyEvent(ctx context.Context, id int64, e *homeward.CustodyEvent) error {
	u, err := homeward.RequireUser(ctx)
	if err != nil {
		return err
	}
	evs := m.events[id]
	st := homeward.DeriveCustodyState(evs)
	acc := m.containers[id-1].Accession
	if err := st.ValidateAppend(acc, e); err != nil {
		return err
	}
	e.ContainerID, e.Seq, e.PrevHash, e.RecordedBy = id, int64(len(evs)+1), st.HeadHash, u.Username
	e.RecordedAt = time.Date(2026, 1, 1, 0, 0, len(evs), 0, time.UTC)
	e.Seal(acc, m.key)
	m.events[id] = append(evs, *e)
	return nil
}
func (m *mem) CreateAttachment(ctx context.Context, a *homeward.Attachment) error {
	m.atts = append(m.atts, *a)
	return a.Validate()
}
func (m *mem) CreateClaim(ctx context.Context, c *homeward.Claim) error {
	m.claims = append(m.claims, *c)
	return c.Validate()
}
func (m *mem) Put(ctx context.Context, r io.Reader) (string, int64, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return "", 0, err
	}
	sha := sha256hex(b)
	m.blobs[sha] = b
	return sha, int64(len(b)), nil
}
func (m *mem) Get(ctx context.Context, sha string) (io.ReadCloser, error) {
	return io.NopCloser(bytes.NewReader(m.blobs[sha])), nil
}
func (m *mem) Exists(ctx context.Context, sha string) (bool, error) {
	_, ok := m.blobs[sha]
	return ok, nil
}

var admin = &homeward.User{Username: "demo-admin", Roles: []homeward.Role{homeward.RoleAdmin}}

func TestLoadLogic(t *testing.T) {
	m := newMem()
	ctx := homeward.NewContextWithUser(context.Background(), admin)
	var stages []string
	err := Load(ctx, seedWorld, m.services(), func(stage string, done, total int) {
		if len(stages) == 0 || stages[len(stages)-1] != stage {
			stages = append(stages, stage)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(stages, ","); got != "incidents,missing persons,family members,containers" {
		t.Errorf("stages %s", got)
	}
	if len(m.incidents) != NumIncidents || len(m.persons) != NumPersons || len(m.family) != len(seedWorld.Relatives) || len(m.containers) != NumContainers {
		t.Fatalf("loaded %d incidents, %d persons, %d family, %d containers", len(m.incidents), len(m.persons), len(m.family), len(m.containers))
	}
	// Every person points at the incident the world says, every relative at the right person.
	for i, p := range m.persons {
		if m.incidents[*p.IncidentID-1].Code != seedWorld.Incidents[seedWorld.Persons[i].Incident].Code {
			t.Fatalf("person %s linked to the wrong incident", p.ServiceNumber)
		}
	}
	for i, f := range m.family {
		if m.persons[f.MissingPersonID-1].ServiceNumber != seedWorld.Persons[seedWorld.Relatives[i].Person].Record.ServiceNumber {
			t.Fatalf("relative %d linked to the wrong person", i)
		}
	}
	for _, c := range m.containers {
		evs := m.events[c.ID]
		last := evs[len(evs)-1]
		if p := homeward.VerifyChain(c.Accession, m.key, evs, last.Seq, last.Hash); p != nil {
			t.Fatalf("chain of %s: %v", c.Accession, p)
		}
		for _, e := range evs {
			for _, sha := range e.Photos {
				if _, ok := m.blobs[sha]; !ok {
					t.Fatalf("%s event %d names photo %s that is not stored", c.Accession, e.Seq, sha)
				}
			}
		}
	}
	if len(m.atts) != seedWorld.Summary().Photos || len(m.claims) != NumContainers || len(m.legs) != 2 || len(m.ceremonies) != 2 {
		t.Errorf("%d attachments, %d claims, %d legs, %d ceremonies", len(m.atts), len(m.claims), len(m.legs), len(m.ceremonies))
	}
	for _, a := range m.atts {
		if _, ok := m.blobs[a.Thumbnail]; !ok || a.Subject.Type != "container" {
			t.Fatalf("attachment %+v: thumbnail missing or wrong subject", a)
		}
	}
	// A second load is refused and changes nothing.
	err = Load(ctx, seedWorld, m.services(), nil)
	if homeward.ErrorCode(err) != homeward.ECONFLICT || !strings.Contains(err.Error(), "already holds data") {
		t.Fatalf("second load: %v", err)
	}
	if len(m.incidents) != NumIncidents || len(m.containers) != NumContainers {
		t.Fatal("refused load still wrote")
	}
}

func TestLoadNeedsServices(t *testing.T) {
	svc := newMem().services()
	svc.Blob = nil
	ctx := homeward.NewContextWithUser(context.Background(), admin)
	if err := Load(ctx, seedWorld, svc, nil); err == nil || !strings.Contains(err.Error(), "blob store") {
		t.Fatalf("load without a blob store: %v", err)
	}
}

func TestLoadNeedsUser(t *testing.T) {
	if err := Load(context.Background(), seedWorld, newMem().services(), nil); homeward.ErrorCode(err) != homeward.EUNAUTHORIZED {
		t.Fatalf("load without a user: %v", err)
	}
}

func sha256hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}
