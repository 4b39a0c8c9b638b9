package dvi

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/homeward/homeward/kinship"
)

// symmetric looks for victims that the two best assignments swap: one victim between two missing
// persons, or two victims exchanging two missing persons (such as full siblings), supported by the
// GLR threshold against the first assignment that breaks the pattern.
func (p *Problem) symmetric(fi int, rows []Assignment, vics []string, vi []int, missing []string, lr Pairwise, threshold float64) (am, pm []Conclusion) {
	if len(rows) < 3 || len(vics) == 0 {
		return nil, nil
	}
	var diffs []int
	for k, i := range vi {
		a, b := rows[0].Assignment[i], rows[1].Assignment[i]
		if a != b {
			if a == "*" || b == "*" {
				return nil, nil
			}
			diffs = append(diffs, k)
		}
	}
	sw := swap{fam: p.Families[fi].Name, ped: p.Families[fi].Ped, rows: rows, vics: vics, vi: vi, missing: missing, lr: lr, threshold: threshold}
	switch len(diffs) {
	case 1:
		return sw.oneVictim(diffs[0])
	case 2:
		return sw.twoVictims(diffs[0], diffs[1])
	}
	return nil, nil
}

// swap is what symmetric looks at: a family's joint assignments, best first, over the victims
// (with their indexes in the assignments) and missing persons left.
type swap struct {
	fam       string
	ped       *kinship.Pedigree
	rows      []Assignment
	vics      []string
	vi        []int
	missing   []string
	lr        Pairwise
	threshold float64
}

// inMiss reports whether an assignment's value is one of set.
func inMiss(set []string) func(string) bool {
	return func(s string) bool { return slices.Contains(set, s) }
}

// oneVictim: the k-th victim is one missing person in the best assignment and another in the
// second.
func (sw swap) oneVictim(k int) (am, pm []Conclusion) {
	rows, vi, lr, fam := sw.rows, sw.vi, sw.lr, sw.fam
	v := sw.vics[k]
	pair := []string{rows[0].Assignment[vi[k]], rows[1].Assignment[vi[k]]}
	var miss []string
	for _, m := range sw.missing {
		if slices.Contains(pair, m) {
			miss = append(miss, m)
		}
	}
	if len(miss) != 2 {
		return nil, nil
	}
	g, rel, ok := sw.supported(miss, func(r Assignment) bool { return !inMiss(miss)(r.Assignment[vi[k]]) })
	if !ok {
		return nil, nil
	}
	for i, m := range miss {
		am = append(am, Conclusion{Family: sp(fam), Missing: sp(m), Sample: sp(v), LR: lr.at(v, m), GLR: fp(g), Conclusion: ConclusionSymmetric,
			Comment: sp(fmt.Sprintf("%s also matches %s (%s)", v, miss[1-i], rel))})
	}
	pm = append(pm, Conclusion{Sample: sp(v), Family: sp(fam), Missing: sp(strings.Join(miss, "/")), LR: equalLR(lr.at(v, miss[0]), lr.at(v, miss[1])), GLR: fp(g),
		Conclusion: ConclusionSymmetric, Comment: sp(fmt.Sprintf("%s and %s are %s", miss[0], miss[1], rel))})
	return am, pm
}

// twoVictims: the k1-th and k2-th victims exchange two missing persons between the best two
// assignments (such as full siblings).
func (sw swap) twoVictims(k1, k2 int) (am, pm []Conclusion) {
	rows, vi, lr, fam := sw.rows, sw.vi, sw.lr, sw.fam
	r1 := []string{rows[0].Assignment[vi[k1]], rows[0].Assignment[vi[k2]]}
	r2 := []string{rows[1].Assignment[vi[k1]], rows[1].Assignment[vi[k2]]}
	if !(r1[0] == r2[1] && r1[1] == r2[0]) {
		return nil, nil
	}
	pairV := []string{sw.vics[k1], sw.vics[k2]}
	var miss []string
	for _, m := range sw.missing {
		if slices.Contains(r1, m) {
			miss = append(miss, m)
		}
	}
	if len(miss) != 2 {
		return nil, nil
	}
	g, rel, ok := sw.supported(miss, func(r Assignment) bool {
		return !(inMiss(miss)(r.Assignment[vi[k1]]) && inMiss(miss)(r.Assignment[vi[k2]]))
	})
	if !ok {
		return nil, nil
	}
	rel = strings.ToUpper(rel[:1]) + rel[1:]
	for _, m := range miss {
		am = append(am, Conclusion{Family: sp(fam), Missing: sp(m), Sample: sp(strings.Join(pairV, "/")), LR: equalLR(lr.at(pairV[0], m), lr.at(pairV[1], m)), GLR: fp(g), Conclusion: ConclusionSymmetric,
			Comment: sp(fmt.Sprintf("%s: {%s} = {%s}", rel, strings.Join(miss, ", "), strings.Join(pairV, ", ")))})
	}
	for _, v := range pairV {
		pm = append(pm, Conclusion{Sample: sp(v), Family: sp(fam), Missing: sp(strings.Join(miss, "/")), LR: equalLR(lr.at(v, miss[0]), lr.at(v, miss[1])), GLR: fp(g),
			Conclusion: ConclusionSymmetric, Comment: sp(fmt.Sprintf("%s: {%s} = {%s}", rel, strings.Join(pairV, ", "), strings.Join(miss, ", ")))})
	}
	return am, pm
}

// supported is the GLR of the best assignment against the first that breaks the pattern (breaks)
// and how the two missing persons are related; ok is false when no assignment breaks it, the GLR
// is under the threshold, or the relationship cannot be said.
func (sw swap) supported(miss []string, breaks func(Assignment) bool) (g float64, rel string, ok bool) {
	end := slices.IndexFunc(sw.rows, breaks)
	if end < 0 {
		return 0, "", false
	}
	g = math.Exp(sw.rows[0].Loglik - sw.rows[end].Loglik)
	if math.IsNaN(g) || g < sw.threshold {
		return 0, "", false
	}
	rel, err := sw.ped.Describe(miss[0], miss[1])
	return g, rel, err == nil
}
