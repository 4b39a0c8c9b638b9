package store_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/csvio"
	"github.com/homeward/homeward/store"
	"github.com/homeward/homeward/store/storetest"
)

// An export streamed while others write is one moment's register: every incident that existed
// before it began is there once, none twice, whatever is inserted meanwhile (inserts whose codes
// sort before the existing ones shifted an offset-paged export and repeated rows).
func TestExportIsASnapshot(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		ctx := storetest.Admin(t, db)
		const before = 1500
		rows := make([]homeward.Incident, before)
		for i := range rows {
			rows[i] = homeward.Incident{Code: fmt.Sprintf("KW-%05d", i), Kind: homeward.IncidentGroundAction}
		}
		if rep, err := db.ImportIncidents(ctx, rows, nil); err != nil || rep.Created != before {
			t.Fatalf("import: %+v %v", rep, err)
		}
		var wg sync.WaitGroup
		stop := make(chan struct{})
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				in := &homeward.Incident{Code: fmt.Sprintf("AA-%05d", i), Kind: homeward.IncidentGroundAction}
				if err := db.CreateIncident(ctx, in); err != nil {
					t.Error(err)
					return
				}
			}
		}()
		var out bytes.Buffer
		err := csvio.Export(ctx, "incidents", "json", &out, db)
		close(stop)
		wg.Wait()
		if err != nil {
			t.Fatal(err)
		}
		var got []homeward.Incident
		if err := json.Unmarshal(out.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, in := range got {
			if seen[in.Code] {
				t.Fatalf("incident %s exported twice", in.Code)
			}
			seen[in.Code] = true
		}
		for _, in := range rows {
			if !seen[in.Code] {
				t.Fatalf("incident %s, there before the export, is missing", in.Code)
			}
		}
	})
}

// BenchmarkExport307k streams 307,000 family members (with their missing persons' service
// numbers) as CSV from one snapshot, on every dialect; it reports rows/s and the heap in use
// after the export. Heavy: HOMEWARD_BENCH_EXPORT=1 go test ./store -run XXX -bench Export307k -benchtime 1x
func BenchmarkExport307k(b *testing.B) {
	if os.Getenv("HOMEWARD_BENCH_EXPORT") != "1" {
		b.Skip("set HOMEWARD_BENCH_EXPORT=1")
	}
	const persons, perPerson = 30700, 10
	for _, d := range storetest.Dialects(b) {
		b.Run(d, func(b *testing.B) {
			db := storetest.Open(b, d)
			ctx := storetest.Admin(b, db)
			mps := make([]homeward.MissingPerson, persons)
			for i := range mps {
				mps[i] = homeward.MissingPerson{FamilyName: "Kim", GivenNames: fmt.Sprint("P", i), ServiceNumber: fmt.Sprint("K-", i), Nationality: "KOR"}
			}
			if rep, err := db.ImportMissingPersons(ctx, mps, nil); err != nil || rep.Created != persons {
				b.Fatalf("persons: %+v %v", rep.Rejected, err)
			}
			var fams []homeward.FamilyMember
			for i := range mps {
				for k := 0; k < perPerson; k++ {
					fams = append(fams, homeward.FamilyMember{MissingPersonID: mps[i].ID, FamilyName: "Kim", GivenNames: fmt.Sprint("R", k), Relationship: "nephew", Contact: "+82 10 0000 0000"})
				}
			}
			if rep, err := db.ImportFamilyMembers(ctx, fams, nil); err != nil || rep.Created != len(fams) {
				b.Fatalf("family: %v", err)
			}
			fams, mps = nil, nil
			runtime.GC()
			b.ResetTimer()
			start := time.Now()
			var n countingWriter
			if err := csvio.Export(ctx, "family_members", "csv", &n, db); err != nil {
				b.Fatal(err)
			}
			el := time.Since(start)
			b.StopTimer()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			b.ReportMetric(float64(persons*perPerson)/el.Seconds(), "rows/s")
			b.ReportMetric(el.Seconds(), "s")
			b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-MB")
			b.ReportMetric(float64(n)/(1<<20), "csv-MB")
		})
	}
}

type countingWriter int64

func (c *countingWriter) Write(p []byte) (int, error) {
	*c += countingWriter(len(p))
	return len(p), nil
}

// Person search finds substrings of names and service numbers case-insensitively, the same on
// both stores (SQLite through its trigram index for three characters or more), and follows
// updates. A Korean name is found in Hangul and by its romanizations (Revised Romanization,
// McCune-Reischauer, the person's own spelling), family name first or last, whatever the
// hyphens, spaces and apostrophes; a record in Hangul only is found by romanized names too.
func TestPersonSearch(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		ctx := storetest.Admin(t, db)
		people := []homeward.MissingPerson{
			{FamilyName: "Kim", GivenNames: "Chul-min", NativeName: "김철민", ServiceNumber: "K-1001", Nationality: "KOR"},
			{FamilyName: "김", GivenNames: "철민", ServiceNumber: "K-1002", Nationality: "KOR"},
			{FamilyName: "Smith", GivenNames: "John", ServiceNumber: "RA1234", Nationality: "USA"},
			{FamilyName: "Oakimber", GivenNames: "Ann", ServiceNumber: "RA5678", Nationality: "USA"},
		}
		for i := range people {
			if err := db.CreateMissingPerson(ctx, &people[i]); err != nil {
				t.Fatal(err)
			}
		}
		find := func(q string) string {
			l, err := db.ListMissingPersons(ctx, homeward.MissingPersonFilter{Query: q})
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, p := range l.Items {
				names = append(names, p.FamilyName)
			}
			return fmt.Sprint(l.Total, names)
		}
		for q, want := range map[string]string{"kim": "3 [Kim Oakimber 김]", "KIM": "3 [Kim Oakimber 김]", "chul-m": "2 [Kim 김]", "철민": "2 [Kim 김]",
			"김철민": "2 [Kim 김]", "Kim Cheol-min": "2 [Kim 김]", "Ch'ŏl-min Kim": "2 [Kim 김]", "Gim Cheolmin": "2 [Kim 김]", "kim chul min": "2 [Kim 김]",
			"John Smith": "1 [Smith]", "Smith, John": "1 [Smith]", "Park Chul-min": "0 []", "박철민": "0 []",
			"1234": "1 [Smith]", "ra": "2 [Oakimber Smith]", `"quote`: "0 []", "zzz": "0 []"} {
			if got := find(q); got != want {
				t.Errorf("%q: %s, want %s", q, got, want)
			}
		}
		p := people[0]
		p.FamilyName, p.NativeName = "Park", "박철민"
		if err := db.UpdateMissingPerson(ctx, &p); err != nil {
			t.Fatal(err)
		}
		if got := find("kim"); got != "2 [Oakimber 김]" {
			t.Errorf("after renaming Kim: %s", got)
		}
		if got := find("park"); got != "1 [Park]" {
			t.Errorf("the new name: %s", got)
		}
		// Rows written before the store kept search keys get them when it opens.
		if _, err := db.SQL().ExecContext(ctx, "UPDATE missing_persons SET search_names = ''"); err != nil {
			t.Fatal(err)
		}
		if got := find("Pak Ch'ŏl-min"); got != "0 []" {
			t.Fatalf("keys not cleared: %s", got)
		}
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if got := find("Pak Ch'ŏl-min"); got != "1 [Park]" {
			t.Errorf("after the backfill: %s", got)
		}
	})
}

// A screen's DVI analysis is kept, replaced and read back the same on both stores.
func TestDVIResults(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		ctx := storetest.Admin(t, db)
		vic := &homeward.Profile{Sample: "PM-1", Role: homeward.ProfileVictim, Loci: map[string][]string{"TH01": {"6", "7"}}}
		ref := &homeward.Profile{Sample: "REF-1", Role: homeward.ProfileReference, Loci: map[string][]string{"TH01": {"6", "9"}}}
		for _, p := range []*homeward.Profile{vic, ref} {
			if err := db.CreateProfile(ctx, p); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.CreateReferenceFamily(ctx, &homeward.ReferenceFamily{Name: "FAM-1", Target: "MP", Members: []homeward.PedigreeMember{
			{ID: "FA", Sex: homeward.SexMale, ProfileID: &ref.ID}, {ID: "MO", Sex: homeward.SexFemale}, {ID: "MP", Father: "FA", Mother: "MO", Sex: homeward.SexMale}}}); err != nil {
			t.Fatal(err)
		}
		sc := &homeward.Screen{Name: "s", FrequencyDB: "nist-all", Threshold: 1e4, Shards: 1, Panel: []byte("[]")}
		if err := db.CreateScreen(ctx, sc); err != nil {
			t.Fatal(err)
		}
		if _, err := db.GetDVIResult(ctx, sc.ID); homeward.ErrorCode(err) != homeward.ENOTFOUND {
			t.Errorf("none yet: %v", err)
		}
		at := time.Date(2026, 12, 6, 7, 0, 0, 0, time.UTC)
		for _, r := range []homeward.DVIResult{
			{ScreenID: sc.ID, CaseHash: "a", Status: "queued", ComputedAt: at},
			{ScreenID: sc.ID, CaseHash: "b", Status: "done", Result: []byte(`{"solution":null}`), ComputedAt: at.Add(time.Minute)},
		} {
			if err := db.SaveDVIResult(ctx, &r); err != nil {
				t.Fatal(err)
			}
			got, err := db.GetDVIResult(ctx, sc.ID)
			if err != nil || got.CaseHash != r.CaseHash || got.Status != r.Status || string(got.Result) != string(r.Result) || !got.ComputedAt.Equal(r.ComputedAt) {
				t.Errorf("saved %+v, read %+v %v", r, got, err)
			}
		}
	})
}
