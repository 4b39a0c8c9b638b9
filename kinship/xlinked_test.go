package kinship

import (
	"math"
	"math/rand"
	"strings"
	"testing"
)

func xMarker(t *testing.T, n int, seed int64) *Marker {
	m := trioMarker(n, rand.New(rand.NewSource(seed)))
	m.X = true
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	return m
}

// Values derived by hand for X markers: a father passes his one allele to his daughter, nothing to
// his son; male founders draw one allele, also under theta.
func TestXLinkedByHand(t *testing.T) {
	m := xMarker(t, 5, 11)
	p := m.Freqs
	duo := func(childSex int) Hypothesis {
		return Hypothesis{Name: "duo", Components: []*Pedigree{ped(t, Person{ID: "F", Sex: 1}, Person{ID: "M", Sex: 2},
			Person{ID: "C", Father: "F", Mother: "M", Sex: childSex})}}
	}
	apart := func(childSex int) Hypothesis {
		return Hypothesis{Name: "apart", Components: []*Pedigree{ped(t, Person{ID: "F", Sex: 1}), ped(t, Person{ID: "C", Sex: childSex})}}
	}
	lr := func(h0, h1 Hypothesis, g map[string]Genotype, theta float64) float64 {
		a, err := Likelihood(h1, m, g, theta)
		if err != nil {
			t.Fatal(err)
		}
		b, err := Likelihood(h0, m, g, theta)
		if err != nil {
			t.Fatal(err)
		}
		return a / b
	}
	cases := []struct {
		name string
		got  float64
		want float64
	}{
		{"father-daughter (a,b)", lr(apart(2), duo(2), map[string]Genotype{"F": {1, 1}, "C": {1, 3}}, 0), 1 / (2 * p[1])},
		{"father-daughter (a,a)", lr(apart(2), duo(2), map[string]Genotype{"F": {1, 1}, "C": {1, 1}}, 0), 1 / p[1]},
		{"father-daughter excluded", lr(apart(2), duo(2), map[string]Genotype{"F": {1, 1}, "C": {2, 3}}, 0), 0},
		{"father-son carries nothing", lr(apart(1), duo(1), map[string]Genotype{"F": {1, 1}, "C": {2, 2}}, 0), 1},
	}
	for _, c := range cases {
		if math.Abs(c.got-c.want) > 1e-12*math.Max(1, c.want) {
			t.Errorf("%s: LR %.15g, want %.15g", c.name, c.got, c.want)
		}
	}
	// Two unrelated males with allele a under theta: p_a * (theta + (1 - theta) p_a).
	two := Hypothesis{Name: "two", Components: []*Pedigree{ped(t, Person{ID: "A", Sex: 1}), ped(t, Person{ID: "B", Sex: 1})}}
	theta := 0.03
	got, err := Likelihood(two, m, map[string]Genotype{"A": {2, 2}, "B": {2, 2}}, theta)
	if want := p[2] * (theta + (1-theta)*p[2]); err != nil || math.Abs(got-want) > 1e-15 {
		t.Errorf("two males under theta: %v %v, want %v", got, err, want)
	}
	// Every genotype of an untyped son given a typed mother sums to 1, with mutation too.
	m.MutFemale, m.MutMale = equalModel(5, 0.01), equalModel(5, 0.002)
	sum := 0.0
	for a := range m.Alleles {
		l, err := Likelihood(duo(1), m, map[string]Genotype{"M": {0, 3}, "C": {a, a}}, 0)
		if err != nil {
			t.Fatal(err)
		}
		sum += l
	}
	if want := 2 * p[0] * p[3]; math.Abs(sum-want) > 1e-15 {
		t.Errorf("son's genotypes sum to %v, want P(mother) %v", sum, want)
	}
}

func TestXLinkedRefused(t *testing.T) {
	m := xMarker(t, 4, 5)
	h := Hypothesis{Name: "h", Components: []*Pedigree{ped(t, Person{ID: "F", Sex: 1}, Person{ID: "M", Sex: 2}, Person{ID: "C", Father: "F", Mother: "M", Sex: 0})}}
	if _, err := Likelihood(h, m, nil, 0); err == nil || !strings.Contains(err.Error(), `sex of "C" must be known`) {
		t.Errorf("unknown sex: %v", err)
	}
	h.Components[0].People[2].Sex = 2
	if _, err := Likelihood(h, m, map[string]Genotype{"F": {0, 1}}, 0); err == nil || !strings.Contains(err.Error(), "two different alleles") {
		t.Errorf("heterozygous male: %v", err)
	}
	if n := MendelianInconsistencies(h, map[string]Genotype{"F": {0, 0}, "C": {1, 2}}, true); n != 1 {
		t.Errorf("daughter without her father's allele: %d inconsistencies", n)
	}
	h.Components[0].People[2].Sex = 1
	if n := MendelianInconsistencies(h, map[string]Genotype{"F": {0, 0}, "M": {1, 2}, "C": {2, 2}}, true); n != 0 {
		t.Errorf("son with his mother's allele: %d inconsistencies", n)
	}
}
