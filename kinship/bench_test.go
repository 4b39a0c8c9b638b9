package kinship

import (
	"math/rand"
	"testing"
)

// benchMarkers makes 23 STR-like markers of 15 alleles, optionally with an equal mutation model.
func benchMarkers(mut bool) []*Marker {
	rng := rand.New(rand.NewSource(23))
	ms := make([]*Marker, 23)
	for i := range ms {
		ms[i] = trioMarker(15, rng)
		if mut {
			ms[i].MutFemale, ms[i].MutMale = equalModel(15, 0.001), equalModel(15, 0.003)
		}
		if err := ms[i].Validate(); err != nil {
			panic(err)
		}
	}
	return ms
}

func randomGenos(rng *rand.Rand, ids ...string) []map[string]Genotype {
	out := make([]map[string]Genotype, 23)
	for i := range out {
		out[i] = map[string]Genotype{}
		for _, id := range ids {
			out[i][id] = Genotype{rng.Intn(15), rng.Intn(15)}
		}
	}
	return out
}

func benchLR(b *testing.B, h1, h2 Hypothesis, ms []*Marker, genos []map[string]Genotype) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		for k, m := range ms {
			l1, err := Likelihood(h1, m, genos[k], 0)
			if err != nil {
				b.Fatal(err)
			}
			l2, _ := Likelihood(h2, m, genos[k], 0)
			_ = l1 / l2
		}
	}
}

// One 23-marker paternity LR on a trio (alleged father, mother, child), with mutation.
func BenchmarkTrioLR23(b *testing.B) {
	P := func(id, f, mo string, sex int) Person { return Person{ID: id, Father: f, Mother: mo, Sex: sex} }
	h1 := Hypothesis{Name: "H1", Components: []*Pedigree{ped(b, P("AF", "", "", 1), P("M", "", "", 2), P("C", "AF", "M", 1))}}
	h2 := Hypothesis{Name: "H2", Components: []*Pedigree{ped(b, P("F", "", "", 1), P("M", "", "", 2), P("C", "F", "M", 1)), ped(b, P("AF", "", "", 1))}}
	benchLR(b, h1, h2, benchMarkers(true), randomGenos(rand.New(rand.NewSource(1)), "AF", "M", "C"))
}

// A missing person in a three-generation family typed through three references (his mother, a
// brother and his son), against the missing person being unrelated.
func BenchmarkThreeGenerationLR23(b *testing.B) {
	P := func(id, f, mo string, sex int) Person { return Person{ID: id, Father: f, Mother: mo, Sex: sex} }
	fam := []Person{P("GF", "", "", 1), P("GM", "", "", 2), P("MP", "GF", "GM", 1), P("BR", "GF", "GM", 1), P("W", "", "", 2), P("SON", "MP", "W", 1)}
	h1 := Hypothesis{Name: "H1", Components: []*Pedigree{ped(b, fam...)}}
	fam2 := []Person{P("GF", "", "", 1), P("GM", "", "", 2), P("X", "GF", "GM", 1), P("BR", "GF", "GM", 1), P("W", "", "", 2), P("SON", "X", "W", 1)}
	h2 := Hypothesis{Name: "H2", Components: []*Pedigree{ped(b, fam2...), ped(b, P("MP", "", "", 1))}}
	benchLR(b, h1, h2, benchMarkers(true), randomGenos(rand.New(rand.NewSource(2)), "GM", "BR", "SON", "MP"))
}

// A looped pedigree: the child of half-siblings, typed with his mother and a grandmother.
func BenchmarkLoopedLR23(b *testing.B) {
	P := func(id, f, mo string, sex int) Person { return Person{ID: id, Father: f, Mother: mo, Sex: sex} }
	h1 := Hypothesis{Name: "H1", Components: []*Pedigree{ped(b, P("F", "", "", 1), P("M1", "", "", 2), P("M2", "", "", 2),
		P("S", "F", "M1", 1), P("D", "F", "M2", 2), P("C", "S", "D", 1))}}
	h2 := Hypothesis{Name: "H2", Components: []*Pedigree{ped(b, P("S", "", "", 1), P("D", "", "", 2), P("C", "S", "D", 1)), ped(b, P("M1", "", "", 2))}}
	benchLR(b, h1, h2, benchMarkers(false), randomGenos(rand.New(rand.NewSource(3)), "C", "D", "M1"))
}

// Pairwise screening: one full-sibling LR over 23 markers between two typed people, by IBD
// coefficients; ns/op is the cost of one pair.
func BenchmarkPairwiseFS23(b *testing.B) {
	ms := benchMarkers(false)
	rng := rand.New(rand.NewSource(5))
	const people = 1000
	gen := make([][23]Genotype, people)
	for i := range gen {
		for k := range gen[i] {
			gen[i][k] = Genotype{rng.Intn(15), rng.Intn(15)}
		}
	}
	k := Relationships["full-siblings"]
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		a, c := gen[i%people], gen[(i*7+3)%people]
		lr := 1.0
		for m := range ms {
			v, _ := PairwiseLR(k, ms[m].Freqs, a[m], c[m])
			lr *= v
		}
		_ = lr
	}
}
