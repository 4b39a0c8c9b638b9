package osteo

import (
	"context"
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Association tests whether two different elements (for example a femur and a tibia) can come
// from one person by size: over the reference individuals that have every measurement the two
// specimens have, ordinary least squares of y = ln Σ(b's measurements) on x = ln Σ(a's), and a
// prediction t test of the specimen's y against the value predicted from its x (Byrd & LeGarde
// 2014, as OsteoSort 1.4 computes it: t = |ŷ − y| / (σ·√(1 + 1/n + (x − x̄)²/(n·s²x))), with n·s²x
// where the textbook has (n−1)·s²x, and two tails with n − 2 degrees of freedom). Reference
// fits are kept per pair of measurement sets, so an Association is not for concurrent use.
type Association struct {
	CodesA, CodesB []string
	Reference      []RefPair
	Alpha          float64

	cache map[[2]uint64]regression
}

// regression is the reference fit for one pair of measurement sets.
type regression struct {
	n                     int
	intercept, slope      float64
	sigma, r2, meanX, sdX float64
	degenerate            string
	codesA, codesB, codes []string // shared by every result that uses them
}

// AssociationResult is the outcome of testing element A against element B by association.
type AssociationResult struct {
	A          string   `json:"id_a"`
	B          string   `json:"id_b"`
	CodesA     []string `json:"measurements_a"`
	CodesB     []string `json:"measurements_b"`
	Comparable bool     `json:"comparable"`
	Reason     string   `json:"reason,omitempty"`
	X          float64  `json:"x_log_sum_a"`
	Y          float64  `json:"y_log_sum_b"`
	RefN       int      `json:"ref_n"`
	Intercept  float64  `json:"intercept"`
	Slope      float64  `json:"slope"`
	Sigma      float64  `json:"sigma"`
	R2         float64  `json:"r_squared"`
	RefMeanX   float64  `json:"ref_mean_x"`
	RefSDX     float64  `json:"ref_sd_x"`
	YPredicted float64  `json:"y_predicted"`
	T          float64  `json:"t"`
	DF         int      `json:"df"`
	P          float64  `json:"p_value"`
	Excluded   bool     `json:"excluded"`
	Codes      []string `json:"-"` // CodesA then CodesB
}

// NewAssociation checks the test's shape: codes for each element (at most 64 each), reference
// rows of those lengths with positive finite values or NaN, alpha in (0, 1).
func NewAssociation(codesA, codesB []string, ref []RefPair, alpha float64) (*Association, error) {
	if !(alpha > 0 && alpha < 1) {
		return nil, &FieldError{Field: "alpha", Msg: fmt.Sprintf("%v is not in (0, 1)", alpha)}
	}
	if len(codesA) == 0 || len(codesB) == 0 || len(codesA) > 64 || len(codesB) > 64 {
		return nil, &FieldError{Field: "measurements", Msg: fmt.Sprintf("%d and %d codes; each element needs 1 to 64", len(codesA), len(codesB))}
	}
	for i, r := range ref {
		if err := checkValues(fmt.Sprintf("reference[%d].a", i), r.A, len(codesA)); err != nil {
			return nil, err
		}
		if err := checkValues(fmt.Sprintf("reference[%d].b", i), r.B, len(codesB)); err != nil {
			return nil, err
		}
	}
	return &Association{CodesA: codesA, CodesB: codesB, Reference: ref, Alpha: alpha, cache: map[[2]uint64]regression{}}, nil
}

// present returns the mask of measured values and their sum.
func present(v []float64) (mask uint64, sum float64) {
	for i, x := range v {
		if !math.IsNaN(x) {
			mask |= 1 << i
			sum += x
		}
	}
	return mask, sum
}

// codesIn lists the codes in mask.
func codesIn(codes []string, mask uint64) []string {
	var out []string
	for i, c := range codes {
		if mask&(1<<i) != 0 {
			out = append(out, c)
		}
	}
	return out
}

// Compare tests a against b.
func (s *Association) Compare(a, b Specimen) (AssociationResult, error) {
	if err := checkSpecimens([]Specimen{a}, len(s.CodesA)); err != nil {
		return AssociationResult{}, err
	}
	if err := checkSpecimens([]Specimen{b}, len(s.CodesB)); err != nil {
		return AssociationResult{}, err
	}
	return s.compare(a, b), nil
}

// compare tests a against b, both checked.
func (s *Association) compare(a, b Specimen) AssociationResult {
	r := AssociationResult{A: a.ID, B: b.ID}
	ma, sa := present(a.Values)
	mb, sb := present(b.Values)
	if ma == 0 || mb == 0 {
		r.Reason = "an element has no measurement"
		return r
	}
	r.X, r.Y = math.Log(sa), math.Log(sb)
	g := s.fit(ma, mb)
	r.CodesA, r.CodesB, r.Codes = g.codesA, g.codesB, g.codes
	r.RefN, r.DF = g.n, g.n-2
	r.Intercept, r.Slope, r.Sigma, r.R2, r.RefMeanX, r.RefSDX = g.intercept, g.slope, g.sigma, g.r2, g.meanX, g.sdX
	if g.degenerate != "" {
		r.Reason = g.degenerate
		return r
	}
	r.Comparable = true
	r.YPredicted = g.intercept + g.slope*r.X
	n := float64(g.n)
	r.T = math.Abs(r.YPredicted-r.Y) / (g.sigma * math.Sqrt(1+1/n+(r.X-g.meanX)*(r.X-g.meanX)/(n*g.sdX*g.sdX)))
	r.P = 2 * distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(r.DF)}.CDF(-r.T)
	r.Excluded = r.P <= s.Alpha
	return r
}

// fit returns the reference regression for the measurement sets ma (of a) and mb (of b).
func (s *Association) fit(ma, mb uint64) regression {
	key := [2]uint64{ma, mb}
	if g, ok := s.cache[key]; ok {
		return g
	}
	var xs, ys []float64
	for _, r := range s.Reference {
		x, okA := sumOf(r.A, ma)
		y, okB := sumOf(r.B, mb)
		if okA && okB {
			xs, ys = append(xs, math.Log(x)), append(ys, math.Log(y))
		}
	}
	g := ols(xs, ys)
	g.codesA, g.codesB = codesIn(s.CodesA, ma), codesIn(s.CodesB, mb)
	g.codes = append(append([]string{}, g.codesA...), g.codesB...)
	s.cache[key] = g
	return g
}

// sumOf sums the values in mask; false when one of them is missing.
func sumOf(v []float64, mask uint64) (float64, bool) {
	sum := 0.0
	for i, x := range v {
		if mask&(1<<i) == 0 {
			continue
		}
		if math.IsNaN(x) {
			return 0, false
		}
		sum += x
	}
	return sum, true
}

// ols fits y = intercept + slope·x by least squares.
func ols(xs, ys []float64) regression {
	g := regression{n: len(xs)}
	if g.n < 3 {
		g.degenerate = fmt.Sprintf("only %d reference individual(s) have these measurements; at least 3 are needed", g.n)
		return g
	}
	var meanY float64
	g.meanX, g.sdX = meanSD(xs)
	meanY, _ = meanSD(ys)
	var sxx, sxy, syy float64
	for i := range xs {
		dx, dy := xs[i]-g.meanX, ys[i]-meanY
		sxx, sxy, syy = sxx+dx*dx, sxy+dx*dy, syy+dy*dy
	}
	if !(sxx > 0) || !(syy > 0) {
		g.degenerate = "the reference sums do not vary"
		return g
	}
	g.slope = sxy / sxx
	g.intercept = meanY - g.slope*g.meanX
	var rss float64
	for i := range xs {
		e := ys[i] - g.intercept - g.slope*xs[i]
		rss += e * e
	}
	g.sigma = math.Sqrt(rss / float64(g.n-2))
	g.r2 = sxy * sxy / (sxx * syy)
	if !(g.sigma > 0) {
		g.degenerate = "the reference sums lie on a line (residual standard error 0)"
	}
	return g
}

// CompareAll tests every a against every b, a-major, stopping when ctx is cancelled.
func (s *Association) CompareAll(ctx context.Context, as, bs []Specimen) ([]AssociationResult, error) {
	out := make([]AssociationResult, 0, len(as)*len(bs))
	err := s.Each(ctx, as, bs, func(r AssociationResult) { out = append(out, r) })
	return out, err
}

// Each tests every a against every b, a-major, giving each result to fn, and stops when ctx is
// cancelled.
func (s *Association) Each(ctx context.Context, as, bs []Specimen, fn func(AssociationResult)) error {
	if err := checkSpecimens(as, len(s.CodesA)); err != nil {
		return err
	}
	if err := checkSpecimens(bs, len(s.CodesB)); err != nil {
		return err
	}
	for _, a := range as {
		if err := ctx.Err(); err != nil {
			return err
		}
		for _, b := range bs {
			fn(s.compare(a, b))
		}
	}
	return nil
}
