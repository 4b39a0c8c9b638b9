package store_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/store"
	"github.com/homeward/homeward/store/storetest"
)

// eachDialect runs the test body against every dialect: the one shared suite.
func eachDialect(t *testing.T, body func(t *testing.T, db *store.DB)) {
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) { body(t, storetest.Open(t, d)) })
	}
}

func f64(v float64) *float64 { return &v }

func TestRegistryRoundTrip(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		ctx := storetest.Admin(t, db)
		inc := &homeward.Incident{Code: "KW-1950-11-0001", Kind: homeward.IncidentGroundAction, Date: "1950-11-28", Place: "Chosin Reservoir",
			Coordinates: homeward.Coordinates{Lat: f64(40.5), Lon: f64(127.2), PrecisionM: f64(5000)}}
		if err := db.CreateIncident(ctx, inc); err != nil {
			t.Fatal(err)
		}
		m := &homeward.MissingPerson{FamilyName: "Doe", GivenNames: "John A", ServiceNumber: "RA12345678", Nationality: "USA",
			IncidentID: &inc.ID, DateOfLoss: "1950-11-28", Sex: homeward.SexMale, StatureCM: f64(175.3), DentalChart: "18 missing"}
		if err := db.CreateMissingPerson(ctx, m); err != nil {
			t.Fatal(err)
		}
		got, err := db.GetMissingPerson(ctx, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.FamilyName != "Doe" || *got.StatureCM != 175.3 || *got.IncidentID != inc.ID || got.Version != 1 || got.Status != homeward.StatusUnaccounted {
			t.Errorf("round trip: %+v", got)
		}
		// Update with the right version, then a stale one.
		got.Status = homeward.StatusAccountedFor
		if err := db.UpdateMissingPerson(ctx, got); err != nil {
			t.Fatal(err)
		}
		if got.Version != 2 {
			t.Errorf("version after update = %d", got.Version)
		}
		stale := *got
		stale.Version = 1
		if err := db.UpdateMissingPerson(ctx, &stale); homeward.ErrorCode(err) != homeward.ECONFLICT {
			t.Errorf("stale update: %v", err)
		}
		// Unique service number per nationality.
		dup := &homeward.MissingPerson{FamilyName: "Roe", ServiceNumber: "RA12345678", Nationality: "USA"}
		if err := db.CreateMissingPerson(ctx, dup); homeward.ErrorCode(err) != homeward.ECONFLICT || !strings.Contains(err.Error(), "service_number") {
			t.Errorf("duplicate service number: %v", err)
		}
		// Invalid input names the field and stores nothing.
		bad := &homeward.MissingPerson{FamilyName: "X", Status: "lost"}
		if err := db.CreateMissingPerson(ctx, bad); homeward.ErrorCode(err) != homeward.EINVALID || !strings.Contains(err.Error(), "missing_person.status") {
			t.Errorf("invalid status: %v", err)
		}
		l, err := db.ListMissingPersons(ctx, homeward.MissingPersonFilter{Query: "doe"})
		if err != nil || l.Total != 1 || len(l.Items) != 1 {
			t.Errorf("list: %+v %v", l, err)
		}
		l, _ = db.ListMissingPersons(ctx, homeward.MissingPersonFilter{Status: homeward.StatusUnaccounted})
		if l.Total != 0 {
			t.Errorf("status filter: %d", l.Total)
		}
		fm := &homeward.FamilyMember{MissingPersonID: m.ID, FamilyName: "Doe", GivenNames: "Mary", Relationship: "sister", Consent: homeward.Consent{Given: true, Date: "2019-03-01"}}
		if err := db.CreateFamilyMember(ctx, fm); err != nil {
			t.Fatal(err)
		}
		fl, err := db.ListFamilyMembers(ctx, m.ID, homeward.Page{})
		if err != nil || fl.Total != 1 || !fl.Items[0].Consent.Given {
			t.Errorf("family: %+v %v", fl, err)
		}
		orphan := &homeward.FamilyMember{MissingPersonID: 99999, FamilyName: "Z", Relationship: "son"}
		if err := db.CreateFamilyMember(ctx, orphan); homeward.ErrorCode(err) != homeward.EINVALID {
			t.Errorf("family member of unknown person: %v", err)
		}
		if _, err := db.GetMissingPerson(ctx, 424242); homeward.ErrorCode(err) != homeward.ENOTFOUND {
			t.Errorf("not found: %v", err)
		}
		// The audit log holds who changed what, with before and after.
		a, err := db.ListAudit(ctx, homeward.AuditFilter{Entity: "missing_person", EntityID: m.ID})
		if err != nil {
			t.Fatal(err)
		}
		if a.Total != 2 || a.Items[0].Action != "update" || a.Items[0].Username != "admin" ||
			!strings.Contains(string(a.Items[0].Before), `"unaccounted"`) || !strings.Contains(string(a.Items[0].After), `"accounted-for"`) {
			t.Errorf("audit: %+v", a.Items)
		}
	})
}

func TestPermissions(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		viewer := storetest.User(t, db, "viewer1", homeward.RoleViewer)
		if err := db.CreateMissingPerson(viewer, &homeward.MissingPerson{FamilyName: "A"}); homeward.ErrorCode(err) != homeward.EFORBIDDEN {
			t.Errorf("viewer create: %v", err)
		}
		if err := db.CreateMissingPerson(context.Background(), &homeward.MissingPerson{FamilyName: "A"}); homeward.ErrorCode(err) != homeward.EUNAUTHORIZED {
			t.Errorf("anonymous create: %v", err)
		}
		if _, err := db.ListAudit(viewer, homeward.AuditFilter{}); homeward.ErrorCode(err) != homeward.EFORBIDDEN {
			t.Errorf("viewer audit: %v", err)
		}
		if _, err := db.ListMissingPersons(viewer, homeward.MissingPersonFilter{}); err != nil {
			t.Errorf("viewer read: %v", err)
		}
	})
}

// newContainer registers an operation and a container with a generated accession number.
func newContainer(t *testing.T, db *store.DB, ctx context.Context) *homeward.Container {
	t.Helper()
	op, err := db.GetOperationByCode(ctx, "K55-2018")
	if homeward.ErrorCode(err) == homeward.ENOTFOUND {
		op = &homeward.Operation{Code: "K55-2018", Kind: homeward.OperationTurnover, Name: "2018 turnover", StartDate: "2018-07-27"}
		err = db.CreateOperation(ctx, op)
	}
	if err != nil {
		t.Fatal(err)
	}
	c := &homeward.Container{Kind: homeward.ContainerCase, OperationID: &op.ID}
	if err := db.CreateContainer(ctx, c); err != nil {
		t.Fatal(err)
	}
	return c
}

var t0 = time.Date(2018, 7, 27, 1, 2, 3, 456789000, time.UTC)

func receipt(db *store.DB, ctx context.Context, t *testing.T, c *homeward.Container) {
	t.Helper()
	if err := db.AppendCustodyEvent(ctx, c.ID, &homeward.CustodyEvent{Kind: homeward.CustodyReceipt, OccurredAt: t0, To: "UNC", Location: "Wonsan"}); err != nil {
		t.Fatal(err)
	}
}

func TestContainersAndCustody(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		ctx := storetest.Admin(t, db)
		c1 := newContainer(t, db, ctx)
		c2 := newContainer(t, db, ctx)
		if c1.Accession != "K55-2018-001" || c2.Accession != "K55-2018-002" {
			t.Errorf("accessions %s %s", c1.Accession, c2.Accession)
		}
		receipt(db, ctx, t, c1)
		yes := true
		steps := []homeward.CustodyEvent{
			{Kind: homeward.CustodySealing, OccurredAt: t0.Add(time.Minute), SealNumber: "S1"},
			{Kind: homeward.CustodySealCheck, OccurredAt: t0.Add(2 * time.Minute), SealNumber: "S1", SealIntact: &yes},
			{Kind: homeward.CustodyTransfer, OccurredAt: t0.Add(3 * time.Minute), From: "UNC", To: "DPAA Lab", FromAck: "Sgt A", ToAck: "Dr B", Location: "Osan"},
		}
		for i := range steps {
			if err := db.AppendCustodyEvent(ctx, c1.ID, &steps[i]); err != nil {
				t.Fatal(err)
			}
		}
		bad := &homeward.CustodyEvent{Kind: homeward.CustodyTransfer, OccurredAt: t0.Add(time.Hour), From: "UNC", To: "Someone", FromAck: "a", ToAck: "b"}
		if err := db.AppendCustodyEvent(ctx, c1.ID, bad); homeward.ErrorCode(err) != homeward.ECONFLICT || !strings.Contains(err.Error(), "DPAA Lab") {
			t.Errorf("transfer by non-custodian: %v", err)
		}
		got, err := db.GetContainerByAccession(ctx, "K55-2018-001")
		if err != nil {
			t.Fatal(err)
		}
		if got.Custody.Custodian != "DPAA Lab" || got.Custody.Location != "Osan" || got.Custody.Events != 4 || len(got.Custody.Seals) != 1 {
			t.Errorf("custody state %+v", got.Custody)
		}
		events, _ := db.ListCustodyEvents(ctx, c1.ID)
		if len(events) != 4 || !events[0].OccurredAt.Equal(t0.Truncate(time.Microsecond)) || *events[2].SealIntact != true || events[3].RecordedBy != "admin" {
			t.Errorf("events %+v", events)
		}
		if p, err := db.VerifyCustody(ctx, c1.ID); err != nil || p != nil {
			t.Errorf("verify intact: %v %v", p, err)
		}
		custodian := storetest.User(t, db, "cust", homeward.RoleCustodian)
		if err := db.CreateSpecimen(custodian, &homeward.Specimen{ContainerID: c1.ID, Code: "K55-2018-001-S001", Element: "femur"}); homeward.ErrorCode(err) != homeward.EFORBIDDEN {
			t.Errorf("custodian creating a specimen: %v", err)
		}
		sp := &homeward.Specimen{ContainerID: c1.ID, Code: "K55-2018-001-S001", Element: "femur", Side: homeward.SideLeft, WeightG: f64(312.5)}
		if err := db.CreateSpecimen(ctx, sp); err != nil {
			t.Fatal(err)
		}
		sl, _ := db.ListSpecimens(ctx, c1.ID, homeward.Page{})
		if sl.Total != 1 || sl.Items[0].Side != homeward.SideLeft {
			t.Errorf("specimens %+v", sl)
		}
		cl := &homeward.Claim{Party: "DPRK", Statement: "found near Sinhung-ri", Subject: homeward.Subject{Type: "container", ID: c1.ID}}
		if err := db.CreateClaim(ctx, cl); err != nil {
			t.Fatal(err)
		}
		cls, _ := db.ListClaims(ctx, homeward.Subject{Type: "container", ID: c1.ID})
		if len(cls) != 1 || cls[0].Statement != "found near Sinhung-ri" {
			t.Errorf("claims %+v", cls)
		}
	})
}

// Fifty clients append to one container at once: the chain never forks.
func TestConcurrentAppendsDoNotFork(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		ctx := storetest.Admin(t, db)
		c := newContainer(t, db, ctx)
		receipt(db, ctx, t, c)
		const n = 50
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				e := &homeward.CustodyEvent{Kind: homeward.CustodyStorage, OccurredAt: t0.Add(time.Hour), Location: fmt.Sprintf("shelf %d", i)}
				errs <- db.AppendCustodyEvent(ctx, c.ID, e)
			}(i)
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Error(err)
			}
		}
		events, _ := db.ListCustodyEvents(ctx, c.ID)
		if len(events) != n+1 {
			t.Fatalf("%d events, want %d", len(events), n+1)
		}
		for i, e := range events {
			if e.Seq != int64(i+1) {
				t.Fatalf("event %d has seq %d", i, e.Seq)
			}
		}
		if p, err := db.VerifyCustody(ctx, c.ID); err != nil || p != nil {
			t.Errorf("verify after concurrent appends: %v %v", p, err)
		}
	})
}

// Rows changed behind the store's back are detected, naming the container and first bad event.
func TestTamperingDetected(t *testing.T) {
	tampers := []struct {
		name    string
		sql     string
		wantSeq int64
		reason  string
	}{
		{"edit location", "UPDATE custody_events SET location = 'Pyongyang' WHERE seq = 3 AND container_id = $1", 3, "edited"},
		{"delete middle", "DELETE FROM custody_events WHERE seq = 2 AND container_id = $1", 3, "sequence"},
		{"delete last", "DELETE FROM custody_events WHERE seq = 4 AND container_id = $1", 4, "recorded head"},
		// Two steps, to pass the unique index one row at a time.
		{"swap seqs", "UPDATE custody_events SET seq = -seq WHERE seq IN (2,3) AND container_id = $1; UPDATE custody_events SET seq = CASE seq WHEN -2 THEN 3 ELSE 2 END WHERE seq IN (-2,-3) AND container_id = $1", 2, ""},
		{"insert forged", `INSERT INTO custody_events (container_id, seq, kind, occurred_at, recorded_at, recorded_by, prev_hash, hash, mac)
			SELECT container_id, 5, kind, occurred_at, recorded_at, recorded_by, hash, hash, mac FROM custody_events WHERE seq = 4 AND container_id = $1`, 5, ""},
		{"forged hash", "UPDATE custody_events SET notes = 'x', hash = 'abc' WHERE seq = 1 AND container_id = $1", 1, ""},
	}
	eachDialect(t, func(t *testing.T, db *store.DB) {
		ctx := storetest.Admin(t, db)
		for _, tt := range tampers {
			t.Run(tt.name, func(t *testing.T) {
				c := newContainer(t, db, ctx)
				receipt(db, ctx, t, c)
				for i := 1; i <= 3; i++ {
					if err := db.AppendCustodyEvent(ctx, c.ID, &homeward.CustodyEvent{Kind: homeward.CustodyStorage, OccurredAt: t0.Add(time.Duration(i) * time.Hour), Location: fmt.Sprint("vault ", i)}); err != nil {
						t.Fatal(err)
					}
				}
				for _, q := range strings.Split(tt.sql, "; ") {
					if _, err := db.SQL().Exec(q, c.ID); err != nil {
						t.Fatalf("tamper: %v", err)
					}
				}
				p, err := db.VerifyCustody(ctx, c.ID)
				if err != nil {
					t.Fatal(err)
				}
				if p == nil {
					t.Fatal("tampering not detected")
				}
				if p.Container != c.Accession || p.Seq != tt.wantSeq || !strings.Contains(p.Reason, tt.reason) {
					t.Errorf("problem %+v, want seq %d reason ~%q", p, tt.wantSeq, tt.reason)
				}
				all, err := db.VerifyAllCustody(ctx, nil)
				if err != nil || len(all) == 0 || all[len(all)-1].Container != c.Accession {
					t.Errorf("verify all: %+v %v", all, err)
				}
				// A broken chain accepts no further events.
				err = db.AppendCustodyEvent(ctx, c.ID, &homeward.CustodyEvent{Kind: homeward.CustodyStorage, OccurredAt: t0.Add(10 * time.Hour), Location: "x"})
				if homeward.ErrorCode(err) != homeward.ECONFLICT || !strings.Contains(err.Error(), "broken chain") {
					t.Errorf("append to broken chain: %v", err)
				}
			})
		}
	})
}

func TestImportAllOrNothing(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		ctx := storetest.Admin(t, db)
		rows := []homeward.MissingPerson{
			{FamilyName: "A", ServiceNumber: "1", Nationality: "USA"},
			{FamilyName: "", ServiceNumber: "2", Nationality: "USA"},
			{FamilyName: "C", ServiceNumber: "3", Nationality: "USA", Status: "gone"},
		}
		rep, err := db.ImportMissingPersons(ctx, rows, []int{2, 3, 4})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Read != 3 || rep.Created != 0 || len(rep.Rejected) != 2 || rep.Rejected[0].Line != 3 || rep.Rejected[0].Field != "missing_person.family_name" || rep.Rejected[1].Record != "3" {
			t.Errorf("report %+v", rep)
		}
		// A duplicate discovered only by the database also rolls back the whole batch.
		rows = []homeward.MissingPerson{{FamilyName: "A", ServiceNumber: "1", Nationality: "USA"}, {FamilyName: "B", ServiceNumber: "1", Nationality: "USA"}}
		rep, err = db.ImportMissingPersons(ctx, rows, nil)
		if err != nil || rep.Created != 0 || len(rep.Rejected) != 1 || rep.Rejected[0].Line != 3 {
			t.Errorf("duplicate report %+v %v", rep, err)
		}
		l, _ := db.ListMissingPersons(ctx, homeward.MissingPersonFilter{})
		if l.Total != 0 {
			t.Errorf("%d rows stored after failed imports", l.Total)
		}
		rows = []homeward.MissingPerson{{FamilyName: "A", ServiceNumber: "1", Nationality: "USA"}, {FamilyName: "B", ServiceNumber: "2", Nationality: "USA"}}
		rep, err = db.ImportMissingPersons(ctx, rows, nil)
		if err != nil || rep.Created != 2 || rows[1].ID == 0 {
			t.Errorf("good import %+v %v", rep, err)
		}
	})
}

func TestUsersSessionsTokens(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		ctx := storetest.Admin(t, db)
		u := &homeward.User{Username: "analyst1", Roles: []homeward.Role{homeward.RoleAnalyst}, PasswordHash: "h"}
		if err := db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateUser(ctx, &homeward.User{Username: "analyst1", Roles: []homeward.Role{homeward.RoleViewer}}); homeward.ErrorCode(err) != homeward.ECONFLICT {
			t.Errorf("duplicate user: %v", err)
		}
		if err := db.CreateSession(ctx, &homeward.Session{TokenHash: "s1", UserID: u.ID, ExpiresAt: time.Now().Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateSession(ctx, &homeward.Session{TokenHash: "s2", UserID: u.ID, ExpiresAt: time.Now().Add(-time.Hour)}); err != nil {
			t.Fatal(err)
		}
		if got, err := db.UserBySession(ctx, "s1"); err != nil || got.Username != "analyst1" || got.Roles[0] != homeward.RoleAnalyst {
			t.Errorf("session: %v %v", got, err)
		}
		if _, err := db.UserBySession(ctx, "s2"); homeward.ErrorCode(err) != homeward.EUNAUTHORIZED {
			t.Errorf("expired session: %v", err)
		}
		tok := &homeward.APIToken{UserID: u.ID, Name: "script", Prefix: "abcd1234", TokenHash: "t1"}
		if err := db.CreateAPIToken(ctx, tok); err != nil {
			t.Fatal(err)
		}
		got, first, err := db.UserByAPIToken(ctx, "t1")
		if err != nil || got.ID != u.ID || first.LastUsedAt == nil {
			t.Fatalf("token: %v %+v %v", got, first, err)
		}
		// The last use is kept to the minute: a second use at once writes nothing new.
		if _, again, err := db.UserByAPIToken(ctx, "t1"); err != nil || !again.LastUsedAt.Equal(*first.LastUsedAt) {
			t.Errorf("second use within the minute: %+v %v (first %v)", again, err, first.LastUsedAt)
		}
		if err := db.RevokeAPIToken(ctx, tok.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.UserByAPIToken(ctx, "t1"); homeward.ErrorCode(err) != homeward.EUNAUTHORIZED {
			t.Errorf("revoked token: %v", err)
		}
		u.Disabled = true
		if err := db.UpdateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		if _, err := db.UserBySession(ctx, "s1"); homeward.ErrorCode(err) != homeward.EUNAUTHORIZED {
			t.Errorf("session of disabled user: %v", err)
		}
	})
}

// The registry is searched by unit, place and dates; the search columns are filled for records
// stored before they existed (migration 00007's backfill, run again after a rollback).
func TestRegistrySearch(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		ctx := storetest.Admin(t, db)
		inc := []*homeward.Incident{
			{Code: "KW-1", Kind: homeward.IncidentGroundAction, Place: "Chosin Reservoir", Date: "1950-11-28"},
			{Code: "KW-2", Kind: homeward.IncidentAirLoss, Place: "Sinanju", Date: "1951-03-14"},
		}
		for _, i := range inc {
			if err := db.CreateIncident(ctx, i); err != nil {
				t.Fatal(err)
			}
		}
		for _, m := range []*homeward.MissingPerson{
			{FamilyName: "Adams", Unit: "1st Marine Division", DateOfLoss: "1950-11-28", IncidentID: &inc[0].ID},
			{FamilyName: "Baker", Unit: "7th Infantry Division", DateOfLoss: "1950-12-01", IncidentID: &inc[0].ID},
			{FamilyName: "Cole", Unit: "8th Fighter-Bomber Wing", DateOfLoss: "1951-03-14", IncidentID: &inc[1].ID},
			{FamilyName: "Dunn", Unit: "1st Marine Division"},
		} {
			if err := db.CreateMissingPerson(ctx, m); err != nil {
				t.Fatal(err)
			}
		}
		names := func(f homeward.MissingPersonFilter) string {
			l, err := db.ListMissingPersons(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, m := range l.Items {
				out = append(out, m.FamilyName)
			}
			return strings.Join(out, ",")
		}
		check := func(stage string) {
			for _, c := range []struct {
				f    homeward.MissingPersonFilter
				want string
			}{
				{homeward.MissingPersonFilter{Unit: "marine"}, "Adams,Dunn"},
				{homeward.MissingPersonFilter{Place: "chosin"}, "Adams,Baker"},
				{homeward.MissingPersonFilter{LostFrom: "1950-12", LostTo: "1951"}, "Baker,Cole"},
				{homeward.MissingPersonFilter{LostTo: "1950-11"}, "Adams"},
				{homeward.MissingPersonFilter{Unit: "division", LostFrom: "1950-11-29"}, "Baker"},
			} {
				if got := names(c.f); got != c.want {
					t.Errorf("%s: %+v gives %q, want %q", stage, c.f, got, c.want)
				}
			}
			l, err := db.ListIncidents(ctx, homeward.IncidentFilter{From: "1951"})
			if err != nil || len(l.Items) != 1 || l.Items[0].Code != "KW-2" {
				t.Errorf("%s: incidents from 1951: %v %+v", stage, err, l.Items)
			}
		}
		check("stored")
		if _, err := db.ListMissingPersons(ctx, homeward.MissingPersonFilter{LostFrom: "28/11/1950"}); homeward.ErrorCode(err) != homeward.EINVALID || !strings.Contains(err.Error(), "lost_from") {
			t.Errorf("bad date: %v", err)
		}
		if err := db.MigrateDownTo(context.Background(), 6); err != nil {
			t.Fatal(err)
		}
		if err := db.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		check("backfilled")
	})
}
