package kinship

import (
	"math"
	"math/rand"
	"strings"
	"testing"
)

// bruteObserved is P(observed | genotype) straight from the definition, over the marker's alleles.
func bruteObserved(m *Marker, g Genotype, o Observation) float64 {
	seen := map[int]bool{}
	for _, a := range o.Alleles {
		seen[a] = true
	}
	p := 1.0
	for a := range m.Alleles {
		q := 1 - o.Model.DropIn*m.Freqs[a]
		switch n := btoi(g[0] == a) + btoi(g[1] == a); n {
		case 1:
			q *= o.Model.DHet
		case 2:
			q *= o.Model.DHom
		}
		if seen[a] {
			p *= 1 - q
		} else {
			p *= q
		}
	}
	return p
}

// The likelihood with an observed donor equals the sum over the donor's genotypes of the likelihood
// with the donor typed times P(observed | genotype), computed from the definition: with lumping
// (DHom = DHet^2) and without, with and without theta, for a father-child pedigree and unrelated.
func TestObservedDonorByBruteForce(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	m := trioMarker(7, rng)
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	hyps := []Hypothesis{
		{Name: "child", Components: []*Pedigree{ped(t, Person{ID: "F", Sex: 1}, Person{ID: "M", Sex: 2}, Person{ID: "V", Father: "F", Mother: "M", Sex: 1})}},
		{Name: "unrelated", Components: []*Pedigree{ped(t, Person{ID: "F", Sex: 1}), ped(t, Person{ID: "V", Sex: 1})}},
	}
	genos := map[string]Genotype{"F": {1, 2}}
	models := []Dropout{{DHet: 0.3, DHom: 0.09, DropIn: 0.05}, {DHet: 0.3, DHom: 0.2, DropIn: 0.05}, {DHet: 0.6, DHom: 0.36, DropIn: 0}}
	for _, d := range models {
		for _, seen := range [][]int{{1}, {}, {1, 4, 6}, {0, 3}} {
			o := Observation{Alleles: seen, Model: d}
			for _, h := range hyps {
				for _, theta := range []float64{0, 0.02} {
					got, err := LikelihoodObserved(h, m, genos, map[string]Observation{"V": o}, theta)
					if err != nil {
						t.Fatal(err)
					}
					want := 0.0
					for a := range m.Alleles {
						for b := a; b < len(m.Alleles); b++ {
							g := Genotype{a, b}
							l, err := Likelihood(h, m, map[string]Genotype{"F": {1, 2}, "V": g}, theta)
							if err != nil {
								t.Fatal(err)
							}
							want += l * bruteObserved(m, g, o)
						}
					}
					if math.Abs(got-want) > 1e-12*want {
						t.Errorf("%s theta %v %+v seen %v: %.17g, brute force %.17g", h.Name, theta, d, seen, got, want)
					}
				}
			}
		}
	}
}

// Without dropout or drop-in, observing two alleles is typing the donor; with certain dropout and
// no drop-in, seeing nothing is not typing them at all.
func TestObservedLimits(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	m := trioMarker(6, rng)
	m.MutFemale, m.MutMale = equalModel(6, 0.01), equalModel(6, 0.01)
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	h := fullSibs(t, "V", "S")
	ref := map[string]Genotype{"S": {0, 3}}
	typed, _ := Likelihood(h, m, map[string]Genotype{"S": {0, 3}, "V": {3, 5}}, 0)
	exact, err := LikelihoodObserved(h, m, ref, map[string]Observation{"V": {Alleles: []int{3, 5}}}, 0)
	if err != nil || math.Abs(exact-typed) > 1e-15 {
		t.Errorf("no dropout: %v %v, typed %v", exact, err, typed)
	}
	untyped, _ := Likelihood(h, m, ref, 0)
	gone, err := LikelihoodObserved(h, m, ref, map[string]Observation{"V": {Alleles: []int{}, Model: Dropout{DHet: 1, DHom: 1}}}, 0)
	if err != nil || math.Abs(gone-untyped) > 1e-15 {
		t.Errorf("certain dropout: %v %v, untyped %v", gone, err, untyped)
	}
}

func TestObservedRefused(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	m := trioMarker(4, rng)
	h := fullSibs(t, "V", "S")
	cases := map[string]struct {
		genos map[string]Genotype
		obs   map[string]Observation
	}{
		"both a genotype and observed":  {map[string]Genotype{"V": {0, 1}}, map[string]Observation{"V": {Alleles: []int{0}}}},
		"is not in it":                  {nil, map[string]Observation{"X": {Alleles: []int{0}}}},
		"d_het 1.5 is outside":          {nil, map[string]Observation{"V": {Alleles: []int{0}, Model: Dropout{DHet: 1.5}}}},
		"drop_in NaN is outside":        {nil, map[string]Observation{"V": {Alleles: []int{0}, Model: Dropout{DropIn: math.NaN()}}}},
		"outside the marker's 4 allele": {nil, map[string]Observation{"V": {Alleles: []int{9}}}},
	}
	for want, c := range cases {
		if _, err := LikelihoodObserved(h, m, c.genos, c.obs, 0); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v", want, err)
		}
	}
}

// Probability, the per-genotype form screens use, is the definition for every genotype and
// observed set of a small marker, with and without drop-in.
func TestObservationProbability(t *testing.T) {
	rng := rand.New(rand.NewSource(9))
	m := trioMarker(5, rng)
	for _, d := range []Dropout{{DHet: 0.3, DHom: 0.09}, {DHet: 0.2, DHom: 0.1, DropIn: 0.05}} {
		for _, seen := range [][]int{{}, {0}, {2}, {1, 3}, {0, 4}} {
			o := Observation{Alleles: seen, Model: d}
			for a := range 5 {
				for b := range 5 {
					g := Genotype{a, b}
					got, want := o.Probability(m, g), bruteObserved(m, g, o)
					if math.Abs(got-want) > 1e-15 {
						t.Errorf("%+v seen %v genotype %v: %v, definition %v", d, seen, g, got, want)
					}
				}
			}
		}
	}
}
