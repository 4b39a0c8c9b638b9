package kinship

import "fmt"

// Kappa holds the probabilities that two non-inbred relatives share 0, 1 or 2 alleles identical
// by descent at an autosomal locus.
type Kappa [3]float64

// Relationships are the classic pairwise relationships and their IBD coefficients (see e.g.
// Vigeland 2021, ch. 6). Grandparent, half sibling and avuncular share the same coefficients and
// therefore cannot be told apart by unlinked markers.
var Relationships = map[string]Kappa{
	"parent-child":  {0, 1, 0},
	"full-siblings": {0.25, 0.5, 0.25},
	"half-siblings": {0.5, 0.5, 0},
	"grandparent":   {0.5, 0.5, 0},
	"avuncular":     {0.5, 0.5, 0},
	"first-cousins": {0.75, 0.25, 0},
	"unrelated":     {1, 0, 0},
	"monozygotic":   {0, 0, 1},
}

// PairwiseLR returns, at one marker, the likelihood ratio of the relationship with coefficients k
// against unrelatedness for two typed people with genotypes a and b (no mutation, no theta):
// LR = k0 + k1 * P(a,b | 1 IBD) / (P(a) P(b)) + k2 * P(a,b | 2 IBD) / (P(a) P(b)).
func PairwiseLR(k Kappa, freqs []float64, a, b Genotype) (float64, error) {
	for _, g := range []Genotype{a, b} {
		if g[0] < 0 || g[1] < 0 || g[0] >= len(freqs) || g[1] >= len(freqs) {
			return 0, fmt.Errorf("pairwise LR: genotype %v outside the marker's %d alleles", g, len(freqs))
		}
	}
	pb := hw(freqs, b)
	// P(b | a, one allele IBD): the shared allele is either of a's, each with probability 1/2;
	// b's other allele comes from the population.
	one := 0.5*given(freqs, b, a[0]) + 0.5*given(freqs, b, a[1])
	two := 0.0
	if (a[0] == b[0] && a[1] == b[1]) || (a[0] == b[1] && a[1] == b[0]) {
		two = 1
	}
	return k[0] + k[1]*one/pb + k[2]*two/pb, nil
}

func hw(freqs []float64, g Genotype) float64 {
	if g[0] == g[1] {
		return freqs[g[0]] * freqs[g[0]]
	}
	return 2 * freqs[g[0]] * freqs[g[1]]
}

// given is P(genotype g | one of its alleles is x, the other drawn from the population).
func given(freqs []float64, g Genotype, x int) float64 {
	c, d := g[0], g[1]
	if c == d {
		if x == c {
			return freqs[c]
		}
		return 0
	}
	p := 0.0
	if x == c {
		p += freqs[d]
	}
	if x == d {
		p += freqs[c]
	}
	return p
}
