package kinship

import (
	"math"
	"math/rand"
	"testing"
)

func TestTargetDistribution(t *testing.T) {
	rng := rand.New(rand.NewSource(9))
	m := trioMarker(6, rng)
	m.MutFemale, m.MutMale = equalModel(6, 0.002), equalModel(6, 0.004)
	P := func(id, f, mo string, sex int) Person { return Person{ID: id, Father: f, Mother: mo, Sex: sex} }
	h := Hypothesis{Name: "family", Components: []*Pedigree{ped(t, P("F", "", "", 1), P("M", "", "", 2), P("MP", "F", "M", 1), P("BR", "F", "M", 1), P("W", "", "", 2), P("SON", "MP", "W", 1))}}
	genos := map[string]Genotype{"M": {0, 1}, "BR": {1, 2}, "SON": {2, 3}}
	dist, rel, err := TargetDistribution(h, m, genos, "MP", 0)
	if err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	for _, p := range dist {
		sum += p
	}
	if math.Abs(sum-1) > 1e-12 {
		t.Errorf("distribution sums to %v", sum)
	}
	// Placing a genotype on the target and computing the full likelihood equals the look-up.
	n := len(m.Alleles)
	for _, g := range []Genotype{{1, 3}, {0, 2}, {5, 5}} {
		with := map[string]Genotype{"M": {0, 1}, "BR": {1, 2}, "SON": {2, 3}, "MP": g}
		full, _ := Likelihood(h, m, with, 0)
		if want := rel * dist[g[0]*n+g[1]]; math.Abs(full-want) > 1e-12*full {
			t.Errorf("%v: full %v, kernel %v", g, full, want)
		}
	}
	if _, _, err := TargetDistribution(h, m, genos, "BR", 0); err == nil {
		t.Error("typed target accepted")
	}
}
