package kinship

import "sync"

// scratch is memory reused from one likelihood to the next: factor tables are carved from its
// slabs and given back all at once, so that the thousands of likelihoods of a DVI search make
// almost no garbage. A request larger than what is left is served from the heap, and the slab
// grows to the high-water mark (up to maxSlab entries) for the next likelihood.
type scratch struct {
	floats              []float64
	ints                []int
	factors             []factor
	usedF, usedI, usedT int
	needF, needI, needT int
}

const maxSlab = 1 << 22

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

func getScratch() *scratch { return scratchPool.Get().(*scratch) }

// release makes the memory handed out reusable; nothing carved from it may be used after.
func (s *scratch) release() {
	if s.needF > len(s.floats) {
		s.floats = make([]float64, min(s.needF, maxSlab))
	}
	if s.needI > len(s.ints) {
		s.ints = make([]int, min(s.needI, maxSlab))
	}
	if s.needT > len(s.factors) {
		s.factors = make([]factor, min(s.needT, maxSlab))
	}
	clear(s.factors[:s.usedT]) // drop the references to tables handed out
	s.usedF, s.usedI, s.usedT, s.needF, s.needI, s.needT = 0, 0, 0, 0, 0, 0
	scratchPool.Put(s)
}

// float64s returns n zeroed entries.
func (s *scratch) float64s(n int) []float64 { return carve(s.floats, &s.usedF, &s.needF, n) }

// ints0 returns n zeroed entries.
func (s *scratch) ints0(n int) []int { return carve(s.ints, &s.usedI, &s.needI, n) }

// carve hands out the next n zeroed entries of slab, or fresh heap memory when the slab is used
// up, counting the demand so that release can grow the slab.
func carve[T any](slab []T, used, need *int, n int) []T {
	*need += n
	if *used+n > len(slab) {
		return make([]T, n)
	}
	f := slab[*used : *used+n : *used+n]
	*used += n
	clear(f)
	return f
}

// factor returns a zeroed table over vars with cardinalities card (both copied).
func (s *scratch) factor(vars, card []int) *factor {
	size := 1
	for _, c := range card {
		size *= c
	}
	v, c := s.ints0(len(vars)), s.ints0(len(card))
	copy(v, vars)
	copy(c, card)
	f := s.factorStruct()
	*f = factor{vars: v, card: c, vals: s.float64s(size)}
	return f
}

// factorStruct returns a factor header from the slab (or the heap when the slab is used up).
func (s *scratch) factorStruct() *factor {
	s.needT++
	if s.usedT >= len(s.factors) {
		return new(factor)
	}
	s.usedT++
	return &s.factors[s.usedT-1]
}
