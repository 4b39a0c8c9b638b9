package dvi

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
)

// applyExclusions removes the victims and missing persons whose every pairing has more than
// maxIncomp incompatible markers, and the single pairings that have; it reports what it excluded
// and whether anything changed.
func (p *Problem) applyExclusions(ex Exclusions, maxIncomp int) (am, pm []Conclusion, changed bool) {
	minOf := func(vals []*int) int {
		m := math.MaxInt
		for _, x := range vals {
			if x != nil && *x < m {
				m = *x
			}
		}
		return m
	}
	comment := func(n int) *string {
		if n == math.MaxInt {
			return sp("No compatible pairings")
		}
		return sp(fmt.Sprintf("%d+ inconsistencies", n))
	}
	var keepV, keepM []string
	for i, v := range ex.Victims {
		if n := minOf(ex.Matrix[i]); n > maxIncomp {
			pm = append(pm, Conclusion{Sample: sp(v), Conclusion: ConclusionExcluded, Comment: comment(n)})
		} else {
			keepV = append(keepV, v)
		}
	}
	for k, m := range ex.Missing {
		col := make([]*int, len(ex.Victims))
		for i := range ex.Victims {
			col[i] = ex.Matrix[i][k]
		}
		if n := minOf(col); n > maxIncomp {
			am = append(am, Conclusion{Family: sp(p.Families[p.familyOf[m]].Name), Missing: sp(m), Conclusion: ConclusionExcluded, Comment: comment(n)})
		} else {
			keepM = append(keepM, m)
		}
	}
	removed := 0
	for i, v := range ex.Victims {
		for k, m := range ex.Missing {
			if x := ex.Matrix[i][k]; x != nil && *x > maxIncomp {
				removed++
				p.Pairings[v] = slices.DeleteFunc(p.Pairings[v], func(s string) bool { return s == m })
			}
		}
	}
	if len(am)+len(pm) > 0 {
		p.keep(keepV, keepM)
	}
	return am, pm, len(am)+len(pm)+removed > 0
}

// dropPairingsAtOrBelow removes the pairings whose pairwise LR is at or below limit and reports
// whether it removed any.
func (p *Problem) dropPairingsAtOrBelow(lr Pairwise, limit float64) bool {
	removed := false
	for i, v := range lr.Victims {
		for k, m := range lr.Missing {
			if x := lr.Matrix[i][k]; x != nil && *x <= limit && slices.Contains(p.Pairings[v], m) {
				p.Pairings[v] = slices.DeleteFunc(p.Pairings[v], func(s string) bool { return s == m })
				removed = true
			}
		}
	}
	return removed
}

// column and row read one missing person's or one victim's LRs from a pairwise matrix, with the
// names of the other side; absent entries are skipped.
func (lr Pairwise) column(m string) (names []string, vals []float64) {
	k := slices.Index(lr.Missing, m)
	if k < 0 {
		return nil, nil
	}
	for i, v := range lr.Victims {
		if x := lr.Matrix[i][k]; x != nil {
			names, vals = append(names, v), append(vals, *x)
		}
	}
	return names, vals
}

func (lr Pairwise) row(v string, only []string) (names []string, vals []float64) {
	i := slices.Index(lr.Victims, v)
	if i < 0 {
		return nil, nil
	}
	for k, m := range lr.Missing {
		if only != nil && !slices.Contains(only, m) {
			continue
		}
		if x := lr.Matrix[i][k]; x != nil {
			names, vals = append(names, m), append(vals, *x)
		}
	}
	return names, vals
}

func (lr Pairwise) at(v, m string) *float64 {
	i, k := slices.Index(lr.Victims, v), slices.Index(lr.Missing, m)
	if i < 0 || k < 0 {
		return nil
	}
	return lr.Matrix[i][k]
}

// best returns the index of the first largest value, or -1.
func best(vals []float64) int {
	b := -1
	for i, x := range vals {
		if b < 0 || x > vals[b] {
			b = i
		}
	}
	return b
}

// rankedComment describes the LRs other than the best: "Also: A (LR=2e+04), ..." for the others
// above the threshold, or "Runner-up: B (LR=12)".
func alsoComment(names []string, vals []float64, skip int, above func(float64) bool) string {
	var parts []string
	for i, x := range vals {
		if i != skip && above(x) {
			parts = append(parts, fmt.Sprintf("%s (LR=%.2g)", names[i], x))
		}
	}
	return "Also: " + strings.Join(parts, ", ")
}

func runnerUp(names []string, vals []float64, skip int) string {
	r := -1
	for i, x := range vals {
		if i != skip && (r < 0 || x > vals[r]) {
			r = i
		}
	}
	if r < 0 {
		return "Runner-up: -"
	}
	return fmt.Sprintf("Runner-up: %s (LR=%.2g)", names[r], vals[r])
}

// simpleFamily concludes for a family with one missing person from its column of pairwise LRs:
// probable when exactly one victim exceeds threshold2, disputed when several do, inconclusive when
// the best is at least 1, no match otherwise.
func simpleFamily(fam, m string, lr Pairwise, threshold2 float64) (Conclusion, error) {
	names, vals := lr.column(m)
	b := best(vals)
	c := Conclusion{Family: sp(fam), Missing: sp(m)}
	if b < 0 {
		c.Conclusion, c.Comment = ConclusionNoMatch, sp("No remaining pairings")
		return c, nil
	}
	c.Sample, c.LR = sp(names[b]), fp(vals[b])
	above := func(x float64) bool { return x > threshold2 }
	n := 0
	for _, x := range vals {
		if above(x) {
			n++
		}
	}
	switch {
	case n > 1:
		c.Conclusion, c.Comment = ConclusionDisputed, sp(alsoComment(names, vals, b, above))
	case n == 1:
		c.Conclusion, c.Comment = ConclusionProbable, sp(runnerUp(names, vals, b))
	case vals[b] >= 1:
		c.Conclusion, c.Comment = ConclusionInconclusive, sp("Best: "+names[b])
	default:
		c.Conclusion = ConclusionNoMatch
	}
	return c, nil
}

// victimBest concludes for a victim left over from its row of pairwise LRs (dvir's PM-driven step).
func (p *Problem) victimBest(v string, lr Pairwise, threshold2 float64) Conclusion {
	names, vals := lr.row(v, nil)
	b := best(vals)
	c := Conclusion{Sample: sp(v), Family: sp(""), Missing: sp("")}
	if b < 0 {
		c.Conclusion, c.Comment = ConclusionNoMatch, sp("No remaining pairings")
		return c
	}
	c.LR = fp(vals[b])
	above := func(x float64) bool { return x >= threshold2-2.220446049250313e-16 }
	n := 0
	for _, x := range vals {
		if above(x) {
			n++
		}
	}
	switch {
	case n > 1:
		c.Family, c.Missing = sp(p.Families[p.familyOf[names[b]]].Name), sp(names[b])
		c.Conclusion, c.Comment = ConclusionDisputed, sp(alsoComment(names, vals, b, above))
	case n == 1:
		c.Family, c.Missing = sp(p.Families[p.familyOf[names[b]]].Name), sp(names[b])
		c.Conclusion, c.Comment = ConclusionProbable, sp(runnerUp(names, vals, b))
	case vals[b] >= 1:
		c.Conclusion, c.Comment = ConclusionInconclusive, sp("Best: "+names[b])
	default:
		c.Conclusion = ConclusionNoMatch
	}
	return c
}

// complexFamily analyses a family with several missing persons jointly: every assignment of the
// victims that may be its members is ranked, a victim is a match when the best assignment giving
// it that identity beats the best one not giving it by the GLR threshold (dvir's pairwiseGLR),
// and two victims who can swap between two missing persons are a symmetric match.
func (p *Problem) complexFamily(fi int, ms []string, lr Pairwise, o SolveOptions) (am, pm []Conclusion, err error) {
	fam := p.Families[fi].Name
	sub := p.clone()
	var vics []string
	for _, v := range sub.Victims {
		if slices.ContainsFunc(sub.Pairings[v.ID], func(m string) bool { return slices.Contains(ms, m) }) {
			vics = append(vics, v.ID)
		}
	}
	sub.keep(vics, ms)
	inconclusive := func(comment *string, glr map[string]*float64) []Conclusion {
		var out []Conclusion
		for _, m := range ms {
			c := Conclusion{Family: sp(fam), Missing: sp(m), Conclusion: ConclusionInconclusive, Comment: comment, GLR: glr[m]}
			if _, vals := lr.column(m); best(vals) >= 0 {
				c.LR = fp(vals[best(vals)])
			}
			out = append(out, c)
		}
		return out
	}
	if n := sub.CountAssignments(o.MaxAssign); n > o.MaxAssign {
		return inconclusive(sp(fmt.Sprintf("Joint analysis not run: more than %d assignments", o.MaxAssign)), nil), nil, nil
	}
	j, err := sub.Joint(o.MaxAssign)
	if err != nil {
		return nil, nil, fmt.Errorf("family %s: %w", fam, err)
	}
	rows := j.Rows
	G, glrMax := glrMatrix(j, ms)
	joint := sp(fmt.Sprintf("Joint: {%s}", strings.Join(ms, ",")))
	done := map[string]Conclusion{}
	foundV := map[string]bool{}
	for _, m := range ms {
		for _, v := range j.Victims {
			if g := G[v][m]; g != nil && *g >= o.Threshold-1.4901161193847656e-08 {
				c := Conclusion{Family: sp(fam), Missing: sp(m), Sample: sp(v), LR: lr.at(v, m), GLR: g, Conclusion: ConclusionMatchGLR, Comment: joint}
				done[m], foundV[v] = c, true
				pm = append(pm, c)
			}
		}
	}
	// Symmetric matches among the rest, from the first two assignments.
	restV, restVi, restM := unmatched(j.Victims, ms, foundV, done)
	symAM, symPM := p.symmetric(fi, rows, restV, restVi, restM, lr, o.Threshold)
	for _, c := range symAM {
		done[*c.Missing] = c
	}
	pm = append(pm, symPM...)
	for _, c := range inconclusive(nil, glrMax) {
		if d, ok := done[*c.Missing]; ok {
			am = append(am, d)
		} else {
			am = append(am, c)
		}
	}
	return am, pm, nil
}

// glrMatrix is the generalised LR of each victim v and missing person m of a joint analysis: the
// best assignment with v = m against the best with v != m (nil where none has v = m, or every
// assignment gives v the same); and each missing person's largest.
func glrMatrix(j *JointResult, ms []string) (map[string]map[string]*float64, map[string]*float64) {
	rows := j.Rows
	col := func(vi int) []string {
		out := make([]string, len(rows))
		for r := range rows {
			out[r] = rows[r].Assignment[vi]
		}
		return out
	}
	// GLR matrix: for victim v and missing m, the best assignment with v = m against the best
	// with v != m.
	G := map[string]map[string]*float64{}
	for vi, v := range j.Victims {
		a := col(vi)
		G[v] = map[string]*float64{}
		if !slices.ContainsFunc(a, func(s string) bool { return s != a[0] }) {
			continue
		}
		firstOther := slices.IndexFunc(a, func(s string) bool { return s != a[0] })
		for _, m := range ms {
			num := slices.Index(a, m)
			if num < 0 {
				continue
			}
			den := 0
			if num == 0 {
				den = firstOther
			}
			g := math.Exp(rows[num].Loglik - rows[den].Loglik)
			if !math.IsNaN(g) {
				G[v][m] = fp(g)
			}
		}
	}
	glrMax := map[string]*float64{}
	for _, m := range ms {
		for _, v := range j.Victims {
			if g := G[v][m]; g != nil && (glrMax[m] == nil || *g > *glrMax[m]) {
				glrMax[m] = g
			}
		}
	}
	return G, glrMax
}

// unmatched lists the victims (with their indexes) and the missing persons of a joint analysis
// that no GLR match concluded.
func unmatched(victims, ms []string, foundV map[string]bool, done map[string]Conclusion) (restV []string, restVi []int, restM []string) {
	for vi, v := range victims {
		if !foundV[v] {
			restV, restVi = append(restV, v), append(restVi, vi)
		}
	}
	for _, m := range ms {
		if _, ok := done[m]; !ok {
			restM = append(restM, m)
		}
	}
	return restV, restVi, restM
}

// equalLR is the first LR when the two differ by less than 1e-3 (absolute, dvir's equalNums
// with the tolerance of its symmetric-match tables), else none: the table shows one LR only
// when the pairings are equally supported.
func equalLR(a, b *float64) *float64 {
	if a == nil || b == nil || math.Abs(*a-*b) >= 1e-3 {
		return nil
	}
	return a
}

// sortAM orders missing-person rows by family, then missing person, as in the problem; sortPM
// orders victim rows by victim.
func (p *Problem) sortAM(rows []Conclusion) []Conclusion {
	famIdx := map[string]int{}
	for i, f := range p.Families {
		famIdx[f.Name] = i
	}
	sort.SliceStable(rows, func(a, b int) bool {
		fa, fb := famIdx[*rows[a].Family], famIdx[*rows[b].Family]
		if fa != fb {
			return fa < fb
		}
		return slices.Index(p.Missing, *rows[a].Missing) < slices.Index(p.Missing, *rows[b].Missing)
	})
	return rows
}

func (p *Problem) sortPM(rows []Conclusion) []Conclusion {
	ids := p.victimIDs()
	sort.SliceStable(rows, func(a, b int) bool {
		return slices.Index(ids, *rows[a].Sample) < slices.Index(ids, *rows[b].Sample)
	})
	return rows
}
