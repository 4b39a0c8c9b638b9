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
	h       Hypothesis
	offset  []int // each component's first person index
	mem     *scratch
}

// person returns the index of the person with this id, or false.
func (md *model) person(id string) (int, bool) {
	for c, ped := range md.h.Components {
		if i := ped.Index(id); i >= 0 {
			return md.offset[c] + i, true
		}
	}
	return 0, false
}

// member is one person of the hypothesis, gathered across its components.
type member struct {
	comp, idx int
	g         Genotype
	male      bool // hemizygous at an X marker
}

// build makes the factor graph. People who are untyped, unobserved and without typed or observed
// descendants are left out (their alleles sum out to 1), except those named in alsoKeep.
// Its tables come from mem.
func build(mem *scratch, h Hypothesis, m *Marker, genos map[string]Genotype, obs map[string]Observation, theta float64, alsoKeep ...string) (*model, error) {
	if theta < 0 || theta >= 1 || math.IsNaN(theta) {
		return nil, fmt.Errorf("theta %v is outside [0, 1)", theta)
	}
	people, offset, err := gather(h, m, genos)
	if err != nil {
		return nil, err
	}
	md := &model{h: h, offset: offset, mem: mem}
	if err := checkObservations(md, m, genos, obs); err != nil {
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
	md.nvars, md.domains, md.lm = 2*len(people), make([][]int, 2*len(people)), lm
	keep := make([]bool, len(people))
	for id := range obs {
		i, _ := md.person(id)
		keep[i] = true
	}
	for _, id := range alsoKeep {
		if i, ok := md.person(id); ok {
			keep[i] = true
		}
	}
	md.informative(h, people, offset, keep)
	for c, ped := range h.Components {
		for _, i := range ped.order {
			if v := offset[c] + i; keep[v] {
				md.addPerson(v, people[v], parentsOf(ped, i, offset[c], people))
			}
		}
	}
	for id, o := range obs {
		i, _ := md.person(id)
		md.factors = append(md.factors, md.observationFactor(i, people[i].male, o, m))
	}
	founders, err := md.addTransmissions(h, people, offset, keep)
	if err != nil {
		return nil, err
	}
	if err := md.addFounders(h, people, founders, theta); err != nil {
		return nil, err
	}
	return md, nil
}

// gather numbers the people of every component and checks their genotypes.
func gather(h Hypothesis, m *Marker, genos map[string]Genotype) ([]member, []int, error) {
	var people []member
	offset := make([]int, len(h.Components))
	for c, ped := range h.Components {
		offset[c] = len(people)
		for i, pe := range ped.People {
			for _, other := range h.Components[:c] {
				if other.Index(pe.ID) >= 0 {
					return nil, nil, fmt.Errorf("hypothesis %s: individual %q is in two components", h.Name, pe.ID)
				}
			}
			g, ok := genos[pe.ID]
			if !ok {
				g = Untyped
			}
			if (g[0] < 0) != (g[1] < 0) || g[0] >= len(m.Alleles) || g[1] >= len(m.Alleles) {
				return nil, nil, fmt.Errorf("marker %s: individual %q has an invalid genotype", m.Name, pe.ID)
			}
			male, err := hemizygous(m, pe, g)
			if err != nil {
				return nil, nil, err
			}
			people = append(people, member{comp: c, idx: i, g: g, male: male})
		}
	}
	return people, offset, nil
}

func checkObservations(md *model, m *Marker, genos map[string]Genotype, obs map[string]Observation) error {
	for id, o := range obs {
		if _, typed := genos[id]; typed {
			return fmt.Errorf("marker %s: individual %q has both a genotype and observed alleles", m.Name, id)
		}
		if _, ok := md.person(id); !ok {
			return fmt.Errorf("hypothesis %s: individual %q with observed alleles is not in it", md.h.Name, id)
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

// informative marks in keep, besides those already there, the typed and everyone with a kept
// descendant. Everybody else's alleles sum out to 1 (a founder's prior and a child's transmission
// are distributions), so leaving them out changes nothing but the work.
func (md *model) informative(h Hypothesis, people []member, offset []int, keep []bool) {
	for c, ped := range h.Components {
		for k := len(ped.order) - 1; k >= 0; k-- {
			i := ped.order[k]
			v := offset[c] + i
			keep[v] = keep[v] || people[v].g[0] >= 0
			if keep[v] && !ped.IsFounder(i) {
				keep[offset[c]+ped.father[i]] = true
				keep[offset[c]+ped.mother[i]] = true
			}
		}
	}
}

// parents names person i's parents as variables' persons (-1 for a founder) and whether the
// father passes one allele (hemizygous).
type parents struct {
	father, mother int
	hemiFather     bool
}

func parentsOf(ped *Pedigree, i, offset int, people []member) parents {
	if ped.IsFounder(i) {
		return parents{father: -1, mother: -1}
	}
	fa := offset + ped.father[i]
	return parents{father: fa, mother: offset + ped.mother[i], hemiFather: people[fa].male}
}

// addPerson sets person i's domains: a typed person's alleles only (with a factor that allows the
// two orders of a heterozygote and no homozygote); for the untyped, the alleles their parents'
// alleles can become through the mutation models (every lumped allele for a founder).
func (md *model) addPerson(i int, p member, par parents) {
	pat, mat := 2*i, 2*i+1
	if p.g[0] < 0 {
		md.domains[mat] = md.reachable(par.mother, false, md.lm.mutF)
		if !p.male {
			md.domains[pat] = md.reachable(par.father, par.hemiFather, md.lm.mutM)
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
	phases := md.mem.factor([]int{pat, mat}, []int{2, 2})
	phases.vals[1], phases.vals[2] = 1, 1 // (a, b) and (b, a); never (a, a) or (b, b)
	md.factors = append(md.factors, phases)
}

// reachable lists the lumped alleles that parent (a person index; -1: none, a founder's draw) can
// pass on through M (nil: no mutation), in increasing order.
func (md *model) reachable(parent int, hemi bool, M [][]float64) []int {
	n := len(md.lm.freqs)
	out := md.mem.ints0(n)[:0]
	if parent < 0 {
		for a := range n {
			out = append(out, a)
		}
		return out
	}
	for c := range n {
		if md.passes(md.domains[2*parent+1], c, M) || !hemi && md.passes(md.domains[2*parent], c, M) {
			out = append(out, c)
		}
	}
	return out
}

// passes reports whether some allele of from can be passed on as c through M (nil: no mutation).
func (md *model) passes(from []int, c int, M [][]float64) bool {
	for _, a := range from {
		if M == nil && a == c || M != nil && M[a][c] > 0 {
			return true
		}
	}
	return false
}

// alleleFactor is a factor over vars whose value at each combination of their alleles is val.
func (md *model) alleleFactor(vars []int, val func(alleles []int) float64) *factor {
	card := md.mem.ints0(len(vars))
	for i, v := range vars {
		card[i] = len(md.domains[v])
	}
	f := md.mem.factor(vars, card)
	assign := md.mem.ints0(len(vars))
	alleles := md.mem.ints0(len(vars))
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
func (md *model) addTransmissions(h Hypothesis, people []member, offset []int, keep []bool) ([]int, error) {
	var founders []int
	for c, ped := range h.Components {
		for i := range ped.People {
			v := offset[c] + i
			if !keep[v] {
				continue
			}
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
// none): (M[a][c] + M[b][c]) / 2 from a parent (a, b), M[a][c] from a hemizygous father. Built
// with plain loops: it is made for every child at every marker of every likelihood.
func (md *model) passFactor(parent int, hemi bool, child int, M [][]float64) *factor {
	dc := md.domains[child]
	pass := func(a, c int) float64 {
		if M == nil {
			return float64(btoi(a == c))
		}
		return M[a][c]
	}
	if hemi {
		dp := md.domains[2*parent+1]
		f := md.mem.factor([]int{2*parent + 1, child}, []int{len(dp), len(dc)})
		k := 0
		for _, a := range dp {
			for _, c := range dc {
				f.vals[k] = pass(a, c)
				k++
			}
		}
		return f
	}
	dp, dm := md.domains[2*parent], md.domains[2*parent+1]
	f := md.mem.factor([]int{2 * parent, 2*parent + 1, child}, []int{len(dp), len(dm), len(dc)})
	k := 0
	for _, a := range dp {
		for _, b := range dm {
			for _, c := range dc {
				if M == nil {
					f.vals[k] = 0.5*float64(btoi(a == c)) + 0.5*float64(btoi(b == c))
				} else {
					f.vals[k] = 0.5*M[a][c] + 0.5*M[b][c]
				}
				k++
			}
		}
	}
	return f
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
