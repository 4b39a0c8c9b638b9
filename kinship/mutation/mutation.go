// Package mutation builds the mutation matrices of forensic pedigree likelihoods from a model's
// parameters, the same way the R package pedmut (the reference) defines them, and reports their
// properties (stationarity, lumpability).
package mutation

import (
	"fmt"
	"math"
	"strconv"
)

// Params names a model and its parameters. Matrix is used by the "custom" model only.
type Params struct {
	Model  string
	Rate   float64
	Rate2  float64
	Range  float64
	Matrix [][]float64
}

// Build returns the row-stochastic matrix M (rows and columns in alleles order) where M[i][j] is
// the probability that allele i is passed on as allele j.
//
//   - equal: 1-rate on the diagonal, rate/(n-1) elsewhere;
//   - proportional: M = (1-a) I + a 1 p', a = rate / sum p_k (1-p_k) (mutations in proportion to the
//     target's frequency);
//   - stepwise: alleles with the same decimal part (integer alleles, .1, .2, .3 microvariants) form
//     groups, decided on whole tenths so that rounding never splits one (see microgroups); mutations within a group have weights range^|step|, scaled to total rate; mutations to
//     other groups share rate2 evenly; the diagonal is 1-rate-rate2 (1-rate when there is one group,
//     1-rate2 when the allele is alone in its group);
//   - onestep: integer alleles only; rate split between the neighbours one step away;
//   - trivial: the identity; custom: Matrix, validated.
func Build(p Params, alleles []string, freqs []float64) ([][]float64, error) {
	n := len(alleles)
	if n == 0 {
		return nil, fmt.Errorf("mutation model %s: no alleles", p.Model)
	}
	M := make([][]float64, n)
	for i := range M {
		M[i] = make([]float64, n)
	}
	needRate := map[string]bool{"equal": true, "proportional": true, "stepwise": true, "onestep": true}
	if needRate[p.Model] && (p.Rate < 0 || math.IsNaN(p.Rate)) {
		return nil, fmt.Errorf("mutation model %s: rate must be a nonnegative number, not %v", p.Model, p.Rate)
	}
	model := p.Model
	if n == 1 && model != "custom" {
		model = "trivial"
	}
	var err error
	switch model {
	case "custom":
		err = custom(M, p)
	case "trivial":
		for i := range M {
			M[i][i] = 1
		}
	case "equal":
		off := p.Rate / float64(n-1)
		for i := range M {
			for j := range M[i] {
				M[i][j] = off
			}
			M[i][i] = 1 - p.Rate
		}
	case "proportional":
		err = proportional(M, p, freqs)
	case "stepwise":
		err = stepwise(M, p, alleles)
	case "onestep":
		err = onestep(M, p, alleles)
	case "random":
		return nil, fmt.Errorf("mutation model random: the reference draws it from R's random number generator, which Homeward does not reproduce; give the matrix (custom)")
	default:
		return nil, fmt.Errorf("unknown mutation model %q (equal, proportional, stepwise, onestep, trivial, custom)", p.Model)
	}
	if err != nil {
		return nil, err
	}
	if err := Validate(M); err != nil {
		return nil, fmt.Errorf("mutation model %s: %w", p.Model, err)
	}
	return M, nil
}

// custom fills M with the model's own matrix, checking its shape.
func custom(M [][]float64, p Params) error {
	n := len(M)
	if len(p.Matrix) != n {
		return fmt.Errorf("custom mutation model: matrix has %d rows for %d alleles", len(p.Matrix), n)
	}
	for i, row := range p.Matrix {
		if len(row) != n {
			return fmt.Errorf("custom mutation model: row %d has %d entries for %d alleles", i+1, len(row), n)
		}
		copy(M[i], row)
	}
	return nil
}

// proportional fills M = (1-a) I + a 1 p', a = rate / sum p_k (1-p_k).
func proportional(M [][]float64, p Params, freqs []float64) error {
	n := len(M)
	if len(freqs) != n {
		return fmt.Errorf("proportional mutation model: %d frequencies for %d alleles", len(freqs), n)
	}
	h := 0.0
	for _, f := range freqs {
		h += f * (1 - f)
	}
	a := p.Rate / h
	for i := range M {
		for j := range M[i] {
			id := 0.0
			if i == j {
				id = 1
			}
			M[i][j] = (1-a)*id + a*freqs[j]
			if M[i][j] > 1 {
				return fmt.Errorf("proportional mutation model: rate %v gives an impossible matrix; reduce it", p.Rate)
			}
		}
	}
	return nil
}

// stepwise fills M with the stepwise model (see Build): within a microvariant group weights
// range^|step| scaled to rate, rate2 shared evenly across groups.
func stepwise(M [][]float64, p Params, alleles []string) error {
	if p.Rate2 < 0 || p.Rate+p.Rate2 > 1 {
		return fmt.Errorf("stepwise mutation model: rate + rate2 must be in [0, 1], not %v", p.Rate+p.Rate2)
	}
	if !(p.Range > 0) {
		return fmt.Errorf("stepwise mutation model: range must be positive, not %v", p.Range)
	}
	tenths, group, err := microgroups(alleles)
	if err != nil {
		return err
	}
	n := len(M)
	for i := range M {
		same := 0
		for j := range M {
			if group[j] == group[i] {
				same++
			}
		}
		others := n - same
		for j := range M[i] {
			switch {
			case i == j:
				switch {
				case same == n:
					M[i][j] = 1 - p.Rate
				case same == 1:
					M[i][j] = 1 - p.Rate2
				default:
					M[i][j] = 1 - p.Rate - p.Rate2
				}
			case group[j] == group[i]:
				steps := (tenths[i] - tenths[j]) / 10 // whole repeats: same decimal part
				M[i][j] = math.Pow(p.Range, math.Abs(float64(steps)))
			default:
				M[i][j] = p.Rate2 / float64(others)
			}
		}
		sum := 0.0
		for j := range M[i] {
			if j != i && group[j] == group[i] {
				sum += M[i][j]
			}
		}
		for j := range M[i] {
			if j != i && group[j] == group[i] {
				M[i][j] = M[i][j] / sum * p.Rate
			}
		}
	}
	return nil
}

// onestep fills M with rate split between the neighbours one repeat away (integer alleles only).
func onestep(M [][]float64, p Params, alleles []string) error {
	x, err := numeric(alleles, "onestep")
	if err != nil {
		return err
	}
	for i, v := range x {
		if v != math.Round(v) {
			return fmt.Errorf("onestep mutation model: allele %q is not an integer", alleles[i])
		}
	}
	for i := range M {
		nei := 0
		for j := range M {
			if math.Abs(x[j]-x[i]) == 1 {
				nei++
			}
		}
		M[i][i] = 1
		if nei > 0 {
			M[i][i] = 1 - p.Rate
		}
		for j := range M {
			if math.Abs(x[j]-x[i]) == 1 {
				M[i][j] = p.Rate / float64(nei)
			}
		}
	}
	return nil
}

// microgroups returns each allele in tenths of a repeat (30.2 -> 302) and its decimal part (2), in
// integers so that alleles one repeat apart always share a group. pedmut computes the group in
// floating point and rounds it; it then puts x.5 alleles of even and odd repeat numbers in two
// groups (R rounds half to even), which Homeward does not copy: 30.5 and 31.5 are one repeat apart.
func microgroups(alleles []string) (tenths []int64, group []int64, err error) {
	x, err := numeric(alleles, "stepwise")
	if err != nil {
		return nil, nil, err
	}
	tenths, group = make([]int64, len(x)), make([]int64, len(x))
	for i, v := range x {
		t := math.Round(v * 10)
		if math.Abs(v*10-t) > 1e-6 || v < 0 || t > 1e15 {
			return nil, nil, fmt.Errorf("stepwise mutation model: allele %q: microvariants must have one decimal", alleles[i])
		}
		tenths[i] = int64(t)
		group[i] = tenths[i] % 10
	}
	return tenths, group, nil
}

func numeric(alleles []string, model string) ([]float64, error) {
	x := make([]float64, len(alleles))
	for i, a := range alleles {
		v, err := strconv.ParseFloat(a, 64)
		if err != nil {
			return nil, fmt.Errorf("%s mutation model: allele %q is not a number", model, a)
		}
		x[i] = v
	}
	return x, nil
}

// Validate checks that M has entries in [0, 1] and rows summing to 1 (to 3 decimals, as pedmut).
func Validate(M [][]float64) error {
	for i, row := range M {
		s := 0.0
		for j, v := range row {
			if v < 0 || v > 1 || math.IsNaN(v) {
				return fmt.Errorf("entry [%d][%d] = %v is outside [0, 1]", i+1, j+1, v)
			}
			s += v
		}
		if math.Round(s*1000) != 1000 {
			return fmt.Errorf("row %d sums to %v, not 1", i+1, s)
		}
	}
	return nil
}

// IsStationary reports whether the frequencies are stationary under M (p M = p).
func IsStationary(M [][]float64, freqs []float64, tol float64) bool {
	for j := range M {
		s := 0.0
		for i := range M {
			s += freqs[i] * M[i][j]
		}
		if math.Abs(s-freqs[j]) > tol {
			return false
		}
	}
	return true
}

// IsLumpable reports whether the alleles in lump can be merged into one under M: every member
// mutates to each allele outside the set, and into the set, with the same probability.
func IsLumpable(M [][]float64, lump []int) bool {
	if len(lump) < 2 {
		return true
	}
	in := map[int]bool{}
	for _, a := range lump {
		in[a] = true
	}
	ref := lump[0]
	into := func(i int) float64 {
		s := 0.0
		for _, j := range lump {
			s += M[i][j]
		}
		return s
	}
	r := into(ref)
	for _, i := range lump[1:] {
		if math.Abs(into(i)-r) > 1e-12 {
			return false
		}
		for j := range M[i] {
			if !in[j] && math.Abs(M[i][j]-M[ref][j]) > 1e-12 {
				return false
			}
		}
	}
	return true
}

// AlwaysLumpable reports whether every set of alleles is lumpable under M: each column is constant
// off the diagonal.
func AlwaysLumpable(M [][]float64) bool {
	n := len(M)
	for j := 0; j < n; j++ {
		ref := -1.0
		for i := 0; i < n; i++ {
			if i == j {
				continue
			}
			if ref < 0 {
				ref = M[i][j]
			} else if math.Abs(M[i][j]-ref) > 1e-12 {
				return false
			}
		}
	}
	return true
}
