package dvi

import "github.com/homeward/homeward/kinship"

// ObservedProfile is a degraded profile prepared for screening under a dropout model: what
// every family's comparison needs that does not depend on the family, computed once.
//
// For a marker where alleles R were seen, P(R | g) for a genotype g sharing no allele with R
// depends only on whether g is a homozygote (relMix's model: its alleles must all have dropped
// out and R dropped in), so those genotypes enter through two numbers (kHom, kHet) and each
// family's total masses of homozygotes and heterozygotes; only the genotypes touching R, O(n) of
// them, are listed one by one. A comparison costs O(n) per marker instead of O(n^2).
type ObservedProfile struct {
	ID      int64
	markers []observedMarker // per panel marker; analysed false when it was not
}

type observedMarker struct {
	analysed   bool
	touching   []weightedGenotype
	kHom, kHet float64 // P(R | g) for g sharing nothing with R, homozygous or not
	den        float64 // sum_g P(R | g) P(g)
}

type weightedGenotype struct {
	g   int32 // a*n+b, a <= b
	hom bool
	pg  float64 // P(g)
	w   float64 // P(R | g) P(g)
}

// PrepareObserved reads p's alleles at each marker as what a degraded sample showed under d: one
// allele is a homozygote or a heterozygote whose other allele dropped out, two a heterozygote or a
// homozygote with a drop-in, none (analysed) may be anything.
func PrepareObserved(panel []*kinship.Marker, p *EncodedProfile, d kinship.Dropout) ObservedProfile {
	op := ObservedProfile{ID: p.ID, markers: make([]observedMarker, len(panel))}
	for mi, m := range panel {
		n := len(m.Alleles)
		x := int(p.idx[mi])
		if x == n*n {
			continue
		}
		o := kinship.Observation{Model: d}
		seen := make([]bool, n)
		if x < n*n {
			o.Alleles = append(o.Alleles, x/n)
			if x/n != x%n {
				o.Alleles = append(o.Alleles, x%n)
			}
			for _, a := range o.Alleles {
				seen[a] = true
			}
		}
		op.markers[mi] = prepareMarker(m, o, seen)
	}
	return op
}

func prepareMarker(m *kinship.Marker, o kinship.Observation, seen []bool) observedMarker {
	n := len(m.Alleles)
	om := observedMarker{analysed: true}
	var rest []int // alleles not seen
	for a := range n {
		if !seen[a] {
			rest = append(rest, a)
		}
	}
	if len(rest) >= 1 {
		om.kHom = o.Probability(m, kinship.Genotype{rest[0], rest[0]})
	}
	if len(rest) >= 2 {
		om.kHet = o.Probability(m, kinship.Genotype{rest[0], rest[1]})
	}
	for a := 0; a < n; a++ {
		for b := a; b < n; b++ {
			pg := m.Freqs[a] * m.Freqs[b]
			if a != b {
				pg *= 2
			}
			if !seen[a] && !seen[b] {
				if a == b {
					om.den += om.kHom * pg
				} else {
					om.den += om.kHet * pg
				}
				continue
			}
			w := o.Probability(m, kinship.Genotype{a, b}) * pg
			om.touching = append(om.touching, weightedGenotype{g: int32(a*n + b), hom: a == b, pg: pg, w: w})
			om.den += w
		}
	}
	return om
}

// ObservedLR is the LR of "the degraded profile is the family's missing person" against
// "unrelated": per marker sum_g P(seen | g) P(g | relatives) / sum_g P(seen | g) P(g). A marker
// where no genotype the relatives allow could show what was seen is an exclusion and contributes
// the table's allowance.
func (t *FamilyTable) ObservedLR(op *ObservedProfile) (lr float64, compared, exclusions int) {
	lr = 1.0
	for k, mi := range t.markers {
		om := &op.markers[mi]
		if !om.analysed {
			continue
		}
		compared++
		tab, zero := t.vals[t.offs[k]:], t.zero[t.offs[k]:]
		// The genotypes touching what was seen one by one; the others through the masses, less
		// the touching genotypes' share of them.
		num, hom, het := 0.0, t.homMass[k], t.hetMass[k]
		for _, wg := range om.touching {
			if zero[wg.g] {
				continue
			}
			num += wg.w * tab[wg.g] // P(seen|g) P(g) * P(g|relatives)/P(g)
			if wg.hom {
				hom -= tab[wg.g] * wg.pg
			} else {
				het -= tab[wg.g] * wg.pg
			}
		}
		num += om.kHom*max(hom, 0) + om.kHet*max(het, 0)
		if num <= 0 || om.den == 0 {
			lr *= t.allowance
			exclusions++
			continue
		}
		lr *= num / om.den
	}
	return lr, compared, exclusions
}
