package kinship

import (
	"fmt"
	"math/bits"
)

func trailingZeros(x uint64) int { return bits.TrailingZeros64(x) }

// MaxTable bounds the intermediate tables of variable elimination (entries), so that an
// intractable pedigree is refused with a message instead of exhausting memory.
var MaxTable = 20_000_000

// factor is a table over discrete variables, row-major (the last variable varies fastest).
type factor struct {
	vars []int
	card []int
	vals []float64
}

// eliminate sums every variable (numbered 0..nvars-1) out of the product of the factors
// (variable elimination) and returns the total.
func eliminate(mem *scratch, factors []*factor, nvars int) (float64, error) {
	r, _, err := eliminateKeep(mem, factors, nvars, nil)
	return r, err
}

// eliminateKeep sums out every variable except those in keep, in the order plan chooses, and
// returns the scalar part and, when keep is not empty, the table over keep's values (row-major in
// keep's order; nil when the product is already 0; the table is the caller's, not mem's).
// Intermediate tables come from mem. Loops in the pedigree are handled exactly: they only make
// some intermediate tables larger. A table above MaxTable is refused before it is built.
func eliminateKeep(mem *scratch, factors []*factor, nvars int, keep []int) (float64, []float64, error) {
	e := newEliminator(mem, nvars, keep)
	factors = append(make([]*factor, 0, len(factors)+nvars), factors...)
	order, largest := e.plan(factors)
	if largest > MaxTable {
		return 0, nil, fmt.Errorf("the pedigree needs a table of more than %d genotype combinations: too many untyped people joined by loops; type more relatives or simplify the pedigree", MaxTable)
	}
	var with []*factor
	result := 1.0
	for _, v := range order {
		with = with[:0]
		live := factors[:0]
		for _, f := range factors {
			switch {
			case len(f.vars) == 0:
				result *= f.vals[0]
			case has(f.vars, v):
				with = append(with, f)
			default:
				live = append(live, f)
			}
		}
		factors = live
		if result == 0 {
			return 0, nil, nil
		}
		if len(with) > 0 {
			factors = append(factors, e.combine(with, v))
		}
	}
	live := factors[:0]
	for _, f := range factors {
		if len(f.vars) == 0 {
			result *= f.vals[0]
		} else {
			live = append(live, f)
		}
	}
	if result == 0 || len(keep) == 0 {
		return result, nil, nil
	}
	return result, e.keepTable(live, result), nil
}

// eliminator holds the scratch state of one elimination.
type eliminator struct {
	mem   *scratch
	cards []int // each variable's cardinality; 0 when no factor mentions it
	keep  []int
	kept  []bool
}

func newEliminator(mem *scratch, nvars int, keep []int) *eliminator {
	e := &eliminator{mem: mem, cards: mem.ints0(nvars), keep: keep, kept: make([]bool, nvars)}
	for _, v := range keep {
		e.kept[v] = true
	}
	return e
}

// plan chooses the elimination order greedily: next, the variable whose elimination multiplies
// the fewest entries (its cardinality times its neighbours' in the interaction graph, where
// variables sharing a factor are joined), the graph then updated as if it were eliminated (its
// neighbours joined). Only the neighbours' costs change at each step. It returns the order and
// the largest cost, saturated above MaxTable.
func (e *eliminator) plan(factors []*factor) ([]int, int) {
	n := len(e.cards)
	words := (n + 63) / 64
	nb := make([]uint64, n*words)
	set := func(a, b int) { nb[a*words+b/64] |= 1 << (b % 64) }
	for _, f := range factors {
		for i, v := range f.vars {
			e.cards[v] = f.card[i]
			for _, u := range f.vars {
				if u != v {
					set(v, u)
				}
			}
		}
	}
	gone := make([]bool, n)
	cost := e.mem.ints0(n)
	costOf := func(v int) int {
		c := e.cards[v]
		for w := range words {
			for bits := nb[v*words+w]; bits != 0; bits &= bits - 1 {
				if c <= MaxTable {
					c *= e.cards[w*64+trailingZeros(bits)]
				}
			}
		}
		return c
	}
	var order []int
	for v := range n {
		if e.cards[v] == 0 || e.kept[v] {
			gone[v] = true
			continue
		}
		cost[v] = costOf(v)
	}
	largest := 0
	for {
		best := -1
		for v := range n {
			if !gone[v] && (best < 0 || cost[v] < cost[best]) {
				best = v
			}
		}
		if best < 0 {
			return order, largest
		}
		order, largest, gone[best] = append(order, best), max(largest, cost[best]), true
		row := nb[best*words : (best+1)*words]
		for w := range words {
			for bits := row[w]; bits != 0; bits &= bits - 1 {
				u := w*64 + trailingZeros(bits)
				ur := nb[u*words : (u+1)*words]
				for k := range words {
					ur[k] |= row[k]
				}
				ur[u/64] &^= 1 << (u % 64)
				ur[best/64] &^= 1 << (best % 64)
			}
		}
		for w := range words {
			for bits := row[w]; bits != 0; bits &= bits - 1 {
				if u := w*64 + trailingZeros(bits); !gone[u] {
					cost[u] = costOf(u)
				}
			}
		}
	}
}

// keepTable multiplies the factors left (over kept variables only) into one table over keep,
// scaled by result. A kept variable no factor mentions is not in the model: it has cardinality 0
// and the table is empty.
func (e *eliminator) keepTable(factors []*factor, result float64) []float64 {
	f := e.product(factors, e.keep, -1)
	out := make([]float64, len(f.vals))
	for i, x := range f.vals {
		out[i] = x * result
	}
	return out
}

// combine multiplies fs and sums variable v out.
func (e *eliminator) combine(fs []*factor, v int) *factor {
	var out []int
	for _, f := range fs {
		for _, u := range f.vars {
			if u != v && !has(out, u) {
				out = append(out, u)
			}
		}
	}
	return e.product(fs, out, v)
}

// product is the product of fs as a table over out, with variable sum (when >= 0) summed out.
// Each factor's index is kept up to date as the output's indices advance, odometer fashion, so
// an entry costs one multiplication per factor and summed value.
func (e *eliminator) product(fs []*factor, out []int, sum int) *factor {
	ocard := e.mem.ints0(len(out))
	for i, u := range out {
		ocard[i] = e.cards[u]
	}
	res := e.mem.factor(out, ocard)
	nsum := 1
	if sum >= 0 {
		nsum = e.cards[sum]
	}
	// strides[k][i]: the step in factor k's table when output variable i advances; sstride[k]
	// the step when the summed variable does.
	strides := make([][]int, len(fs))
	sstride := e.mem.ints0(len(fs))
	for k, f := range fs {
		strides[k] = e.mem.ints0(len(out))
		s := 1
		for i := len(f.vars) - 1; i >= 0; i-- {
			if f.vars[i] == sum {
				sstride[k] = s
			} else {
				strides[k][indexOf(out, f.vars[i])] = s
			}
			s *= f.card[i]
		}
	}
	base := e.mem.ints0(len(fs))
	// The last output variable is run through directly (row), the others odometer fashion.
	nrow, lstride := 1, e.mem.ints0(len(fs))
	outer := out
	if len(out) > 0 {
		last := len(out) - 1
		nrow, outer = ocard[last], out[:last]
		for k := range fs {
			lstride[k] = strides[k][last]
		}
	}
	assign := e.mem.ints0(len(outer))
	for o := 0; o < len(res.vals); o += nrow {
		sumRow(res.vals[o:o+nrow], fs, base, lstride, sstride, nsum)
		for i := len(outer) - 1; i >= 0; i-- {
			assign[i]++
			if assign[i] < ocard[i] {
				for k := range fs {
					base[k] += strides[k][i]
				}
				break
			}
			for k := range fs {
				base[k] -= strides[k][i] * (ocard[i] - 1)
			}
			assign[i] = 0
		}
	}
	return res
}

// sumRow fills row[j], for each value j of the last output variable, with the sum over the
// summed variable's nsum values x of the product of the factors' entries at
// base + j*lstride + x*sstride. Two and three factors, the usual cases in a pedigree, have their
// own loops: this is where elimination spends its time.
func sumRow(row []float64, fs []*factor, base, lstride, sstride []int, nsum int) {
	switch len(fs) {
	case 2:
		a, b := fs[0].vals, fs[1].vals
		sa, sb, la, lb := sstride[0], sstride[1], lstride[0], lstride[1]
		for j := range row {
			ia, ib := base[0]+j*la, base[1]+j*lb
			t := 0.0
			for x := range nsum {
				if va := a[ia+x*sa]; va != 0 {
					t += va * b[ib+x*sb]
				}
			}
			row[j] = t
		}
	case 3:
		a, b, c := fs[0].vals, fs[1].vals, fs[2].vals
		sa, sb, sc, la, lb, lc := sstride[0], sstride[1], sstride[2], lstride[0], lstride[1], lstride[2]
		for j := range row {
			ia, ib, ic := base[0]+j*la, base[1]+j*lb, base[2]+j*lc
			t := 0.0
			for x := range nsum {
				if va := a[ia+x*sa]; va != 0 {
					if vb := b[ib+x*sb]; vb != 0 {
						t += va * vb * c[ic+x*sc]
					}
				}
			}
			row[j] = t
		}
	default:
		for j := range row {
			t := 0.0
			for x := range nsum {
				p := 1.0
				for k, f := range fs {
					if p *= f.vals[base[k]+j*lstride[k]+x*sstride[k]]; p == 0 {
						break
					}
				}
				t += p
			}
			row[j] = t
		}
	}
}

func has(vs []int, v int) bool {
	for _, u := range vs {
		if u == v {
			return true
		}
	}
	return false
}

func indexOf(vs []int, v int) int {
	for i, u := range vs {
		if u == v {
			return i
		}
	}
	return -1
}
