package lineage

import (
	"math"
	"testing"
)

// binomCDF is P(X <= x) for X ~ Binomial(n, p), each term from logarithms so that none underflows.
func binomCDF(x, n int, p float64) float64 {
	s := 0.0
	for k := 0; k <= x; k++ {
		ln, _ := math.Lgamma(float64(n + 1))
		lk, _ := math.Lgamma(float64(k + 1))
		lnk, _ := math.Lgamma(float64(n - k + 1))
		s += math.Exp(ln - lk - lnk + float64(k)*math.Log(p) + float64(n-k)*math.Log1p(-p))
	}
	return s
}

func TestUpperBound95(t *testing.T) {
	for _, c := range []struct {
		x, n int
		want float64
		tol  float64
		src  string
	}{
		// x = 0 by hand: 1 - 0.05^(1/n). ln 0.05 = -2.995732; n = 100: 1 - e^-0.0299573 = 0.0295130.
		{0, 100, 0.0295130, 1e-6, "hand"},
		// n = 10: 1 - e^-0.2995732 = 0.2588656.
		{0, 10, 0.2588656, 1e-6, "hand"},
		// x = n-1: P(X <= n-1) = 1 - p^n = 0.05, so p = 0.95^(1/n); n = 10: e^(ln 0.95 / 10) =
		// e^-0.00512933 = 0.9948838.
		{9, 10, 0.9948838, 1e-6, "hand"},
		// Published exact limits: the one-sided 95% upper limit is the upper end of the two-sided
		// 90% Clopper-Pearson interval, tabulated as 0.3942 for 1 of 10 and 0.2161 for 1 of 20
		// (textbook tables of exact binomial limits; the same figures come out of SciPy 1.10's
		// binomtest(x, n, alternative="less").proportion_ci(0.95), run once by hand:
		// 0.394163302, 0.216106164, and 0.075710794 for 3 of 100).
		{1, 10, 0.3942, 5e-5, "table"},
		{1, 20, 0.2161, 5e-5, "table"},
		{3, 100, 0.0757108, 1e-6, "scipy"},
		{5, 5, 1, 0, "all match"},
	} {
		if got := UpperBound95(c.x, c.n); math.Abs(got-c.want) > c.tol {
			t.Errorf("%d of %d (%s): %.9f, want %.7f", c.x, c.n, c.src, got, c.want)
		}
	}
	// The defining property, checked by the binomial sum for every x < n of a few n.
	for _, n := range []int{1, 7, 50, 400} {
		for x := 0; x < n; x += 1 + n/20 {
			p := UpperBound95(x, n)
			if cdf := binomCDF(x, n, p); math.Abs(cdf-0.05) > 1e-7 {
				t.Errorf("%d of %d: P(X <= x | p = %v) = %v, want 0.05", x, n, p, cdf)
			}
		}
	}
	for _, c := range [][2]int{{0, 0}, {1, -1}, {-1, 5}} {
		if !math.IsNaN(UpperBound95(c[0], c[1])) {
			t.Errorf("%v: not NaN", c)
		}
	}
}
