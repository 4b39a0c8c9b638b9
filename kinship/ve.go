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
// (variable elimination), choosing at each step the variable whose elimination builds the smallest
// table, and returns the total. Loops in the pedigree are handled exactly: they only make some
// intermediate tables larger. Table sizes saturate above MaxTable, so no product overflows.
func eliminate(factors []*factor, nvars int) (float64, error) {
	r, _, err := eliminateKeep(factors, nvars, -1)
	return r, err
}

// eliminateKeep sums out every variable except keep (none when keep < 0) and returns the scalar
// part and, when keep >= 0, the table over keep's values (nil when the product is already 0, or
// when no factor mentions keep, in which case every value of keep has the scalar weight).
func eliminateKeep(factors []*factor, nvars, keep int) (float64, []float64, error) {
	result := 1.0
	cards := make([]int, nvars) // 0: the variable is gone
	stamp := make([]int, nvars)
	round := 0
	for {
		// Scalars multiply into the result.
		live := factors[:0]
		for _, f := range factors {
			if len(f.vars) == 0 {
				result *= f.vals[0]
			} else {
				live = append(live, f)
			}
		}
		factors = live
		if len(factors) == 0 || result == 0 {
			return result, nil, nil
		}
		for v := range cards {
			cards[v] = 0
		}
		for _, f := range factors {
			for i, v := range f.vars {
				cards[v] = f.card[i]
			}
		}
		// Pick the variable with the smallest product table.
		best, bestSize := -1, 0
		for v, c := range cards {
			if c == 0 || v == keep {
				continue
			}
			round++
			size := 1
			for _, f := range factors {
				if !has(f.vars, v) {
					continue
				}
				for _, u := range f.vars {
					if stamp[u] != round {
						stamp[u] = round
						if size <= MaxTable {
							size *= cards[u]
						}
					}
				}
			}
			if best < 0 || size < bestSize {
				best, bestSize = v, size
			}
		}
		if best < 0 {
			// Only keep is left: multiply its tables.
			vec := make([]float64, cards[keep])
			for k := range vec {
				vec[k] = result
			}
			for _, f := range factors {
				for k := range vec {
					vec[k] *= f.vals[k]
				}
			}
			return 1, vec, nil
		}
		if bestSize > MaxTable {
			return 0, nil, fmt.Errorf("the pedigree needs a table of more than %d genotype combinations: too many untyped people joined by loops; type more relatives or simplify the pedigree", MaxTable)
		}
		var with, without []*factor
		for _, f := range factors {
			if has(f.vars, best) {
				with = append(with, f)
			} else {
				without = append(without, f)
			}
		}
		factors = append(without, sumOut(with, best, cards))
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

// sumOut multiplies fs and sums variable v out.
func sumOut(fs []*factor, v int, cards []int) *factor {
	var union []int
	for _, f := range fs {
		for _, u := range f.vars {
			if !has(union, u) {
				union = append(union, u)
			}
		}
	}
	// Put v last so that it varies fastest and sums run over contiguous entries.
	out := make([]int, 0, len(union)-1)
	for _, u := range union {
		if u != v {
			out = append(out, u)
		}
	}
	all := append(append([]int{}, out...), v)
	ucard := make([]int, len(all))
	for i, u := range all {
		ucard[i] = cards[u]
	}
	ocard := ucard[:len(out)]
	res := newFactor(out, append([]int{}, ocard...))
	// Strides of each factor in terms of the union's positions.
	strides := make([][]int, len(fs))
	for k, f := range fs {
		st := make([]int, len(all))
		s := 1
		for i := len(f.vars) - 1; i >= 0; i-- {
			pos := indexOf(all, f.vars[i])
			st[pos] = s
			s *= f.card[i]
		}
		strides[k] = st
	}
	assign := make([]int, len(all))
	idx := make([]int, len(fs))
	nv := cards[v]
	for o := range res.vals {
		sum := 0.0
		for x := 0; x < nv; x++ {
			assign[len(all)-1] = x
			p := 1.0
			for k, f := range fs {
				i := 0
				for pos, a := range assign {
					i += a * strides[k][pos]
				}
				idx[k] = i
				p *= f.vals[i]
				if p == 0 {
					break
				}
			}
			sum += p
		}
		res.vals[o] = sum
		// advance assign over out (last fastest)
		for i := len(out) - 1; i >= 0; i-- {
			assign[i]++
			if assign[i] < ocard[i] {
				break
			}
			assign[i] = 0
		}
	}
	return res
}

func indexOf(vs []int, v int) int {
	for i, u := range vs {
		if u == v {
			return i
		}
	}
	return -1
}
