package osteo

import (
	"math"
)

// YeoJohnson transforms x with parameter lambda (Yeo & Johnson 2000): for x ≥ 0
// ((x+1)^λ − 1)/λ, or ln(x+1) when λ = 0; for x < 0 −((1−x)^(2−λ) − 1)/(2−λ), or −ln(1−x) when
// λ = 2. As in OsteoSort, λ = 0 means exactly zero, and λ = 2 within Julia's default
// approximate equality (relative 1.49e-8).
func YeoJohnson(x, lambda float64) float64 {
	if x >= 0 {
		if lambda == 0 {
			return math.Log1p(x)
		}
		return (math.Pow(x+1, lambda) - 1) / lambda
	}
	if math.Abs(lambda-2) <= sqrtEps*2 {
		return -math.Log1p(-x)
	}
	return -(math.Pow(1-x, 2-lambda) - 1) / (2 - lambda)
}

// sqrtEps is √ε for float64, Julia's default relative tolerance of ≈.
var sqrtEps = math.Sqrt(0x1p-52)

// yjLogLikelihood is the profile log-likelihood of λ for the sample xs under a normal model of the
// transformed values: −n/2·ln σ̂² + (λ−1)·Σ sign(x)·ln(|x|+1), with σ̂² the uncorrected variance.
// Near its optimum it is flat to the last bit over about ±1e-7 in λ, so λ is known to about that
// and no better; the tests say what this does to the p-values.
func yjLogLikelihood(xs []float64, lambda float64) float64 {
	n := float64(len(xs))
	var mean, c float64
	ys := make([]float64, len(xs))
	for i, x := range xs {
		ys[i] = YeoJohnson(x, lambda)
		mean += ys[i]
		s := 0.0
		if x > 0 {
			s = 1
		} else if x < 0 {
			s = -1
		}
		c += s * math.Log(math.Abs(x)+1)
	}
	mean /= n
	var ss float64
	for _, y := range ys {
		ss += (y - mean) * (y - mean)
	}
	return -n/2*math.Log(ss/n) + (lambda-1)*c
}

// YeoJohnsonLambda fits λ in [−2, 2] by maximum likelihood (Brent's method, as OsteoSort does
// with Optim.jl's defaults).
func YeoJohnsonLambda(xs []float64) float64 {
	return brentMinimize(func(l float64) float64 { return -yjLogLikelihood(xs, l) }, -2, 2)
}
