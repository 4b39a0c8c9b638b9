package idreport_test

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/idreport"
	"github.com/homeward/homeward/labfmt/freqdb"
	"github.com/homeward/homeward/store"
	"github.com/homeward/homeward/store/storetest"
)

// setup stores a Korean soldier, his father's reference profile, a victim profile and a draft
// identification with one DNA line, and returns the hand-computed LR of that line.
//
// Parent-child at three markers, by hand (p from the shipped NIST 1036 table):
//
//	D3S1358 victim 15/16, father 15/17: 1/(4 p15)
//	TH01    victim 6/6,   father 6/9.3: 1/(2 p6)
//	FGA     victim 21/22, father 21/22: (p21 + p22) / (4 p21 p22)
func setup(t testing.TB, db *store.DB) (ctx context.Context, id int64, want map[string]float64) {
	ctx = storetest.Admin(t, db)
	nist, err := freqdb.Load("nist-all")
	if err != nil {
		t.Fatal(err)
	}
	p := func(m, a string) float64 {
		mk := nist.Marker(m)
		for i, x := range mk.Alleles {
			if x == a {
				return mk.Freqs[i]
			}
		}
		t.Fatalf("%s %s not in the table", m, a)
		return 0
	}
	want = map[string]float64{
		"D3S1358": 1 / (4 * p("D3S1358", "15")),
		"TH01":    1 / (2 * p("TH01", "6")),
		"FGA":     (p("FGA", "21") + p("FGA", "22")) / (4 * p("FGA", "21") * p("FGA", "22")),
	}
	// The table stored as a record, as a laboratory would before recording results with it.
	rec := &homeward.FrequencyDB{Name: "nist-all", Source: "NIST 1036, shipped with Homeward", Format: "nist"}
	for _, m := range nist.Markers {
		rec.Markers = append(rec.Markers, homeward.FrequencyMarker{Name: m.Name, Alleles: m.Alleles, Freqs: m.Freqs, N: m.N})
	}
	if err := db.CreateFrequencyDB(ctx, rec); err != nil {
		t.Fatal(err)
	}
	lat, lon := 38.25, 127.5
	inc := &homeward.Incident{Code: "KW-1951-06-0042", Kind: homeward.IncidentGroundAction, Place: "철원 Cheorwon", Date: "1951-06-12", Coordinates: homeward.Coordinates{Lat: &lat, Lon: &lon}}
	if err := db.CreateIncident(ctx, inc); err != nil {
		t.Fatal(err)
	}
	mp := &homeward.MissingPerson{FamilyName: "김", GivenNames: "철수", ServiceNumber: "K-1234567", Rank: "일병", Unit: "9사단", Sex: homeward.SexMale, IncidentID: &inc.ID, DateOfLoss: "1951-06-12"}
	if err := db.CreateMissingPerson(ctx, mp); err != nil {
		t.Fatal(err)
	}
	vic := &homeward.Profile{Sample: "PM-철원-1", Role: homeward.ProfileVictim, Loci: map[string][]string{"D3S1358": {"15", "16"}, "TH01": {"6"}, "FGA": {"21", "22"}}}
	ref := &homeward.Profile{Sample: "REF-FA", Role: homeward.ProfileReference, Loci: map[string][]string{"D3S1358": {"15", "17"}, "TH01": {"6", "9.3"}, "FGA": {"21", "22"}}}
	for _, pr := range []*homeward.Profile{vic, ref} {
		if err := db.CreateProfile(ctx, pr); err != nil {
			t.Fatal(err)
		}
	}
	fam := &homeward.ReferenceFamily{Name: "FAM-김철수", MissingPersonID: &mp.ID, Target: "MP", Members: []homeward.PedigreeMember{
		{ID: "FA", Sex: homeward.SexMale, ProfileID: &ref.ID}, {ID: "MO", Sex: homeward.SexFemale}, {ID: "MP", Father: "FA", Mother: "MO", Sex: homeward.SexMale}}}
	if err := db.CreateReferenceFamily(ctx, fam); err != nil {
		t.Fatal(err)
	}
	x := &homeward.Identification{MissingPersonID: mp.ID, ProfileIDs: []int64{vic.ID}, Summary: "PM-철원-1 is 김철수",
		Prior: &homeward.PriorStatement{Population: "closed", Candidates: 12, Prior: 1.0 / 12, Basis: "12 unaccounted men of the 9th Division lost at Cheorwon"}}
	if err := db.CreateIdentification(ctx, x); err != nil {
		t.Fatal(err)
	}
	lr := want["D3S1358"] * want["TH01"] * want["FGA"]
	e := &homeward.EvidenceLine{IdentificationID: x.ID, Kind: homeward.EvidenceAutosomalDNA, Conclusion: homeward.ConclusionSupports, Summary: "father, 3 markers", LR: &lr,
		Inputs: []homeward.InputRef{{Kind: "profile", ID: vic.ID}, {Kind: "reference_family", ID: fam.ID}, {Kind: "frequency_db", Name: "nist-all@1"}}}
	if err := db.AddEvidence(ctx, e); err != nil {
		t.Fatal(err)
	}
	dental := &homeward.EvidenceLine{IdentificationID: x.ID, Kind: homeward.EvidenceDental, Conclusion: homeward.ConclusionConsistent, Summary: "restorations at 16 and 36 match the service record"}
	if err := db.AddEvidence(ctx, dental); err != nil {
		t.Fatal(err)
	}
	return ctx, x.ID, want
}

func TestGatherRecomputesTheDNALine(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			db := storetest.Open(t, d)
			ctx, id, want := setup(t, db)
			src := idreport.Sources{Registry: db, Containers: db, DNA: db, Idents: db, Family: db}
			r, err := idreport.Gather(ctx, src, id, "admin", time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC))
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Evidence) != 2 || r.Evidence[0].DNA == nil || r.Evidence[1].DNA != nil {
				t.Fatalf("evidence: %+v", r.Evidence)
			}
			dna := r.Evidence[0].DNA
			if dna.Error != "" || !dna.Agrees || dna.FrequencyDB != "nist-all@1" {
				t.Fatalf("recomputation: %+v", dna)
			}
			seen := 0
			for _, m := range dna.Markers {
				if w, ok := want[m.Marker]; ok {
					seen++
					if math.Abs(m.LR/w-1) > 1e-9 {
						t.Errorf("%s LR %g, by hand %g", m.Marker, m.LR, w)
					}
				} else if m.LR != 1 || m.Victim != "" {
					t.Errorf("%s untyped, LR %g", m.Marker, m.LR)
				}
			}
			if seen != 3 || dna.Markers[0].References["FA"] == "" {
				t.Errorf("markers: %d of 3, %+v", seen, dna.Markers[0])
			}
			if len(dna.Relatives) != 1 || dna.Relatives[0].Relation != "parent-child" {
				t.Errorf("relatives: %+v", dna.Relatives)
			}
			if len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0], "draft") {
				t.Errorf("warnings: %v", r.Warnings)
			}
			if r.Incident == nil || r.Incident.Code != "KW-1951-06-0042" || len(r.Remains) != 1 || r.Remains[0].Sample != "PM-철원-1" {
				t.Errorf("person/remains: %+v %+v", r.Incident, r.Remains)
			}
			// A changed input makes the recorded line stale and is named in the warnings.
			vic, _ := db.GetProfile(ctx, r.Identification.ProfileIDs[0])
			vic.Loci["TH01"] = []string{"6", "7"}
			if err := db.UpdateProfile(ctx, vic); err != nil {
				t.Fatal(err)
			}
			r, err = idreport.Gather(ctx, src, id, "admin", time.Now())
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Warnings) != 3 || !strings.Contains(r.Warnings[1], "stale") || !strings.Contains(r.Warnings[2], "differs") || r.Evidence[0].DNA.Agrees {
				t.Errorf("after a change: %v", r.Warnings)
			}
		})
	}
}

// fonts finds Nanum Gothic: embedded (package assets, put in place by scripts/assets) or where Debian's
// fonts-nanum installs it.
func fonts(t *testing.T) idreport.Fonts {
	if f, err := idreport.EmbeddedFonts(); err == nil {
		return f
	}
	for _, dir := range []string{"../assets", "/usr/share/fonts/truetype/nanum"} {
		reg, err1 := os.ReadFile(filepath.Join(dir, "NanumGothic.ttf"))
		bold, err2 := os.ReadFile(filepath.Join(dir, "NanumGothicBold.ttf"))
		if err1 == nil && err2 == nil {
			return idreport.Fonts{Regular: reg, Bold: bold}
		}
	}
	if os.Getenv("HOMEWARD_REQUIRE_ASSETS") == "1" {
		t.Fatal("Nanum Gothic not found: run scripts/assets")
	}
	t.Skip("Nanum Gothic not found (scripts/assets installs it)")
	return idreport.Fonts{}
}

// The PDF holds the Korean names as text (extracted again by poppler's pdftotext), the per-marker
// table, the pedigree as vectors (no image in the file, by poppler's pdfimages) and the family
// summary; the same report renders to the same bytes.
func TestPDF(t *testing.T) {
	f := fonts(t)
	db := storetest.Open(t, "sqlite")
	ctx, id, _ := setup(t, db)
	r, err := idreport.Gather(ctx, idreport.Sources{Registry: db, Containers: db, DNA: db, Idents: db, Family: db}, id, "admin", time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	var a, b bytes.Buffer
	if err := r.WritePDF(&a, f); err != nil {
		t.Fatal(err)
	}
	if err := r.WritePDF(&b, f); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(a.Bytes(), []byte("%PDF-")) || !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatalf("not a PDF or not reproducible (%d, %d bytes)", a.Len(), b.Len())
	}
	if err := (&idreport.Report{Identification: r.Identification, Person: r.Person}).WritePDF(&b, idreport.Fonts{}); err != idreport.ErrNoFonts {
		t.Errorf("no fonts: %v", err)
	}
	tool, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("HOMEWARD_REQUIRE_ASSETS") == "1" {
			t.Fatal("pdftotext not found (scripts/test-tools installs poppler-utils)")
		}
		t.Skip("pdftotext not found")
	}
	file := filepath.Join(t.TempDir(), "r.pdf")
	os.WriteFile(file, a.Bytes(), 0o600)
	out, err := exec.Command(tool, "-layout", file, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := string(out)
	for _, s := range []string{"김철수", "철원 Cheorwon", "K-1234567", "PM-철원-1", "D3S1358", "Product", "parent-child", "Summary for the family", "This identification is draft, not approved", "page 1 of"} {
		if !strings.Contains(text, s) {
			t.Errorf("PDF text lacks %q", s)
		}
	}
	// The pedigree is drawn with lines and shapes, not pasted as a picture: the PDF holds no image.
	if imgs, err := exec.Command(filepath.Join(filepath.Dir(tool), "pdfimages"), "-list", file).Output(); err != nil || strings.Count(strings.TrimSpace(string(imgs)), "\n") != 1 {
		t.Errorf("images in the report (the pedigree must be vectors): %v\n%s", err, imgs)
	}
	if dir := os.Getenv("HOMEWARD_REPORT_DIR"); dir != "" {
		os.WriteFile(filepath.Join(dir, "identification-report.pdf"), a.Bytes(), 0o644)
	}
	// In Korean: the report's own words and the family summary, the records and figures as they are.
	r.Lang = "ko"
	var k bytes.Buffer
	if err := r.WritePDF(&k, f); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(file, k.Bytes(), 0o600)
	if out, err = exec.Command(tool, "-layout", file, "-").Output(); err != nil {
		t.Fatal(err)
	}
	text = string(out)
	for _, s := range []string{"신원확인 보고서", "1. 실종자", "결합 DNA 우도비", "D3S1358", "곱", "유가족용 요약", "보고되었습니다", "1쪽", "상태: 초안", "김철수", "초안 상태이며 승인되지 않았습니다"} {
		if !strings.Contains(text, s) {
			t.Errorf("Korean PDF text lacks %q", s)
		}
	}
	if en := r.WarningsIn("en"); len(en) == 0 || en[0] != "This identification is draft, not approved." {
		t.Errorf("English warnings after the Korean ones were written: %q", en)
	}
	for _, s := range []string{"The missing person", "Summary for the family", "Product"} {
		if strings.Contains(text, s) {
			t.Errorf("Korean PDF text has English %q", s)
		}
	}
}

func TestFamilySummaryWords(t *testing.T) {
	db := storetest.Open(t, "sqlite")
	ctx, id, want := setup(t, db)
	r, err := idreport.Gather(ctx, idreport.Sources{Registry: db, Containers: db, DNA: db, Idents: db}, id, "admin", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(r.FamilySummary(), "\n")
	lr := want["D3S1358"] * want["TH01"] * want["FGA"]
	for _, s := range []string{"김철수 (일병, 9사단) was reported missing on 1951-06-12 near 철원 Cheorwon.", "not yet a confirmed identification", "1 relative: parent-child", "The teeth were compared"} {
		if !strings.Contains(text, s) {
			t.Errorf("summary lacks %q:\n%s", s, text)
		}
	}
	// LR 6.21 by hand; posterior with prior 1/12: 6.21/(6.21+11) = 36.1%.
	post := lr / (lr + 11)
	for _, s := range []string{fmt.Sprintf("about %.1f times more likely if the remains are 김철수", lr), fmt.Sprintf("is %.1f%%.", 100*post)} {
		if !strings.Contains(text, s) {
			t.Errorf("summary lacks %q:\n%s", s, text)
		}
	}
	if strings.Contains(text, "100%") {
		t.Errorf("certainty claimed:\n%s", text)
	}
}

// BenchmarkPDF renders the stored parent-child report (gathered once) to PDF.
//
//	go test ./idreport -run XXX -bench PDF
func BenchmarkPDF(b *testing.B) {
	f, err := idreport.EmbeddedFonts()
	if err != nil {
		b.Skip(err)
	}
	db := storetest.Open(b, "sqlite")
	ctx, id, _ := setup(b, db)
	r, err := idreport.Gather(ctx, idreport.Sources{Registry: db, Containers: db, DNA: db, Idents: db, Family: db}, id, "admin", time.Now())
	if err != nil {
		b.Fatal(err)
	}
	var size int
	for b.Loop() {
		var buf bytes.Buffer
		if err := r.WritePDF(&buf, f); err != nil {
			b.Fatal(err)
		}
		size = buf.Len()
	}
	b.ReportMetric(float64(size), "bytes")
}

// The family summary in Korean says the same from the same figures: the date in Korean order, the
// LR as "약 N배", the probability never rounded to certainty.
func TestFamilySummaryInKorean(t *testing.T) {
	db := storetest.Open(t, "sqlite")
	ctx, id, want := setup(t, db)
	r, err := idreport.Gather(ctx, idreport.Sources{Registry: db, Containers: db, DNA: db, Idents: db}, id, "admin", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(r.FamilySummaryIn("ko"), "\n")
	lr := want["D3S1358"] * want["TH01"] * want["FGA"]
	post := lr / (lr + 11)
	for _, s := range []string{"김철수 (일병, 9사단)께서는 1951년 6월 12일 철원 Cheorwon 부근에서 실종되신 것으로 보고되었습니다.", "아직 확정된 신원확인이 아니며",
		"(가족 1분: parent-child)", "치아를 치과 기록과 비교했습니다", fmt.Sprintf("약 %.1f 배 더 그럴듯합니다", lr), fmt.Sprintf("%.1f%%입니다.", 100*post), "담당관"} {
		if !strings.Contains(text, s) {
			t.Errorf("Korean summary lacks %q:\n%s", s, text)
		}
	}
	if strings.Contains(text, "100%") || strings.Contains(text, "reported") {
		t.Errorf("certainty claimed or English left:\n%s", text)
	}
	if en := strings.Join(r.FamilySummaryIn("en"), "\n"); en != strings.Join(r.FamilySummary(), "\n") {
		t.Error("English by name differs from the default")
	}
}
