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
	mem := getScratch()
	defer mem.release()
	md, err := build(mem, h, m, genos, obs, theta)
	if err != nil {
		return 0, err
	}
	l, err := eliminate(mem, md.factors, md.nvars)
	if err != nil {
		return 0, fmt.Errorf("marker %s, hypothesis %s: %w", m.Name, h.Name, err)
	}
	return l, nil
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
