package cmf

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/homeward/homeward"
)

func TestRead(t *testing.T) {
	f, err := os.Open("testdata/missing-persons.xml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ps, rep, err := Read(f, Options{File: "missing-persons.xml"})
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 3 || rep.Samples != 5 || len(rep.Rejected) != 2 || strings.Join(rep.LeftOut, ",") != "Q-77,MIX-1" {
		t.Fatalf("profiles %d, report %+v", len(ps), rep)
	}
	v := ps[0]
	if v.Sample != "K55-S003" || v.Role != homeward.ProfileVictim || v.Kit != "GlobalFiler" ||
		strings.Join(v.Loci["vWA"], "/") != "16/16" || strings.Join(v.Loci["TH01"], "/") != "6/9.3" || strings.Join(v.Loci["AMEL"], "/") != "X/Y" {
		t.Errorf("victim: %+v", v)
	}
	if ps[1].Role != homeward.ProfileReference || ps[2].Role != homeward.ProfileElimination || strings.Join(ps[2].Loci["D3S1358"], "/") != "14/14" {
		t.Errorf("roles: %s %s %v", ps[1].Role, ps[2].Role, ps[2].Loci)
	}
	lines := map[string]int{}
	for _, r := range rep.Rejected {
		lines[r.Record] = r.Line
	}
	if lines["Q-77"] != 58 || lines["MIX-1"] != 66 { // the lines of their <SPECIMEN> tags (grep -n)
		t.Errorf("rejected lines: %+v", rep.Rejected)
	}
	for _, p := range ps {
		if err := p.Validate(); err != nil {
			t.Error(err)
		}
	}
}

func TestRoundTrip(t *testing.T) {
	f, _ := os.Open("testdata/missing-persons.xml")
	defer f.Close()
	ps, _, err := Read(f, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := Write(&buf, ps, Header{DestinationORI: "HW1", SourceLab: "LAB", SubmitBy: "me", At: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)}, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `<CODISImportFile xmlns="urn:CODISImportFile-schema">`) || !strings.Contains(buf.String(), "<SPECIMENCATEGORY>Unidentified Person</SPECIMENCATEGORY>") {
		t.Errorf("written:\n%s", buf.String()[:400])
	}
	// References are written as "Other"; read back with the role given.
	back, rep, err := Read(&buf, Options{})
	if err != nil || len(back) != 2 || len(rep.Rejected) != 1 {
		t.Fatalf("read back: %v %d %+v", err, len(back), rep.Rejected)
	}
	buf.Reset()
	Write(&buf, ps, Header{}, nil)
	back, _, _ = Read(&buf, Options{Role: homeward.ProfileReference})
	if len(back) != 3 {
		t.Fatalf("with role: %d", len(back))
	}
	for i := range ps {
		for m, al := range ps[i].Loci {
			if strings.Join(back[i].Loci[m], "/") != strings.Join(al, "/") {
				t.Errorf("%s %s: %v -> %v", ps[i].Sample, m, al, back[i].Loci[m])
			}
		}
	}
}

func TestBadXML(t *testing.T) {
	for _, in := range []string{"", "<html></html>", "<CODISImportFile xmlns=\"urn:CODISImportFile-schema\"><SPECIMEN>", "Sample Name\tMarker\n"} {
		if _, _, err := Read(strings.NewReader(in), Options{File: "x.xml"}); err == nil || !strings.Contains(err.Error(), "x.xml") {
			t.Errorf("%q: %v", in, err)
		}
	}
}

func FuzzRead(f *testing.F) {
	b, _ := os.ReadFile("testdata/missing-persons.xml")
	f.Add(string(b))
	f.Add(`<CODISImportFile xmlns="urn:CODISImportFile-schema"><SPECIMEN><SPECIMENID>a</SPECIMENID></SPECIMEN></CODISImportFile>`)
	f.Fuzz(func(t *testing.T, s string) {
		ps, rep, err := Read(strings.NewReader(s), Options{})
		if err != nil {
			return
		}
		for _, p := range ps {
			if p.Sample == "" || len(p.Loci) == 0 {
				t.Fatalf("empty profile %+v", p)
			}
			for _, al := range p.Loci {
				if len(al) != 2 {
					t.Fatalf("%v", al)
				}
			}
		}
		if len(ps) > rep.Samples {
			t.Fatalf("%d profiles from %d samples", len(ps), rep.Samples)
		}
	})
}
