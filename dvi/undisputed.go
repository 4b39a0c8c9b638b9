package dvi

import (
	"fmt"
	"math"

	"github.com/homeward/homeward/labfmt/casejson"
)

// Undisputed is one identification found by the undisputed step.
type Undisputed struct {
	Family  string  `json:"Family"`
	Missing string  `json:"Missing"`
	Sample  string  `json:"Sample"`
	LR      float64 `json:"LR"`
	Step    int     `json:"-"`
}

// FindUndisputed fixes, step by step, the identifications that undisputedCell accepts (dvir's
// findUndisputed with its `strict` argument). After each step the identified victims are placed in
// their families as typed people and the pairwise matrix of the rest is recomputed, until no more
// are found.
func (p *Problem) FindUndisputed(threshold float64, strict bool) ([]Undisputed, error) {
	var found []Undisputed
	fixed := map[string]string{} // victim -> missing
	taken := map[string]bool{}
	for step := 1; ; step++ {
		type cell struct {
			v, m int
			lr   float64
		}
		// Pairwise LRs of the remaining victims and missing persons, with the fixed ones placed.
		var vics []int
		for i, v := range p.Victims {
			if _, ok := fixed[v.ID]; !ok {
				vics = append(vics, i)
			}
		}
		var mps []int
		for k, m := range p.Missing {
			if !taken[m] {
				mps = append(mps, k)
			}
		}
		if len(vics) == 0 || len(mps) == 0 {
			break
		}
		B := make([][]float64, len(vics))
		for a, vi := range vics {
			B[a] = make([]float64, len(mps))
			v := p.Victims[vi].ID
			lv, err := p.victimLoglik(v)
			if err != nil {
				return nil, err
			}
			for b, mk := range mps {
				m := p.Missing[mk]
				if !allowedPairing(p.Pairings[v], m) {
					continue
				}
				if B[a][b], err = p.reducedLR(v, m, lv, fixed); err != nil {
					return nil, err
				}
			}
		}
		// Column by column (missing person order), then row, as dvir lists them.
		var hits []cell
		for b := range mps {
			for a := range B {
				if undisputedCell(B, a, b, threshold, strict) {
					hits = append(hits, cell{a, b, B[a][b]})
				}
			}
		}
		if len(hits) == 0 {
			break
		}
		for _, h := range hits {
			v, m := p.Victims[vics[h.v]].ID, p.Missing[mps[h.m]]
			fixed[v], taken[m] = m, true
			found = append(found, Undisputed{Family: p.Families[p.familyOf[m]].Name, Missing: m, Sample: v, LR: h.lr, Step: step})
		}
	}
	return found, nil
}

// reducedLR is the pairwise LR of victim v as missing person m (lv: v's own log-likelihood) with
// the identifications in fixed (victim -> missing) placed in their families as typed people.
func (p *Problem) reducedLR(v, m string, lv float64, fixed map[string]string) (float64, error) {
	fi := p.familyOf[m]
	base := p.placedIn(fi, fixed)
	l0, err := p.familyLoglik(fi, base)
	if err != nil {
		return 0, err
	}
	with := map[string]string{m: v}
	for k, x := range base {
		with[k] = x
	}
	l1, err := p.familyLoglik(fi, with)
	if err != nil {
		return 0, err
	}
	return math.Exp(l1 - l0 - lv), nil
}

// undisputedTolerance is dvir's allowance below the threshold (sqrt of the machine epsilon), so an
// LR that reaches the threshold up to rounding counts as reaching it.
const undisputedTolerance = 1.4901161193847656e-08

// undisputedCell reports whether pairing B[a][b] is undisputed: its LR reaches threshold and, by
// dvir's default rule, is at least threshold times every other LR in its row and column; with
// strict, every other LR in its row and column must be at most 1 instead.
func undisputedCell(B [][]float64, a, b int, threshold float64, strict bool) bool {
	lr := B[a][b]
	if !(lr >= threshold-undisputedTolerance) {
		return false
	}
	bound := lr / threshold
	if strict {
		bound = 1
	}
	for bb, x := range B[a] {
		if bb != b && x > bound {
			return false
		}
	}
	for aa := range B {
		if aa != a && B[aa][b] > bound {
			return false
		}
	}
	return true
}

func allowedPairing(list []string, m string) bool {
	for _, x := range list {
		if x == m {
			return true
		}
	}
	return false
}

// placedIn returns the fixed identifications (missing -> victim) that belong to family fi.
func (p *Problem) placedIn(fi int, fixed map[string]string) map[string]string {
	out := map[string]string{}
	for v, m := range fixed {
		if p.familyOf[m] == fi {
			out[m] = v
		}
	}
	return out
}

// pairingsAfter is victim v's pairings once the undisputed identifications (fixed) are made: the
// missing persons they took go, and so do those the victim is excluded as (LR 0) with the
// identified victims placed in their families, as dvir's jointDVI takes its pairings from
// findUndisputed's last pairwise matrix.
func (p *Problem) pairingsAfter(v string, list []string, fixed map[string]string) ([]string, error) {
	taken := map[string]bool{}
	for _, m := range fixed {
		taken[m] = true
	}
	lv, err := p.victimLoglik(v)
	if err != nil {
		return nil, err
	}
	var keep []string
	for _, m := range list {
		if taken[m] {
			continue
		}
		if m != "*" && len(fixed) > 0 {
			lr, err := p.reducedLR(v, m, lv, fixed)
			if err != nil {
				return nil, err
			}
			if lr == 0 {
				continue
			}
		}
		keep = append(keep, m)
	}
	return keep, nil
}

// JointWithUndisputed follows dvir's jointDVI defaults: mutation models are switched off in the
// families whose reference data are consistent without them, the undisputed step fixes its
// identifications, and the assignments of the remaining victims are enumerated. Log-likelihoods,
// LRs and posteriors are those of the whole problem.
func (p *Problem) JointWithUndisputed(threshold float64, strict bool, maxAssign int) (*JointResult, []Undisputed, error) {
	if err := p.disableNeedlessMutations(); err != nil {
		return nil, nil, err
	}
	und, err := p.FindUndisputed(threshold, strict)
	if err != nil {
		return nil, nil, err
	}
	saved := map[string][]string{}
	for _, u := range und {
		saved[u.Sample] = p.Pairings[u.Sample]
		p.Pairings[u.Sample] = []string{u.Missing}
	}
	fixed := map[string]string{}
	for _, u := range und {
		fixed[u.Sample] = u.Missing
	}
	for v, list := range p.Pairings {
		if _, isFixed := saved[v]; isFixed {
			continue
		}
		keep, err := p.pairingsAfter(v, list, fixed)
		if err != nil {
			return nil, und, err
		}
		saved[v] = list
		p.Pairings[v] = keep
	}
	p.undisputedVictims = map[string]bool{}
	for _, u := range und {
		p.undisputedVictims[u.Sample] = true
	}
	defer func() {
		for v, list := range saved {
			p.Pairings[v] = list
		}
		p.undisputedVictims = nil
	}()
	j, err := p.Joint(maxAssign)
	if err != nil {
		return nil, und, fmt.Errorf("after %d undisputed identifications: %w", len(und), err)
	}
	if len(und) == 0 {
		return j, und, nil
	}
	if err := p.reduce(j, und, fixed); err != nil {
		return nil, und, err
	}
	return j, und, nil
}

// reduce restates a joint result after undisputed identifications as dvir does (see below).
func (p *Problem) reduce(j *JointResult, und []Undisputed, fixed map[string]string) error {
	// As in dvir, the log-likelihoods describe the reduced problem (families whose missing persons
	// were all identified drop out; the identified victims' data sit in their families), and an
	// assignment's LR is its LR in the reduced problem times the undisputed identifications'
	// pairwise LRs (which differs from the LR against the whole problem's null when two undisputed
	// victims are relatives in one family).
	dropped, null := 0.0, 0.0
	for fi := range p.Families {
		placed := p.placedIn(fi, fixed)
		l, err := p.familyLoglik(fi, placed)
		if err != nil {
			return err
		}
		open := false
		for m, f := range p.familyOf {
			if f == fi && placed[m] == "" {
				open = true
			}
		}
		if open {
			null += l
		} else {
			dropped += l
		}
	}
	for _, v := range p.Victims {
		if _, ok := fixed[v.ID]; !ok {
			l, err := p.victimLoglik(v.ID)
			if err != nil {
				return err
			}
			null += l
		}
	}
	j.ReducedNullLoglik = null
	logUnd := 0.0 // natural log of the product of the undisputed LRs
	for _, u := range und {
		logUnd += math.Log(u.LR)
	}
	logw := make([]float64, len(j.Rows))
	for i := range j.Rows {
		r := &j.Rows[i]
		r.Loglik -= dropped
		lr := r.Loglik - null + logUnd
		r.LR, r.Log10LR = math.Exp(lr), lr/math.Ln10
		logw[i] = r.Loglik
	}
	lse := logSumExp(logw)
	j.SumLR = casejson.Float(math.Exp(lse - null + logUnd))
	j.Log10SumLR = (lse - null + logUnd) / math.Ln10
	return nil
}

// disableNeedlessMutations switches the mutation models off in every family whose reference data
// have a non-zero likelihood without them, and clears the cached likelihoods.
func (p *Problem) disableNeedlessMutations() error {
	p.noMutation = map[int]bool{}
	p.famCache = map[string]float64{}
	for fi := range p.Families {
		p.noMutation[fi] = true
		l, err := p.familyLoglik(fi, nil)
		if err != nil {
			return err
		}
		if math.IsInf(l, -1) {
			p.noMutation[fi] = false
		}
	}
	p.famCache = map[string]float64{}
	return nil
}
