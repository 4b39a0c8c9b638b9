package osteo

import (
	"context"
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Options are the choices of a t-test on differences (pair-matching, articulation). The zero
// value is not usable: start from DefaultOptions, OsteoSort 1.4's defaults.
type Options struct {
	Alpha      float64 `json:"alpha"`       // exclude where p ≤ alpha
	Absolute   bool    `json:"absolute"`    // D = Σ|a−b| instead of Σ(a−b)
	ZeroMean   bool    `json:"zero_mean"`   // test against 0 instead of the reference mean
	YeoJohnson bool    `json:"yeo_johnson"` // transform D by Yeo-Johnson, λ fitted on the reference
	Tails      int     `json:"tails"`       // 1 or 2
}

// DefaultOptions are OsteoSort 1.4's: signed D against the reference mean, two tails, alpha 0.1.
func DefaultOptions() Options { return Options{Alpha: 0.1, Tails: 2} }

// Validate names the first option out of range.
func (o Options) Validate() error {
	if !(o.Alpha > 0 && o.Alpha < 1) {
		return &FieldError{Field: "alpha", Msg: fmt.Sprintf("%v is not in (0, 1)", o.Alpha)}
	}
	if o.Tails != 1 && o.Tails != 2 {
		return &FieldError{Field: "tails", Msg: fmt.Sprintf("%d is not 1 or 2", o.Tails)}
	}
	return nil
}

// FieldError names the input field that is wrong.
type FieldError struct {
	Field string
	Msg   string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Msg }

// Specimen is one measured element: its values in the order of the test's measurement codes,
// NaN where the measurement was not taken.
type Specimen struct {
	ID     string
	Values []float64
}

// RefPair is one individual of a reference sample: the values of its two elements (left and right,
// or the two articulating elements) in the order of the test's codes, NaN where missing.
type RefPair struct {
	ID   string
	A, B []float64
}

// Comparison is the outcome of testing element A against element B.
type Comparison struct {
	A          string   `json:"id_a"`
	B          string   `json:"id_b"`
	Codes      []string `json:"measurements"` // the measurements used: each pair's code, or both codes when they differ
	Comparable bool     `json:"comparable"`
	Reason     string   `json:"reason,omitempty"` // why there is no p-value
	D          float64  `json:"d"`
	// Lambda and DTransformed are set when the test uses the Yeo-Johnson transform.
	Lambda       *float64 `json:"lambda,omitempty"`
	DTransformed *float64 `json:"d_transformed,omitempty"`
	RefN         int      `json:"ref_n"`
	RefMean      float64  `json:"ref_mean"`
	RefSD        float64  `json:"ref_sd"`
	T            float64  `json:"t"`
	DF           int      `json:"df"`
	P            float64  `json:"p_value"`
	Excluded     bool     `json:"excluded"`
}

// DiffTest tests pairs of elements by the sum of differences between corresponding measurements
// (CodesA[i] of the first element against CodesB[i] of the second) against the same sums in a
// reference sample: pair-matching (the same codes, left against right) and articulation (for
// example femoral head against acetabulum). Reference statistics are computed once per set of
// measurements used and kept, so a DiffTest is not for concurrent use.
type DiffTest struct {
	CodesA, CodesB []string
	Reference      []RefPair
	Options        Options

	cache map[uint64]refStats
	// lambda fits λ to the reference D's (YeoJohnsonLambda; tests fix it to the reference values).
	lambda func(ds []float64, codes []string) float64
}

// refStats are the reference D's statistics for one set of measurements.
type refStats struct {
	n          int
	mean, sd   float64
	lambda     float64
	degenerate string
	codes      []string // the measurements, shared by every Comparison that uses them
}

// NewDiffTest checks the test's shape: as many codes on each side (at most 64), reference rows
// of that length with positive finite values or NaN.
func NewDiffTest(codesA, codesB []string, ref []RefPair, o Options) (*DiffTest, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	if len(codesA) == 0 || len(codesA) != len(codesB) {
		return nil, &FieldError{Field: "measurements", Msg: fmt.Sprintf("%d codes for the first element and %d for the second; give one or more pairs", len(codesA), len(codesB))}
	}
	if len(codesA) > 64 {
		return nil, &FieldError{Field: "measurements", Msg: fmt.Sprintf("%d measurement pairs; at most 64", len(codesA))}
	}
	for i, r := range ref {
		if err := checkValues(fmt.Sprintf("reference[%d].a", i), r.A, len(codesA)); err != nil {
			return nil, err
		}
		if err := checkValues(fmt.Sprintf("reference[%d].b", i), r.B, len(codesB)); err != nil {
			return nil, err
		}
	}
	return &DiffTest{CodesA: codesA, CodesB: codesB, Reference: ref, Options: o, cache: map[uint64]refStats{},
		lambda: func(ds []float64, _ []string) float64 { return YeoJohnsonLambda(ds) }}, nil
}

// checkValues refuses a row of the wrong length or with a value that is not a positive finite
// number (NaN stands for a missing measurement).
func checkValues(field string, v []float64, n int) error {
	if len(v) != n {
		return &FieldError{Field: field, Msg: fmt.Sprintf("%d values for %d measurements", len(v), n)}
	}
	for i, x := range v {
		if math.IsNaN(x) {
			continue
		}
		if math.IsInf(x, 0) || x <= 0 {
			return &FieldError{Field: fmt.Sprintf("%s[%d]", field, i), Msg: fmt.Sprintf("%v is not a positive measurement", x)}
		}
	}
	return nil
}

// Compare tests a against b.
func (t *DiffTest) Compare(a, b Specimen) (Comparison, error) {
	if err := checkSpecimens([]Specimen{a}, len(t.CodesA)); err != nil {
		return Comparison{}, err
	}
	if err := checkSpecimens([]Specimen{b}, len(t.CodesB)); err != nil {
		return Comparison{}, err
	}
	return t.compare(a, b), nil
}

// compare tests a against b, both checked.
func (t *DiffTest) compare(a, b Specimen) Comparison {
	c := Comparison{A: a.ID, B: b.ID}
	var used uint64
	for i := range t.CodesA {
		if math.IsNaN(a.Values[i]) || math.IsNaN(b.Values[i]) {
			continue
		}
		used |= 1 << i
		c.D += t.diff(a.Values[i], b.Values[i])
	}
	if used == 0 {
		c.Reason = "no measurement taken on both elements"
		return c
	}
	st := t.stats(used)
	c.Codes = st.codes
	c.RefN, c.RefSD, c.DF = st.n, st.sd, st.n-1
	if !t.Options.ZeroMean {
		c.RefMean = st.mean
	}
	if st.degenerate != "" {
		c.Reason = st.degenerate
		return c
	}
	d := c.D
	if t.Options.YeoJohnson {
		l, dt := st.lambda, YeoJohnson(c.D, st.lambda)
		c.Lambda, c.DTransformed, d = &l, &dt, dt
	}
	c.Comparable = true
	c.T = (d - c.RefMean) / c.RefSD
	c.P = float64(t.Options.Tails) * distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(c.DF)}.CDF(-math.Abs(c.T))
	c.Excluded = c.P <= t.Options.Alpha
	return c
}

func (t *DiffTest) diff(a, b float64) float64 {
	if t.Options.Absolute {
		return math.Abs(a - b)
	}
	return a - b
}

// stats returns the reference statistics for the measurements in used, over the reference
// individuals that have every one of them on both elements.
func (t *DiffTest) stats(used uint64) refStats {
	if st, ok := t.cache[used]; ok {
		return st
	}
	var ds []float64
	for _, r := range t.Reference {
		d, all := 0.0, true
		for i := range t.CodesA {
			if used&(1<<i) == 0 {
				continue
			}
			if math.IsNaN(r.A[i]) || math.IsNaN(r.B[i]) {
				all = false
				break
			}
			d += t.diff(r.A[i], r.B[i])
		}
		if all {
			ds = append(ds, d)
		}
	}
	st := refStats{n: len(ds), codes: t.codesIn(used)}
	if len(ds) < 3 {
		st.degenerate = fmt.Sprintf("only %d reference individual(s) have these measurements; at least 3 are needed", len(ds))
		t.cache[used] = st
		return st
	}
	if t.Options.YeoJohnson {
		st.lambda = t.lambda(ds, t.codesIn(used))
		for i, d := range ds {
			ds[i] = YeoJohnson(d, st.lambda)
		}
	}
	st.mean, st.sd = meanSD(ds)
	if !(st.sd > 0) {
		st.degenerate = "the reference differences do not vary (standard deviation 0)"
	}
	t.cache[used] = st
	return st
}

// codesIn lists the measurements in used, as a Comparison names them.
func (t *DiffTest) codesIn(used uint64) []string {
	var out []string
	for i := range t.CodesA {
		if used&(1<<i) != 0 {
			out = append(out, t.CodesA[i])
			if t.CodesB[i] != t.CodesA[i] {
				out = append(out, t.CodesB[i])
			}
		}
	}
	return out
}

// meanSD returns the mean and the standard deviation (n−1) of xs.
func meanSD(xs []float64) (mean, sd float64) {
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	var ss float64
	for _, x := range xs {
		ss += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(ss / float64(len(xs)-1))
}

// CompareAll tests every a against every b, a-major, stopping when ctx is cancelled.
func (t *DiffTest) CompareAll(ctx context.Context, as, bs []Specimen) ([]Comparison, error) {
	out := make([]Comparison, 0, len(as)*len(bs))
	err := t.Each(ctx, as, bs, func(c Comparison) { out = append(out, c) })
	return out, err
}

// Each tests every a against every b, a-major, giving each result to fn, and stops when ctx is
// cancelled.
func (t *DiffTest) Each(ctx context.Context, as, bs []Specimen, fn func(Comparison)) error {
	if err := checkSpecimens(as, len(t.CodesA)); err != nil {
		return err
	}
	if err := checkSpecimens(bs, len(t.CodesB)); err != nil {
		return err
	}
	for _, a := range as {
		if err := ctx.Err(); err != nil {
			return err
		}
		for _, b := range bs {
			fn(t.compare(a, b))
		}
	}
	return nil
}

// checkSpecimens checks each specimen's values.
func checkSpecimens(sp []Specimen, n int) error {
	for _, x := range sp {
		if err := checkValues("specimen "+x.ID, x.Values, n); err != nil {
			return err
		}
	}
	return nil
}
