package kinship

import (
	"fmt"
	"math"
)

// Marker is a marker: its alleles with frequencies (used exactly as given) and the mutation
// matrices for transmissions from mothers and fathers (nil: no mutation).
// MutFemale[i][j] is the probability that a mother's allele i is passed on as allele j.
type Marker struct {
	Name      string
	Alleles   []string
	Freqs     []float64
	MutFemale [][]float64
	MutMale   [][]float64
	// X marks an X-chromosomal marker: males carry one allele (written as a homozygote), a father
	// passes his to every daughter and nothing to his sons, and everybody's sex must be known.
	X bool

	// Set by Validate: whether each matrix lets any set of alleles be lumped, so that the check
	// is not repeated in every likelihood.
	checked          bool
	alwaysF, alwaysM bool
}

// Validate checks lengths and matrix shapes.
func (m *Marker) Validate() error {
	n := len(m.Alleles)
	if n == 0 || len(m.Freqs) != n {
		return fmt.Errorf("marker %s: %d alleles and %d frequencies", m.Name, n, len(m.Freqs))
	}
	seen := map[string]bool{}
	for i, a := range m.Alleles {
		if seen[a] {
			return fmt.Errorf("marker %s: allele %q listed twice", m.Name, a)
		}
		seen[a] = true
		if f := m.Freqs[i]; !(f > 0) || f > 1 || math.IsNaN(f) {
			return fmt.Errorf("marker %s: allele %q has frequency %v (must be in (0, 1])", m.Name, a, f)
		}
	}
	for _, mm := range []struct {
		name string
		M    [][]float64
	}{{"female", m.MutFemale}, {"male", m.MutMale}} {
		if mm.M == nil {
			continue
		}
		if len(mm.M) != n {
			return fmt.Errorf("marker %s: %s mutation matrix has %d rows for %d alleles", m.Name, mm.name, len(mm.M), n)
		}
		for i, row := range mm.M {
			if len(row) != n {
				return fmt.Errorf("marker %s: %s mutation matrix row %d has %d entries for %d alleles", m.Name, mm.name, i+1, len(row), n)
			}
		}
	}
	m.alwaysF, m.alwaysM = alwaysLumpable(m.MutFemale), alwaysLumpable(m.MutMale)
	m.checked = true
	return nil
}

// AlleleIndex returns the index of allele a, or -1.
func (m *Marker) AlleleIndex(a string) int {
	for i, x := range m.Alleles {
		if x == a {
			return i
		}
	}
	return -1
}

// Genotype is a pair of allele indices; Untyped marks missing data.
type Genotype [2]int

// Untyped is the genotype of a person not typed at a marker.
var Untyped = Genotype{-1, -1}

// Hypothesis is a relationship hypothesis: one or more pedigrees (unrelated components).
type Hypothesis struct {
	Name       string
	Components []*Pedigree
}

// LogLikelihood returns the natural log of P(genotypes | hypothesis) at one marker. genos maps a
// person's id to their genotype (persons missing are untyped). theta is the Balding-Nichols
// subpopulation correction applied to all founder alleles of the hypothesis as one sequential
// sample. A likelihood of 0 gives -Inf.
func LogLikelihood(h Hypothesis, m *Marker, genos map[string]Genotype, theta float64) (float64, error) {
	l, err := Likelihood(h, m, genos, theta)
	if err != nil {
		return 0, err
	}
	return math.Log(l), nil
}

// Likelihood is LogLikelihood without the logarithm.
func Likelihood(h Hypothesis, m *Marker, genos map[string]Genotype, theta float64) (float64, error) {
	return LikelihoodObserved(h, m, genos, nil, theta)
}

// LikelihoodObserved is Likelihood with persons seen only through degraded samples: obs maps such
// a person's id to the alleles observed under a dropout model; the person must not be in genos.
// The likelihood sums over the person's genotypes, each weighted by P(observed | genotype).
func LikelihoodObserved(h Hypothesis, m *Marker, genos map[string]Genotype, obs map[string]Observation, theta float64) (float64, error) {
	md, err := build(h, m, genos, obs, theta)
	if err != nil {
		return 0, err
	}
	l, err := eliminate(md.factors, md.nvars)
	if err != nil {
		return 0, fmt.Errorf("marker %s, hypothesis %s: %w", m.Name, h.Name, err)
	}
	return l, nil
}

// model is the factor graph of one marker under one hypothesis: a variable per person (ordered
// genotypes over the lumped alleles), transmission factors and founder priors.
type model struct {
	factors []*factor
	nvars   int
	domains [][]Genotype
	lm      lumped
	vars    map[string]int // person id -> variable
}

func build(h Hypothesis, m *Marker, genos map[string]Genotype, obs map[string]Observation, theta float64) (*model, error) {
	if theta < 0 || theta >= 1 || math.IsNaN(theta) {
		return nil, fmt.Errorf("theta %v is outside [0, 1)", theta)
	}
	// Gather the people of all components as variables.
	type person struct {
		comp, idx int
		g         Genotype
		male      bool // hemizygous at an X marker
	}
	var people []person
	offset := make([]int, len(h.Components))
	ids := map[string]bool{}
	vars := map[string]int{}
	for c, ped := range h.Components {
		offset[c] = len(people)
		for i, pe := range ped.People {
			if ids[pe.ID] {
				return nil, fmt.Errorf("hypothesis %s: individual %q is in two components", h.Name, pe.ID)
			}
			ids[pe.ID] = true
			vars[pe.ID] = len(people)
			g, ok := genos[pe.ID]
			if !ok {
				g = Untyped
			}
			if (g[0] < 0) != (g[1] < 0) || g[0] >= len(m.Alleles) || g[1] >= len(m.Alleles) {
				return nil, fmt.Errorf("marker %s: individual %q has an invalid genotype", m.Name, pe.ID)
			}
			male, err := hemizygous(m, pe, g)
			if err != nil {
				return nil, err
			}
			people = append(people, person{comp: c, idx: i, g: g, male: male})
		}
	}
	for id, o := range obs {
		if _, typed := genos[id]; typed {
			return nil, fmt.Errorf("marker %s: individual %q has both a genotype and observed alleles", m.Name, id)
		}
		if !ids[id] {
			return nil, fmt.Errorf("hypothesis %s: individual %q with observed alleles is not in it", h.Name, id)
		}
		if err := o.Model.Validate(); err != nil {
			return nil, fmt.Errorf("marker %s: individual %q: %w", m.Name, id, err)
		}
		for _, a := range o.Alleles {
			if a < 0 || a >= len(m.Alleles) {
				return nil, fmt.Errorf("marker %s: individual %q: observed allele index %d outside the marker's %d alleles", m.Name, id, a, len(m.Alleles))
			}
		}
	}
	// Lump the alleles nobody carries, and nobody was seen to carry, into one, when the mutation
	// model and the dropout model allow it.
	carried := people2genos(people, func(p person) Genotype { return p.g })
	for _, o := range obs {
		for _, a := range o.Alleles {
			carried = append(carried, Genotype{a, a})
		}
	}
	lm := lump(m, carried)
	if !lumpsObserved(obs) {
		lm = noLump(m)
	}
	n := len(lm.freqs)
	// Domains: ordered genotypes (paternal, maternal allele).
	domains := make([][]Genotype, len(people))
	for v, p := range people {
		g := p.g
		if g[0] >= 0 {
			a, b := lm.index[g[0]], lm.index[g[1]]
			if a == b {
				domains[v] = []Genotype{{a, a}}
			} else {
				domains[v] = []Genotype{{a, b}, {b, a}}
			}
			continue
		}
		d := make([]Genotype, 0, n*n)
		for a := 0; a < n; a++ {
			if p.male {
				d = append(d, Genotype{a, a})
				continue
			}
			for b := 0; b < n; b++ {
				d = append(d, Genotype{a, b})
			}
		}
		domains[v] = d
	}
	tf := transmission(lm.mutM, n) // from fathers: the male model
	tm := transmission(lm.mutF, n) // from mothers: the female model
	var factors []*factor
	var founders []int
	inbred := map[int]float64{} // founder variable -> inbreeding coefficient
	for c, ped := range h.Components {
		for i := range ped.People {
			v := offset[c] + i
			if ped.IsFounder(i) {
				founders = append(founders, v)
				if f, ok := ped.FounderInbreeding[ped.People[i].ID]; ok && f != 0 {
					if f < 0 || f > 1 || math.IsNaN(f) {
						return nil, fmt.Errorf("hypothesis %s: founder %q has inbreeding coefficient %v outside [0, 1]", h.Name, ped.People[i].ID, f)
					}
					inbred[v] = f
				}
				continue
			}
			fa, mo := offset[c]+ped.father[i], offset[c]+ped.mother[i]
			if people[v].male {
				factors = append(factors, sonFactor(mo, v, domains, tm, n))
				continue
			}
			df, dm, dc := domains[fa], domains[mo], domains[v]
			f := newFactor([]int{fa, mo, v}, []int{len(df), len(dm), len(dc)})
			k := 0
			for _, gf := range df {
				for _, gm := range dm {
					for _, gc := range dc {
						f.vals[k] = tf[(gf[0]*n+gf[1])*n+gc[0]] * tm[(gm[0]*n+gm[1])*n+gc[1]]
						k++
					}
				}
			}
			factors = append(factors, f)
		}
	}
	for id, o := range obs {
		v := vars[id]
		factors = append(factors, observationFactor(v, domains[v], o, m, lm))
	}
	if theta == 0 {
		for _, v := range founders {
			f := newFactor([]int{v}, []int{len(domains[v])})
			fi := inbred[v]
			for k, g := range domains[v] {
				// An inbred founder's two alleles are identical by descent with probability f:
				// P(a,a) = f p_a + (1-f) p_a^2 and P(a,b) = (1-f) p_a p_b (ordered genotypes; the
				// IBD case is counted once, on the homozygous state).
				if people[v].male {
					f.vals[k] = lm.freqs[g[0]] // one allele
					continue
				}
				f.vals[k] = (1 - fi) * lm.freqs[g[0]] * lm.freqs[g[1]]
				if g[0] == g[1] {
					f.vals[k] += fi * lm.freqs[g[0]]
				}
			}
			factors = append(factors, f)
		}
	} else if len(founders) > 0 {
		if len(inbred) > 0 {
			return nil, fmt.Errorf("hypothesis %s: founder inbreeding together with theta is not supported", h.Name)
		}
		hemi := make([]bool, len(founders))
		for i, v := range founders {
			hemi[i] = people[v].male
		}
		factors = append(factors, thetaFactor(founders, hemi, domains, lm.freqs, theta))
	}
	return &model{factors: factors, nvars: len(people), domains: domains, lm: lm, vars: vars}, nil
}

func people2genos[T any](ps []T, g func(T) Genotype) []Genotype {
	out := make([]Genotype, len(ps))
	for i, p := range ps {
		out[i] = g(p)
	}
	return out
}

// transmission returns T, flat: T[(a*n+b)*n+x] is the probability that a parent with ordered
// genotype (a, b) passes on allele x, through the mutation matrix M (nil: none).
func transmission(M [][]float64, n int) []float64 {
	t := make([]float64, n*n*n)
	for a := 0; a < n; a++ {
		for b := 0; b < n; b++ {
			row := t[(a*n+b)*n : (a*n+b+1)*n]
			if M == nil {
				row[a] += 0.5
				row[b] += 0.5
				continue
			}
			for x := 0; x < n; x++ {
				row[x] = 0.5*M[a][x] + 0.5*M[b][x]
			}
		}
	}
	return t
}

// thetaFactor is the joint probability of all founders' ordered genotypes as one sequential
// Balding-Nichols sample: the k-th allele drawn is a with probability
// (m_a * theta + (1 - theta) * p_a) / (1 + (m - 1) * theta), m being the number of alleles drawn
// before and m_a how many of them were a (for the first draw this is p_a). The sample is exchangeable, so the order of founders does not matter.
// A hemizygous founder (a male at an X marker) draws one allele.
func thetaFactor(founders []int, hemi []bool, domains [][]Genotype, freqs []float64, theta float64) *factor {
	card := make([]int, len(founders))
	for i, v := range founders {
		card[i] = len(domains[v])
	}
	f := newFactor(founders, card)
	counts := make([]int, len(freqs))
	assign := make([]int, len(founders))
	for k := range f.vals {
		// decode k into assign (last fastest)
		r := k
		for i := len(founders) - 1; i >= 0; i-- {
			assign[i] = r % card[i]
			r /= card[i]
		}
		for i := range counts {
			counts[i] = 0
		}
		p, drawn := 1.0, 0
		for i, v := range founders {
			g := domains[v][assign[i]]
			alleles := g[:]
			if hemi[i] {
				alleles = g[:1]
			}
			for _, a := range alleles {
				p *= (float64(counts[a])*theta + (1-theta)*freqs[a]) / (1 + float64(drawn-1)*theta)
				counts[a]++
				drawn++
			}
		}
		f.vals[k] = p
	}
	return f
}

// hemizygous reports whether person pe carries one allele at m (a male at an X marker), refusing
// an unknown sex at an X marker and a male typed with two different alleles there.
func hemizygous(m *Marker, pe Person, g Genotype) (bool, error) {
	if !m.X {
		return false, nil
	}
	switch pe.Sex {
	case 1:
		if g[0] != g[1] {
			return false, fmt.Errorf("marker %s (X): male %q is typed with two different alleles", m.Name, pe.ID)
		}
		return true, nil
	case 2:
		return false, nil
	}
	return false, fmt.Errorf("marker %s (X): the sex of %q must be known (1 male, 2 female), not %d", m.Name, pe.ID, pe.Sex)
}

// sonFactor is a son's X from his mother alone: P(son's allele x | mother's ordered genotype),
// through the female mutation model (tm, as made by transmission).
func sonFactor(mo, v int, domains [][]Genotype, tm []float64, n int) *factor {
	dm, dc := domains[mo], domains[v]
	f := newFactor([]int{mo, v}, []int{len(dm), len(dc)})
	k := 0
	for _, gm := range dm {
		for _, gc := range dc {
			f.vals[k] = tm[(gm[0]*n+gm[1])*n+gc[0]]
			k++
		}
	}
	return f
}
