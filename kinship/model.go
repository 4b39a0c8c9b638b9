package kinship

import (
	"fmt"
	"math"
)

// model is the factor graph of one marker under one hypothesis. Person i has two variables: the
// allele received from the father (2i) and the one received from the mother (2i+1), each over the
// lumped alleles that person can carry (one or two for a typed person); a hemizygous male at an X
// marker has only the second. Splitting genotypes into alleles keeps a transmission factor over
// three alleles (n^3 entries) instead of three ordered genotypes (n^6), which is what makes
// families with a dozen untyped members tractable.
type model struct {
	factors []*factor
	nvars   int
	domains [][]int // per variable: the lumped allele of each of its states
	lm      lumped
	vars    map[string]int // person id -> person index i
}

// member is one person of the hypothesis, gathered across its components.
type member struct {
	comp, idx int
	g         Genotype
	male      bool // hemizygous at an X marker
}

func build(h Hypothesis, m *Marker, genos map[string]Genotype, obs map[string]Observation, theta float64) (*model, error) {
	if theta < 0 || theta >= 1 || math.IsNaN(theta) {
		return nil, fmt.Errorf("theta %v is outside [0, 1)", theta)
	}
	people, offset, vars, err := gather(h, m, genos)
	if err != nil {
		return nil, err
	}
	if err := checkObservations(h, m, genos, obs, vars); err != nil {
		return nil, err
	}
	// Lump the alleles nobody carries, and nobody was seen to carry, into one, when the mutation
	// model and the dropout model allow it.
	carried := make([]Genotype, 0, len(people)+len(obs))
	for _, p := range people {
		carried = append(carried, p.g)
	}
	for _, o := range obs {
		for _, a := range o.Alleles {
			carried = append(carried, Genotype{a, a})
		}
	}
	lm := lump(m, carried)
	if !lumpsObserved(obs) {
		lm = noLump(m)
	}
	md := &model{nvars: 2 * len(people), domains: make([][]int, 2*len(people)), lm: lm, vars: vars}
	for i, p := range people {
		md.addPerson(i, p)
	}
	for id, o := range obs {
		i := vars[id]
		md.factors = append(md.factors, md.observationFactor(i, people[i].male, o, m))
	}
	founders, err := md.addTransmissions(h, people, offset)
	if err != nil {
		return nil, err
	}
	if err := md.addFounders(h, people, founders, theta); err != nil {
		return nil, err
	}
	return md, nil
}

// gather numbers the people of every component and checks their genotypes.
func gather(h Hypothesis, m *Marker, genos map[string]Genotype) ([]member, []int, map[string]int, error) {
	var people []member
	offset := make([]int, len(h.Components))
	vars := map[string]int{}
	for c, ped := range h.Components {
		offset[c] = len(people)
		for i, pe := range ped.People {
			if _, dup := vars[pe.ID]; dup {
				return nil, nil, nil, fmt.Errorf("hypothesis %s: individual %q is in two components", h.Name, pe.ID)
			}
			vars[pe.ID] = len(people)
			g, ok := genos[pe.ID]
			if !ok {
				g = Untyped
			}
			if (g[0] < 0) != (g[1] < 0) || g[0] >= len(m.Alleles) || g[1] >= len(m.Alleles) {
				return nil, nil, nil, fmt.Errorf("marker %s: individual %q has an invalid genotype", m.Name, pe.ID)
			}
			male, err := hemizygous(m, pe, g)
			if err != nil {
				return nil, nil, nil, err
			}
			people = append(people, member{comp: c, idx: i, g: g, male: male})
		}
	}
	return people, offset, vars, nil
}

func checkObservations(h Hypothesis, m *Marker, genos map[string]Genotype, obs map[string]Observation, vars map[string]int) error {
	for id, o := range obs {
		if _, typed := genos[id]; typed {
			return fmt.Errorf("marker %s: individual %q has both a genotype and observed alleles", m.Name, id)
		}
		if _, ok := vars[id]; !ok {
			return fmt.Errorf("hypothesis %s: individual %q with observed alleles is not in it", h.Name, id)
		}
		if err := o.Model.Validate(); err != nil {
			return fmt.Errorf("marker %s: individual %q: %w", m.Name, id, err)
		}
		for _, a := range o.Alleles {
			if a < 0 || a >= len(m.Alleles) {
				return fmt.Errorf("marker %s: individual %q: observed allele index %d outside the marker's %d alleles", m.Name, id, a, len(m.Alleles))
			}
		}
	}
	return nil
}

// addPerson sets person i's domains: a typed person's alleles only (with a factor that allows the
// two orders of a heterozygote and no homozygote), every lumped allele otherwise.
func (md *model) addPerson(i int, p member) {
	pat, mat := 2*i, 2*i+1
	if p.g[0] < 0 {
		all := make([]int, len(md.lm.freqs))
		for a := range all {
			all[a] = a
		}
		md.domains[mat] = all
		if !p.male {
			md.domains[pat] = all
		}
		return
	}
	a, b := md.lm.index[p.g[0]], md.lm.index[p.g[1]]
	if a == b {
		md.domains[mat] = []int{a}
		if !p.male {
			md.domains[pat] = []int{a}
		}
		return
	}
	md.domains[pat], md.domains[mat] = []int{a, b}, []int{a, b}
	md.factors = append(md.factors, &factor{vars: []int{pat, mat}, card: []int{2, 2}, vals: []float64{0, 1, 1, 0}})
}

// alleleFactor is a factor over vars whose value at each combination of their alleles is val.
func (md *model) alleleFactor(vars []int, val func(alleles []int) float64) *factor {
	card := make([]int, len(vars))
	for i, v := range vars {
		card[i] = len(md.domains[v])
	}
	f := newFactor(vars, card)
	assign := make([]int, len(vars))
	alleles := make([]int, len(vars))
	for k := range f.vals {
		for i, v := range vars {
			alleles[i] = md.domains[v][assign[i]]
		}
		f.vals[k] = val(alleles)
		for i := len(vars) - 1; i >= 0; i-- {
			assign[i]++
			if assign[i] < card[i] {
				break
			}
			assign[i] = 0
		}
	}
	return f
}

// addTransmissions adds each child's allele from each parent, through the parent's sex's mutation
// model, and returns the founders.
func (md *model) addTransmissions(h Hypothesis, people []member, offset []int) ([]int, error) {
	var founders []int
	for c, ped := range h.Components {
		for i := range ped.People {
			v := offset[c] + i
			if ped.IsFounder(i) {
				founders = append(founders, v)
				continue
			}
			fa, mo := offset[c]+ped.father[i], offset[c]+ped.mother[i]
			md.factors = append(md.factors, md.passFactor(mo, people[mo].male, 2*v+1, md.lm.mutF))
			if !people[v].male {
				md.factors = append(md.factors, md.passFactor(fa, people[fa].male, 2*v, md.lm.mutM))
			}
		}
	}
	return founders, nil
}

// passFactor is P(child's allele c | the parent's alleles), through mutation matrix M (nil:
// none): (M[a][c] + M[b][c]) / 2 from a parent (a, b), M[a][c] from a hemizygous father.
func (md *model) passFactor(parent int, hemi bool, child int, M [][]float64) *factor {
	pass := func(a, c int) float64 {
		if M == nil {
			return float64(btoi(a == c))
		}
		return M[a][c]
	}
	if hemi {
		return md.alleleFactor([]int{2*parent + 1, child}, func(x []int) float64 { return pass(x[0], x[1]) })
	}
	return md.alleleFactor([]int{2 * parent, 2*parent + 1, child}, func(x []int) float64 {
		return 0.5*pass(x[0], x[2]) + 0.5*pass(x[1], x[2])
	})
}

// addFounders adds the founders' allele probabilities: independent draws from the frequencies
// (an inbred founder's two alleles identical by descent with probability f), or, with theta, one
// Balding-Nichols sample of every founder allele.
func (md *model) addFounders(h Hypothesis, people []member, founders []int, theta float64) error {
	inbred := map[int]float64{}
	for _, v := range founders {
		ped := h.Components[people[v].comp]
		id := ped.People[people[v].idx].ID
		if f, ok := ped.FounderInbreeding[id]; ok && f != 0 {
			if f < 0 || f > 1 || math.IsNaN(f) {
				return fmt.Errorf("hypothesis %s: founder %q has inbreeding coefficient %v outside [0, 1]", h.Name, id, f)
			}
			inbred[v] = f
		}
	}
	freqs := md.lm.freqs
	if theta != 0 {
		if len(inbred) > 0 {
			return fmt.Errorf("hypothesis %s: founder inbreeding together with theta is not supported", h.Name)
		}
		var vars []int
		for _, v := range founders {
			if !people[v].male {
				vars = append(vars, 2*v)
			}
			vars = append(vars, 2*v+1)
		}
		size := 1
		for _, v := range vars {
			if size <= MaxTable {
				size *= len(md.domains[v])
			}
		}
		if size > MaxTable {
			return fmt.Errorf("hypothesis %s: theta joins every founder allele in one table of more than %d combinations: too many untyped founders for theta; use theta 0 or type more relatives", h.Name, MaxTable)
		}
		if len(vars) > 0 {
			md.factors = append(md.factors, md.alleleFactor(vars, func(x []int) float64 { return thetaSample(x, freqs, theta) }))
		}
		return nil
	}
	for _, v := range founders {
		one := func(x []int) float64 { return freqs[x[0]] }
		md.factors = append(md.factors, md.alleleFactor([]int{2*v + 1}, one))
		if people[v].male {
			continue
		}
		if f, ok := inbred[v]; ok {
			// P(a,a) = f p_a + (1-f) p_a^2 and P(a,b) = (1-f) p_a p_b: the IBD case counted once.
			md.factors[len(md.factors)-1] = md.alleleFactor([]int{2 * v, 2*v + 1}, func(x []int) float64 {
				return (1-f)*freqs[x[0]]*freqs[x[1]] + f*freqs[x[0]]*float64(btoi(x[0] == x[1]))
			})
			continue
		}
		md.factors = append(md.factors, md.alleleFactor([]int{2 * v}, one))
	}
	return nil
}

// thetaSample is the probability of the alleles as one sequential Balding-Nichols sample: the
// k-th allele drawn is a with probability (m_a theta + (1 - theta) p_a) / (1 + (m - 1) theta), m
// being the number of alleles drawn before and m_a how many of them were a. The sample is
// exchangeable, so the order of founders does not matter.
func thetaSample(alleles []int, freqs []float64, theta float64) float64 {
	counts := make(map[int]int, len(alleles))
	p := 1.0
	for drawn, a := range alleles {
		p *= (float64(counts[a])*theta + (1-theta)*freqs[a]) / (1 + float64(drawn-1)*theta)
		counts[a]++
	}
	return p
}
