package genemapper

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/homeward/homeward"
)

var update = flag.Bool("update", false, "rewrite the golden reports")

// The reports on the shared real exports, against golden files. Checked by hand (awk) when first
// written: ref3 has 3 samples x 17 markers, all typed (102 alleles, 51 data lines, the Remark column
// ignored); set3 has 38 sample names in 680 data lines, of which 3 are allelic ladders (skipped) and
// 24 have a marker with more than two called alleles (left out whole: controls and stutter-laden
// replicates).
func TestRealExports(t *testing.T) {
	for _, name := range []string{"ref3", "set3"} {
		t.Run(name, func(t *testing.T) {
			f, err := os.Open(filepath.Join("testdata", name+".txt"))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			ps, rep, err := Read(f, Options{File: name + ".txt", Role: homeward.ProfileReference})
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range ps {
				if err := p.Validate(); err != nil {
					t.Errorf("%s: %v", p.Sample, err)
				}
			}
			got, _ := json.MarshalIndent(rep, "", "  ")
			golden := filepath.Join("testdata", name+".golden.json")
			if *update {
				os.WriteFile(golden, append(got, '\n'), 0o644)
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(bytes.TrimSpace(got), bytes.TrimSpace(want)) {
				t.Errorf("report differs from %s (go test -update to accept)", golden)
			}
			switch name {
			case "ref3":
				if len(ps) != 3 || rep.Alleles != 102 || rep.Lines != 51 || len(rep.Rejected) != 0 {
					t.Errorf("ref3: %d profiles, %d alleles, %d lines, %d rejected", len(ps), rep.Alleles, rep.Lines, len(rep.Rejected))
				}
				// F2 gives homozygotes once, A2 twice, bc in lower case: all the same shape.
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
				if rep.Samples != 35 || rep.Lines != 680 || len(ps)+len(rep.LeftOut) != 35 {
					t.Errorf("set3: %d samples, %d lines, %d profiles, %d left out", rep.Samples, rep.Lines, len(ps), len(rep.LeftOut))
				}
			}
		})
	}
}

func read(t *testing.T, s string) ([]homeward.Profile, homeward.ProfileImportReport, error) {
	t.Helper()
	return Read(strings.NewReader(s), Options{File: "t.txt"})
}

func TestBadInput(t *testing.T) {
	h := "Sample Name\tMarker\tAllele 1\tAllele 2\n"
	for _, c := range []struct {
		name, in, errText string
	}{
		{"comma", "Sample Name,Marker,Allele 1\nS1,TH01,6\n", "separated by \",\""},
		{"semicolon", "Sample Name;Marker;Allele 1\n", "separated by \";\""},
		{"no alleles", "Sample Name\tMarker\n", "Allele 1"},
		{"empty", "\n\n", "empty file"},
		{"latin1", h + "S\xe9\tTH01\t6\t7\n", "line 2: not UTF-8"},
	} {
		if _, _, err := read(t, c.in); err == nil || !strings.Contains(err.Error(), c.errText) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	// Row-level problems are located and leave the sample out whole.
	ps, rep, err := read(t, "\xef\xbb\xbf"+h+
		"S1\tTH01\t6\t7\r\n"+
		"S1\tFGA\t21\t22\r\n"+
		"S2\tTH01\t6\t7\n"+
		"S2\tTH01\t6\t8\n"+ // conflicting replicate call
		"S3\tvWA\t15\t16\t17\n"+ // a value beyond the header's columns
		"S4\tTH01\t6\t6\n"+
		"S4\tTH01\t6\n"+ // the same call again (truncated row: fewer fields)
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
		lines[r.Line] = r.Message
	}
	if !strings.Contains(lines[5], "conflicts with line 4") || !strings.Contains(lines[8], "fields") || !strings.Contains(lines[9], "amelogenin") || !strings.Contains(lines[6], "beyond the last column") {
		t.Errorf("rejected: %+v", rep.Rejected)
	}
	if len(rep.UnknownMarkers) != 1 || rep.UnknownMarkers[0] != "D99S999" {
		t.Errorf("unknown markers: %v", rep.UnknownMarkers)
	}
	if !strings.Contains(strings.Join(rep.LeftOut, ","), "S2") {
		t.Errorf("left out: %v", rep.LeftOut)
	}
}

func TestRoundTrip(t *testing.T) {
	f, _ := os.Open(filepath.Join("testdata", "ref3.txt"))
	defer f.Close()
	ps, _, err := Read(f, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := Write(&buf, ps); err != nil {
		t.Fatal(err)
	}
	back, rep, err := Read(&buf, Options{})
	if err != nil || len(rep.Rejected) != 0 || len(back) != len(ps) {
		t.Fatalf("round trip: %v %+v", err, rep.Rejected)
	}
	for i := range ps {
		for m, al := range ps[i].Loci {
			if !sameCall(al, back[i].Loci[m]) {
				t.Errorf("%s %s: %v -> %v", ps[i].Sample, m, al, back[i].Loci[m])
			}
		}
	}
}

func FuzzRead(f *testing.F) {
	for _, n := range []string{"ref3.txt", "set3.txt"} {
		b, _ := os.ReadFile(filepath.Join("testdata", n))
		f.Add(string(b[:min(len(b), 4000)]))
	}
	f.Add("Sample Name\tMarker\tAllele 1\nS\tAMEL\tQ\n")
	f.Fuzz(func(t *testing.T, s string) {
		ps, rep, err := Read(strings.NewReader(s), Options{})
		if err != nil {
			return
		}
		for _, p := range ps {
			for m, al := range p.Loci {
				if len(al) != 2 {
					t.Fatalf("%s %s: %v", p.Sample, m, al)
				}
			}
		}
		if len(ps)+len(rep.LeftOut) != rep.Samples {
			t.Fatalf("%d profiles + %d left out != %d samples", len(ps), len(rep.LeftOut), rep.Samples)
		}
	})
}

// BenchmarkRead100k reads a generated table of 100,000 samples x 23 markers and reports profiles
// per second.
func BenchmarkRead100k(b *testing.B) {
	names := []string{"D3S1358", "vWA", "D16S539", "CSF1PO", "TPOX", "D8S1179", "D21S11", "D18S51", "Penta E", "D2S441", "D19S433",
		"TH01", "FGA", "D22S1045", "D5S818", "D13S317", "D7S820", "SE33", "D10S1248", "D1S1656", "D12S391", "D2S1338", "Penta D"}
	var sb strings.Builder
	sb.WriteString("Sample Name\tMarker\tAllele 1\tAllele 2\tSize 1\tSize 2\tHeight 1\tHeight 2\n")
	for s := 0; s < 100_000; s++ {
		for i, m := range names {
			sb.WriteString("PM-")
			sb.WriteString(strings.Repeat("0", 6-len(itoa(s))) + itoa(s))
			sb.WriteString("\t" + m + "\t" + itoa(10+(s+i)%5) + "\t" + itoa(12+(s*7+i)%6) + "\t101.2\t105.3\t2100\t1987\n")
		}
	}
	data := sb.String()
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	n := 0
	for range b.N {
		ps, _, err := Read(strings.NewReader(data), Options{})
		if err != nil || len(ps) != 100_000 {
			b.Fatalf("%d %v", len(ps), err)
		}
		n += len(ps)
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "profiles/s")
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var d []byte
	for ; n > 0; n /= 10 {
		d = append([]byte{byte('0' + n%10)}, d...)
	}
	return string(d)
}

// An off-ladder call leaves its marker untyped: dropping it from "15, OL" would make a 15/15
// homozygote that is not what the instrument saw. OL with two other calls is three alleles.
func TestOffLadder(t *testing.T) {
	h := "Sample Name\tMarker\tAllele 1\tAllele 2\tAllele 3\n"
	ps, rep, err := read(t, h+"S1\tD3S1358\t15\tOL\t\nS1\tTH01\t6\t7\t\nS1\tFGA\tOL\t\t\nS2\tTH01\t6\t7\tOL\n")
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
		if strings.Contains(w.Message, "off-ladder call (OL): the genotype is not known") {
			warned++
		}
	}
	if warned != 2 || len(rep.Rejected) != 1 || rep.Rejected[0].Line != 5 || !strings.Contains(rep.Rejected[0].Message, "3 alleles (6, 7, OL)") {
		t.Errorf("warnings %d, rejected %+v", warned, rep.Rejected)
	}
}
