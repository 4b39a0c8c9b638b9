// The API tests of the DNA routes: kinship, DVI, screens and candidates, remains, imports, lineage
// and frequency databases (the environment and helpers are in api_test.go).

package httpapi_test

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/store/storetest"
)

func TestKinshipOverAPI(t *testing.T) {
	e := newEnv(t, "sqlite")
	body, err := os.ReadFile(filepath.Join("..", "labfmt", "casejson", "testdata", "oracle", "paternity_trio.input.json"))
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		LRTotal map[string]float64 `json:"LR_total"`
	}
	if st := e.do("dna-analyst", "POST", "/api/v1/kinship/lr", string(body), &res); st != 200 || res.LRTotal["H1:H2"] < 1e6 {
		t.Errorf("kinship: %d %+v", st, res)
	}
	var ae apiError
	bad := strings.Replace(string(body), `"15", "17"`, `"15", "99"`, 1)
	if st := e.do("dna-analyst", "POST", "/api/v1/kinship/lr", bad, &ae); st != 422 || !strings.Contains(ae.Error.Message, "allele") {
		t.Errorf("bad allele: %d %+v", st, ae)
	}
	if st := e.do("custodian", "POST", "/api/v1/kinship/lr", string(body), nil); st != 403 {
		t.Errorf("custodian running kinship: %d", st)
	}
}

func TestDVIOverAPI(t *testing.T) {
	e := newEnv(t, "sqlite")
	body, err := os.ReadFile(filepath.Join("..", "dvi", "testdata", "oracle", "KETPexer497.input.json"))
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Solve struct {
			AM []struct{ Missing, Sample, Conclusion string } `json:"AM"`
		} `json:"dviSolve"`
		Default struct {
			Rows []struct{ Assignment []string } `json:"rows"`
		} `json:"jointDVI_default"`
	}
	if st := e.do("dna-analyst", "POST", "/api/v1/dvi/solve", string(body), &res); st != 200 || len(res.Solve.AM) != 3 ||
		res.Solve.AM[0].Conclusion != "Undisputed" || res.Solve.AM[0].Sample != "V1" || len(res.Default.Rows) == 0 {
		t.Errorf("dvi solve: %d %+v", st, res)
	}
	var ae apiError
	if st := e.do("dna-analyst", "POST", "/api/v1/dvi/solve?threshold=abc", string(body), &ae); st != 422 || ae.Error.Field != "threshold" {
		t.Errorf("bad threshold: %d %+v", st, ae)
	}
	// Values that parse but no analysis can use are refused naming the field, before any work.
	for q, field := range map[string]string{"threshold=NaN": "threshold", "threshold=1": "threshold", "threshold2=-1": "threshold2",
		"limit=Inf": "limit", "max_assign=1000000000": "max_assign", "max_incomp=-1": "max_incomp", "strict=maybe": "strict"} {
		ae = apiError{}
		if st := e.do("dna-analyst", "POST", "/api/v1/dvi/solve?"+q, string(body), &ae); st != 422 || ae.Error.Field != field {
			t.Errorf("%s: %d %+v, want 422 naming %s", q, st, ae, field)
		}
	}
	plane, err := os.ReadFile(filepath.Join("..", "dvi", "testdata", "oracle", "planecrash.input.json"))
	if err != nil {
		t.Fatal(err)
	}
	var und struct {
		Undisputed struct {
			Strict  bool             `json:"strict"`
			Summary []map[string]any `json:"summary"`
		} `json:"undisputed"`
	}
	for strict, n := range map[string]int{"false": 3, "true": 2} {
		if st := e.do("dna-analyst", "POST", "/api/v1/dvi/solve?strict="+strict, string(plane), &und); st != 200 || len(und.Undisputed.Summary) != n ||
			fmt.Sprint(und.Undisputed.Strict) != strict {
			t.Errorf("planecrash strict=%s: %d, %d undisputed (strict %v), want %d", strict, st, len(und.Undisputed.Summary), und.Undisputed.Strict, n)
		}
	}
	bad := strings.Replace(string(body), `"type": "dvi"`, `"type": "kinship"`, 1)
	if st := e.do("dna-analyst", "POST", "/api/v1/dvi/solve", bad, &ae); st != 422 || !strings.Contains(ae.Error.Message, "not dvi") {
		t.Errorf("kinship case sent to dvi: %d %+v", st, ae)
	}
	if st := e.do("viewer", "POST", "/api/v1/dvi/solve", string(body), nil); st != 403 {
		t.Errorf("viewer running dvi: %d", st)
	}
}

// Profiles, families and a screen over the API: the screen runs as a background job in this
// process and its candidates come back through the API; bad input is refused with the field named.
func TestScreensOverAPI(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			e := newEnvQueue(t, d, true)
			loci := func(a, b string) map[string][]string {
				return map[string][]string{"TH01": {a, b}, "D3S1358": {"15", "16"}, "FGA": {"21", "22"}, "vWA": {"16", "17"}, "D8S1179": {"13", "14"}}
			}
			var fa, mo, son, stranger homeward.Profile
			for _, c := range []struct {
				out  *homeward.Profile
				body homeward.Profile
			}{
				{&fa, homeward.Profile{Sample: "REF-FA", Role: homeward.ProfileReference, Loci: loci("6", "7")}},
				{&mo, homeward.Profile{Sample: "REF-MO", Role: homeward.ProfileReference, Loci: loci("9", "9.3")}},
				{&son, homeward.Profile{Sample: "PM-SON", Role: homeward.ProfileVictim, Loci: loci("7", "9.3")}},
				{&stranger, homeward.Profile{Sample: "PM-X", Role: homeward.ProfileVictim, Loci: map[string][]string{"TH01": {"8", "10"}, "FGA": {"19", "24"}}}},
			} {
				if st := e.do("dna-analyst", "POST", "/api/v1/profiles", c.body, c.out); st != 201 {
					t.Fatalf("profile %s: %d", c.body.Sample, st)
				}
			}
			var ae apiError
			if st := e.do("dna-analyst", "POST", "/api/v1/profiles", homeward.Profile{Sample: "BAD", Role: "suspect", Loci: loci("6", "7")}, &ae); st != 422 || ae.Error.Field != "profile.role" {
				t.Errorf("bad role: %d %+v", st, ae)
			}
			fam := homeward.ReferenceFamily{Name: "FAM-A", Target: "MP", Members: []homeward.PedigreeMember{
				{ID: "FA", Sex: homeward.SexMale, ProfileID: &fa.ID}, {ID: "MO", Sex: homeward.SexFemale, ProfileID: &mo.ID},
				{ID: "MP", Father: "FA", Mother: "MO", Sex: homeward.SexMale}}}
			if st := e.do("dna-analyst", "POST", "/api/v1/reference-families", fam, &fam); st != 201 {
				t.Fatalf("family: %d", st)
			}
			var started struct {
				Screen homeward.Screen `json:"screen"`
			}
			if st := e.do("viewer", "POST", "/api/v1/screens", homeward.ScreenRequest{Name: "api"}, nil); st != 403 {
				t.Errorf("viewer started a screen: %d", st)
			}
			if st := e.do("dna-analyst", "POST", "/api/v1/screens", homeward.ScreenRequest{Name: "api", Threshold: 10, MinFreq: 0.01}, &started); st != 202 || started.Screen.ID == 0 {
				t.Fatalf("start: %d %+v", st, started)
			}
			var sc homeward.Screen
			deadline := time.Now().Add(30 * time.Second)
			for time.Now().Before(deadline) {
				e.do("viewer", "GET", fmt.Sprintf("/api/v1/screens/%d", started.Screen.ID), nil, &sc)
				if sc.Status == homeward.ScreenDone {
					break
				}
				time.Sleep(50 * time.Millisecond)
			}
			if sc.Status != homeward.ScreenDone || sc.Progress.Comparisons != 2 {
				t.Fatalf("screen: %+v", sc)
			}
			var cands homeward.List[homeward.Candidate]
			if st := e.do("viewer", "GET", fmt.Sprintf("/api/v1/screens/%d/candidates", sc.ID), nil, &cands); st != 200 || cands.Total != 1 || cands.Items[0].Sample != "PM-SON" || cands.Items[0].Family != "FAM-A" {
				t.Errorf("candidates: %d %+v", st, cands)
			}
			var res struct {
				Pending int `json:"pending_shards"`
			}
			if st := e.do("dna-analyst", "POST", fmt.Sprintf("/api/v1/screens/%d/resume", sc.ID), nil, &res); st != 202 || res.Pending != 0 {
				t.Errorf("resume: %d %+v", st, res)
			}
			if st := e.do("dna-analyst", "POST", "/api/v1/screens/999/resume", nil, nil); st != 404 {
				t.Errorf("resume of no screen: %d", st)
			}
		})
	}
}

// A server without a job queue says so instead of accepting screens it cannot run.
func TestScreensWithoutQueue(t *testing.T) {
	e := newEnv(t, "sqlite")
	var ae apiError
	if st := e.do("dna-analyst", "POST", "/api/v1/screens", homeward.ScreenRequest{Name: "x"}, &ae); st != 503 || !strings.Contains(ae.Error.Message, "no job queue") {
		t.Errorf("%d %+v", st, ae)
	}
}

func TestRemainsOverAPI(t *testing.T) {
	e := newEnv(t, "sqlite")
	admin := homeward.NewContextWithUser(context.Background(), &homeward.User{Username: "system", Roles: []homeward.Role{homeward.RoleAdmin}})
	c := &homeward.Container{Accession: "BOX-1", Kind: homeward.ContainerBox}
	if err := e.db.CreateContainer(admin, c); err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{"B1", "B2"} {
		if err := e.db.CreateSpecimen(admin, &homeward.Specimen{ContainerID: c.ID, Code: code, Element: "tibia", Side: homeward.SideRight}); err != nil {
			t.Fatal(err)
		}
	}
	var mni struct {
		PerContainer map[string]struct {
			MNI int `json:"mni"`
		} `json:"per_container"`
	}
	if st := e.do("viewer", "GET", "/api/v1/mni?container=BOX-1", nil, &mni); st != 200 || mni.PerContainer["BOX-1"].MNI != 2 {
		t.Errorf("mni: %d %+v", st, mni)
	}
	if st := e.do("viewer", "GET", "/api/v1/mni?container=NOPE", nil, nil); st != 404 {
		t.Errorf("unknown container: %d", st)
	}
	for _, s := range []string{"PM-1", "PM-2"} {
		p := homeward.Profile{Sample: s, Role: homeward.ProfileVictim, Loci: map[string][]string{"TH01": {"6", "9.3"}, "FGA": {"21", "22"}, "vWA": {"16", "17"}}}
		if st := e.do("dna-analyst", "POST", "/api/v1/profiles", p, nil); st != 201 {
			t.Fatalf("profile %d", st)
		}
	}
	var g struct {
		Profiles    int `json:"profiles"`
		Individuals []struct {
			Samples []string `json:"samples"`
		} `json:"individuals"`
	}
	if st := e.do("dna-analyst", "POST", "/api/v1/dna/group", map[string]any{"threshold": 10, "min_markers": 3}, &g); st != 200 || g.Profiles != 2 || len(g.Individuals) != 1 || len(g.Individuals[0].Samples) != 2 {
		t.Errorf("group: %d %+v", st, g)
	}
	if st := e.do("dna-analyst", "POST", "/api/v1/dna/group", map[string]any{"container": "NOPE"}, nil); st != 404 {
		t.Errorf("group of unknown container: %d", st)
	}
}

// A genotype file through the API: a dry run stores nothing, the import stores the samples, a file
// with rejected rows is refused whole.
func TestProfileImportOverAPI(t *testing.T) {
	e := newEnv(t, "sqlite")
	body, err := os.ReadFile(filepath.Join("..", "labfmt", "genemapper", "testdata", "ref3.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var rep homeward.ProfileImportReport
	if st := e.do("dna-analyst", "POST", "/api/v1/profiles/import?role=reference&dry_run=true&file=ref3.txt", string(body), &rep); st != 200 || !rep.DryRun || rep.Samples != 3 {
		t.Fatalf("dry run: %d %+v", st, rep)
	}
	var l homeward.List[homeward.Profile]
	if e.do("viewer", "GET", "/api/v1/profiles", nil, &l); l.Total != 0 {
		t.Errorf("dry run stored %d", l.Total)
	}
	if st := e.do("dna-analyst", "POST", "/api/v1/profiles/import?role=reference&file=ref3.txt", string(body), &rep); st != 200 || rep.Created != 3 {
		t.Fatalf("import: %d %+v", st, rep)
	}
	bad := []byte("Sample Name\tMarker\tAllele 1\tAllele 2\nX1\tTH01\t6\t7\nX2\tTH01\t6\n")
	// Rejected rows: 422 with the report, every rejected row and why nothing was stored.
	rep = homeward.ProfileImportReport{}
	if st := e.do("dna-analyst", "POST", "/api/v1/profiles/import?file=bad.txt", string(bad), &rep); st != 422 || len(rep.Rejected) != 1 || rep.Rejected[0].Line != 3 || !strings.Contains(rep.Refused, "nothing stored") {
		t.Errorf("rejected rows: %d %+v", st, rep)
	}
	var ae apiError
	if st := e.do("dna-analyst", "POST", "/api/v1/profiles/import?dry_run=maybe", string(bad), &ae); st != 422 || ae.Error.Field != "dry_run" {
		t.Errorf("bad flag: %d %+v", st, ae)
	}
	if st := e.do("viewer", "POST", "/api/v1/profiles/import", string(body), nil); st != 403 {
		t.Errorf("viewer import: %d", st)
	}
}

func TestMtDNAOverAPI(t *testing.T) {
	e := newEnv(t, "sqlite")
	var c struct {
		Differences int    `json:"differences"`
		Verdict     string `json:"verdict"`
	}
	body := map[string]any{"a": map[string]string{"range": "16024-16569;1-576", "variants": "16519C 73G 263G"}, "b": map[string]string{"range": "16024-16569", "variants": "16519C 16311C"}}
	if st := e.do("dna-analyst", "POST", "/api/v1/mtdna/compare", body, &c); st != 200 || c.Differences != 1 || c.Verdict != "inconclusive" {
		t.Errorf("compare: %d %+v", st, c)
	}
	var ae apiError
	bad := map[string]any{"a": map[string]string{"range": "1-576", "variants": "16519C"}, "b": map[string]string{"range": "1-576"}}
	if st := e.do("dna-analyst", "POST", "/api/v1/mtdna/compare", bad, &ae); st != 422 || ae.Error.Field != "a" || !strings.Contains(ae.Error.Message, "outside the sequenced range") {
		t.Errorf("bad profile: %d %+v", st, ae)
	}
}

func TestYSTROverAPI(t *testing.T) {
	e := newEnv(t, "sqlite")
	var c struct {
		Mismatches int     `json:"mismatches"`
		LR         float64 `json:"lr"`
	}
	body := map[string]any{"a": "DYS19=14; DYS390=24", "b": "DYS19=15; DYS390=24", "meioses": 1, "haplotype_frequency": 0.01, "rates": map[string]float64{"DYS19": 0.002, "DYS390": 0.002}}
	want := 0.001 * 0.998 / 0.01
	if st := e.do("dna-analyst", "POST", "/api/v1/ystr/compare", body, &c); st != 200 || c.Mismatches != 1 || c.LR < want*0.999999 || c.LR > want*1.000001 {
		t.Errorf("compare: %d %+v, want LR %v", st, c, want)
	}
	var ae apiError
	if st := e.do("dna-analyst", "POST", "/api/v1/ystr/compare", map[string]any{"a": "DYS19=x", "b": "DYS19=14"}, &ae); st != 422 || ae.Error.Field != "a" {
		t.Errorf("bad haplotype: %d %+v", st, ae)
	}
	// Stored haplotypes: a file with a rejected row stores nothing and answers its report; a clean
	// one stores; the victim's matches are the references on its paternal line, closest first.
	var rep struct {
		Created  int
		Rejected []struct{ Line int }
	}
	bad := "Sample Name\tMarker\tAllele 1\nPM-9\tDYS19\t14\nPM-9\tDYS19\t15\n"
	if st := e.do("dna-analyst", "POST", "/api/v1/profiles/import-lineage?kind=ystr&role=victim", bad, &rep); st != 422 || len(rep.Rejected) != 1 || rep.Rejected[0].Line != 3 {
		t.Errorf("rejected file: %d %+v", st, rep)
	}
	refs := "Sample Name\tDYS19\tDYS390\tDYS391\nREF-A\t14\t24\t11\nREF-B\t14\t25\t11\nREF-C\t16\t22\t10\n"
	if st := e.do("dna-analyst", "POST", "/api/v1/profiles/import-lineage?kind=ystr&file=refs.tsv", refs, &rep); st != 200 || rep.Created != 3 {
		t.Errorf("references: %d %+v", st, rep)
	}
	var exported []byte
	if st := e.do("viewer", "GET", "/api/v1/profiles/export?format=ystr&role=reference", nil, &exported); st != 200 || !bytes.HasPrefix(exported, []byte("Sample Name\tDYS19\tDYS390\tDYS391\nREF-A\t14\t24\t11\n")) {
		t.Errorf("export: %d %q", st, exported)
	}
	if st := e.do("viewer", "GET", "/api/v1/profiles/export?format=xls", nil, &ae); st != 422 || ae.Error.Field != "format" {
		t.Errorf("export xls: %d %+v", st, ae)
	}
	var vic homeward.Profile
	if st := e.do("dna-analyst", "POST", "/api/v1/profiles", homeward.Profile{Sample: "PM-9", Role: homeward.ProfileVictim, YSTR: "DYS19=14; DYS390=24; DYS391=11"}, &vic); st != 201 {
		t.Fatalf("victim: %d", st)
	}
	type match struct {
		Sample string
		LR     *float64
		YSTR   *struct{ Mismatches, Steps int }
		MtDNA  *struct {
			Differences int
			Verdict     string
		}
	}
	var ms struct {
		Items []match
		Total int
		Next  string
	}
	matches := func(query string) int {
		ms.Items, ms.Total, ms.Next = nil, -1, ""
		return e.do("viewer", "GET", fmt.Sprintf("/api/v1/profiles/%d/lineage-matches?%s", vic.ID, query), nil, &ms)
	}
	// By hand, for brothers (2 meioses) under the single-step model: P(d=0) = (1-mu)^2 + mu^2/2 and
	// P(|d|=1) = 2 (mu/2)(1-mu) = mu(1-mu) per locus, with YHRD's rates DYS19 2.20e-3, DYS390
	// 2.08e-3, DYS391 2.53e-3, over the frequency 0.01. REF-A matches at all three loci (about 98.6);
	// REF-B is one step off at DYS390 (about 0.205).
	same := func(mu float64) float64 { return (1-mu)*(1-mu) + mu*mu/2 }
	wantA := same(2.20e-3) * same(2.08e-3) * same(2.53e-3) / 0.01
	wantB := same(2.20e-3) * 2.08e-3 * (1 - 2.08e-3) * same(2.53e-3) / 0.01
	near := func(got *float64, want float64) bool { return got != nil && math.Abs(*got/want-1) < 1e-9 }
	if st := matches("kind=ystr&role=reference&meioses=2&freq=0.01"); st != 200 || ms.Total != 2 || len(ms.Items) != 2 || ms.Items[0].Sample != "REF-A" || ms.Items[1].Sample != "REF-B" ||
		!near(ms.Items[0].LR, wantA) || !near(ms.Items[1].LR, wantB) || ms.Items[1].YSTR.Mismatches != 1 || ms.Items[1].YSTR.Steps != 1 {
		t.Errorf("matches: %d %+v, want LRs %g and %g", st, ms, wantA, wantB)
	}
	if st := matches("kind=ystr&max_mismatches=0"); st != 200 || ms.Total != 1 || ms.Items[0].Sample != "REF-A" || ms.Items[0].LR != nil {
		t.Errorf("identical only: %d %+v", st, ms)
	}
	if st := matches("kind=ystr&limit=1&offset=1"); st != 200 || ms.Total != 2 || len(ms.Items) != 1 || ms.Items[0].Sample != "REF-B" {
		t.Errorf("second page: %d %+v", st, ms)
	}
	// The first page's next link carries a cursor to the second; the last page has none.
	if st := matches("kind=ystr&limit=1"); st != 200 || len(ms.Items) != 1 || ms.Items[0].Sample != "REF-A" || !strings.Contains(ms.Next, "cursor=") {
		t.Fatalf("first page: %d %+v", st, ms)
	}
	next := ms.Next
	ms.Next = ""
	if st := e.do("viewer", "GET", next, nil, &ms); st != 200 || len(ms.Items) != 1 || ms.Items[0].Sample != "REF-B" || ms.Next != "" {
		t.Errorf("the page after the cursor: %d %+v", st, ms)
	}
	if st := e.do("viewer", "GET", fmt.Sprintf("/api/v1/profiles/%d/lineage-matches?kind=ystr&cursor=%s", vic.ID, "bXRkbmEuMC4tMy43"), nil, &ae); st != 422 || ae.Error.Field != "cursor" {
		t.Errorf("an mtDNA cursor for Y-STR matches: %d %+v", st, ae)
	}
	for q, field := range map[string]string{"kind=ystr&meioses=2": "freq", "kind=ystr&meioses=two&freq=0.1": "meioses", "kind=ystr&offset=-1": "offset", "kind=ystr&role=aunt": "role", "kind=x": "kind"} {
		if st := e.do("viewer", "GET", fmt.Sprintf("/api/v1/profiles/%d/lineage-matches?%s", vic.ID, q), nil, &ae); st != 422 || ae.Error.Field != field {
			t.Errorf("%s: %d %+v, want an error on %s", q, st, ae, field)
		}
	}
	if st := e.do("viewer", "GET", fmt.Sprintf("/api/v1/profiles/%d/lineage-matches?kind=mtdna", vic.ID), nil, &ae); st != 422 || !strings.Contains(ae.Error.Message, "no mtDNA") {
		t.Errorf("mtdna of a Y-only profile: %d %+v", st, ae)
	}
	// mtDNA results: the stored victim gets its mtDNA (its haplotype stays), three new references
	// are created. Against the victim's 16519C 263G over 16024-16569 and 1-576: REF-M1 has no
	// difference (cannot exclude), REF-M3 one (16311C: inconclusive), REF-M2 two (exclusion, left
	// out).
	var mrep struct{ Created, Updated, Unchanged int }
	mt := "sample,range,variants\nPM-9,16024-16569;1-576,16519C 263G\nREF-M1,16024-16569;1-576,263G 16519C\nREF-M2,16024-16569;1-576,16311C 16519C 73G 263G\nREF-M3,16024-16569;1-576,16311C 16519C 263G\n"
	if st := e.do("dna-analyst", "POST", "/api/v1/profiles/import-lineage?kind=mtdna&file=mt.csv", mt, &mrep); st != 200 || mrep.Created != 3 || mrep.Updated != 1 {
		t.Errorf("mtDNA import: %d %+v", st, mrep)
	}
	if st := e.do("dna-analyst", "POST", "/api/v1/profiles/import-lineage?kind=mtdna&file=mt.csv", mt, &mrep); st != 200 || mrep.Created != 0 || mrep.Updated != 0 || mrep.Unchanged != 4 {
		t.Errorf("mtDNA again: %d %+v", st, mrep)
	}
	if st := matches("kind=mtdna"); st != 200 || ms.Total != 2 || ms.Items[0].Sample != "REF-M1" || ms.Items[0].MtDNA.Verdict != "cannot exclude" ||
		ms.Items[1].Sample != "REF-M3" || ms.Items[1].MtDNA.Differences != 1 || ms.Items[1].MtDNA.Verdict != "inconclusive" {
		t.Errorf("mtdna matches: %d %+v", st, ms)
	}
	var got homeward.Profile
	if st := e.do("viewer", "GET", fmt.Sprintf("/api/v1/profiles/%d", vic.ID), nil, &got); st != 200 || got.YSTR != "DYS19=14; DYS390=24; DYS391=11" || got.MtDNA == nil || got.MtDNA.Variants != "263G 16519C" {
		t.Errorf("victim after both: %d %+v", st, got)
	}
}

func TestFrequencyDBsOverAPI(t *testing.T) {
	e := newEnv(t, "sqlite")
	body, err := os.ReadFile(filepath.Join("..", "labfmt", "freqdb", "data", "nist-all.csv"))
	if err != nil {
		t.Fatal(err)
	}
	var d homeward.FrequencyDB
	if st := e.do("dna-analyst", "POST", "/api/v1/frequency-dbs/import?format=nist&name=lab&source=NIST%201036", string(body), &d); st != 201 || d.Version != 1 {
		t.Fatalf("import: %d %+v", st, d.Version)
	}
	e.do("dna-analyst", "POST", "/api/v1/frequency-dbs/import?format=nist&name=lab&source=NIST%201036&min_freq=0.001", string(body), &d)
	if d.Version != 2 {
		t.Errorf("second import version %d", d.Version)
	}
	var got homeward.FrequencyDB
	if st := e.do("viewer", "GET", "/api/v1/frequency-dbs/lab?version=1", nil, &got); st != 200 || got.Version != 1 || len(got.Markers) == 0 {
		t.Errorf("get v1: %d %+v", st, got.Version)
	}
	var l []homeward.FrequencyDB
	if st := e.do("viewer", "GET", "/api/v1/frequency-dbs", nil, &l); st != 200 || len(l) != 2 {
		t.Errorf("list: %d %d", st, len(l))
	}
	var ae apiError
	if st := e.do("dna-analyst", "POST", "/api/v1/frequency-dbs/import?format=nist&name=lab", string(body), &ae); st != 422 || ae.Error.Field != "source" {
		t.Errorf("no source: %d %+v", st, ae)
	}
	if st := e.do("viewer", "GET", "/api/v1/frequency-dbs/nope", nil, nil); st != 404 {
		t.Errorf("unknown: %d", st)
	}
}

func TestCandidatesOverAPI(t *testing.T) {
	e := newEnv(t, "sqlite")
	admin := homeward.NewContextWithUser(context.Background(), &homeward.User{Username: "system", Roles: []homeward.Role{homeward.RoleAdmin}})
	lat, lon := 40.45, 127.2
	in := &homeward.Incident{Code: "KW-1", Kind: homeward.IncidentGroundAction, Coordinates: homeward.Coordinates{Lat: &lat, Lon: &lon}}
	if err := e.db.CreateIncident(admin, in); err != nil {
		t.Fatal(err)
	}
	for _, m := range []*homeward.MissingPerson{{FamilyName: "Near", Sex: homeward.SexMale, IncidentID: &in.ID}, {FamilyName: "Woman", Sex: homeward.SexFemale}} {
		if err := e.db.CreateMissingPerson(admin, m); err != nil {
			t.Fatal(err)
		}
	}
	var l []homeward.ListedCandidate
	if st := e.do("viewer", "POST", "/api/v1/candidates", map[string]any{"sex": "male", "recovery": map[string]float64{"lat": 40.4, "lon": 127.25}, "max_km": 20}, &l); st != 200 || len(l) != 2 || !l[0].Kept || l[0].MissingPerson.FamilyName != "Near" || l[1].Kept {
		t.Errorf("candidates: %d %+v", st, l)
	}
	var ae apiError
	if st := e.do("viewer", "POST", "/api/v1/candidates", map[string]any{"sex": "unknown-sex"}, &ae); st != 422 || ae.Error.Field != "remains.sex" {
		t.Errorf("bad sex: %d %+v", st, ae)
	}
	if st := e.do("viewer", "POST", "/api/v1/candidates", map[string]any{"age_min": 40, "age_max": 20}, &ae); st != 422 || ae.Error.Field != "remains.age_min" {
		t.Errorf("bad age range: %d %+v", st, ae)
	}
}
