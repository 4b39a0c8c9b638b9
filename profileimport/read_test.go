package profileimport

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/internal/golden"
	"github.com/homeward/homeward/labfmt/cmf"
)

func readString(t *testing.T, format, s string) ([]homeward.Profile, homeward.ProfileImportReport, error) {
	t.Helper()
	return read(strings.NewReader(s), Options{Format: format, File: "t.txt"})
}

// The reports on the shared real exports (strvalidator's GeneMapper-style tables), against golden
// files, and the facts checked by hand (awk) that the golden files must hold: ref3 has 3 samples x
// 17 markers, all typed (102 alleles, 51 data lines, the Remark column ignored); set3 has 38 sample
// names in 680 data lines, 3 of them allelic ladders (skipped), 26 samples left out (24 with more
// than two alleles at some marker, 2 with nothing called) and 9 clean.
func TestReadRealExports(t *testing.T) {
	for _, c := range []struct {
		name string
		role homeward.ProfileRole
	}{{"ref3", homeward.ProfileReference}, {"set3", ""}} {
		t.Run(c.name, func(t *testing.T) {
			f, err := os.Open(filepath.Join("..", "labfmt", "genemapper", "testdata", c.name+".txt"))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			ps, rep, err := read(f, Options{Format: "genemapper", File: c.name + ".txt", Role: c.role})
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range ps {
				if err := p.Validate(); err != nil {
					t.Errorf("%s: %v", p.Sample, err)
				}
			}
			got, _ := json.MarshalIndent(rep, "", "  ")
			golden.Check(t, filepath.Join("testdata", c.name+".import.json"), got)
			switch c.name {
			case "ref3":
				if len(ps) != 3 || rep.Alleles != 102 || rep.Lines != 51 || len(rep.Rejected) != 0 || len(rep.Ignored) == 0 {
					t.Errorf("ref3: %d profiles, %d alleles, %d lines, %d rejected, ignored %v", len(ps), rep.Alleles, rep.Lines, len(rep.Rejected), rep.Ignored)
				}
				// F2 gives homozygotes once, A2 twice: stored the same way.
				for _, p := range ps {
					for m, al := range p.Loci {
						if len(al) != 2 {
							t.Errorf("%s %s: %v", p.Sample, m, al)
						}
					}
				}
				if ps[1].Sample != "F2" || strings.Join(ps[1].Loci["D10S1248"], "/") != "14/14" || strings.Join(ps[1].Loci["AMEL"], "/") != "X/Y" {
					t.Errorf("F2: %+v", ps[1].Loci)
				}
			case "set3":
				if rep.Samples != 35 || rep.Lines != 680 || len(ps) != 9 || len(rep.LeftOut) != 26 {
					t.Errorf("set3: %d samples, %d lines, %d profiles, %d left out", rep.Samples, rep.Lines, len(ps), len(rep.LeftOut))
				}
			}
		})
	}
}

// Row-level problems are located and leave their sample out whole; file-level ones are errors.
func TestReadBadInput(t *testing.T) {
	h := "Sample Name\tMarker\tAllele 1\tAllele 2\n"
	for _, c := range []struct {
		name, in, errText string
	}{
		{"comma", "Sample Name,Marker,Allele 1\nS1,TH01,6\n", "separated by \",\""},
		{"semicolon", "Sample Name;Marker;Allele 1\n", "separated by \";\""},
		{"no alleles", "Sample Name\tMarker\n", "Allele"},
		{"empty", "\n\n", "empty file"},
		{"latin1", h + "S\xe9\tTH01\t6\t7\n", "line 2: not UTF-8"},
	} {
		if _, _, err := readString(t, "genemapper", c.in); err == nil || !strings.Contains(err.Error(), c.errText) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	ps, rep, err := readString(t, "genemapper", "\xef\xbb\xbf"+h+
		"S1\tTH01\t6\t7\r\n"+
		"S1\tFGA\t21\t22\r\n"+
		"S2\tTH01\t6\t7\n"+
		"S2\tTH01\t6\t8\n"+ // conflicting replicate call
		"S3\tvWA\t15\t16\t17\n"+ // a value beyond the header's columns
		"S4\tTH01\t6\t6\n"+
		"S4\tTH01\t6\n"+ // the same call again, in a row cut short
		"S5\tAMEL\tX\tZ\n"+
		"S6\tD99S999\t10\t11\n"+
		"S7\tTH01\t6\t7\n"+
		"S7\tTH01\t7\t6\n")
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, p := range ps {
		names[p.Sample] = true
	}
	if !names["S1"] || names["S2"] || names["S3"] || names["S5"] || !names["S6"] || !names["S7"] {
		t.Errorf("imported %v", names)
	}
	lines := map[int]string{}
	for _, r := range rep.Rejected {
		lines[r.Line] = r.Record + ": " + r.Message
	}
	if !strings.Contains(lines[5], "S2 TH01") || !strings.Contains(lines[5], "disagree") || !strings.Contains(lines[6], "beyond the last column") || !strings.Contains(lines[9], "amelogenin") {
		t.Errorf("rejected: %+v", rep.Rejected)
	}
	if len(rep.UnknownMarkers) != 1 || rep.UnknownMarkers[0] != "D99S999" {
		t.Errorf("unknown markers: %v", rep.UnknownMarkers)
	}
	if !strings.Contains(strings.Join(rep.LeftOut, ","), "S2") {
		t.Errorf("left out: %v", rep.LeftOut)
	}
}

// An off-ladder call leaves its marker untyped: dropping it from "15, OL" would make a 15/15
// homozygote that is not what the instrument saw. OL with two other calls is three alleles, and
// a victim's mixture is rejected at its row.
func TestReadOffLadderAndMixtures(t *testing.T) {
	h := "Sample Name\tMarker\tAllele 1\tAllele 2\tAllele 3\n"
	ps, rep, err := readString(t, "genemapper", h+"S1\tD3S1358\t15\tOL\t\nS1\tTH01\t6\t7\t\nS1\tFGA\tOL\t\t\nS2\tTH01\t6\t7\tOL\nS3\tvWA\t14\t15\t16\n")
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 1 || ps[0].Sample != "S1" {
		t.Fatalf("profiles %+v", ps)
	}
	if _, ok := ps[0].Loci["D3S1358"]; ok {
		t.Errorf("15/OL imported as %v", ps[0].Loci["D3S1358"])
	}
	if _, ok := ps[0].Loci["FGA"]; ok || len(ps[0].Loci["TH01"]) != 2 {
		t.Errorf("loci %v", ps[0].Loci)
	}
	warned := 0
	for _, w := range rep.Warnings {
		if strings.Contains(w.Message, "off-ladder") {
			warned++
		}
	}
	lines := map[int]string{}
	for _, r := range rep.Rejected {
		lines[r.Line] = r.Message
	}
	if warned < 2 || len(rep.Rejected) != 2 || !strings.Contains(lines[5], "3 alleles (6, 7, OL)") || !strings.Contains(lines[6], "3 alleles (14, 15, 16)") {
		t.Errorf("warnings %d, rejected %+v", warned, rep.Rejected)
	}
}

// What Homeward writes as a GeneMapper table reads back to the same genotypes.
func TestGeneMapperRoundTrip(t *testing.T) {
	f, _ := os.Open(filepath.Join("..", "labfmt", "genemapper", "testdata", "ref3.txt"))
	defer f.Close()
	ps, _, err := read(f, Options{Format: "genemapper"})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := writeGeneMapper(&buf, ps); err != nil {
		t.Fatal(err)
	}
	back, rep, err := read(&buf, Options{Format: "genemapper"})
	if err != nil || len(rep.Rejected) != 0 || len(back) != len(ps) {
		t.Fatalf("round trip: %v %+v", err, rep.Rejected)
	}
	for i := range ps {
		for m, al := range ps[i].Loci {
			b := back[i].Loci[m]
			if len(b) != 2 || !(al[0] == b[0] && al[1] == b[1] || al[0] == b[1] && al[1] == b[0]) {
				t.Errorf("%s %s: %v -> %v", ps[i].Sample, m, al, b)
			}
		}
	}
}

// CMF: roles from the specimen categories, homozygotes doubled, a casework category and a mixture
// rejected at their lines.
func TestReadCMF(t *testing.T) {
	f, err := os.Open("../labfmt/cmf/testdata/missing-persons.xml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ps, rep, err := read(f, Options{Format: "cmf", File: "missing-persons.xml"})
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 3 || rep.Samples != 5 || strings.Join(rep.LeftOut, ",") != "MIX-1,Q-77" {
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
		lines[strings.Fields(r.Record)[0]] = r.Line
	}
	// Q-77's SPECIMEN tag is on line 58; MIX-1's, on line 66, holds the mixed LOCUS after it.
	if lines["Q-77"] != 58 || lines["MIX-1"] <= 66 {
		t.Errorf("rejected lines: %+v", rep.Rejected)
	}
	// Written back as CMF and read again: references are written as "Other" and so read back
	// only with the role given.
	var buf bytes.Buffer
	if err := writeCMF(&buf, ps, cmf.Header{DestinationORI: "HW1", SourceLab: "LAB", SubmitBy: "me", At: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	back, _, err := read(bytes.NewReader(buf.Bytes()), Options{Format: "cmf", Role: homeward.ProfileReference})
	if err != nil || len(back) != 3 {
		t.Fatalf("read back: %v %d", err, len(back))
	}
	for i := range ps {
		for m, al := range ps[i].Loci {
			if strings.Join(back[i].Loci[m], "/") != strings.Join(al, "/") {
				t.Errorf("%s %s: %v -> %v", ps[i].Sample, m, al, back[i].Loci[m])
			}
		}
	}
	for _, in := range []string{"", "<html></html>", "<CODISImportFile xmlns=\"urn:CODISImportFile-schema\"><SPECIMEN>", "Sample Name\tMarker\n"} {
		if _, _, err := read(strings.NewReader(in), Options{Format: "cmf", File: "x.xml"}); err == nil || !strings.Contains(err.Error(), "x.xml") {
			t.Errorf("%q: %v", in, err)
		}
	}
}

// Whatever a file holds, what is read is stored-profile shaped: two alleles a marker, every
// sample either read or left out.
func FuzzRead(f *testing.F) {
	for _, n := range []string{"../labfmt/genemapper/testdata/ref3.txt", "../labfmt/genemapper/testdata/set3.txt", "../labfmt/cmf/testdata/missing-persons.xml"} {
		b, _ := os.ReadFile(n)
		f.Add(string(b[:min(len(b), 4000)]))
	}
	f.Add("Sample Name\tMarker\tAllele 1\nS\tAMEL\tQ\n")
	f.Fuzz(func(t *testing.T, s string) {
		for _, format := range []string{"genemapper", "cmf"} {
			ps, rep, err := read(strings.NewReader(s), Options{Format: format})
			if err != nil {
				continue
			}
			for _, p := range ps {
				if err := p.Validate(); err != nil {
					t.Fatalf("%s: %v", format, err)
				}
				for m, al := range p.Loci {
					if len(al) != 2 && m != "AMEL" {
						t.Fatalf("%s %s %s: %v", format, p.Sample, m, al)
					}
				}
			}
			if len(ps) > rep.Samples {
				t.Fatalf("%s: %d profiles from %d samples", format, len(ps), rep.Samples)
			}
		}
	})
}
