package kinship

import (
	"fmt"
	"math"
	"math/rand"
	"testing"
)

// randomPedigree makes up to 7 people in generations: founders, then children of two earlier
// people of opposite sex (which may be relatives: loops happen).
func randomPedigree(rng *rand.Rand) []Person {
	n := 3 + rng.Intn(5)
	people := []Person{{ID: "P0", Sex: Male}, {ID: "P1", Sex: Female}}
	for i := 2; i < n; i++ {
		p := Person{ID: fmt.Sprintf("P%d", i), Sex: 1 + rng.Intn(2)}
		if rng.Intn(4) > 0 {
			var men, women []string
			for _, q := range people {
				if q.Sex == Male {
					men = append(men, q.ID)
				} else {
					women = append(women, q.ID)
				}
			}
			p.Father, p.Mother = men[rng.Intn(len(men))], women[rng.Intn(len(women))]
		}
		people = append(people, p)
	}
	return people
}

// bandedModel mutates only to neighbouring alleles (a stepwise model of range 1): most entries are
// 0, so the alleles a child can receive are pruned, and the lumping rules are exercised.
func bandedModel(n int, rate float64) [][]float64 {
	M := make([][]float64, n)
	for i := range M {
		M[i] = make([]float64, n)
		var nb []int
		for _, j := range []int{i - 1, i + 1} {
			if j >= 0 && j < n {
				nb = append(nb, j)
			}
		}
		M[i][i] = 1 - rate
		for _, j := range nb {
			M[i][j] = rate / float64(len(nb))
		}
	}
	return M
}

// bruteLikelihood sums, over every ordered genotype of every person consistent with the typed
// data, the product of founder frequencies and transmissions: the definition, with none of the
// engine's shortcuts (lumping, pruning, leaving out uninformative relatives, elimination order).
func bruteLikelihood(people []Person, m *Marker, genos map[string]Genotype) float64 {
	n := len(m.Alleles)
	index := map[string]int{}
	for i, p := range people {
		index[p.ID] = i
	}
	hemi := func(p Person) bool { return m.X && p.Sex == Male }
	pass := func(M [][]float64, a, c int) float64 {
		if M == nil {
			return float64(btoi(a == c))
		}
		return M[a][c]
	}
	assign := make([]Genotype, len(people))
	var rec func(k int) float64
	rec = func(k int) float64 {
		if k == len(people) {
			pr := 1.0
			for i, p := range people {
				g := assign[i]
				if p.Father == "" {
					pr *= m.Freqs[g[1]]
					if !hemi(p) {
						pr *= m.Freqs[g[0]]
					}
					continue
				}
				fa, mo := assign[index[p.Father]], assign[index[p.Mother]]
				pr *= 0.5*pass(m.MutFemale, mo[0], g[1]) + 0.5*pass(m.MutFemale, mo[1], g[1])
				if hemi(p) {
					continue
				}
				if m.X { // a father passes his one allele
					pr *= pass(m.MutMale, fa[1], g[0])
				} else {
					pr *= 0.5*pass(m.MutMale, fa[0], g[0]) + 0.5*pass(m.MutMale, fa[1], g[0])
				}
			}
			return pr
		}
		total := 0.0
		for a := range n {
			for b := range n {
				if hemi(people[k]) && a != b {
					continue
				}
				if g, ok := genos[people[k].ID]; ok && !(g == Genotype{a, b} || g == Genotype{b, a}) {
					continue
				}
				assign[k] = Genotype{a, b}
				total += rec(k + 1)
			}
		}
		return total
	}
	return rec(0)
}

// The engine equals the definition on 300 random pedigrees (loops, relatives without data,
// typed and untyped people in every position), with no mutation, an equal model and a banded
// model with zeros, on autosomal and X markers.
func TestLikelihoodMatchesDefinition(t *testing.T) {
	rng := rand.New(rand.NewSource(17))
	for trial := range 300 {
		people := randomPedigree(rng)
		m := trioMarker(3+rng.Intn(2)*btoi(len(people) <= 4), rng)
		n := len(m.Alleles)
		switch trial % 3 {
		case 1:
			m.MutFemale, m.MutMale = equalModel(n, 0.02), equalModel(n, 0.05)
		case 2:
			m.MutFemale, m.MutMale = bandedModel(n, 0.1), bandedModel(n, 0.2)
		}
		m.X = trial%4 == 3
		if err := m.Validate(); err != nil {
			t.Fatal(err)
		}
		genos := map[string]Genotype{}
		for _, p := range people {
			if rng.Intn(2) == 0 {
				a, b := rng.Intn(n), rng.Intn(n)
				if m.X && p.Sex == Male {
					b = a
				}
				genos[p.ID] = Genotype{a, b}
			}
		}
		h := Hypothesis{Name: "random", Components: []*Pedigree{ped(t, people...)}}
		got, err := Likelihood(h, m, genos, 0)
		if err != nil {
			t.Fatalf("trial %d: %v", trial, err)
		}
		want := bruteLikelihood(people, m, genos)
		if math.Abs(got-want) > 1e-12*math.Max(want, 1e-300) {
			t.Errorf("trial %d (X %v, %d people, typed %v): engine %.17g, definition %.17g", trial, m.X, len(people), genos, got, want)
		}
	}
}
