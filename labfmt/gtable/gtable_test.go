package gtable

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func TestParseGenotype(t *testing.T) {
	for _, c := range []struct {
		cell string
		want []string
	}{
		{"A/G", []string{"A", "G"}}, {"A|G", []string{"A", "G"}}, {"A,G", []string{"A", "G"}}, {"A G", []string{"A", "G"}},
		{"ag", []string{"A", "G"}}, {"GG", []string{"G", "G"}}, {"C", []string{"C"}}, {"14/17", []string{"14", "17"}},
		{"9.3", []string{"9.3"}}, {"16", []string{"16"}}, {"XY", []string{"X", "Y"}}, {" 12, 12 ", []string{"12", "12"}},
		{"--", nil}, {"NN", nil}, {"0/0", nil}, {"./.", nil}, {"", nil}, {"NA", nil}, {"12/NA", []string{"12"}},
	} {
		if got := ParseGenotype(c.cell); !slices.Equal(got, c.want) {
			t.Errorf("%q: %v, want %v", c.cell, got, c.want)
		}
	}
}

// Each layout read into profiles and its report, compared with a golden file (go test
// ./labfmt/gtable -update rewrites them).
func TestGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.tsv")
	more, _ := filepath.Glob("testdata/*.csv")
	files = append(files, more...)
	if len(files) < 2 {
		t.Fatalf("%d test files", len(files))
	}
	for _, f := range files {
		in, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		ps, rep, err := ReadProfiles(bytes.NewReader(in), Options{File: filepath.Base(f), Role: "victim"})
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		got, _ := json.MarshalIndent(map[string]any{"profiles": ps, "report": rep}, "", "  ")
		golden := strings.TrimSuffix(f, filepath.Ext(f)) + ".golden.json"
		if *update {
			os.WriteFile(golden, append(got, '\n'), 0o644)
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		if string(want) != string(got)+"\n" {
			t.Errorf("%s: output differs from %s:\n%s", f, golden, got)
		}
	}
}

// What the readers promise whatever the input: an error or profiles with a sample name and
// loci holding at least one allele each, at most once per marker, and no panic.
func FuzzReadProfiles(f *testing.F) {
	for _, s := range []string{"sample,marker,genotype\nS1,rs1,AG\n", "Sample\trs1\trs2\nS1\tAG\t--\n",
		"sample;locus;allele1;allele2\nS;TH01;6;9.3\n", "id,a\n,\n", "\xef\xbb\xbfsample,marker\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ps, _, err := ReadProfiles(bytes.NewReader(data), Options{})
		if err != nil {
			return
		}
		for _, p := range ps {
			if strings.TrimSpace(p.Sample) == "" {
				t.Fatalf("profile without a sample: %+v", p)
			}
			seen := map[string]bool{}
			for _, l := range p.Loci {
				if len(l.Alleles) == 0 || seen[l.Marker] {
					t.Fatalf("sample %s marker %s: %v (twice: %v)", p.Sample, l.Marker, l.Alleles, seen[l.Marker])
				}
				seen[l.Marker] = true
			}
		}
	})
}

// Refusals name the line: no header, a long table without a genotype, a wide row longer than its
// header.
func TestRefusals(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", "line 1: empty file"},
		{"sample,marker,other\nS,TH01,6\n", "no genotype"},
		{"marker,genotype\nTH01,6/7\n", "no sample column"},
	} {
		if _, _, err := ReadProfiles(strings.NewReader(c.in), Options{}); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want %q", c.in, err, c.want)
		}
	}
	_, rep, err := ReadProfiles(strings.NewReader("sample,TH01\nS1,6/7,9\n"), Options{})
	if err != nil || len(rep.Rejected) != 1 || rep.Rejected[0].Line != 2 || !slices.Equal(rep.LeftOut, []string{"S1"}) {
		t.Errorf("long row: %v %+v", err, rep)
	}
}
