package kinship

import (
	"math"
	"math/rand"
	"testing"
)

// The IBD shortcut agrees with the full pedigree likelihood of each relationship.
func TestPairwiseMatchesPedigrees(t *testing.T) {
	rng := rand.New(rand.NewSource(4))
	m := trioMarker(5, rng)
	P := func(id, f, mo string, sex int) Person { return Person{ID: id, Father: f, Mother: mo, Sex: sex} }
	peds := map[string][]Person{
		"parent-child":  {P("A", "", "", 1), P("X", "", "", 2), P("B", "A", "X", 1)},
		"full-siblings": {P("F", "", "", 1), P("M", "", "", 2), P("A", "F", "M", 1), P("B", "F", "M", 1)},
		"half-siblings": {P("F", "", "", 1), P("M1", "", "", 2), P("M2", "", "", 2), P("A", "F", "M1", 1), P("B", "F", "M2", 1)},
		"grandparent":   {P("A", "", "", 1), P("X", "", "", 2), P("C", "A", "X", 1), P("Y", "", "", 2), P("B", "C", "Y", 1)},
		"avuncular": {P("F", "", "", 1), P("M", "", "", 2), P("A", "F", "M", 1), P("S", "F", "M", 1), P("Y", "", "", 2),
			P("B", "S", "Y", 1)},
		"first-cousins": {P("F", "", "", 1), P("M", "", "", 2), P("S1", "F", "M", 1), P("S2", "F", "M", 1), P("W1", "", "", 2),
			P("W2", "", "", 2), P("A", "S1", "W1", 1), P("B", "S2", "W2", 1)},
	}
	un := Hypothesis{Name: "UN", Components: []*Pedigree{ped(t, P("A", "", "", 1)), ped(t, P("B", "", "", 1))}}
	for name, people := range peds {
		h := Hypothesis{Name: name, Components: []*Pedigree{ped(t, people...)}}
		for _, g := range []map[string]Genotype{{"A": {0, 1}, "B": {1, 2}}, {"A": {0, 0}, "B": {0, 3}}, {"A": {2, 4}, "B": {4, 2}}, {"A": {1, 1}, "B": {1, 1}}} {
			lh, _ := Likelihood(h, m, g, 0)
			lu, _ := Likelihood(un, m, g, 0)
			want := lh / lu
			got, err := PairwiseLR(Relationships[name], m.Freqs, g["A"], g["B"])
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(got-want) > 1e-12*math.Max(1, want) {
				t.Errorf("%s %v: IBD %v, pedigree %v", name, g, got, want)
			}
		}
	}
	// Full siblings either way round.
	a, b := Genotype{0, 1}, Genotype{1, 3}
	x, _ := PairwiseLR(Relationships["full-siblings"], m.Freqs, a, b)
	y, _ := PairwiseLR(Relationships["full-siblings"], m.Freqs, b, a)
	if math.Abs(x-y) > 1e-15*x {
		t.Errorf("FS not symmetric: %v %v", x, y)
	}
}
