package kinship

import "math"

// alwaysLumpable reports whether every set of alleles is lumpable under M: each column constant
// off the diagonal (equal and proportional models). It allocates nothing.
func alwaysLumpable(M [][]float64) bool {
	res := true
	for j := range M {
		ref, set := 0.0, false
		for i := range M {
			if i == j {
				continue
			}
			if !set {
				ref, set = M[i][j], true
			} else if !close(M[i][j], ref) {
				res = false
			}
		}
	}
	return res
}

// lumped is a marker with the alleles no one carries merged into one "rest" allele (when the
// mutation model allows it: none, or a matrix under which the merged alleles behave as one).
type lumped struct {
	index      []int // original allele -> lumped allele
	freqs      []float64
	mutF, mutM [][]float64
}

func lump(m *Marker, genos []Genotype) lumped {
	n := len(m.Alleles)
	seen := make([]bool, n)
	for _, g := range genos {
		if g[0] >= 0 {
			seen[g[0]], seen[g[1]] = true, true
		}
	}
	var rest []int
	for a := 0; a < n; a++ {
		if !seen[a] {
			rest = append(rest, a)
		}
	}
	identity := func() lumped { return noLump(m) }
	if len(rest) < 2 ||
		!((m.checked && m.alwaysF) || lumpable(m.MutFemale, rest)) ||
		!((m.checked && m.alwaysM) || lumpable(m.MutMale, rest)) {
		return identity()
	}
	l := lumped{index: make([]int, n)}
	k := 0
	for a := 0; a < n; a++ {
		if seen[a] {
			l.index[a] = k
			l.freqs = append(l.freqs, m.Freqs[a])
			k++
		}
	}
	// As pedprobr does, the merged allele takes 1 minus the frequencies kept, so that databases
	// whose frequencies do not sum to exactly 1 give the reference software's numbers.
	kept := 0.0
	for _, f := range l.freqs {
		kept += f
	}
	if kept >= 1 {
		// The alleles kept already sum to 1 or more (a database summing above 1): a merged allele
		// would get no or a negative frequency, so keep every allele as it is.
		return identity()
	}
	for _, a := range rest {
		l.index[a] = k
	}
	l.freqs = append(l.freqs, 1-kept)
	l.mutF = lumpMatrix(m.MutFemale, l.index, k+1, rest[0])
	l.mutM = lumpMatrix(m.MutMale, l.index, k+1, rest[0])
	return l
}

// noLump keeps every allele of the marker as it is.
func noLump(m *Marker) lumped {
	l := lumped{index: make([]int, len(m.Alleles)), freqs: m.Freqs, mutF: m.MutFemale, mutM: m.MutMale}
	for a := range l.index {
		l.index[a] = a
	}
	return l
}

// lumpable reports whether the alleles in rest can be merged under M: from every allele the
// probability of mutating into the set is what matters, and every member of the set must mutate
// to each other allele, and into the set, with the same probabilities.
func lumpable(M [][]float64, rest []int) bool {
	if M == nil || len(rest) < 2 || alwaysLumpable(M) {
		return true
	}
	inRest := map[int]bool{}
	for _, a := range rest {
		inRest[a] = true
	}
	ref := rest[0]
	refIn := 0.0
	for _, j := range rest {
		refIn += M[ref][j]
	}
	for _, i := range rest[1:] {
		in := 0.0
		for _, j := range rest {
			in += M[i][j]
		}
		if !close(in, refIn) {
			return false
		}
		for j := range M[i] {
			if !inRest[j] && !close(M[i][j], M[ref][j]) {
				return false
			}
		}
	}
	return true
}

func close(a, b float64) bool {
	return math.Abs(a-b) <= 1e-13*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

func lumpMatrix(M [][]float64, index []int, n, restRep int) [][]float64 {
	if M == nil {
		return nil
	}
	out := make([][]float64, n)
	for i := range out {
		out[i] = make([]float64, n)
	}
	done := make([]bool, n)
	for a := range M {
		li := index[a]
		if done[li] {
			continue
		}
		if li == n-1 && a != restRep {
			continue
		}
		done[li] = true
		for b, v := range M[a] {
			out[li][index[b]] += v
		}
	}
	return out
}
