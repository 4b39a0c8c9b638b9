package kinship

import (
	"fmt"
	"math"
)

// Dropout is the per-allele dropout and drop-in model of relMix (Haned, Slooten & Gill 2012,
// FSI:Genetics 6:762, appendix; Dørum et al. 2017) for a degraded single-source sample: each allele
// type of the donor is unseen with probability DHet (one copy) or DHom (two copies), and every
// allele a of the marker drops in with probability DropIn * p_a, independently.
type Dropout struct {
	DHet   float64 `json:"d_het"`
	DHom   float64 `json:"d_hom"`
	DropIn float64 `json:"drop_in"`
}

// Validate refuses probabilities outside [0, 1], naming the parameter.
func (d Dropout) Validate() error {
	for _, p := range []struct {
		name string
		v    float64
	}{{"d_het", d.DHet}, {"d_hom", d.DHom}, {"drop_in", d.DropIn}} {
		if math.IsNaN(p.v) || p.v < 0 || p.v > 1 {
			return fmt.Errorf("dropout %s %v is outside [0, 1]", p.name, p.v)
		}
	}
	return nil
}

// Observation is what a degraded sample showed of its donor at one marker: the set of alleles
// seen (indices into the marker's alleles; empty when the marker was analysed and nothing was
// seen) under a dropout model. A marker that was not analysed has no Observation.
type Observation struct {
	Alleles []int
	Model   Dropout
}

// observationFactor returns the factor P(observed set | genotype) over person i's allele
// variables (only the maternal one for a hemizygous male, whose allele counts as a homozygote). For every allele a of the marker, with q_a = (1 - c p_a) * (1, DHet, DHom for 0, 1, 2
// copies of a in g), P(R | g) = prod over a in R of (1 - q_a) times prod over a not in R of q_a.
// Alleles not observed and not in g contribute (1 - c p_a) whatever g is, so the product is taken
// once (base) over the marker's own alleles and frequencies, and a genotype changes it only
// through its own unobserved alleles (factor DHet or DHom) and the observed ones. This keeps the
// factor exact when unobserved alleles are lumped into one (md.lm), as long as DHom = DHet^2 (see
// lumpsObserved).
func (md *model) observationFactor(i int, hemi bool, o Observation, m *Marker) *factor {
	base, seen := observedBase(o, m.Freqs, md.lm.index, len(md.lm.freqs))
	prob := func(g Genotype) float64 { return observedProb(g, o, m.Freqs, md.lm.index, seen, base) }
	if hemi {
		return md.alleleFactor([]int{2*i + 1}, func(x []int) float64 { return prob(Genotype{x[0], x[0]}) })
	}
	return md.alleleFactor([]int{2 * i, 2*i + 1}, func(x []int) float64 { return prob(Genotype{x[0], x[1]}) })
}

// Probability is P(the observed alleles | the donor's genotype g) under the observation's dropout
// model, g and the observed alleles being indices into m's alleles.
func (o Observation) Probability(m *Marker, g Genotype) float64 {
	base, seen := observedBase(o, m.Freqs, nil, len(m.Freqs))
	return observedProb(g, o, m.Freqs, nil, seen, base)
}

// observedBase is the product over the marker's unobserved alleles of (1 - c p_a), and which
// alleles of the genotypes' alphabet (index maps marker alleles into it; nil: the same) were seen.
func observedBase(o Observation, freqs []float64, index []int, alphabet int) (float64, []bool) {
	seen := make([]bool, len(freqs))
	seenG := make([]bool, alphabet)
	for _, a := range o.Alleles {
		seen[a] = true
		seenG[mapAllele(index, a)] = true
	}
	base := 1.0
	for a, p := range freqs {
		if !seen[a] {
			base *= 1 - o.Model.DropIn*p
		}
	}
	return base, seenG
}

// observedProb is P(observed | g) from observedBase's parts, g over the genotypes' alphabet.
func observedProb(g Genotype, o Observation, freqs []float64, index []int, seenG []bool, base float64) float64 {
	c, d := o.Model.DropIn, [3]float64{1, o.Model.DHet, o.Model.DHom}
	copies := func(u int) int { return btoi(g[0] == u) + btoi(g[1] == u) }
	p := base
	for _, a := range o.Alleles {
		p *= 1 - (1-c*freqs[a])*d[copies(mapAllele(index, a))]
	}
	for k, u := range g {
		if k == 1 && u == g[0] {
			break // a homozygote's allele is counted once
		}
		if !seenG[u] {
			p *= d[copies(u)]
		}
	}
	return p
}

func mapAllele(index []int, a int) int {
	if index == nil {
		return a
	}
	return index[a]
}

// lumpsObserved reports whether the unobserved alleles may be lumped for these observations: the
// lumped homozygote stands for homozygotes (DHom) and heterozygotes of two lumped alleles (DHet^2)
// alike, so DHom must equal DHet^2.
func lumpsObserved(obs map[string]Observation) bool {
	for _, o := range obs {
		if d := o.Model.DHet * o.Model.DHet; math.Abs(o.Model.DHom-d) > 1e-12*math.Max(d, 1e-300) {
			return false
		}
	}
	return true
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
