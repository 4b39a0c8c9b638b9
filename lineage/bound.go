// Package lineage holds what the lineage-marker packages (mtdna, ystr) share: the confidence bound
// of a haplotype frequency counted in a reference set.
package lineage

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// UpperBound95 is the one-sided 95% Clopper-Pearson upper bound for x matches among n references:
// 1 - 0.05^(1/n) when x = 0, the 0.95 quantile of Beta(x+1, n-x) otherwise, 1 when x = n.
func UpperBound95(x, n int) float64 {
	switch {
	case n <= 0:
		return math.NaN()
	case x == 0:
		return 1 - math.Pow(0.05, 1/float64(n))
	case x >= n:
		return 1
	}
	return distuv.Beta{Alpha: float64(x + 1), Beta: float64(n - x)}.Quantile(0.95)
}
