package familias

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/homeward/homeward/dvi"
)

// A DVI case written as a Familias DVI file and read back is the same problem: the same null
// likelihood and pairwise LRs (the oracle cases whose families hold one missing person each). A
// Familias DVI file does not record the missing person's sex, so pairings the original refused by
// sex come back admissible; the LRs of the original's pairings are compared.
func TestDVIRoundTrip(t *testing.T) {
	for _, name := range []string{"KETPexer497", "exclusionExample"} {
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile("../../dvi/testdata/oracle/" + name + ".input.json")
			if err != nil {
				t.Fatal(err)
			}
			var cf dvi.CaseFile
			if err := json.Unmarshal(raw, &cf); err != nil {
				t.Fatal(err)
			}
			var fam bytes.Buffer
			if err := WriteDVI(&fam, &cf); err != nil {
				t.Fatal(err)
			}
			back, err := ReadDVI(bytes.NewReader(fam.Bytes()), name+".fam")
			if err != nil {
				t.Fatalf("%v\n%s", err, fam.String()[:min(fam.Len(), 600)])
			}
			solve := func(c any) (dvi.NullLoglik, dvi.Pairwise) {
				b, _ := json.Marshal(c)
				p, err := dvi.ReadProblem(bytes.NewReader(b))
				if err != nil {
					t.Fatal(err)
				}
				n, err := p.Null()
				if err != nil {
					t.Fatal(err)
				}
				pw, err := p.PairwiseLR()
				if err != nil {
					t.Fatal(err)
				}
				return n, pw
			}
			n1, pw1 := solve(&cf)
			n2, pw2 := solve(back)
			if math.Abs(n1.Total-n2.Total) > 1e-9 {
				t.Errorf("null %v, after the round trip %v", n1.Total, n2.Total)
			}
			if len(pw2.Matrix) != len(pw1.Matrix) || len(back.Families) != len(cf.Families) {
				t.Fatalf("shape: %d victims, %d families", len(pw2.Matrix), len(back.Families))
			}
			for i := range pw1.Matrix {
				for k := range pw1.Matrix[i] {
					a, b := pw1.Matrix[i][k], pw2.Matrix[i][k]
					if a == nil {
						continue
					}
					if b == nil || math.Abs(*a-*b) > 1e-9*math.Max(1, *a) {
						t.Errorf("%s-%s: %v, after the round trip %v", pw1.Victims[i], pw1.Missing[k], a, b)
					}
				}
			}
		})
	}
	// A family with two missing persons cannot be written.
	raw, _ := os.ReadFile("../../dvi/testdata/oracle/example1.input.json")
	var cf dvi.CaseFile
	json.Unmarshal(raw, &cf)
	if err := WriteDVI(&bytes.Buffer{}, &cf); err == nil || !strings.Contains(err.Error(), "two missing persons") {
		t.Errorf("two missing persons in a family: %v", err)
	}
}

func FuzzReadDVI(f *testing.F) {
	raw, _ := os.ReadFile("../../dvi/testdata/oracle/KETPexer497.input.json")
	var cf dvi.CaseFile
	json.Unmarshal(raw, &cf)
	var fam bytes.Buffer
	WriteDVI(&fam, &cf)
	f.Add(fam.String())
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ReadDVI(strings.NewReader(s), "fuzz.fam")
		if err != nil {
			return
		}
		if len(c.Families) != len(c.Missing) {
			t.Fatalf("%d families, %d missing", len(c.Families), len(c.Missing))
		}
	})
}
