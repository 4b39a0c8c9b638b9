package ystr

import (
	"fmt"
	"slices"

	"github.com/homeward/homeward/lineage"
)

// The paternal-line likelihood ratio over meioses, and counting a haplotype in a reference set.

// StepProbability is P(difference d after m meioses) under the single-step model with rate mu:
// the m-fold convolution of the one-meiosis law {-1: mu/2, 0: 1-mu, +1: mu/2}. It is 0 for m < 0.
func StepProbability(d, m int, mu float64) float64 {
	if d < 0 {
		d = -d
	}
	if m < 0 || d > m {
		return 0
	}
	// dist[k+m] is P(difference k) after the meioses so far.
	dist := make([]float64, 2*m+1)
	next := make([]float64, 2*m+1)
	dist[m] = 1
	for step := 1; step <= m; step++ {
		clear(next)
		for k := m - step + 1; k <= m+step-1; k++ {
			p := dist[k]
			next[k] += p * (1 - mu)
			next[k-1] += p * mu / 2
			next[k+1] += p * mu / 2
		}
		dist, next = next, dist
	}
	return dist[d+m]
}

// LineageLR is the LR of "b is on a's paternal line, meioses apart" against "b is unrelated" (see
// the package comment). rates gives per-locus mutation rates by locus name (normalised by
// Canonical); loci not in it take DefaultRates, then DefaultRate. hapFreq is the frequency of b's
// haplotype in the population, in (0, 1].
func LineageLR(c Comparison, meioses int, rates map[string]float64, hapFreq float64) (float64, error) {
	if meioses < 1 || meioses > MaxMeioses {
		return 0, fmt.Errorf("y-str LR: %d meioses; between 1 and %d", meioses, MaxMeioses)
	}
	if !(hapFreq > 0 && hapFreq <= 1) {
		return 0, fmt.Errorf("y-str LR: haplotype frequency %v must be in (0, 1]", hapFreq)
	}
	given := map[string]float64{}
	for n, mu := range rates {
		if !(mu >= 0 && mu < 1) {
			return 0, fmt.Errorf("y-str LR: locus %s: rate %v outside [0, 1)", n, mu)
		}
		given[Canonical(n)] = mu
	}
	if c.Compared == 0 {
		return 0, fmt.Errorf("y-str LR: no locus compared")
	}
	num := 1.0
	for _, l := range c.Loci {
		switch l.Status {
		case StatusNull:
			continue
		case StatusNonStepwise:
			return 0, nil
		}
		mu, ok := given[l.Locus]
		if !ok {
			if mu, ok = DefaultRates[l.Locus]; !ok {
				mu = DefaultRate
			}
		}
		copies := l.CopySteps
		if len(copies) == 0 { // a Comparison built by hand
			copies = []int{l.Steps}
		}
		per := mu / float64(len(copies))
		for _, d := range copies {
			num *= StepProbability(d, meioses, per)
		}
	}
	return num / hapFreq, nil
}

// Frequency is a haplotype count in a reference set.
type Frequency struct {
	Matches  int     `json:"matches"`
	N        int     `json:"n"`
	Skipped  int     `json:"skipped"` // references not typed at every locus of the haplotype
	Estimate float64 `json:"estimate"`
	// Upper95 is the one-sided 95% Clopper-Pearson upper bound of the frequency.
	Upper95 float64 `json:"upper_95"`
}

// CountFrequency counts the references typed at all of h's loci that match it: no mismatch at any
// compared locus (a null against a called allele is left out, so such a reference counts as a
// match: the count errs towards a higher frequency, which favours the unrelated hypothesis). The
// others are skipped and counted apart. The bound is lineage.UpperBound95.
func CountFrequency(h Haplotype, refs []Haplotype) Frequency {
	var f Frequency
	for _, r := range refs {
		typed := true
		for l := range h {
			if _, ok := r[l]; !ok {
				typed = false
				break
			}
		}
		if !typed {
			f.Skipped++
			continue
		}
		f.N++
		if matches(h, r) {
			f.Matches++
		}
	}
	if f.N > 0 {
		f.Estimate = float64(f.Matches) / float64(f.N)
		f.Upper95 = lineage.UpperBound95(f.Matches, f.N)
	}
	return f
}

// matches is Compare(h, r).Mismatches == 0 without building the report.
func matches(h, r Haplotype) bool {
	for l, xs := range h {
		if slices.Equal(xs, r[l]) {
			continue
		}
		s := compareLocus(l, xs, r[l]).Status
		if s == StatusMismatch || s == StatusNonStepwise {
			return false
		}
	}
	return true
}
