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

// Without mutation the kernel eliminates once with the target kept; every entry must equal the
// exact answer from placing that genotype on the target, including genotypes made of alleles no
// relative carries (the merged allele split by frequency).
func TestTargetMarginalMatchesPlacement(t *testing.T) {
	rng := rand.New(rand.NewSource(4))
	m := trioMarker(9, rng)
	P := func(id, f, mo string, sex int) Person { return Person{ID: id, Father: f, Mother: mo, Sex: sex} }
	cases := []struct {
		name  string
		h     Hypothesis
		genos map[string]Genotype
	}{
		{"sibling and son", Hypothesis{Name: "a", Components: []*Pedigree{ped(t, P("F", "", "", 1), P("M", "", "", 2), P("MP", "F", "M", 1), P("BR", "F", "M", 1), P("W", "", "", 2), P("SON", "MP", "W", 1))}},
			map[string]Genotype{"M": {0, 1}, "BR": {1, 2}, "SON": {2, 3}}},
		{"one parent", Hypothesis{Name: "b", Components: []*Pedigree{ped(t, P("F", "", "", 1), P("M", "", "", 2), P("MP", "F", "M", 1))}},
			map[string]Genotype{"M": {4, 4}}},
		{"no relatives typed", Hypothesis{Name: "c", Components: []*Pedigree{ped(t, P("F", "", "", 1), P("M", "", "", 2), P("MP", "F", "M", 1))}},
			map[string]Genotype{}},
	}
	n := len(m.Alleles)
	for _, c := range cases {
		fast, rel, err := TargetDistribution(c.h, m, c.genos, "MP", 0)
		if err != nil {
			t.Fatal(err)
		}
		slow, rel2, err := targetByPlacement(c.h, m, c.genos, "MP", 0)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(rel-rel2) > 1e-12*rel2 {
			t.Errorf("%s: relatives' likelihood %v, want %v", c.name, rel, rel2)
		}
		for a := 0; a < n; a++ {
			for b := a; b < n; b++ {
				if x, y := fast[a*n+b], slow[a*n+b]; math.Abs(x-y) > 1e-12 {
					t.Errorf("%s {%d,%d}: %v, exact %v", c.name, a, b, x, y)
				}
			}
		}
	}
	// A target whose parents are related is left to the exact placement.
	inbred := Hypothesis{Name: "d", Components: []*Pedigree{ped(t, P("F", "", "", 1), P("M", "", "", 2), P("S", "F", "M", 1), P("D", "F", "M", 2), P("MP", "S", "D", 1))}}
	if ok, _ := canMarginalise(inbred, m, "MP", 0); ok {
		t.Error("child of siblings marginalised")
	}
}
