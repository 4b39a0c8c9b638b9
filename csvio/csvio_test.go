package csvio

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/homeward/homeward"
)

var update = flag.Bool("update", false, "rewrite golden files")

func fp(f float64) *float64 { return &f }
func ip(n int) *int         { return &n }

func sampleIncidents() []homeward.Incident {
	return []homeward.Incident{
		{Code: "KW-1950-11-0001", Date: "1950-11-28", Kind: homeward.IncidentGroundAction, Place: "Sinhung-ri, east of Chosin Reservoir",
			Coordinates: homeward.Coordinates{Lat: fp(40.4123), Lon: fp(127.3004), PrecisionM: fp(2000)}, Description: "Task Force Faith, \"RCT-31\", overrun"},
		{Code: "KW-1951-03-0002", Kind: homeward.IncidentAirLoss, Place: "near Pyongyang"},
	}
}

func samplePersons() []homeward.MissingPerson {
	one := int64(1)
	return []homeward.MissingPerson{
		{ServiceNumber: "RA12345678", FamilyName: "Harlan", GivenNames: "Walter J.", Nationality: "USA", Branch: "Army",
			Unit: "32nd Infantry Regiment, 7th Infantry Division", Rank: "Cpl", Status: homeward.StatusUnaccounted, IncidentID: &one,
			DateOfLoss: "1950-12-01", Sex: homeward.SexMale, StatureCM: fp(175.3), AgeAtLoss: ip(19), Ancestry: "European",
			DentalChart: "1: missing; 19: MO amalgam\nother teeth sound", Notes: "comma, and \"quote\""},
		{FamilyName: "Kim", Nationality: "KOR", Status: homeward.StatusNonRecoverable},
	}
}

func sampleFamily() []homeward.FamilyMember {
	return []homeward.FamilyMember{
		{MissingPersonID: 1, FamilyName: "Harlan", GivenNames: "Ruth", Sex: homeward.SexFemale, Relationship: "sister",
			Consent: homeward.Consent{Given: true, Date: "2004-05-06", Scope: "DNA reference comparison only"}, Contact: "+1 555 0100"},
		{MissingPersonID: 2, FamilyName: "Kim", GivenNames: "Young-ho", NativeName: "김영호", Relationship: "nephew"},
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(p, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from golden:\n%s", name, got)
	}
}

func TestIncidentsRoundTrip(t *testing.T) {
	in := sampleIncidents()
	var buf bytes.Buffer
	if err := WriteIncidents(&buf, in); err != nil {
		t.Fatal(err)
	}
	golden(t, "incidents.csv", buf.Bytes())
	rows, problems, err := ReadIncidents(bytes.NewReader(buf.Bytes()))
	if err != nil || len(problems) > 0 {
		t.Fatalf("read back: %v %v", err, problems)
	}
	got, lines := Incidents(rows)
	if !reflect.DeepEqual(got, in) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, in)
	}
	if !reflect.DeepEqual(lines, []int{2, 3}) {
		t.Errorf("lines %v", lines)
	}
	var js bytes.Buffer
	if err := WriteJSON(&js, in); err != nil {
		t.Fatal(err)
	}
	golden(t, "incidents.json", js.Bytes())
}

func TestMissingPersonsRoundTrip(t *testing.T) {
	in := samplePersons()
	var buf bytes.Buffer
	codes := map[int64]string{1: "KW-1950-11-0001"}
	if err := WriteMissingPersons(&buf, in, func(id int64) string { return codes[id] }); err != nil {
		t.Fatal(err)
	}
	golden(t, "missing_persons.csv", buf.Bytes())
	rows, problems, err := ReadMissingPersons(bytes.NewReader(buf.Bytes()))
	if err != nil || len(problems) > 0 {
		t.Fatalf("read back: %v %v", err, problems)
	}
	if rows[0].IncidentCode != "KW-1950-11-0001" || rows[1].Line != 4 { // the dental chart spans two lines
		t.Errorf("rows %+v", rows)
	}
	if p := ResolveIncidents(rows, map[string]int64{"KW-1950-11-0001": 1}); len(p) != 0 {
		t.Fatal(p)
	}
	got, _ := MissingPersons(rows)
	if !reflect.DeepEqual(got, in) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, in)
	}
	if p := ResolveIncidents(rows, map[string]int64{}); len(p) != 1 || p[0].Field != "incident_code" || p[0].Record != "RA12345678" {
		t.Errorf("unknown incident code: %+v", p)
	}
}

func TestFamilyMembersRoundTrip(t *testing.T) {
	in := sampleFamily()
	var buf bytes.Buffer
	sns := map[int64]string{1: "RA12345678"}
	if err := WriteFamilyMembers(&buf, in, func(id int64) string { return sns[id] }); err != nil {
		t.Fatal(err)
	}
	golden(t, "family_members.csv", buf.Bytes())
	rows, problems, err := ReadFamilyMembers(bytes.NewReader(buf.Bytes()))
	if err != nil || len(problems) > 0 {
		t.Fatalf("read back: %v %v", err, problems)
	}
	if p := ResolveMissingPersons(rows, map[string]int64{"RA12345678": 1}); len(p) != 0 {
		t.Fatal(p)
	}
	got, _ := FamilyMembers(rows)
	if !reflect.DeepEqual(got, in) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, in)
	}
}

func TestHeaderErrors(t *testing.T) {
	tests := []struct {
		name, csv, want string
		read            func(string) error
	}{
		{"unknown column", "code,kind,colour\n", `unknown column "colour"`, readInc},
		{"missing required", "code,date\n", `required column "kind" is missing`, readInc},
		{"duplicate", "code,kind,code\n", `"code" appears twice`, readInc},
		{"empty", "", "empty file", readInc},
		{"person without family_name", "service_number\n", `"family_name"`, readMP},
		{"family without reference", "family_name,relationship\n", "missing_service_number or missing_person_id", readFM},
	}
	for _, tt := range tests {
		err := tt.read(tt.csv)
		if err == nil || !strings.Contains(err.Error(), tt.want) || homeward.ErrorCode(err) != homeward.EINVALID {
			t.Errorf("%s: %v, want invalid mentioning %s", tt.name, err, tt.want)
		}
	}
}

func readInc(s string) error { _, _, err := ReadIncidents(strings.NewReader(s)); return err }
func readMP(s string) error  { _, _, err := ReadMissingPersons(strings.NewReader(s)); return err }
func readFM(s string) error  { _, _, err := ReadFamilyMembers(strings.NewReader(s)); return err }

func TestAllRowProblemsCollected(t *testing.T) {
	csv := "service_number,family_name,status,stature_cm,age_at_loss,date_of_loss,sex,nationality\n" +
		"A1,Smith,unaccounted,175,20,1950-11-30,male,USA\n" +
		"A2,,lost,tall,-3,1950-13-01,m,usa\n" +
		"\n" +
		"A1,Jones,,300,,,,\n"
	rows, problems, err := ReadMissingPersons(strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 {
		t.Errorf("%d rows, want 3 (blank line skipped)", len(rows))
	}
	type key struct {
		line          int
		record, field string
	}
	got := map[key]bool{}
	for _, p := range problems {
		got[key{p.Line, p.Record, p.Field}] = true
		if p.Message == "" {
			t.Errorf("empty message: %+v", p)
		}
	}
	want := []key{
		{3, "A2", "family_name"}, {3, "A2", "status"}, {3, "A2", "stature_cm"}, {3, "A2", "age_at_loss"},
		{3, "A2", "date_of_loss"}, {3, "A2", "sex"}, {3, "A2", "nationality"},
		{5, "A1", "service_number"}, {5, "A1", "stature_cm"},
	}
	for _, w := range want {
		if !got[w] {
			t.Errorf("missing problem %+v; got %+v", w, problems)
		}
	}
	if len(problems) != len(want) {
		t.Errorf("%d problems, want %d: %+v", len(problems), len(want), problems)
	}
}

func TestIncidentAndFamilyProblems(t *testing.T) {
	_, problems, err := ReadIncidents(strings.NewReader("code,kind,lat,lon,precision_m\n,flood,91,,-1\nX,ground-action,1,2,3\nX,air-loss,,,\n"))
	if err != nil {
		t.Fatal(err)
	}
	fields := []string{}
	for _, p := range problems {
		fields = append(fields, p.Field)
	}
	want := []string{"code", "kind", "lon", "lat", "precision_m", "code"}
	if !reflect.DeepEqual(fields, want) {
		t.Errorf("incident problem fields %v, want %v (%+v)", fields, want, problems)
	}
	_, problems, err = ReadFamilyMembers(strings.NewReader("missing_service_number,missing_person_id,family_name,relationship,consent_given,consent_date\nA1,5,Lee,son,maybe,2020-02-30\n,,Lee,,,\n,x,Park,niece,yes,\n"))
	if err != nil {
		t.Fatal(err)
	}
	fields = fields[:0]
	for _, p := range problems {
		fields = append(fields, p.Field)
	}
	want = []string{"missing_person_id", "consent_given", "consent_date", "missing_service_number", "relationship", "missing_person_id"}
	if !reflect.DeepEqual(fields, want) {
		t.Errorf("family problem fields %v, want %v (%+v)", fields, want, problems)
	}
}

func TestMalformedCSV(t *testing.T) {
	_, _, err := ReadIncidents(strings.NewReader("code,kind\n\"unterminated,air-loss\n"))
	if err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("malformed CSV: %v", err)
	}
}

func fuzzSeeds(f *testing.F, dir string) {
	for _, n := range []string{"incidents.csv", "missing_persons.csv", "family_members.csv"} {
		if b, err := os.ReadFile(filepath.Join(dir, n)); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("code,kind\nA,air-loss\n"))
}

// checkProblems asserts what every parser promises: problems name a line within the file and a field.
func checkProblems(t *testing.T, data []byte, problems []homeward.RowProblem) {
	lines := bytes.Count(data, []byte("\n")) + 1
	for _, p := range problems {
		if p.Line < 2 || p.Line > lines || p.Message == "" {
			t.Fatalf("bad problem %+v for %d-line input", p, lines)
		}
	}
}

func FuzzReadIncidents(f *testing.F) {
	fuzzSeeds(f, "testdata")
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, problems, err := ReadIncidents(bytes.NewReader(data))
		if err != nil {
			return
		}
		checkProblems(t, data, problems)
		if len(problems) == 0 {
			recs, _ := Incidents(rows)
			var buf bytes.Buffer
			if err := WriteIncidents(&buf, recs); err != nil {
				t.Fatal(err)
			}
			back, p2, err := ReadIncidents(&buf)
			if err != nil || len(p2) > 0 {
				t.Fatalf("export of accepted rows not re-importable: %v %v", err, p2)
			}
			got, _ := Incidents(back)
			if !reflect.DeepEqual(got, recs) {
				t.Fatalf("round trip changed records:\n%+v\n%+v", got, recs)
			}
		}
	})
}

func FuzzReadMissingPersons(f *testing.F) {
	fuzzSeeds(f, "testdata")
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, problems, err := ReadMissingPersons(bytes.NewReader(data))
		if err != nil {
			return
		}
		checkProblems(t, data, problems)
		if len(problems) == 0 {
			recs, _ := MissingPersons(rows)
			for _, r := range recs {
				if err := r.Validate(); err != nil {
					t.Fatalf("accepted row fails Validate: %v", err)
				}
			}
		}
	})
}

func FuzzReadFamilyMembers(f *testing.F) {
	fuzzSeeds(f, "testdata")
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, problems, err := ReadFamilyMembers(bytes.NewReader(data))
		if err != nil {
			return
		}
		checkProblems(t, data, problems)
		if len(problems) == 0 {
			for _, r := range rows {
				if (r.MissingServiceNumber == "") == (r.Member.MissingPersonID == 0) {
					t.Fatalf("accepted row without exactly one reference: %+v", r)
				}
			}
		}
	})
}
