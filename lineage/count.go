// Package lineage holds what the lineage-marker packages (mtdna, ystr) share: the confidence bound
// of a haplotype frequency counted in a reference set.
package lineage

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// UpperBound95 is the one-sided 95% Clopper-Pearson upper bound of a frequency when x of n
// references match: the p at which seeing x or fewer matches has probability 0.05. For x = 0 that
// is 1 - 0.05^(1/n); for 0 < x < n it is the 0.95 quantile of Beta(x+1, n-x); for x >= n it is 1.
// It is NaN when n < 1 or x < 0.
func UpperBound95(x, n int) float64 {
	switch {
	case n <= 0 || x < 0:
		return math.NaN()
	case x == 0:
		return 1 - math.Pow(0.05, 1/float64(n))
	case x >= n:
		return 1
	}
	return distuv.Beta{Alpha: float64(x + 1), Beta: float64(n - x)}.Quantile(0.95)
}
