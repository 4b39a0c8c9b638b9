package osteo

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"
)

// A case file holds one sorting question: the method, its options, the two element types with
// their ordered measurement codes, the reference sample, and the specimens of each type. It is the
// format of the team's OsteoSort reference cases (osteometric-oracle/input/v1), which the CLI
// and the API accept; null stands for a measurement not taken.

// Method names a sorting test.
type Method string

const (
	PairMatch   Method = "pair_match"
	Articulate  Method = "articulation"
	Associate   Method = "association"
	maxCaseRows        = 100000
)

// Case is a parsed case file.
type Case struct {
	Method    Method
	Options   Options
	ElementA  ElementSpec
	ElementB  ElementSpec
	Source    string
	Reference []RefPair
	A, B      []Specimen
}

// ElementSpec names an element type, its side and its measurement codes in order.
type ElementSpec struct {
	Element      string   `json:"element"`
	Side         string   `json:"side"`
	Measurements []string `json:"measurements"`
}

// CaseFile is the JSON shape of a case file (osteometric-oracle/input/v1).
type CaseFile struct {
	Schema   string       `json:"schema"`
	Case     string       `json:"case"`
	Method   Method       `json:"method"`
	Options  *CaseOptions `json:"options"`
	ElementA ElementSpec  `json:"element_a"`
	ElementB ElementSpec  `json:"element_b"`
	Ref      struct {
		Source      string `json:"source"`
		Individuals []struct {
			ID string     `json:"id"`
			A  []*float64 `json:"a"`
			B  []*float64 `json:"b"`
		} `json:"individuals"`
	} `json:"reference"`
	SpecimensA []CaseSpecimen `json:"specimens_a"`
	SpecimensB []CaseSpecimen `json:"specimens_b"`
	// Fields of the reference cases that the computation does not use.
	Data      string          `json:"data"`
	TruePairs json.RawMessage `json:"true_pairs_for_information"`
}

// CaseOptions are a case file's options; absent ones take OsteoSort 1.4's defaults.
type CaseOptions struct {
	Alpha      *float64 `json:"alpha"`
	Absolute   bool     `json:"absolute"`
	ZeroMean   bool     `json:"zero_mean"`
	YeoJohnson bool     `json:"yeo_johnson"`
	Tails      *int     `json:"tails"`
	Model      string   `json:"model"`
}

// CaseSpecimen is one element of a case: its measurements in the element's code order, null
// where not taken.
type CaseSpecimen struct {
	ID           string     `json:"id"`
	Measurements []*float64 `json:"measurements"`
}

// ReadCase parses and checks a case file; errors name the field.
func ReadCase(r io.Reader) (*Case, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var j CaseFile
	if err := dec.Decode(&j); err != nil {
		return nil, fmt.Errorf("osteometric case: %w", err)
	}
	c := &Case{Method: j.Method, Options: DefaultOptions(), ElementA: j.ElementA, ElementB: j.ElementB, Source: j.Ref.Source}
	switch j.Method {
	case PairMatch, Articulate, Associate:
	default:
		return nil, &FieldError{Field: "method", Msg: fmt.Sprintf("%q is not pair_match, articulation or association", j.Method)}
	}
	if o := j.Options; o != nil {
		if o.Alpha != nil {
			c.Options.Alpha = *o.Alpha
		}
		if o.Tails != nil {
			c.Options.Tails = *o.Tails
		}
		c.Options.Absolute, c.Options.ZeroMean, c.Options.YeoJohnson = o.Absolute, o.ZeroMean, o.YeoJohnson
	}
	if err := c.Options.Validate(); err != nil {
		err.(*FieldError).Field = "options." + err.(*FieldError).Field
		return nil, err
	}
	if err := checkCodes("element_a.measurements", j.ElementA.Measurements); err != nil {
		return nil, err
	}
	if err := checkCodes("element_b.measurements", j.ElementB.Measurements); err != nil {
		return nil, err
	}
	if len(j.Ref.Individuals)+len(j.SpecimensA)+len(j.SpecimensB) > maxCaseRows {
		return nil, &FieldError{Field: "reference", Msg: fmt.Sprintf("more than %d rows in all", maxCaseRows)}
	}
	for i, r := range j.Ref.Individuals {
		c.Reference = append(c.Reference, RefPair{ID: r.ID, A: values(r.A), B: values(r.B)})
		if err := checkValues(fmt.Sprintf("reference.individuals[%d].a", i), c.Reference[i].A, len(c.ElementA.Measurements)); err != nil {
			return nil, err
		}
		if err := checkValues(fmt.Sprintf("reference.individuals[%d].b", i), c.Reference[i].B, len(c.ElementB.Measurements)); err != nil {
			return nil, err
		}
	}
	var err error
	if c.A, err = specimens("specimens_a", j.SpecimensA, len(c.ElementA.Measurements)); err != nil {
		return nil, err
	}
	if c.B, err = specimens("specimens_b", j.SpecimensB, len(c.ElementB.Measurements)); err != nil {
		return nil, err
	}
	return c, nil
}

func checkCodes(field string, codes []string) error {
	if len(codes) == 0 || len(codes) > 64 {
		return &FieldError{Field: field, Msg: fmt.Sprintf("%d codes; give 1 to 64", len(codes))}
	}
	seen := map[string]bool{}
	for i, code := range codes {
		if code == "" || strings.ContainsAny(code, " \t\r\n\x00") || len(code) > 40 {
			return &FieldError{Field: fmt.Sprintf("%s[%d]", field, i), Msg: fmt.Sprintf("%q is not a measurement code", code)}
		}
		if seen[code] {
			return &FieldError{Field: fmt.Sprintf("%s[%d]", field, i), Msg: fmt.Sprintf("%q is given twice", code)}
		}
		seen[code] = true
	}
	return nil
}

func values(v []*float64) []float64 {
	out := make([]float64, len(v))
	for i, p := range v {
		out[i] = math.NaN()
		if p != nil {
			out[i] = *p
		}
	}
	return out
}

func specimens(field string, in []CaseSpecimen, n int) ([]Specimen, error) {
	out := make([]Specimen, len(in))
	seen := map[string]bool{}
	for i, s := range in {
		if s.ID == "" || seen[s.ID] {
			return nil, &FieldError{Field: fmt.Sprintf("%s[%d].id", field, i), Msg: fmt.Sprintf("%q is empty or given twice", s.ID)}
		}
		seen[s.ID] = true
		out[i] = Specimen{ID: s.ID, Values: values(s.Measurements)}
		if err := checkValues(fmt.Sprintf("%s[%d].measurements", field, i), out[i].Values, n); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Result is the outcome of a case: one entry per (a, b), a-major.
type Result struct {
	Method       Method              `json:"method"`
	Options      Options             `json:"options"`
	Source       string              `json:"reference_source,omitempty"`
	ReferenceN   int                 `json:"reference_individuals"`
	Summary      Summary             `json:"summary"`
	Comparisons  []Comparison        `json:"comparisons,omitempty"`
	Associations []AssociationResult `json:"associations,omitempty"`
}

// Summary counts the outcomes.
type Summary struct {
	Comparisons   int `json:"comparisons"`
	Compared      int `json:"compared"`
	Excluded      int `json:"excluded"`
	CannotExclude int `json:"cannot_exclude"`
	NotComparable int `json:"not_comparable"`
}

func (s *Summary) add(comparable, excluded bool) {
	s.Comparisons++
	switch {
	case !comparable:
		s.NotComparable++
	case excluded:
		s.Compared++
		s.Excluded++
	default:
		s.Compared++
		s.CannotExclude++
	}
}

// Run computes every comparison of the case, stopping when ctx is cancelled.
func (c *Case) Run(ctx context.Context) (*Result, error) {
	res := &Result{Method: c.Method, Options: c.Options, Source: c.Source, ReferenceN: len(c.Reference)}
	if c.Method == Associate {
		s, err := NewAssociation(c.ElementA.Measurements, c.ElementB.Measurements, c.Reference, c.Options.Alpha)
		if err != nil {
			return nil, err
		}
		if res.Associations, err = s.CompareAll(ctx, c.A, c.B); err != nil {
			return nil, err
		}
		for _, r := range res.Associations {
			res.Summary.add(r.Comparable, r.Excluded)
		}
		return res, nil
	}
	if c.Method == PairMatch && strings.Join(c.ElementA.Measurements, ",") != strings.Join(c.ElementB.Measurements, ",") {
		return nil, &FieldError{Field: "element_b.measurements", Msg: "pair-matching compares the same measurements of a left and a right element"}
	}
	t, err := NewDiffTest(c.ElementA.Measurements, c.ElementB.Measurements, c.Reference, c.Options)
	if err != nil {
		return nil, err
	}
	if res.Comparisons, err = t.CompareAll(ctx, c.A, c.B); err != nil {
		return nil, err
	}
	for _, r := range res.Comparisons {
		res.Summary.add(r.Comparable, r.Excluded)
	}
	return res, nil
}
