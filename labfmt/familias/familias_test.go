package familias

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/homeward/homeward/labfmt/casejson"
)

// The paternity case written by Familias opens as a kinship case whose per-marker LRs are the
// paternity indices of textbook formulas (the file's mutation models move them by well under 1%):
// at D3S1358 the alleged father is 17/17 and the child 16/17, PI = 1/(2 p17); at TH01 6/9.3 and 6/10,
// PI = 1/(4 p6); at D5S818 11/12 and 12/13, PI = 1/(4 p12). Genotypes and frequencies were read off
// the file by hand (allele indexes count from 0).
func TestPaternityFile(t *testing.T) {
	f, err := os.Open("testdata/paternity.fam")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c, err := Read(f, "paternity.fam")
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Markers) != 10 || len(c.Hypotheses) != 2 || c.Reference != "H2" || c.Theta != 0 {
		t.Fatalf("case: %d markers, %d hypotheses, reference %s", len(c.Markers), len(c.Hypotheses), c.Reference)
	}
	if got := strings.Join(c.Genotypes["CH"]["D3S1358"], "/"); got != "16/17" {
		t.Errorf("CH D3S1358 %s", got)
	}
	if _, typed := c.Genotypes["MO"]; typed {
		t.Error("MO is untyped in the file")
	}
	res, err := c.SolveKinship()
	if err != nil {
		t.Fatal(err)
	}
	lr := res.LRPerMarker["H1:H2"]
	want := map[int]float64{0: 1 / (2 * 0.2040480415), 1: 1 / (4 * 0.2146878655), 5: 1 / (4 * 0.3520082886)}
	for mi, w := range want {
		if math.Abs(float64(lr[mi])-w)/w > 0.01 {
			t.Errorf("%s: LR %v, paternity index %v", res.Markers[mi], lr[mi], w)
		}
	}
	if m := c.Markers[0].Mutation; m == nil || m.Male.Model != "stepwise" || m.Male.Rate != 0.002 || m.Female.Rate != 0.001 || *m.Male.Range != 0.1 {
		t.Errorf("mutation model: %+v", m)
	}
}

func TestBadFiles(t *testing.T) {
	good, _ := os.ReadFile("testdata/paternity.fam")
	lines := strings.Split(string(good), "\n")
	for _, c := range []struct {
		name, in, want string
	}{
		{"not familias", "hello\nworld\n1\n2\n", "not a Familias file"},
		{"truncated", strings.Join(lines[:60], "\n"), "ends where"},
		{"bad count", strings.Replace(string(good), "\n3\n\"AF\"", "\nthree\n\"AF\"", 1), "line 5: the number of persons expected"},
		{"dvi", string(good) + "[DVI]\n", "DVI section"},
		{"stationary model", strings.Replace(string(good), "\"D3S1358\"\n0.001\n0.002\n4\n4", "\"D3S1358\"\n0.001\n0.002\n3\n4", 1), "model code 3"},
		{"allele index", strings.Replace(string(good), "#TRUE#\n10\n7\n7\n0\n", "#TRUE#\n10\n70\n7\n0\n", 1), "allele index 70"},
	} {
		if _, err := Read(strings.NewReader(c.in), "t.fam"); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
}

func FuzzRead(f *testing.F) {
	b, _ := os.ReadFile("testdata/paternity.fam")
	f.Add(string(b))
	f.Add(string(b[:800]))
	f.Fuzz(func(t *testing.T, s string) {
		c, err := Read(strings.NewReader(s), "fuzz.fam")
		if err != nil {
			return
		}
		// Every genotype read names alleles of its marker.
		alleles := map[string]map[string]bool{}
		for _, m := range c.Markers {
			alleles[m.Name] = map[string]bool{}
			for _, a := range m.Alleles {
				alleles[m.Name][a] = true
			}
		}
		for id, g := range c.Genotypes {
			for m, al := range g {
				if len(al) != 2 || !alleles[m][al[0]] || !alleles[m][al[1]] {
					t.Fatalf("%s %s: %v", id, m, al)
				}
			}
		}
	})
}

// A case written as .fam and read back computes the same LRs: the Familias file of the tests, and
// the oracle kinship cases whose mutation models have Familias codes.
func TestWriteRoundTrip(t *testing.T) {
	cases := map[string]*casejson.Case{}
	f, _ := os.Open("testdata/paternity.fam")
	c, err := Read(f, "paternity.fam")
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	cases["paternity.fam"] = c
	files, _ := filepath.Glob("../casejson/testdata/oracle/*.input.json")
	for _, fn := range files {
		f, _ := os.Open(fn)
		oc, err := casejson.Read(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		cases[filepath.Base(fn)] = oc
	}
	written := 0
	for name, c := range cases {
		var buf bytes.Buffer
		if err := Write(&buf, c); err != nil {
			if strings.Contains(err.Error(), "no Familias code") || strings.Contains(err.Error(), "one sex per person") {
				continue
			}
			t.Fatalf("%s: %v", name, err)
		}
		back, err := Read(&buf, name)
		if err != nil {
			t.Fatalf("%s: read back: %v\n%s", name, err, buf.String()[:min(buf.Len(), 400)])
		}
		a, err1 := c.SolveKinship()
		b, err2 := back.SolveKinship()
		if err1 != nil || err2 != nil {
			t.Fatalf("%s: %v %v", name, err1, err2)
		}
		for k, v := range a.LRTotal {
			if w := b.LRTotal[k]; math.Abs(float64(w)-float64(v)) > 1e-12*math.Abs(float64(v)) {
				t.Errorf("%s %s: LR %v after the round trip, %v before", name, k, w, v)
			}
		}
		written++
	}
	if written < 4 {
		t.Errorf("only %d cases written", written)
	}
}
