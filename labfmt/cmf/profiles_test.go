package cmf

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/homeward/homeward/internal/golden"
	"github.com/homeward/homeward/labfmt/profile"
)

// The reports of ReadProfiles on the hand-written files, against golden JSON (-update rewrites
// them). The expected figures were worked out by hand from the files (line numbers: grep -n):
//
//	references.xml: 10 SPECIMEN elements, 9 distinct ids. Imported: UHR-0042-01 (victim, 5 allele
//	values), REF-0042-TB (4), REF-0042-F (1; its second D3S1358 LOCUS at line 55 repeats line 51's 16 ->
//	warning), STAFF-11 (elimination, 3; D99S999 unknown at line 91 -> warning) = 13 alleles at 4
//	markers (D3S1358, Penta D, AMEL, D99S999). Rejected: REF-0042-S line 64 (three alleles in a
//	reference), REF-0042-C line 78 (14 against 15), CO-555 line 96 (Convicted Offender), DUP-1 at
//	lines 104 and 112 (one id twice). EMPTY-1 (line 120) has no value: a warning, left out.
//	missing-persons.xml: 5 specimens; Q-77 (line 58, Forensic, Unknown) rejected; MIX-1 is a
//	victim and keeps its three alleles; 7+4+2+3 = 16 allele values at D3S1358, vWA, TH01, AMEL.
func TestReadProfilesFiles(t *testing.T) {
	for _, c := range []struct {
		file                              string
		samples, markers, alleles, profs  int
		rejectedLines, warnLines, leftOut string
	}{
		{"references.xml", 9, 4, 13, 4, "64,78,96,104,112", "55,91,120", "REF-0042-S,REF-0042-C,CO-555,DUP-1,EMPTY-1"},
		{"missing-persons.xml", 5, 4, 16, 4, "58", "", "Q-77"},
	} {
		t.Run(c.file, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join("testdata", c.file))
			if err != nil {
				t.Fatal(err)
			}
			ps, rep, err := ReadProfiles(bytes.NewReader(b), ProfileOptions{File: c.file})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Samples != c.samples || rep.Markers != c.markers || rep.Alleles != c.alleles || len(ps) != c.profs ||
				lines(rep.Rejected) != c.rejectedLines || lines(rep.Warnings) != c.warnLines || strings.Join(rep.LeftOut, ",") != c.leftOut {
				t.Errorf("samples %d markers %d alleles %d profiles %d rejected at %s warned at %s left out %v",
					rep.Samples, rep.Markers, rep.Alleles, len(ps), lines(rep.Rejected), lines(rep.Warnings), rep.LeftOut)
			}
			got, _ := json.MarshalIndent(rep, "", "  ")
			golden.Check(t, filepath.Join("testdata", strings.TrimSuffix(c.file, ".xml")+".report.json"), got)
		})
	}
}

func lines(ps []profile.Problem) string {
	var s []string
	for _, p := range ps {
		s = append(s, itoa(p.Line))
	}
	return strings.Join(s, ",")
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func TestReadProfilesContent(t *testing.T) {
	f, _ := os.Open(filepath.Join("testdata", "references.xml"))
	defer f.Close()
	ps, _, err := ReadProfiles(f, ProfileOptions{File: "references.xml"})
	if err != nil {
		t.Fatal(err)
	}
	want := profile.Profile{Sample: "UHR-0042-01", Role: profile.RoleVictim, Kit: "PowerPlex Fusion 6C", Source: profile.Source{File: "references.xml", Line: 10},
		Loci: []profile.Locus{
			{Marker: "D3S1358", Raw: "D3S1358", Alleles: []string{"14", "16"}, Line: 14},
			{Marker: "Penta D", Raw: "PENTA_D", Alleles: []string{"9", "13"}, Line: 21},
			{Marker: "AMEL", Raw: "AMEL", Alleles: []string{"X"}, Line: 28},
		}}
	if !reflect.DeepEqual(ps[0], want) {
		t.Errorf("victim\n got %+v\nwant %+v", ps[0], want)
	}
	roles := []string{}
	for _, p := range ps {
		roles = append(roles, p.Sample+"="+p.Role)
	}
	if got := strings.Join(roles, " "); got != "UHR-0042-01=victim REF-0042-TB=reference REF-0042-F=reference STAFF-11=elimination" {
		t.Errorf("roles: %s", got)
	}
	// A category mapping given by the caller imports what the table refuses.
	f.Seek(0, 0)
	ps, rep, _ := ReadProfiles(f, ProfileOptions{Categories: map[string]string{"Convicted  offender": profile.RoleElimination}})
	if len(ps) != 5 || ps[4].Sample != "CO-555" || ps[4].Role != profile.RoleElimination || strings.Contains(lines(rep.Rejected), "96") {
		t.Errorf("extra category: %d profiles, rejected %s", len(ps), lines(rep.Rejected))
	}
}

func TestReadProfilesBadInput(t *testing.T) {
	for _, c := range []struct{ name, in, err string }{
		{"not xml", "Sample Name\tMarker\n", "no CODISImportFile"},
		{"other root", "<?xml version=\"1.0\"?>\n<Profiles><SPECIMEN/></Profiles>", "line 2: root element"},
		{"other namespace", `<CODISImportFile xmlns="urn:other"></CODISImportFile>`, "not a CMF file"},
		{"broken", "<CODISImportFile>\n<SPECIMEN>\n<SPECIMENID>A</SPECIMEN>", "line 3: not well-formed"},
		{"truncated", "<CODISImportFile>\n<SPECIMEN>\n", "unexpected EOF"},
	} {
		if _, _, err := ReadProfiles(strings.NewReader(c.in), ProfileOptions{File: "x.xml"}); err == nil || !strings.Contains(err.Error(), c.err) {
			t.Errorf("%s: %v, want %q", c.name, err, c.err)
		}
	}
	_, rep, err := ReadProfiles(strings.NewReader("<CODISImportFile><HEADERVERSION>2.0</HEADERVERSION></CODISImportFile>"), ProfileOptions{})
	if err != nil || len(rep.Warnings) != 1 || rep.Warnings[0].Field != "HEADERVERSION" {
		t.Errorf("old version: %v %+v", err, rep.Warnings)
	}
}

func TestWriteProfilesRoundTrip(t *testing.T) {
	f, _ := os.Open(filepath.Join("testdata", "references.xml"))
	defer f.Close()
	ps, _, err := ReadProfiles(f, ProfileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	o := WriteOptions{Header: Header{DestinationORI: "XX0000000", SourceLab: "MPLAB", SubmitBy: "jdoe", At: time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)},
		RoleCategories: map[string]string{profile.RoleReference: "Biological Father"}}
	if err := WriteProfiles(&buf, ps, o); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, s := range []string{`<CODISImportFile xmlns="urn:CODISImportFile-schema">`, "<HEADERVERSION>3.2</HEADERVERSION>", "<SUBMITDATETIME>2026-11-24T12:00:00</SUBMITDATETIME>",
		"<SPECIMENCATEGORY>Unidentified Human (Remains)</SPECIMENCATEGORY>", "<SPECIMENCATEGORY>Staff</SPECIMENCATEGORY>", `<LOCUS KIT="PowerPlex Fusion 6C">`, "<READINGBY>jdoe</READINGBY>"} {
		if !strings.Contains(out, s) {
			t.Errorf("written file lacks %s", s)
		}
	}
	back, rep, err := ReadProfiles(strings.NewReader(out), ProfileOptions{})
	if err != nil || len(rep.Rejected) != 0 || len(back) != len(ps) {
		t.Fatalf("read back: %v %+v", err, rep.Rejected)
	}
	for i := range ps {
		if !sameProfile(ps[i], back[i]) {
			t.Errorf("%+v\n%+v", ps[i], back[i])
		}
	}
	// A reference without a category, an off-ladder call, an invalid profile: errors naming them.
	for _, c := range []struct {
		p    profile.Profile
		want string
	}{
		{profile.Profile{Sample: "R", Role: profile.RoleReference, Loci: []profile.Locus{{Marker: "TH01", Alleles: []string{"6"}}}}, `sample "R": no CMF specimen category`},
		{profile.Profile{Sample: "V", Role: profile.RoleVictim, Loci: []profile.Locus{{Marker: "TH01", Alleles: []string{"6", "OL"}}}}, `sample "V" marker "TH01": an off-ladder`},
		{profile.Profile{Sample: "E", Role: profile.RoleElimination, Loci: []profile.Locus{{Marker: "AMEL", Alleles: []string{"Q"}}}}, `sample "E" marker "AMEL"`},
	} {
		var b bytes.Buffer
		if err := WriteProfiles(&b, []profile.Profile{c.p}, WriteOptions{}); err == nil || !strings.Contains(err.Error(), c.want) || b.Len() != 0 {
			t.Errorf("%s: %v (%d bytes written), want %q", c.p.Sample, err, b.Len(), c.want)
		}
	}
}

// sameProfile compares what CMF carries: sample, role, kit, markers and alleles.
func sameProfile(a, b profile.Profile) bool {
	if a.Sample != b.Sample || a.Role != b.Role || a.Kit != b.Kit || len(a.Loci) != len(b.Loci) {
		return false
	}
	for i := range a.Loci {
		if a.Loci[i].Marker != b.Loci[i].Marker || !reflect.DeepEqual(a.Loci[i].Alleles, b.Loci[i].Alleles) {
			return false
		}
	}
	return true
}

func FuzzReadProfiles(f *testing.F) {
	for _, n := range []string{"references.xml", "missing-persons.xml"} {
		b, _ := os.ReadFile(filepath.Join("testdata", n))
		f.Add(b)
	}
	f.Add([]byte("<CODISImportFile><SPECIMEN><SPECIMENID>a</SPECIMENID><SPECIMENCATEGORY>Staff</SPECIMENCATEGORY><LOCUS><LOCUSNAME>x</LOCUSNAME><ALLELE><ALLELEVALUE>ol</ALLELEVALUE></ALLELE></LOCUS></SPECIMEN></CODISImportFile>"))
	f.Fuzz(func(t *testing.T, in []byte) {
		ps, rep, err := ReadProfiles(bytes.NewReader(in), ProfileOptions{})
		if err != nil {
			return
		}
		if len(ps)+len(rep.LeftOut) != rep.Samples {
			t.Fatalf("%d profiles + %d left out != %d samples", len(ps), len(rep.LeftOut), rep.Samples)
		}
		var keep []profile.Profile
		for _, p := range ps {
			if err := p.Validate(); err != nil {
				t.Fatal(err)
			}
			ol := false
			for _, l := range p.Loci {
				ol = ol || contains(l.Alleles, profile.OffLadder)
			}
			if !ol {
				keep = append(keep, p)
			}
		}
		var buf bytes.Buffer
		if err := WriteProfiles(&buf, keep, WriteOptions{RoleCategories: map[string]string{profile.RoleReference: "Sibling"}}); err != nil {
			t.Fatalf("write: %v", err)
		}
		back, rep2, err := ReadProfiles(&buf, ProfileOptions{})
		if err != nil || len(back) != len(keep) || len(rep2.Rejected) != 0 {
			t.Fatalf("read back: %v, %d of %d, %+v\n%s", err, len(back), len(keep), rep2.Rejected, buf.String())
		}
		for i := range keep {
			if !sameProfile(keep[i], back[i]) {
				t.Fatalf("%+v\n%+v", keep[i], back[i])
			}
		}
	})
}
