package dvi

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"

	"github.com/homeward/homeward/labfmt/casejson"
)

// SolveOptions are the thresholds of the complete pipeline (dvir's dviSolve defaults by
// DefaultSolveOptions).
type SolveOptions struct {
	// Threshold is the LR (or GLR) above which a match is undisputed / a joint match.
	Threshold float64
	// Threshold2 is the LR above which a match in a one-missing-person family, or a victim's best
	// match, is called probable.
	Threshold2 float64
	// MaxIncomp: a pairing with more markers incompatible without mutation is excluded.
	MaxIncomp int
	// Limit: pairings whose pairwise LR is at or below it are removed after the undisputed step.
	Limit float64
	// MaxAssign bounds the joint enumeration of a family; a family with more assignments is left
	// inconclusive with a comment saying so.
	MaxAssign int
	// Strict selects the strict undisputed rule (every other LR in the pairing's row and column at
	// most 1) instead of dvir's default (every other LR at most LR/Threshold).
	Strict bool
}

// DefaultSolveOptions returns dvir's defaults: threshold 1e4, threshold2 1e3, maxIncomp 2, limit 0.
func DefaultSolveOptions() SolveOptions {
	return SolveOptions{Threshold: 1e4, Threshold2: 1e3, MaxIncomp: 2, Limit: 0, MaxAssign: 100_000}
}

// MaxAssignCeiling is the largest MaxAssign a caller may ask for: the joint enumeration keeps
// every assignment's row, so the ceiling bounds its memory (about 200 bytes a row and victim).
const MaxAssignCeiling = 10_000_000

// OptionError names the solve option that is out of range, under its API/CLI name.
type OptionError struct {
	Field   string
	Problem string
}

func (e *OptionError) Error() string { return e.Field + ": " + e.Problem }

// Check refuses options no analysis can use: thresholds that are not finite numbers, a threshold
// not above 1 (dvir refuses it too), negative limits and counts, MaxAssign beyond
// MaxAssignCeiling. A zero Threshold2 or MaxAssign means its default.
func (o SolveOptions) Check() error {
	finite := func(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
	switch {
	case !finite(o.Threshold) || o.Threshold <= 1:
		return &OptionError{"threshold", fmt.Sprintf("%g must be a finite number above 1", o.Threshold)}
	case !finite(o.Threshold2) || o.Threshold2 < 0:
		return &OptionError{"threshold2", fmt.Sprintf("%g must be a finite number, 0 (threshold/10) or more", o.Threshold2)}
	case !finite(o.Limit) || o.Limit < 0:
		return &OptionError{"limit", fmt.Sprintf("%g must be a finite number, 0 or more", o.Limit)}
	case o.MaxIncomp < 0:
		return &OptionError{"max_incomp", fmt.Sprintf("%d must be 0 or more", o.MaxIncomp)}
	case o.MaxAssign < 0 || o.MaxAssign > MaxAssignCeiling:
		return &OptionError{"max_assign", fmt.Sprintf("%d must be between 1 and %d", o.MaxAssign, MaxAssignCeiling)}
	}
	return nil
}

// Conclusion is one row of a solution table. Nil fields are not applicable (JSON null).
type Conclusion struct {
	Family     *string  `json:"Family"`
	Missing    *string  `json:"Missing"`
	Sample     *string  `json:"Sample"`
	LR         *float64 `json:"LR"`
	GLR        *float64 `json:"GLR"`
	Conclusion string   `json:"Conclusion"`
	Comment    *string  `json:"Comment"`
}

// Conclusions used in solution tables.
const (
	ConclusionUndisputed      = "Undisputed"
	ConclusionMatchGLR        = "Match (GLR)"
	ConclusionSymmetric       = "Symmetric match"
	ConclusionProbable        = "Probable"
	ConclusionDisputed        = "Disputed"
	ConclusionInconclusive    = "Inconclusive"
	ConclusionNoMatch         = "No match"
	ConclusionExcluded        = "Excluded"
	ConclusionNonidentifiable = "Nonidentifiable"
)

// Solution is the outcome of Solve: one table per missing person (AM) and one per victim (PM),
// with the first pairwise LR and exclusion matrices for reference.
type Solution struct {
	AM              []Conclusion `json:"AM"`
	PM              []Conclusion `json:"PM"`
	LRMatrix        Pairwise     `json:"LRmatrix"`
	ExclusionMatrix Exclusions   `json:"exclusionMatrix"`
}

// Exclusions counts, for each admissible pairing, the markers that are incompatible with it when
// mutations are not allowed (nil where the pairing is not admissible).
type Exclusions struct {
	Victims []string `json:"victims"`
	Missing []string `json:"missing"`
	Matrix  [][]*int `json:"matrix"`
}

func sp(s string) *string   { return &s }
func fp(x float64) *float64 { return &x }
func ip(x int) *int         { return &x }

// clone copies the parts of a problem the pipeline narrows (victims, missing persons, pairings,
// fixed identifications), sharing the data and the likelihood caches.
func (p *Problem) clone() *Problem {
	q := *p
	q.Victims = slices.Clone(p.Victims)
	q.Missing = slices.Clone(p.Missing)
	q.Pairings = map[string][]string{}
	for v, l := range p.Pairings {
		q.Pairings[v] = slices.Clone(l)
	}
	q.fixed = map[string]string{}
	for m, v := range p.fixed {
		q.fixed[m] = v
	}
	return &q
}

// keep narrows the problem to the given victims and missing persons; pairings to dropped missing
// persons go.
func (p *Problem) keep(victims, missing []string) {
	var vs []Victim
	for _, v := range p.Victims {
		if slices.Contains(victims, v.ID) {
			vs = append(vs, v)
		} else {
			delete(p.Pairings, v.ID)
		}
	}
	p.Victims = vs
	var ms []string
	for _, m := range p.Missing {
		if slices.Contains(missing, m) {
			ms = append(ms, m)
		}
	}
	p.Missing = ms
	for v, l := range p.Pairings {
		var keep []string
		for _, m := range l {
			if m == "*" || slices.Contains(ms, m) {
				keep = append(keep, m)
			}
		}
		p.Pairings[v] = keep
	}
}

func (p *Problem) victimIDs() []string {
	out := make([]string, len(p.Victims))
	for i, v := range p.Victims {
		out[i] = v.ID
	}
	return out
}

// ExclusionMatrix counts incompatible markers for every admissible pairing (forrel's
// findExclusions: the victim placed as the missing person, mutation models removed, markers whose
// likelihood is zero).
func (p *Problem) ExclusionMatrix() (Exclusions, error) {
	ex := Exclusions{Victims: p.victimIDs(), Missing: slices.Clone(p.Missing)}
	for _, v := range p.Victims {
		row := make([]*int, len(p.Missing))
		for k, m := range p.Missing {
			if !slices.Contains(p.Pairings[v.ID], m) {
				continue
			}
			n, err := p.incompatibleMarkers(v.ID, m)
			if err != nil {
				return ex, err
			}
			row[k] = ip(n)
		}
		ex.Matrix = append(ex.Matrix, row)
	}
	return ex, nil
}

func (p *Problem) incompatibleMarkers(v, m string) (int, error) {
	fi := p.familyOf[m]
	placed := map[string]string{m: v}
	for mm, vv := range p.fixed {
		if p.familyOf[mm] == fi {
			placed[mm] = vv
		}
	}
	n := 0
	for mi := range p.Markers {
		l, err := p.familyMarkerLoglik(fi, mi, placed, true, true)
		if err != nil {
			return 0, fmt.Errorf("exclusions %s as %s: %w", v, m, err)
		}
		if math.IsInf(l, -1) {
			n++
		}
	}
	return n, nil
}

// references lists family fi's typed members who are not missing persons.
func (p *Problem) references(fi int) []string {
	var out []string
	for _, pe := range p.Families[fi].Ped.People {
		if _, isMissing := p.familyOf[pe.ID]; !isMissing && p.typed(pe.ID) {
			out = append(out, pe.ID)
		}
	}
	return out
}

// nonidentifiable lists the missing persons no DNA can identify, as dvir's findNonidentifiable
// decides: starting from the typed references, a missing person related to one (kinship above 0)
// is linked, then those related to a newly linked one, and so on; whoever is never linked is
// nonidentifiable.
func (p *Problem) nonidentifiable() []string {
	cand := slices.Clone(p.Missing)
	type member struct {
		fi int
		id string
	}
	var linked []member
	for fi := range p.Families {
		for _, r := range p.references(fi) {
			linked = append(linked, member{fi, r})
		}
	}
	for len(cand) > 0 && len(linked) > 0 {
		var next []member
		for _, m := range cand {
			fi := p.familyOf[m]
			if slices.ContainsFunc(linked, func(l member) bool { return l.fi == fi && p.Families[fi].Ped.Related(m, l.id) }) {
				next = append(next, member{fi, m})
			}
		}
		cand = slices.DeleteFunc(cand, func(m string) bool {
			return slices.ContainsFunc(next, func(l member) bool { return l.id == m })
		})
		linked = next
	}
	return cand
}

// Solve runs the complete identification pipeline of dvir's dviSolve: nonidentifiable missing
// persons set aside; then, until nothing changes, exclusions (pairings with more than MaxIncomp
// incompatible markers) and undisputed identifications; then each family with one missing person
// from its pairwise LRs, each family with several by joint analysis (GLR matches and symmetric
// matches); finally each remaining victim by its best pairwise LR. The problem itself is not
// changed.
func (p *Problem) Solve(o SolveOptions) (*Solution, error) {
	if err := o.Check(); err != nil {
		return nil, fmt.Errorf("dvi solve: %w", err)
	}
	if o.Threshold2 <= 0 {
		o.Threshold2 = math.Max(1, o.Threshold/10)
	}
	if o.MaxAssign <= 0 {
		o.MaxAssign = DefaultSolveOptions().MaxAssign
	}
	cur := p.clone()
	sol := &Solution{}
	am := cur.setAsideNonidentifiable()
	xam, pm, lrmat, err := cur.exclusionsAndUndisputed(sol, o)
	if err != nil {
		return nil, err
	}
	am = append(am, xam...)
	fam, fpm, err := cur.familyAnalyses(lrmat, o)
	if err != nil {
		return nil, err
	}
	am, pm = append(am, fam...), append(pm, fpm...)
	// Remaining victims: their best pairwise LR.
	for _, v := range cur.Victims {
		pm = append(pm, cur.victimBest(v.ID, lrmat, o.Threshold2))
	}
	sol.AM = p.sortAM(am)
	sol.PM = p.sortPM(pm)
	return sol, nil
}

// setAsideNonidentifiable removes the missing persons not linked to a typed reference by a chain
// of related missing persons, concluding them nonidentifiable.
func (p *Problem) setAsideNonidentifiable() []Conclusion {
	var am []Conclusion
	var keepMissing []string
	nonident := p.nonidentifiable()
	for _, m := range p.Missing {
		if !slices.Contains(nonident, m) {
			keepMissing = append(keepMissing, m)
			continue
		}
		fi := p.familyOf[m]
		comment := "Unrelated to all references"
		if len(p.references(fi)) == 0 {
			comment = "No references in family"
		}
		am = append(am, Conclusion{Family: sp(p.Families[fi].Name), Missing: sp(m), Conclusion: ConclusionNonidentifiable, Comment: sp(comment)})
	}
	p.keep(p.victimIDs(), keepMissing)
	return am
}

// exclusionsAndUndisputed applies exclusions and undisputed identifications until nothing
// changes, keeping the first exclusion and LR matrices in sol; it returns the conclusions and the
// last pairwise LRs.
func (p *Problem) exclusionsAndUndisputed(sol *Solution, o SolveOptions) (am, pm []Conclusion, lrmat Pairwise, err error) {
	for iter := 1; ; iter++ {
		ex, err := p.ExclusionMatrix()
		if err != nil {
			return nil, nil, lrmat, err
		}
		if iter == 1 {
			sol.ExclusionMatrix = ex
		}
		exAM, exPM, changed := p.applyExclusions(ex, o.MaxIncomp)
		am, pm = append(am, exAM...), append(pm, exPM...)
		if !changed && iter > 1 {
			return am, pm, lrmat, nil
		}
		if iter == 1 {
			// The matrix reported is the first one, after the first exclusions.
			if sol.LRMatrix, err = p.PairwiseLR(); err != nil {
				return nil, nil, lrmat, err
			}
		}
		und, err := p.FindUndisputed(o.Threshold, o.Strict)
		if err != nil {
			return nil, nil, lrmat, err
		}
		uc := p.fixUndisputed(und)
		am, pm = append(am, uc...), append(pm, uc...)
		if lrmat, err = p.PairwiseLR(); err != nil {
			return nil, nil, lrmat, err
		}
		removed := p.dropPairingsAtOrBelow(lrmat, o.Limit)
		if len(und) == 0 && !removed {
			return am, pm, lrmat, nil
		}
	}
}

// fixUndisputed concludes the undisputed identifications and removes their victims and missing
// persons from the problem.
func (p *Problem) fixUndisputed(und []Undisputed) []Conclusion {
	var out []Conclusion
	for _, u := range und {
		out = append(out, Conclusion{Family: sp(u.Family), Missing: sp(u.Missing), Sample: sp(u.Sample), LR: fp(u.LR),
			Conclusion: ConclusionUndisputed, Comment: sp(fmt.Sprintf("Step %d", u.Step))})
		p.fixed[u.Missing] = u.Sample
	}
	if len(und) == 0 {
		return out
	}
	var vs, ms []string
	for _, v := range p.Victims {
		if !slices.ContainsFunc(und, func(u Undisputed) bool { return u.Sample == v.ID }) {
			vs = append(vs, v.ID)
		}
	}
	for _, m := range p.Missing {
		if _, done := p.fixed[m]; !done {
			ms = append(ms, m)
		}
	}
	p.keep(vs, ms)
	return out
}

// familyAnalyses concludes each family with one missing person from its pairwise LRs, and each
// with several by joint analysis (removing the victims it assigns).
func (p *Problem) familyAnalyses(lrmat Pairwise, o SolveOptions) (am, pm []Conclusion, err error) {
	count := map[int][]string{}
	for _, m := range p.Missing {
		count[p.familyOf[m]] = append(count[p.familyOf[m]], m)
	}
	for fi := range p.Families {
		if ms := count[fi]; len(ms) == 1 {
			c, err := simpleFamily(p.Families[fi].Name, ms[0], lrmat, o.Threshold2)
			if err != nil {
				return nil, nil, err
			}
			am = append(am, c)
		}
	}
	for fi := range p.Families {
		ms := count[fi]
		if len(ms) < 2 {
			continue
		}
		cam, cpm, err := p.complexFamily(fi, ms, lrmat, o)
		if err != nil {
			return nil, nil, err
		}
		am, pm = append(am, cam...), append(pm, cpm...)
		var vs []string
		for _, v := range p.Victims {
			if !slices.ContainsFunc(cpm, func(c Conclusion) bool { return c.Sample != nil && *c.Sample == v.ID }) {
				vs = append(vs, v.ID)
			}
		}
		p.keep(vs, p.Missing)
	}
	return am, pm, nil
}

// MarshalJSON writes non-finite LRs as the case-json strings ("Inf").
func (c Conclusion) MarshalJSON() ([]byte, error) {
	num := func(x *float64) *casejson.Float {
		if x == nil {
			return nil
		}
		f := casejson.Float(*x)
		return &f
	}
	return json.Marshal(struct {
		Family     *string         `json:"Family"`
		Missing    *string         `json:"Missing"`
		Sample     *string         `json:"Sample"`
		LR         *casejson.Float `json:"LR"`
		GLR        *casejson.Float `json:"GLR"`
		Conclusion string          `json:"Conclusion"`
		Comment    *string         `json:"Comment"`
	}{c.Family, c.Missing, c.Sample, num(c.LR), num(c.GLR), c.Conclusion, c.Comment})
}
