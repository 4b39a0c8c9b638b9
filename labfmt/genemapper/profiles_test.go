package genemapper

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/homeward/homeward/internal/golden"
	"github.com/homeward/homeward/labfmt/profile"
)

// The dry-run reports of ReadProfiles on the shared real exports, against golden JSON
// (go test -update rewrites them). The counts below were checked by hand with awk on the files
// when the goldens were first written:
//
//	ref3: awk -F'\t' 'NR>1{s[$1];m[$2];for(i=3;i<=4;i++)if($i!=""&&$i!="NA")a++}END{print length(s),length(m),a}'
//	      -> 3 samples, 17 markers, 98 allele cells (F2 gives homozygotes once, A2 twice).
//	set3: 35 sample names without "ladder"; 02-Neg.ktr.__ and 11-BC10 have no allele cell at all;
//	      01-Pos.ktr.__ is typed twice (lines 2-18 and 495-511): 15 markers repeat the same call
//	      (compared as sets) and 2 disagree, so it is left out; the first rows of every other
//	      sample+marker hold 1609 allele cells (OL counted); 89 rows carry OL.
//	      With Role reference, 24 samples have more than two distinct non-OL alleles at some
//	      marker (awk over columns 4-23), which with the 2 empty ones leaves 9 profiles.
func TestReadProfilesRealExports(t *testing.T) {
	for _, c := range []struct {
		name                             string
		role                             string
		samples, markers, alleles, profs int
		leftOut, rejected, repeats, ols  int
	}{
		{"ref3", profile.RoleReference, 3, 17, 98, 3, 0, 0, 0, 0},
		{"set3", "", 35, 17, 1609, 32, 3, 2, 15, 89},
	} {
		t.Run(c.name, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join("testdata", c.name+".txt"))
			if err != nil {
				t.Fatal(err)
			}
			ps, rep, err := ReadProfiles(bytes.NewReader(b), Options{File: c.name + ".txt", Role: c.role})
			if err != nil {
				t.Fatal(err)
			}
			repeats, ols := 0, 0
			for _, w := range rep.Warnings {
				repeats += boolInt(strings.Contains(w.Message, "repeats line"))
				ols += boolInt(strings.Contains(w.Message, "off-ladder"))
			}
			if rep.Samples != c.samples || rep.Markers != c.markers || rep.Alleles != c.alleles || len(ps) != c.profs ||
				len(rep.LeftOut) != c.leftOut || len(rep.Rejected) != c.rejected || repeats != c.repeats || ols != c.ols {
				t.Errorf("got %d samples %d markers %d alleles %d profiles %d left out %d rejected %d repeats %d OL rows",
					rep.Samples, rep.Markers, rep.Alleles, len(ps), len(rep.LeftOut), len(rep.Rejected), repeats, ols)
			}
			for _, p := range ps {
				if err := p.Validate(); err != nil {
					t.Error(err)
				}
			}
			got, _ := json.MarshalIndent(rep, "", "  ")
			golden.Check(t, filepath.Join("testdata", c.name+".report.json"), got)
		})
	}
	// set3 read as reference samples: the one-person rule leaves 9 profiles.
	f, _ := os.Open(filepath.Join("testdata", "set3.txt"))
	defer f.Close()
	ps, rep, err := ReadProfiles(f, Options{File: "set3.txt", Role: profile.RoleReference})
	if err != nil || len(ps) != 9 || len(rep.LeftOut) != 26 {
		t.Errorf("set3 as references: %v, %d profiles, %d left out", err, len(ps), len(rep.LeftOut))
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestReadProfilesRules(t *testing.T) {
	in := "\xef\xbb\xbf" + "Sample Name\tMarker\tDye\tAllele 1\tAllele 2\tAllele 3\tSize 1\tSize 2\tSize 3\tHeight 1\tHeight 2\tHeight 3\tRemark\tPanel\r\n" +
		"S1\tTH01\tB\t6\t9.3\t\t160.5\t172.1\t\t900\t850\t\t\t\r\n" + // 2: CRLF
		"S1\tFGA\tB\t21\tNA\tNA\tNA\tNA\tNA\tNA\tNA\tNA\t\t\t\t\n" + // 3: homozygote once, trailing tabs
		"S1\tvwa\tB\t16\t16\t\t\t\t\t\t\t\t\t\n" + // 4: homozygote twice, lower-case name
		"S1\tAmelogenin\tB\tx\ty\t\t\t\t\t\t\t\t\t\n" + // 5: X/Y in lower case
		"S1\tD3S1358\tB\tOL\t15\t\t\t\t\t\t\t\t\t\n" + // 6: off-ladder kept
		"S1\tTH01\tB\t9.3\t6\t\t\t\t\t\t\t\t\t\n" + // 7: the same call again
		"S2\tTH01\tB\t6\t7\t\t\t\t\t\t\t\t\t\n" + // 8
		"S2\tTH01\tB\t6\t8\t\t\t\t\t\t\t\t\t\n" + // 9: conflicting replicate
		"S3\tAMEL\tB\tX\tZ\t\t\t\t\t\t\t\t\t\n" + // 10: not X/Y
		"S4\tD99S999\tB\t10\t11\t\t\t\t\t\t\t\t\t\n" + // 11: unknown marker, kept
		"Ladder 1\tTH01\tB\t4\t5\t6\t\t\t\t\t\t\t\t\n" + // 12: allelic ladder
		"S5\tTH01\tB\t6\t7\t8\t\t\t\t\t\t\t\t\n" + // 13: three alleles (role below)
		"S6\tTH01\tB\t6\t7\t\t\t\t\t\t\t\t\t\tx\n" + // 14: a value beyond the header
		"S7\tTH01\tB\t\t\t\t\t\t\t\t\t\t\t\n" + // 15: nothing called
		"S8\tTH01\tB\t6\t7\t\t\t" // 16: truncated
	ps, rep, err := ReadProfiles(strings.NewReader(in), Options{File: "t.txt"})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]profile.Profile{}
	for _, p := range ps {
		got[p.Sample] = p
	}
	if len(got) != 3 || got["S1"].Sample == "" || got["S4"].Sample == "" || got["S5"].Sample == "" {
		t.Fatalf("profiles: %+v", ps)
	}
	s1 := got["S1"]
	want := []profile.Locus{
		{Marker: "TH01", Raw: "TH01", Alleles: []string{"6", "9.3"}, Sizes: []float64{160.5, 172.1}, Heights: []float64{900, 850}, Line: 2},
		{Marker: "FGA", Raw: "FGA", Alleles: []string{"21"}, Line: 3},
		{Marker: "vWA", Raw: "vwa", Alleles: []string{"16", "16"}, Line: 4},
		{Marker: "AMEL", Raw: "Amelogenin", Alleles: []string{"X", "Y"}, Line: 5},
		{Marker: "D3S1358", Raw: "D3S1358", Alleles: []string{"OL", "15"}, Line: 6},
	}
	if !reflect.DeepEqual(s1.Loci, want) {
		t.Errorf("S1 loci\n got %+v\nwant %+v", s1.Loci, want)
	}
	if s1.Source != (profile.Source{File: "t.txt", Line: 2}) {
		t.Errorf("S1 source %+v", s1.Source)
	}
	if g, ok := s1.Genotype("FGA"); !ok || strings.Join(g, "/") != "21/21" {
		t.Errorf("FGA genotype %v", g)
	}
	if _, ok := s1.Genotype("D3S1358"); ok {
		t.Error("D3S1358 with OL has a genotype")
	}
	rejected := map[int]string{}
	for _, r := range rep.Rejected {
		rejected[r.Line] = r.Message
	}
	for line, text := range map[int]string{9: "lines 8 and 9 disagree", 10: `"Z"`, 14: "beyond the last column", 16: "8 fields, the header has 14"} {
		if !strings.Contains(rejected[line], text) {
			t.Errorf("line %d rejected %q, want %q", line, rejected[line], text)
		}
	}
	if len(rep.Rejected) != 4 {
		t.Errorf("rejected: %+v", rep.Rejected)
	}
	warned := map[int]string{}
	for _, w := range rep.Warnings {
		warned[w.Line] += w.Message + ";"
	}
	for line, text := range map[int]string{1: "columns ignored: Remark, Panel", 6: "off-ladder", 7: "repeats line 2", 11: "not in the marker table", 12: "allelic ladder", 13: "3 alleles", 15: "no allele called"} {
		if !strings.Contains(warned[line], text) {
			t.Errorf("line %d warned %q, want %q", line, warned[line], text)
		}
	}
	if strings.Join(rep.LeftOut, ",") != "S2,S3,S6,S7,S8" || strings.Join(rep.Unknown, ",") != "D99S999" {
		t.Errorf("left out %v, unknown %v", rep.LeftOut, rep.Unknown)
	}
	// Samples S1..S8 (the ladder not counted); 5 markers and 2+1+2+2+2 + 2 (S4) + 3 (S5) alleles.
	if rep.Samples != 8 || rep.Markers != 6 || rep.Alleles != 14 {
		t.Errorf("counts: %d samples %d markers %d alleles", rep.Samples, rep.Markers, rep.Alleles)
	}

	// As reference samples, S5's three alleles at TH01 reject it, naming its line.
	_, rep, _ = ReadProfiles(strings.NewReader(in), Options{File: "t.txt", Role: profile.RoleReference})
	found := false
	for _, r := range rep.Rejected {
		found = found || (r.Line == 13 && r.Sample == "S5" && r.Marker == "TH01")
	}
	if !found {
		t.Errorf("reference S5 not rejected at line 13: %+v", rep.Rejected)
	}
}

func TestReadProfilesBadInput(t *testing.T) {
	h := "Sample Name\tMarker\tAllele 1\tAllele 2\n"
	for _, c := range []struct{ name, in, err string }{
		{"comma", "Sample Name,Marker,Allele 1\nS1,TH01,6\n", `separated by ","`},
		{"semicolon", "\n\nSample.Name;Marker;Allele.1\n", `line 3: the columns are separated by ";"`},
		{"one column", "Sample\n", "one column"},
		{"no allele column", "Sample Name\tMarker\tHeight 1\n", "Allele 1"},
		{"column twice", "Sample Name\tMarker\tAllele 1\tAllele.1\n", `"Allele.1" appears twice`},
		{"empty", "\r\n\n", "empty file"},
		{"latin1", h + "S1\tTH01\t6\t7\nS\xe9\tTH01\t6\t7\n", "line 3: not UTF-8"},
	} {
		if _, _, err := ReadProfiles(strings.NewReader(c.in), Options{File: "x.txt"}); err == nil || !strings.Contains(err.Error(), c.err) {
			t.Errorf("%s: %v, want %q", c.name, err, c.err)
		}
	}
}

func TestWriteProfilesRoundTrip(t *testing.T) {
	for _, name := range []string{"ref3", "set3"} {
		b, _ := os.ReadFile(filepath.Join("testdata", name+".txt"))
		ps, _, err := ReadProfiles(bytes.NewReader(b), Options{File: name})
		if err != nil || len(ps) == 0 {
			t.Fatal(name, err)
		}
		var buf bytes.Buffer
		if err := WriteProfiles(&buf, ps); err != nil {
			t.Fatal(err)
		}
		back, rep, err := ReadProfiles(&buf, Options{File: name})
		if err != nil || len(rep.Rejected) != 0 || len(back) != len(ps) {
			t.Fatalf("%s: %v, %d of %d back, %+v", name, err, len(back), len(ps), rep.Rejected)
		}
		for i := range ps {
			if !sameLoci(ps[i], back[i]) {
				t.Errorf("%s %s:\n%+v\n%+v", name, ps[i].Sample, ps[i].Loci, back[i].Loci)
			}
		}
	}
}

// sameLoci compares what a table holds: markers, alleles as called, sizes, heights.
func sameLoci(a, b profile.Profile) bool {
	if a.Sample != b.Sample || len(a.Loci) != len(b.Loci) {
		return false
	}
	for i := range a.Loci {
		x, y := a.Loci[i], b.Loci[i]
		if x.Marker != y.Marker || !reflect.DeepEqual(x.Alleles, y.Alleles) || !reflect.DeepEqual(x.Sizes, y.Sizes) || !reflect.DeepEqual(x.Heights, y.Heights) {
			return false
		}
	}
	return true
}

func TestWriteProfilesRefuses(t *testing.T) {
	for _, c := range []struct {
		p    profile.Profile
		want string
	}{
		{profile.Profile{Sample: "A\tB", Loci: []profile.Locus{{Marker: "TH01", Alleles: []string{"6"}}}}, `sample "A\tB"`},
		{profile.Profile{Sample: "S", Loci: []profile.Locus{{Marker: "", Alleles: []string{"6"}}}}, `marker ""`},
		{profile.Profile{Sample: "S", Loci: []profile.Locus{{Marker: "TH01", Alleles: []string{"NA"}}}}, `allele "NA"`},
		{profile.Profile{Sample: "S", Loci: []profile.Locus{{Marker: "TH01", Alleles: []string{"6\n7"}}}}, `marker "TH01" allele`},
	} {
		if err := WriteProfiles(&bytes.Buffer{}, []profile.Profile{c.p}); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want %q", c.p, err, c.want)
		}
	}
	var buf bytes.Buffer
	WriteProfiles(&buf, []profile.Profile{{Sample: "S", Loci: []profile.Locus{{Marker: "TH01", Alleles: []string{"6", "7", "8"}, Heights: []float64{100, 0, 50.5}}}}})
	if want := "Sample Name\tMarker\tAllele 1\tAllele 2\tAllele 3\tHeight 1\tHeight 2\tHeight 3\nS\tTH01\t6\t7\t8\t100\t\t50.5\n"; buf.String() != want {
		t.Errorf("written:\n%q\nwant\n%q", buf.String(), want)
	}
}

func FuzzReadProfiles(f *testing.F) {
	for _, n := range []string{"ref3.txt", "set3.txt"} {
		b, _ := os.ReadFile(filepath.Join("testdata", n))
		f.Add(b)
		f.Add(b[:min(len(b), 3000)])
	}
	f.Add([]byte("Sample Name\tMarker\tAllele 1\tSize 1\nS\tAMEL\tol\t1e400\nS\tAMEL\tX\t\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		ps, rep, err := ReadProfiles(bytes.NewReader(in), Options{File: "f"})
		if err != nil {
			return
		}
		if len(ps)+len(rep.LeftOut) != rep.Samples {
			t.Fatalf("%d profiles + %d left out != %d samples", len(ps), len(rep.LeftOut), rep.Samples)
		}
		for _, p := range ps {
			if err := p.Validate(); err != nil {
				t.Fatal(err)
			}
		}
		// What was read can be written and reads back the same.
		var buf bytes.Buffer
		if err := WriteProfiles(&buf, ps); err != nil {
			t.Fatalf("write: %v", err)
		}
		back, rep2, err := ReadProfiles(&buf, Options{})
		if err != nil || len(back) != len(ps) || len(rep2.Rejected) != 0 {
			t.Fatalf("re-read: %v, %d of %d, %+v\n%s", err, len(back), len(ps), rep2.Rejected, buf.String())
		}
		for i := range ps {
			if !sameLoci(ps[i], back[i]) {
				t.Fatalf("%+v\n%+v", ps[i], back[i])
			}
		}
	})
}

// BenchmarkReadProfiles100k reads a generated table of 100,000 samples x 23 markers (with sizes
// and heights) and reports profiles per second.
func BenchmarkReadProfiles100k(b *testing.B) {
	names := []string{"D3S1358", "vWA", "D16S539", "CSF1PO", "TPOX", "D8S1179", "D21S11", "D18S51", "Penta E", "D2S441", "D19S433",
		"TH01", "FGA", "D22S1045", "D5S818", "D13S317", "D7S820", "SE33", "D10S1248", "D1S1656", "D12S391", "D2S1338", "Penta D"}
	var sb strings.Builder
	sb.WriteString("Sample Name\tMarker\tDye\tAllele 1\tAllele 2\tSize 1\tSize 2\tHeight 1\tHeight 2\n")
	for s := range 100_000 {
		id := "PM-" + strconv.Itoa(1_000_000 + s)[1:]
		for i, m := range names {
			sb.WriteString(id + "\t" + m + "\tB\t" + strconv.Itoa(10+(s+i)%5) + "\t" + strconv.Itoa(12+(s*7+i)%6) + "\t101.2\t105.3\t2100\t1987\n")
		}
	}
	data := []byte(sb.String())
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	n := 0
	for range b.N {
		ps, _, err := ReadProfiles(bytes.NewReader(data), Options{})
		if err != nil || len(ps) != 100_000 {
			b.Fatalf("%d %v", len(ps), err)
		}
		n += len(ps)
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "profiles/s")
}
