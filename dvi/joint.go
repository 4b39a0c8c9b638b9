package dvi

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/homeward/homeward/labfmt/casejson"
)

// Assignment is one joint identification: for each victim (in Problem.Victims order) a missing
// person or "*".
type Assignment struct {
	Assignment []string `json:"assignment"`
	Loglik     float64  `json:"loglik"`
	LR         float64  `json:"LR"`
	Log10LR    float64  `json:"log10_LR"`
	Posterior  float64  `json:"posterior"`
	// LR0 is the LR of the assignment from the victims' data alone: each family's pedigree with
	// only its assigned victims typed (the references left out) against the victims unrelated. It
	// shows how much of the evidence comes from the victims' kinship with each other rather than
	// from the reference relatives; 1 when no family receives two or more victims.
	LR0 float64 `json:"LR0"`
}

// JointResult lists every admissible assignment, best first.
type JointResult struct {
	Victims      []string       `json:"victims"`
	NAssignments int            `json:"n_assignments"`
	SumLR        casejson.Float `json:"sum_LR"` // "Inf" when it overflows a float; see Log10SumLR
	Log10SumLR   float64        `json:"log10_sum_LR"`
	Rows         []Assignment   `json:"rows"`
	NullLoglik   float64        `json:"null_loglik"`
	// ReducedNullLoglik is set after an undisputed step: the null of the remaining problem.
	ReducedNullLoglik float64 `json:"reduced_null_loglik,omitempty"`
	PriorWasFlat      bool    `json:"flat_prior"`
}

// CountAssignments counts the admissible assignments (each missing person used at most once),
// stopping once the count exceeds limit.
func (p *Problem) CountAssignments(limit int) int {
	used := map[string]bool{}
	var count func(i int) int
	n := 0
	count = func(i int) int {
		if n > limit {
			return 0
		}
		if i == len(p.Victims) {
			n++
			return 1
		}
		for _, m := range p.Pairings[p.Victims[i].ID] {
			if m != "*" && used[m] {
				continue
			}
			if m != "*" {
				used[m] = true
			}
			count(i + 1)
			if m != "*" {
				used[m] = false
			}
		}
		return 0
	}
	count(0)
	return n
}

// Joint enumerates every admissible assignment with its log-likelihood, LR against the null and
// posterior under a flat prior. More than maxAssign assignments is refused with a message (use
// the undisputed identifications first to shrink the problem) instead of running for ever.
//
// As in dvir, a pairing whose pairwise LR is 0 (the victim is excluded as that missing person) is
// removed before enumerating; assignments that are impossible only jointly stay, with LR 0.
func (p *Problem) Joint(maxAssign int) (*JointResult, error) {
	if err := p.dropExcludedPairings(); err != nil {
		return nil, err
	}
	if n := p.CountAssignments(maxAssign); n > maxAssign {
		return nil, fmt.Errorf("joint identification: more than %d assignments of %d victims to %d missing persons; fix the undisputed identifications first or restrict the pairings", maxAssign, len(p.Victims), len(p.Missing))
	}
	null, err := p.Null()
	if err != nil {
		return nil, err
	}
	res := &JointResult{NullLoglik: null.Total, PriorWasFlat: true}
	for _, v := range p.Victims {
		res.Victims = append(res.Victims, v.ID)
	}
	cur := make([]string, len(p.Victims))
	used := map[string]bool{}
	var rec func(i int) error
	rec = func(i int) error {
		if i == len(p.Victims) {
			if len(res.Rows)%256 == 255 {
				if err := p.stopped(); err != nil {
					return err
				}
			}
			ll, err := p.assignmentLoglik(cur)
			if err != nil {
				return err
			}
			lr0, err := p.assignmentLR0(cur)
			if err != nil {
				return err
			}
			res.Rows = append(res.Rows, Assignment{Assignment: append([]string{}, cur...), Loglik: ll, LR0: lr0})
			return nil
		}
		for _, m := range p.Pairings[p.Victims[i].ID] {
			if m != "*" && used[m] {
				continue
			}
			cur[i] = m
			if m != "*" {
				used[m] = true
			}
			if err := rec(i + 1); err != nil {
				return err
			}
			if m != "*" {
				used[m] = false
			}
		}
		return nil
	}
	if err := rec(0); err != nil {
		return nil, err
	}
	rankRows(res.Rows)
	res.NAssignments = len(res.Rows)
	logw := make([]float64, len(res.Rows))
	for i := range res.Rows {
		r := &res.Rows[i]
		r.LR = math.Exp(r.Loglik - null.Total)
		r.Log10LR = (r.Loglik - null.Total) / math.Ln10
		logw[i] = r.Loglik
	}
	lse := logSumExp(logw)
	res.SumLR = casejson.Float(math.Exp(lse - null.Total))
	res.Log10SumLR = (lse - null.Total) / math.Ln10
	for i := range res.Rows {
		res.Rows[i].Posterior = posterior(logw[i], lse)
	}
	return res, nil
}

// logSumExp is log(sum(exp(x))) without overflow: with many victims an assignment's LR exceeds
// what a float holds (1e308) long before its posterior stops being an ordinary number.
func logSumExp(x []float64) float64 {
	m := math.Inf(-1)
	for _, v := range x {
		m = math.Max(m, v)
	}
	if math.IsInf(m, -1) {
		return m
	}
	s := 0.0
	for _, v := range x {
		s += math.Exp(v - m)
	}
	return m + math.Log(s)
}

func posterior(logw, lse float64) float64 {
	if math.IsInf(logw, -1) {
		return 0
	}
	return math.Exp(logw - lse)
}

// assignmentLoglik sums, over families, the family's log-likelihood with its assigned victims
// placed, and the own log-likelihoods of the victims assigned to nobody.
func (p *Problem) assignmentLoglik(a []string) (float64, error) {
	placed := make([]map[string]string, len(p.Families))
	total := 0.0
	for i, m := range a {
		v := p.Victims[i].ID
		if m == "*" {
			l, err := p.victimLoglik(v)
			if err != nil {
				return 0, err
			}
			total += l
			continue
		}
		fi := p.familyOf[m]
		if placed[fi] == nil {
			placed[fi] = map[string]string{}
		}
		placed[fi][m] = v
	}
	for fi := range p.Families {
		l, err := p.familyLoglik(fi, placed[fi])
		if err != nil {
			return 0, err
		}
		total += l
	}
	return total, nil
}

// assignmentLR0 is the victims-only LR of an assignment (see Assignment.LR0). Victims identified
// by an undisputed step are left out, as dvir's jointDVI computes LR0 on the reduced problem.
func (p *Problem) assignmentLR0(a []string) (float64, error) {
	placed := make([]map[string]string, len(p.Families))
	total := 0.0
	for i, m := range a {
		v := p.Victims[i].ID
		if m == "*" || p.undisputedVictims[v] {
			continue
		}
		l, err := p.victimLoglik(v)
		if err != nil {
			return 0, err
		}
		total -= l
		fi := p.familyOf[m]
		if placed[fi] == nil {
			placed[fi] = map[string]string{}
		}
		placed[fi][m] = v
	}
	for fi, pl := range placed {
		if pl == nil {
			continue
		}
		l, err := p.familyLoglikWith(fi, pl, false, false)
		if err != nil {
			return 0, err
		}
		total += l
	}
	return math.Exp(total), nil
}

// dropExcludedPairings removes the pairings whose pairwise LR is 0.
func (p *Problem) dropExcludedPairings() error {
	pw, err := p.PairwiseLR()
	if err != nil {
		return err
	}
	for i, v := range pw.Victims {
		var keep []string
		for _, m := range p.Pairings[v] {
			if m != "*" {
				k := slices.Index(p.Missing, m)
				if k >= 0 && pw.Matrix[i][k] != nil && *pw.Matrix[i][k] == 0 {
					continue
				}
			}
			keep = append(keep, m)
		}
		p.Pairings[v] = keep
	}
	return nil
}

// MarshalJSON writes non-finite numbers as the strings "-Inf", "Inf", "NaN" (case-json convention).
func (a Assignment) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Assignment []string       `json:"assignment"`
		Loglik     casejson.Float `json:"loglik"`
		LR         casejson.Float `json:"LR"`
		Log10LR    casejson.Float `json:"log10_LR"`
		Posterior  casejson.Float `json:"posterior"`
		LR0        casejson.Float `json:"LR0"`
	}{a.Assignment, casejson.Float(a.Loglik), casejson.Float(a.LR), casejson.Float(a.Log10LR), casejson.Float(a.Posterior), casejson.Float(a.LR0)})
}

// rankRows orders assignments as dvir does: by log-likelihood rounded to 10 decimals, decreasing;
// ties by the assignments themselves, victim by victim, alphabetically with "*" (nobody) last.
func rankRows(rows []Assignment) {
	less := func(a, b []string) bool {
		for i := range a {
			if a[i] == b[i] {
				continue
			}
			if a[i] == "*" || b[i] == "*" {
				return b[i] == "*"
			}
			return a[i] < b[i]
		}
		return false
	}
	sort.SliceStable(rows, func(i, j int) bool { return less(rows[i].Assignment, rows[j].Assignment) })
	round := func(x float64) float64 {
		if math.IsInf(x, 0) {
			return x
		}
		return math.Round(x*1e10) / 1e10
	}
	sort.SliceStable(rows, func(i, j int) bool { return round(rows[i].Loglik) > round(rows[j].Loglik) })
}

// Prior weights the pairings of victims with missing persons from evidence other than DNA
// (circumstances, anthropology, personal effects): Prior[victim][missing] is the relative weight of
// that pairing, "*" the weight of the victim being nobody; absent pairings weigh 1. An assignment's
// prior is proportional to the product of its pairings' weights.
type Prior map[string]map[string]float64

// ApplyPrior recomputes the posteriors of the rows under the prior. Weights must be finite and not
// negative, and name victims and missing persons of the result; errors name the pairing.
func (j *JointResult) ApplyPrior(pr Prior, missing []string) error {
	if err := pr.Validate(j.Victims, missing); err != nil {
		return err
	}
	logw := make([]float64, len(j.Rows))
	for i, r := range j.Rows {
		w := 0.0
		for vi, m := range r.Assignment {
			if x, ok := pr[j.Victims[vi]][m]; ok {
				w += math.Log(x)
			}
		}
		logw[i] = w + r.Loglik
	}
	lse := logSumExp(logw)
	if math.IsInf(lse, -1) || math.IsNaN(lse) {
		return fmt.Errorf("prior: every assignment has prior 0 or LR 0; no posterior can be formed")
	}
	for i := range j.Rows {
		j.Rows[i].Posterior = posterior(logw[i], lse)
	}
	j.PriorWasFlat = len(pr) == 0
	return nil
}

// Validate checks that the prior names victims and missing persons of the problem and that its
// weights are finite and not negative; errors name the pairing.
func (pr Prior) Validate(victims, missing []string) error {
	for v, row := range pr {
		if !slices.Contains(victims, v) {
			return fmt.Errorf("prior: victim %s is not in the problem", v)
		}
		for m, w := range row {
			if m != "*" && !slices.Contains(missing, m) {
				return fmt.Errorf("prior: %s-%s: missing person %s is not in the problem", v, m, m)
			}
			if !(w >= 0) || math.IsInf(w, 0) {
				return fmt.Errorf("prior: %s-%s: weight %v must be a finite number, zero or more", v, m, w)
			}
		}
	}
	return nil
}
