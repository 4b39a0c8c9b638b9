package kinship

import (
	"math"
	"math/rand"
	"strings"
	"testing"
)

func trioMarker(n int, rng *rand.Rand) *Marker {
	m := &Marker{Name: "M"}
	sum := 0.0
	for i := 0; i < n; i++ {
		m.Alleles = append(m.Alleles, string(rune('a'+i)))
		f := 0.05 + rng.Float64()
		m.Freqs = append(m.Freqs, f)
		sum += f
	}
	for i := range m.Freqs {
		m.Freqs[i] /= sum
	}
	return m
}

func equalModel(n int, rate float64) [][]float64 {
	M := make([][]float64, n)
	for i := range M {
		M[i] = make([]float64, n)
		for j := range M[i] {
			if i == j {
				M[i][j] = 1 - rate
			} else {
				M[i][j] = rate / float64(n-1)
			}
		}
	}
	return M
}

func ped(t testing.TB, people ...Person) *Pedigree {
	p, err := NewPedigree(people)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func fullSibs(t testing.TB, a, b string) Hypothesis {
	return Hypothesis{Name: "FS", Components: []*Pedigree{ped(t, Person{ID: "F", Sex: 1}, Person{ID: "M", Sex: 2},
		Person{ID: a, Father: "F", Mother: "M", Sex: 1}, Person{ID: b, Father: "F", Mother: "M", Sex: 1})}}
}

// The probabilities of all genotypes of an untyped person (given nothing else) sum to 1, and so do
// those of a child given typed parents, with or without mutation.
func TestGenotypeProbabilitiesSumToOne(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	m := trioMarker(5, rng)
	for _, mut := range [][][]float64{nil, equalModel(5, 0.01)} {
		m.MutFemale, m.MutMale = mut, mut
		h := Hypothesis{Name: "trio", Components: []*Pedigree{ped(t, Person{ID: "F", Sex: 1}, Person{ID: "M", Sex: 2}, Person{ID: "C", Father: "F", Mother: "M", Sex: 1})}}
		base := map[string]Genotype{"F": {0, 1}, "M": {2, 2}}
		parents, _ := Likelihood(h, m, base, 0)
		sum := 0.0
		for a := 0; a < 5; a++ {
			for b := a; b < 5; b++ {
				g := map[string]Genotype{"F": {0, 1}, "M": {2, 2}, "C": {a, b}}
				l, err := Likelihood(h, m, g, 0)
				if err != nil {
					t.Fatal(err)
				}
				sum += l
			}
		}
		if math.Abs(sum/parents-1) > 1e-12 {
			t.Errorf("child genotype probabilities sum to %v", sum/parents)
		}
	}
}

// Relabelling individuals, swapping sibling order, or comparing a hypothesis with itself change
// nothing; a rate-0 mutation model equals no mutation.
func TestInvariances(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	m := trioMarker(6, rng)
	g := map[string]Genotype{"A": {0, 1}, "B": {1, 2}}
	l1, _ := Likelihood(fullSibs(t, "A", "B"), m, g, 0)
	l2, _ := Likelihood(fullSibs(t, "B", "A"), m, g, 0)
	g2 := map[string]Genotype{"X": {1, 0}, "Y": {2, 1}}
	l3, _ := Likelihood(fullSibs(t, "X", "Y"), m, g2, 0)
	if math.Abs(l1-l2) > 1e-15*l1 || math.Abs(l1-l3) > 1e-15*l1 {
		t.Errorf("relabelling changed the likelihood: %v %v %v", l1, l2, l3)
	}
	for _, theta := range []float64{0, 0.03} {
		a, _ := Likelihood(fullSibs(t, "A", "B"), m, g, theta)
		b, _ := Likelihood(fullSibs(t, "A", "B"), m, g, theta)
		if a != b || a <= 0 {
			t.Errorf("H vs itself: %v %v", a, b)
		}
	}
	m0 := *m
	m0.MutFemale, m0.MutMale = equalModel(6, 0), equalModel(6, 0)
	l0, _ := Likelihood(fullSibs(t, "A", "B"), &m0, g, 0)
	if math.Abs(l0-l1) > 1e-15*l1 {
		t.Errorf("rate 0 %v vs no mutation %v", l0, l1)
	}
	// Allele relabelling: permute the marker's alleles and the genotypes with them.
	perm := []int{3, 5, 0, 1, 4, 2}
	mp := &Marker{Name: "P", Alleles: make([]string, 6), Freqs: make([]float64, 6)}
	for i, p := range perm {
		mp.Alleles[p], mp.Freqs[p] = m.Alleles[i], m.Freqs[i]
	}
	gp := map[string]Genotype{"A": {perm[0], perm[1]}, "B": {perm[1], perm[2]}}
	lp, _ := Likelihood(fullSibs(t, "A", "B"), mp, gp, 0.01)
	lo, _ := Likelihood(fullSibs(t, "A", "B"), m, g, 0.01)
	if math.Abs(lp-lo) > 1e-14*lo {
		t.Errorf("allele relabelling: %v vs %v", lp, lo)
	}
}

// A looped pedigree (a child of half-siblings) computed by elimination equals brute-force
// enumeration over every untyped person's ordered genotype.
func TestLoopMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	m := trioMarker(3, rng)
	m.MutFemale, m.MutMale = equalModel(3, 0.02), equalModel(3, 0.005)
	people := []Person{
		{ID: "F", Sex: 1}, {ID: "M1", Sex: 2}, {ID: "M2", Sex: 2},
		{ID: "S", Father: "F", Mother: "M1", Sex: 1}, {ID: "D", Father: "F", Mother: "M2", Sex: 2},
		{ID: "C", Father: "S", Mother: "D", Sex: 1},
	}
	p := ped(t, people...)
	g := map[string]Genotype{"C": {0, 0}, "M1": {1, 2}}
	got, err := Likelihood(Hypothesis{Name: "loop", Components: []*Pedigree{p}}, m, g, 0)
	if err != nil {
		t.Fatal(err)
	}
	// Brute force.
	n := 3
	trans := func(M [][]float64, pa Genotype, x int) float64 { return 0.5*M[pa[0]][x] + 0.5*M[pa[1]][x] }
	untyped := []string{"F", "M2", "S", "D"}
	want := 0.0
	var rec func(k int, assign map[string]Genotype)
	rec = func(k int, assign map[string]Genotype) {
		if k == len(untyped) {
			for _, gM1 := range []Genotype{{1, 2}, {2, 1}} {
				a := map[string]Genotype{"C": {0, 0}, "M1": gM1}
				for id, v := range assign {
					a[id] = v
				}
				pr := 1.0
				for _, pe := range people {
					gg := a[pe.ID]
					if pe.Father == "" {
						pr *= m.Freqs[gg[0]] * m.Freqs[gg[1]]
					} else {
						pr *= trans(m.MutMale, a[pe.Father], gg[0]) * trans(m.MutFemale, a[pe.Mother], gg[1])
					}
				}
				want += pr
			}
			return
		}
		for x := 0; x < n; x++ {
			for y := 0; y < n; y++ {
				assign[untyped[k]] = Genotype{x, y}
				rec(k+1, assign)
			}
		}
		delete(assign, untyped[k])
	}
	rec(0, map[string]Genotype{})
	if math.Abs(got-want) > 1e-12*want { // summation order differs
		t.Errorf("elimination %v, brute force %v", got, want)
	}
}

func TestPedigreeValidation(t *testing.T) {
	tests := []struct {
		name   string
		people []Person
		want   string
	}{
		{"duplicate", []Person{{ID: "A", Sex: 1}, {ID: "A", Sex: 2}}, `"A" appears twice`},
		{"one parent", []Person{{ID: "F", Sex: 1}, {ID: "C", Father: "F"}}, `"C" has one parent`},
		{"female father", []Person{{ID: "F", Sex: 2}, {ID: "M", Sex: 2}, {ID: "C", Father: "F", Mother: "M"}}, `father "F" is female`},
		{"male mother", []Person{{ID: "F", Sex: 1}, {ID: "M", Sex: 1}, {ID: "C", Father: "F", Mother: "M"}}, `mother "M" is male`},
		{"unknown parent", []Person{{ID: "F", Sex: 1}, {ID: "C", Father: "F", Mother: "Q"}}, `mother "Q" is not in the pedigree`},
		{"cycle", []Person{{ID: "A", Father: "B", Mother: "M", Sex: 1}, {ID: "B", Father: "A", Mother: "M", Sex: 1}, {ID: "M", Sex: 2}}, "own ancestor"},
	}
	for _, tt := range tests {
		_, err := NewPedigree(tt.people)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
	}
}

// An inbred founder: f = 1 makes him homozygous by descent; a homozygote's probability is
// f p + (1-f) p^2 and a heterozygote's (1-f) 2 p q.
func TestFounderInbreeding(t *testing.T) {
	m := &Marker{Name: "M", Alleles: []string{"a", "b", "c"}, Freqs: []float64{0.2, 0.3, 0.5}}
	p, _ := NewPedigree([]Person{{ID: "F", Sex: 1}})
	p.FounderInbreeding = map[string]float64{"F": 0.25}
	h := Hypothesis{Name: "h", Components: []*Pedigree{p}}
	hom, _ := Likelihood(h, m, map[string]Genotype{"F": {0, 0}}, 0)
	het, _ := Likelihood(h, m, map[string]Genotype{"F": {0, 1}}, 0)
	if math.Abs(hom-(0.25*0.2+0.75*0.04)) > 1e-15 || math.Abs(het-0.75*2*0.2*0.3) > 1e-15 {
		t.Errorf("hom %v het %v", hom, het)
	}
	// A child of an inbred father: the genotype probabilities still sum to 1.
	q, _ := NewPedigree([]Person{{ID: "F", Sex: 1}, {ID: "M", Sex: 2}, {ID: "C", Father: "F", Mother: "M", Sex: 1}})
	q.FounderInbreeding = map[string]float64{"F": 0.5}
	hq := Hypothesis{Name: "q", Components: []*Pedigree{q}}
	sum := 0.0
	for a := 0; a < 3; a++ {
		for b := a; b < 3; b++ {
			l, _ := Likelihood(hq, m, map[string]Genotype{"C": {a, b}}, 0)
			sum += l
		}
	}
	if math.Abs(sum-1) > 1e-14 {
		t.Errorf("sum %v", sum)
	}
	if _, err := Likelihood(h, m, map[string]Genotype{"F": {0, 0}}, 0.01); err == nil {
		t.Error("inbreeding with theta accepted")
	}
}

// An intractable table is refused with a message, not computed.
func TestTableGuard(t *testing.T) {
	old := MaxTable
	MaxTable = 50
	defer func() { MaxTable = old }()
	rng := rand.New(rand.NewSource(7))
	m := trioMarker(8, rng)
	M := equalModel(8, 0.01)
	M[0][1], M[0][2] = M[0][1]+0.001, M[0][2]-0.001 // not lumpable: every allele stays
	m.MutFemale, m.MutMale = M, M
	h := Hypothesis{Name: "big", Components: []*Pedigree{ped(t, Person{ID: "F", Sex: 1}, Person{ID: "M", Sex: 2},
		Person{ID: "A", Father: "F", Mother: "M", Sex: 1}, Person{ID: "B", Father: "F", Mother: "M", Sex: 2},
		Person{ID: "C", Father: "A", Mother: "B", Sex: 1})}}
	_, err := Likelihood(h, m, map[string]Genotype{"C": {0, 1}}, 0)
	if err == nil || !strings.Contains(err.Error(), "marker M, hypothesis big") || !strings.Contains(err.Error(), "more than 50") {
		t.Errorf("guard: %v", err)
	}
}
