package dvi

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The per-marker LRs of every admissible pairing multiply to dvir's pairwise LR (the oracle's
// matrix, computed by dvir 3.4.2), to 1e-9 relative.
func TestMarkerLRsMultiplyToOraclePairwise(t *testing.T) {
	inputs := referenceCases(t)
	for _, in := range inputs {
		name := strings.TrimSuffix(filepath.Base(in), ".input.json")
		if name == "fire" {
			continue // slow mutation models; covered by the others
		}
		t.Run(name, func(t *testing.T) {
			f, _ := os.Open(in)
			defer f.Close()
			p, err := ReadProblem(f)
			if err != nil {
				t.Fatal(err)
			}
			var want expectedDVI
			b, _ := os.ReadFile(strings.Replace(in, ".input.", ".expected.", 1))
			if err := json.Unmarshal(b, &want); err != nil {
				t.Fatal(err)
			}
			checked := 0
			for i, v := range want.Pairwise.Victims {
				for j, m := range want.Pairwise.Missing {
					lr := want.Pairwise.Matrix[i][j]
					if lr == nil {
						continue
					}
					rows, err := p.MarkerLRs(v, m)
					if err != nil {
						t.Fatal(err)
					}
					if len(rows) != len(p.Markers) {
						t.Fatalf("%d rows for %d markers", len(rows), len(p.Markers))
					}
					prod := 1.0
					for _, r := range rows {
						prod *= r.LR
					}
					if !relClose(prod, *lr, 1e-9) {
						t.Errorf("%s-%s: product %g, dvir %g", v, m, prod, *lr)
					}
					checked++
				}
			}
			if checked == 0 {
				t.Fatal("no pairing checked")
			}
		})
	}
}

// A hand case: the missing person's father is typed a/a, the victim a/b. At that marker
// LR = P(a/b | father a/a) / P(a/b) = p_b / (2 p_a p_b) = 1/(2 p_a); a marker where the victim is
// untyped has LR 1 and is listed.
func TestMarkerLRsByHand(t *testing.T) {
	p, err := ReadProblem(strings.NewReader(`{"type": "dvi", "case": "hand",
	 "markers": [{"name": "M1", "alleles": ["a", "b", "c"], "frequencies": [0.2, 0.3, 0.5]},
	             {"name": "M2", "alleles": ["x", "y"], "frequencies": [0.4, 0.6]}],
	 "victims": [{"id": "V1", "sex": 1}],
	 "families": [{"name": "F", "individuals": [{"id": "FA", "sex": 1}, {"id": "MO", "sex": 2}, {"id": "MP", "sex": 1, "father": "FA", "mother": "MO"}]}],
	 "missing": ["MP"], "references": ["FA"],
	 "genotypes": {"V1": {"M1": ["b", "a"]}, "FA": {"M1": ["a", "a"], "M2": ["x", "y"]}}}`))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := p.MarkerLRs("V1", "MP")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || math.Abs(rows[0].LR-1/(2*0.2)) > 1e-12 || rows[0].Victim != "a/b" || rows[0].References["FA"] != "a/a" {
		t.Errorf("M1: %+v", rows)
	}
	if rows[1].LR != 1 || rows[1].Victim != "" || rows[1].References["FA"] != "x/y" {
		t.Errorf("M2: %+v", rows[1])
	}
	if _, err := p.MarkerLRs("V9", "MP"); err == nil {
		t.Error("unknown victim accepted")
	}
	if _, err := p.MarkerLRs("V1", "FA"); err == nil {
		t.Error("a reference taken as a missing person")
	}
}
