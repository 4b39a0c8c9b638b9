package dvi

import (
	"fmt"
)

// Report is everything `homeward dvi solve` computes for a case, under the field names of the DVI
// expected files (homeward/expected/v1), so that a result can be set beside dvir's.
type Report struct {
	Schema     string         `json:"schema"`
	Type       string         `json:"type"`
	Null       NullLoglik     `json:"null_loglik"`
	Pairwise   Pairwise       `json:"pairwiseLR"`
	Exclusions Exclusions     `json:"exclusionMatrix"`
	Undisputed UndisputedStep `json:"undisputed"`
	// Full is the joint enumeration of every admissible assignment, or Error when the guard stops it.
	Full JointSection `json:"jointDVI_full"`
	// Default fixes the undisputed identifications first and switches off mutation models the
	// reference data do not need (dvir's jointDVI defaults).
	Default JointSection `json:"jointDVI_default"`
	Solve   *Solution    `json:"dviSolve"`
}

// UndisputedStep lists the identifications of the undisputed step.
type UndisputedStep struct {
	Threshold float64      `json:"threshold"`
	Strict    bool         `json:"strict"`
	Summary   []Conclusion `json:"summary"`
}

// JointSection is a joint result or the reason there is none.
type JointSection struct {
	*JointResult
	Error string `json:"error,omitempty"`
}

func undisputedRows(und []Undisputed) []Conclusion {
	rows := []Conclusion{}
	for _, u := range und {
		rows = append(rows, Conclusion{Family: sp(u.Family), Missing: sp(u.Missing), Sample: sp(u.Sample), LR: fp(u.LR),
			Conclusion: ConclusionUndisputed, Comment: sp(fmt.Sprintf("Step %d", u.Step))})
	}
	return rows
}

// Analyse runs every analysis on the problem: null, pairwise LRs and exclusions, the undisputed
// step, the full and the default joint identification (each guarded by o.MaxAssign) and the
// complete pipeline. The problem's settings change (mutation models may be switched off for the
// default joint analysis), so analyse a freshly read problem.
func Analyse(p *Problem, o SolveOptions) (*Report, error) {
	if err := o.Check(); err != nil {
		return nil, err
	}
	if o.MaxAssign <= 0 {
		o.MaxAssign = DefaultSolveOptions().MaxAssign
	}
	r := &Report{Schema: "homeward/expected/v1", Type: "dvi"}
	if err := p.Prior.Validate(p.victimIDs(), p.Missing); err != nil {
		return nil, err
	}
	var err error
	if r.Null, err = p.Null(); err != nil {
		return nil, err
	}
	if r.Pairwise, err = p.PairwiseLR(); err != nil {
		return nil, err
	}
	if r.Exclusions, err = p.ExclusionMatrix(); err != nil {
		return nil, err
	}
	und, err := p.FindUndisputed(o.Threshold, o.Strict)
	if err != nil {
		return nil, err
	}
	r.Undisputed = UndisputedStep{Threshold: o.Threshold, Strict: o.Strict, Summary: undisputedRows(und)}
	if r.Solve, err = p.Solve(o); err != nil {
		return nil, err
	}
	section := func(j *JointResult, err error) JointSection {
		if err == nil && len(p.Prior) > 0 {
			err = j.ApplyPrior(p.Prior, p.Missing)
		}
		if err != nil {
			return JointSection{Error: err.Error()}
		}
		return JointSection{JointResult: j}
	}
	// Joint mutates the pairings it enumerates (pairings with LR 0 go); work on copies.
	r.Full = section(p.clone().Joint(o.MaxAssign))
	if err := p.stopped(); err != nil {
		return nil, err // a stopped enumeration is not a result
	}
	j, _, err := p.JointWithUndisputed(o.Threshold, o.Strict, o.MaxAssign)
	r.Default = section(j, err)
	if err := p.stopped(); err != nil {
		return nil, err
	}
	return r, nil
}
