package dvi

import "github.com/homeward/homeward/kinship"

// ObservedProfile is a degraded profile prepared for screening under a dropout model: what
// every family's comparison needs that does not depend on the family, computed once.
//
// Under relMix's model, P(R | g) for the alleles R seen depends on g only through how many copies
// of each seen allele g carries and whether its other alleles are one or two: so the genotypes
// fall into a few classes (the homozygotes and heterozygote of the seen alleles, one at a time;
// a seen allele with an unseen one; two unseen alleles, alike or not) whose probabilities are
// computed here, and each family supplies the classes' masses. A comparison costs a few
// operations per marker, whatever the number of alleles.
type ObservedProfile struct {
	ID      int64
	markers []observedMarker // per panel marker; analysed false when it was not
}

type observedMarker struct {
	analysed   bool
	seen       []int              // the alleles seen (0 to 2)
	explicit   []weightedGenotype // the genotypes made of seen alleles only
	kWith      []float64          // per seen allele a: P(R | (a, x)) for x unseen
	kHom, kHet float64            // P(R | g) for g of unseen alleles, homozygous or not
	den        float64            // sum_g P(R | g) P(g)
}

type weightedGenotype struct {
	g  int32   // a*n+b, a <= b
	pg float64 // P(g)
	p  float64 // P(R | g)
}

// PrepareObserved reads p's alleles at each marker as what a degraded sample showed under d: one
// allele is a homozygote or a heterozygote whose other allele dropped out, two a heterozygote or a
// homozygote with a drop-in, none (analysed) may be anything.
func PrepareObserved(panel []*kinship.Marker, p *EncodedProfile, d kinship.Dropout) ObservedProfile {
	op := ObservedProfile{ID: p.ID, markers: make([]observedMarker, len(panel))}
	for mi, m := range panel {
		if o, ok := p.Observed(mi, len(m.Alleles), d); ok {
			op.markers[mi] = prepareMarker(m, o)
		}
	}
	return op
}

func prepareMarker(m *kinship.Marker, o kinship.Observation) observedMarker {
	n := len(m.Alleles)
	om := observedMarker{analysed: true, seen: o.Alleles}
	seen := make([]bool, n)
	for _, a := range o.Alleles {
		seen[a] = true
	}
	var rest []int // alleles not seen
	for a := range n {
		if !seen[a] {
			rest = append(rest, a)
		}
	}
	if len(rest) >= 1 {
		om.kHom = o.Probability(m, kinship.Genotype{rest[0], rest[0]})
		for _, a := range o.Alleles {
			om.kWith = append(om.kWith, o.Probability(m, kinship.Genotype{a, rest[0]}))
		}
	} else {
		om.kWith = make([]float64, len(o.Alleles))
	}
	if len(rest) >= 2 {
		om.kHet = o.Probability(m, kinship.Genotype{rest[0], rest[1]})
	}
	pg := func(a, b int) float64 {
		if a == b {
			return m.Freqs[a] * m.Freqs[a]
		}
		return 2 * m.Freqs[a] * m.Freqs[b]
	}
	for i, a := range o.Alleles {
		for _, b := range o.Alleles[i:] {
			lo, hi := min(a, b), max(a, b)
			w := weightedGenotype{g: int32(lo*n + hi), pg: pg(lo, hi), p: o.Probability(m, kinship.Genotype{lo, hi})}
			om.explicit = append(om.explicit, w)
			om.den += w.p * w.pg
		}
	}
	// The other classes over the population: a seen allele with an unseen one, two unseen alleles.
	restMass := 0.0
	for _, x := range rest {
		restMass += m.Freqs[x]
	}
	homRest := 0.0
	for _, x := range rest {
		homRest += m.Freqs[x] * m.Freqs[x]
	}
	for i, a := range o.Alleles {
		om.den += om.kWith[i] * 2 * m.Freqs[a] * restMass
	}
	om.den += om.kHom*homRest + om.kHet*(restMass*restMass-homRest)
	return om
}

// ObservedLR is the LR of "the degraded profile is the family's missing person" against
// "unrelated": per marker sum_g P(seen | g) P(g | relatives) / sum_g P(seen | g) P(g). A marker
// where no genotype the relatives allow could show what was seen is an exclusion and contributes
// the table's allowance.
func (t *FamilyTable) ObservedLR(panel []*kinship.Marker, op *ObservedProfile) (lr float64, compared, exclusions int) {
	lr = 1.0
	for k, mi := range t.markers {
		om := &op.markers[mi]
		if !om.analysed {
			continue
		}
		compared++
		num := t.observedNumerator(k, len(panel[mi].Alleles), om)
		if num <= 0 || om.den == 0 {
			lr *= t.allowance
			exclusions++
			continue
		}
		lr *= num / om.den
	}
	return lr, compared, exclusions
}

// observedNumerator is sum_g P(seen | g) P(g | relatives) at kept marker k (n alleles), class by
// class: each genotype made of seen alleles; each seen allele a with an unseen one (the family's
// heterozygote mass carrying a, less the seen-seen heterozygote); the rest, homozygous or not.
func (t *FamilyTable) observedNumerator(k, n int, om *observedMarker) float64 {
	tab, zero := t.vals[t.offs[k]:], t.zero[t.offs[k]:]
	with := t.hetWith[t.hetOffs[k]:]
	dist := func(g int32, pg float64) float64 {
		if zero[g] {
			return 0
		}
		return tab[g] * pg // P(g | relatives)
	}
	num, hom, het := 0.0, t.homMass[k], t.hetMass[k]
	for _, w := range om.explicit {
		d := dist(w.g, w.pg)
		num += w.p * d
		if int(w.g)/n == int(w.g)%n {
			hom -= d
		}
	}
	var ab float64 // the heterozygote of the two seen alleles
	if len(om.explicit) == 3 {
		ab = dist(om.explicit[1].g, om.explicit[1].pg)
	}
	for i, a := range om.seen {
		num += om.kWith[i] * remainder(with[a], with[a]-ab)
		het -= with[a]
	}
	het += ab // subtracted twice above
	return num + om.kHom*remainder(t.homMass[k], hom) + om.kHet*remainder(t.hetMass[k], het)
}

// remainder is what is left of a mass after subtracting parts of it, with rounding's residue
// (below 1e-12 of the whole) taken for the zero it stands for: a class the relatives rule out
// must stay an exclusion, not become an LR of 1e-40.
func remainder(whole, left float64) float64 {
	if left <= 1e-12*whole {
		return 0
	}
	return left
}
