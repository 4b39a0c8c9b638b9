package demo

import (
	"context"
	"testing"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/blob"
	"github.com/homeward/homeward/store"
	"github.com/homeward/homeward/store/storetest"
)

func storeServices(t testing.TB, db *store.DB) Services {
	t.Helper()
	bs, err := blob.OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return Services{Registry: db, Operations: db, Containers: db, Custody: db, Evidence: db, Import: db, Blob: bs}
}

// TestLoadStore loads the demo world into each store dialect and checks the counts, the links and
// that every container's chain verifies.
func TestLoadStore(t *testing.T) {
	if testing.Short() {
		t.Skip("loads 7,500 persons; skipped with -short")
	}
	for _, dialect := range storetest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			db := storetest.Open(t, dialect)
			ctx := storetest.Admin(t, db)
			svc := storeServices(t, db)
			if err := Load(ctx, seedWorld, svc, nil); err != nil {
				t.Fatal(err)
			}
			checkLoaded(t, ctx, db, svc)
			if err := Load(ctx, seedWorld, svc, nil); homeward.ErrorCode(err) != homeward.ECONFLICT {
				t.Fatalf("second load: %v, want conflict", err)
			}
			in, _ := db.ListIncidents(ctx, homeward.IncidentFilter{Page: homeward.Page{Limit: 1}})
			if in.Total != NumIncidents {
				t.Fatalf("refused load changed the store: %d incidents", in.Total)
			}
		})
	}
}

func checkLoaded(t *testing.T, ctx context.Context, db *store.DB, svc Services) {
	t.Helper()
	mp, err := db.ListMissingPersons(ctx, homeward.MissingPersonFilter{Page: homeward.Page{Limit: 1000}})
	if err != nil || mp.Total != NumPersons {
		t.Fatalf("missing persons: %d, %v", mp.Total, err)
	}
	in, err := db.ListIncidents(ctx, homeward.IncidentFilter{Page: homeward.Page{Limit: 1}})
	if err != nil || in.Total != NumIncidents {
		t.Fatalf("incidents: %d, %v", in.Total, err)
	}
	// Links: each sampled person's incident has the code the world says; relatives are attached.
	byService := map[string]Person{}
	perPerson := map[string]int{}
	for _, p := range seedWorld.Persons {
		byService[p.Record.ServiceNumber] = p
	}
	for _, r := range seedWorld.Relatives {
		perPerson[seedWorld.Persons[r.Person].Record.ServiceNumber]++
	}
	for _, m := range mp.Items[:50] {
		wp, ok := byService[m.ServiceNumber]
		if !ok || m.IncidentID == nil {
			t.Fatalf("stored person %s not in the world or without incident", m.ServiceNumber)
		}
		inc, err := db.GetIncident(ctx, *m.IncidentID)
		if err != nil || inc.Code != seedWorld.Incidents[wp.Incident].Code {
			t.Fatalf("person %s incident %v (%v), want %s", m.ServiceNumber, inc, err, seedWorld.Incidents[wp.Incident].Code)
		}
		fam, err := db.ListFamilyMembers(ctx, m.ID, homeward.Page{})
		if err != nil || fam.Total != perPerson[m.ServiceNumber] {
			t.Fatalf("person %s has %d relatives stored (%v), want %d", m.ServiceNumber, fam.Total, err, perPerson[m.ServiceNumber])
		}
	}
	op, err := db.GetOperationByCode(ctx, OperationCode)
	if err != nil {
		t.Fatal(err)
	}
	if legs, err := db.ListTransportLegs(ctx, op.ID); err != nil || len(legs) != 2 {
		t.Fatalf("legs %v %v", legs, err)
	}
	cs, err := db.ListContainers(ctx, homeward.ContainerFilter{OperationID: op.ID, Page: homeward.Page{Limit: 100}})
	if err != nil || cs.Total != NumContainers {
		t.Fatalf("containers: %d, %v", cs.Total, err)
	}
	specimens := 0
	for _, c := range cs.Items {
		if p, err := db.VerifyCustody(ctx, c.ID); err != nil || p != nil {
			t.Fatalf("container %s chain: %v %v", c.Accession, p, err)
		}
		full, err := db.GetContainer(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if full.Custody == nil || full.Custody.Custodian != CustodianLab || full.Custody.Events != 15 {
			t.Fatalf("container %s custody %+v", c.Accession, full.Custody)
		}
		sp, err := db.ListSpecimens(ctx, c.ID, homeward.Page{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		specimens += sp.Total
		atts, err := db.ListAttachments(ctx, homeward.Subject{Type: "container", ID: c.ID})
		if err != nil || len(atts) != 3 {
			t.Fatalf("container %s: %d attachments, %v", c.Accession, len(atts), err)
		}
		for _, a := range atts {
			rc, err := svc.Blob.Get(ctx, a.SHA256)
			if err != nil {
				t.Fatalf("photo %s: %v", a.Filename, err)
			}
			rc.Close()
		}
		claims, err := db.ListClaims(ctx, homeward.Subject{Type: "container", ID: c.ID})
		if err != nil || len(claims) != 1 || claims[0].Party != HandingParty {
			t.Fatalf("container %s claims %v %v", c.Accession, claims, err)
		}
	}
	if specimens != seedWorld.Summary().Specimens {
		t.Errorf("%d specimens stored, want %d", specimens, seedWorld.Summary().Specimens)
	}
	problems, err := db.VerifyAllCustody(ctx, nil)
	if err != nil || len(problems) != 0 {
		t.Fatalf("verify all: %v %v", problems, err)
	}
}

// BenchmarkLoad measures whole loads of the demo world into a fresh store of each dialect:
//
//	go test ./demo -run XXX -bench Load -benchtime 1x
//	HOMEWARD_TEST_POSTGRES=postgres://postgres@127.0.0.1:5432/test?sslmode=disable go test ./demo -run XXX -bench Load -benchtime 1x
func BenchmarkLoad(b *testing.B) {
	for _, dialect := range storetest.Dialects(b) {
		b.Run(dialect, func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				db := storetest.Open(b, dialect)
				ctx := storetest.Admin(b, db)
				svc := storeServices(b, db)
				b.StartTimer()
				if err := Load(ctx, seedWorld, svc, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
