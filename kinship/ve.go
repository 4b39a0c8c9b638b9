package kinship

import "fmt"

// MaxTable bounds the intermediate tables of variable elimination (entries), so that an
// intractable pedigree is refused with a message instead of exhausting memory.
var MaxTable = 20_000_000

// factor is a table over discrete variables, row-major (the last variable varies fastest).
type factor struct {
	vars []int
	card []int
	vals []float64
}

func newFactor(vars, card []int) *factor {
	size := 1
	for _, c := range card {
		size *= c
	}
	return &factor{vars: vars, card: card, vals: make([]float64, size)}
}

// eliminate sums every variable (numbered 0..nvars-1) out of the product of the factors
// (variable elimination) and returns the total.
func eliminate(mem *scratch, factors []*factor, nvars int) (float64, error) {
	r, _, err := eliminateKeep(mem, factors, nvars, nil)
	return r, err
}

// eliminateKeep sums out every variable except those in keep, choosing at each step the variable
// whose elimination builds the smallest table, and returns the scalar part and, when keep is not
// empty, the table over keep's values (row-major in keep's order; nil when the product is already
// 0; the table is the caller's, not mem's). Intermediate tables come from mem. Loops in the pedigree are handled exactly: they only make some intermediate tables larger.
// Table sizes saturate above MaxTable, so no product overflows; a larger table is refused.
func eliminateKeep(mem *scratch, factors []*factor, nvars int, keep []int) (float64, []float64, error) {
	e := newEliminator(mem, nvars, keep)
	factors = append(make([]*factor, 0, len(factors)+nvars), factors...)
	var with, without []*factor
	result := 1.0
	for {
		live := factors[:0]
		for _, f := range factors {
			if len(f.vars) == 0 {
				result *= f.vals[0]
			} else {
				live = append(live, f)
			}
		}
		factors = live
		if result == 0 || len(factors) == 0 && len(keep) == 0 {
			return result, nil, nil
		}
		best, size := e.pick(factors)
		if best < 0 {
			return result, e.keepTable(factors, result), nil
		}
		if size > MaxTable {
			return 0, nil, fmt.Errorf("the pedigree needs a table of more than %d genotype combinations: too many untyped people joined by loops; type more relatives or simplify the pedigree", MaxTable)
		}
		with, without = with[:0], without[:0]
		for _, f := range factors {
			if has(f.vars, best) {
				with = append(with, f)
			} else {
				without = append(without, f)
			}
		}
		factors = append(factors[:0], without...)
		factors = append(factors, e.combine(with, best))
	}
}

// eliminator holds the scratch state of one elimination.
type eliminator struct {
	mem   *scratch
	cards []int   // current cardinality of each variable; 0 once it is gone
	inc   [][]int // the live factors mentioning each variable
	stamp []int
	round int
	keep  []int
	kept  []bool
}

func newEliminator(mem *scratch, nvars int, keep []int) *eliminator {
	e := &eliminator{mem: mem, cards: mem.ints0(nvars), inc: make([][]int, nvars), stamp: mem.ints0(nvars), keep: keep, kept: make([]bool, nvars)}
	for _, v := range keep {
		e.kept[v] = true
	}
	return e
}

// pick returns the variable, not kept, whose elimination builds the smallest table, and that
// table's size (saturated above MaxTable); -1 when only kept variables are left.
func (e *eliminator) pick(factors []*factor) (int, int) {
	for v := range e.cards {
		e.cards[v] = 0
		e.inc[v] = e.inc[v][:0]
	}
	for k, f := range factors {
		for i, v := range f.vars {
			e.cards[v] = f.card[i]
			e.inc[v] = append(e.inc[v], k)
		}
	}
	best, bestSize := -1, 0
	for v, c := range e.cards {
		if c == 0 || e.kept[v] {
			continue
		}
		e.round++
		size := 1
		for _, k := range e.inc[v] {
			for _, u := range factors[k].vars {
				if e.stamp[u] != e.round {
					e.stamp[u] = e.round
					if size <= MaxTable {
						size *= e.cards[u]
					}
				}
			}
		}
		if best < 0 || size < bestSize {
			best, bestSize = v, size
			if size == 1 {
				break
			}
		}
	}
	return best, bestSize
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
	assign := e.mem.ints0(len(out))
	for o := range res.vals {
		total := 0.0
		for x := 0; x < nsum; x++ {
			p := 1.0
			for k, f := range fs {
				p *= f.vals[base[k]+x*sstride[k]]
				if p == 0 {
					break
				}
			}
			total += p
		}
		res.vals[o] = total
		for i := len(out) - 1; i >= 0; i-- {
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
