package dvi

import "github.com/homeward/homeward/kinship"

// ObservedProfile is a degraded profile prepared for screening under a dropout model. Per panel
// marker it lists the missing person's unordered genotypes that could have shown what was seen,
// each weighted by P(seen | g) P(g), and their total: what every family's comparison needs that
// does not depend on the family, computed once per profile.
type ObservedProfile struct {
	ID      int64
	markers [][]weightedGenotype // nil: the marker was not analysed
	den     []float64
}

type weightedGenotype struct {
	g int32 // a*n+b, a <= b
	w float64
}

// PrepareObserved reads p's alleles at each marker as what a degraded sample showed under d: one
// allele is a homozygote or a heterozygote whose other allele dropped out, two a heterozygote or a
// homozygote with a drop-in, none (analysed) may be anything.
func PrepareObserved(panel []*kinship.Marker, p *EncodedProfile, d kinship.Dropout) ObservedProfile {
	op := ObservedProfile{ID: p.ID, markers: make([][]weightedGenotype, len(panel)), den: make([]float64, len(panel))}
	for mi, m := range panel {
		n := len(m.Alleles)
		x := int(p.idx[mi])
		if x == n*n {
			continue
		}
		o := kinship.Observation{Model: d}
		if x < n*n {
			o.Alleles = append(o.Alleles, x/n)
			if x/n != x%n {
				o.Alleles = append(o.Alleles, x%n)
			}
		}
		list := []weightedGenotype{}
		for a := 0; a < n; a++ {
			for b := a; b < n; b++ {
				pg := m.Freqs[a] * m.Freqs[b]
				if a != b {
					pg *= 2
				}
				if w := o.Probability(m, kinship.Genotype{a, b}) * pg; w > 0 {
					list = append(list, weightedGenotype{int32(a*n + b), w})
					op.den[mi] += w
				}
			}
		}
		op.markers[mi] = list
	}
	return op
}

// ObservedLR is the LR of "the degraded profile is the family's missing person" against
// "unrelated": per marker sum_g P(seen | g) P(g | relatives) / sum_g P(seen | g) P(g). A marker
// where no genotype the relatives allow could show what was seen is an exclusion and contributes
// the table's allowance.
func (t *FamilyTable) ObservedLR(op *ObservedProfile) (lr float64, compared, exclusions int) {
	lr = 1.0
	for k, mi := range t.markers {
		list := op.markers[mi]
		if list == nil {
			continue
		}
		compared++
		tab, zero := t.vals[t.offs[k]:], t.zero[t.offs[k]:]
		num := 0.0
		for _, wg := range list {
			if !zero[wg.g] {
				num += wg.w * tab[wg.g] // P(seen|g) P(g) * P(g|relatives)/P(g)
			}
		}
		if num == 0 || op.den[mi] == 0 {
			lr *= t.allowance
			exclusions++
			continue
		}
		lr *= num / op.den[mi]
	}
	return lr, compared, exclusions
}
