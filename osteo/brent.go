package osteo

import "math"

// brentMinimize finds a minimum of f on [lo, hi] by Brent's method (Brent 1973, "Algorithms for
// minimization without derivatives", ch. 5): golden-section steps, replaced by parabolic
// interpolation where that is safe. The objective of a Yeo-Johnson fit is flat near its optimum,
// so where the search stops decides the last digits of λ; to agree with OsteoSort, this takes
// the same steps as Optim.jl 1.11's Brent with its defaults (OsteoSort's optimiser): it stops when
// the bracket around the best point x is within 2·tol of it, tol = √ε·|x| + ε, or after 1000
// iterations; a new point replaces the best only when strictly lower; and its test that a
// parabolic step stays inside the bracket reads p < q·(x − a), not p > q·(a − x).
func brentMinimize(f func(float64) float64, lo, hi float64) float64 {
	const golden = 0.3819660112501051 // (3 − √5) / 2
	const relTol, absTol = 1.4901161193847656e-08, 2.220446049250313e-16
	a, b := lo, hi
	x := a + golden*(b-a)
	w, v := x, x
	fx := f(x)
	fw, fv := fx, fx
	var d, e float64 // the last step, and the one before it
	for iter := 0; iter < 1000; iter++ {
		m := (a + b) / 2
		tol := relTol*math.Abs(x) + absTol
		if math.Abs(x-m) <= 2*tol-(b-a)/2 {
			break
		}
		parabolic := false
		if math.Abs(e) > tol {
			// Fit a parabola through x, w, v.
			r := (x - w) * (fx - fv)
			q := (x - v) * (fx - fw)
			p := (x-v)*q - (x-w)*r
			q = 2 * (q - r)
			if q > 0 {
				p = -p
			} else {
				q = -q
			}
			if math.Abs(p) < math.Abs(q*e/2) && p < q*(b-x) && p < q*(x-a) {
				e, d = d, p/q
				u := x + d
				if u-a < 2*tol || b-u < 2*tol {
					d = tol
					if x >= m {
						d = -tol
					}
				}
				parabolic = true
			}
		}
		if !parabolic {
			if x < m {
				e = b - x
			} else {
				e = a - x
			}
			d = golden * e
		}
		u := x + d
		if math.Abs(d) < tol {
			if d > 0 {
				u = x + tol
			} else {
				u = x - tol
			}
		}
		fu := f(u)
		if fu < fx {
			if u < x {
				b = x
			} else {
				a = x
			}
			v, fv, w, fw, x, fx = w, fw, x, fx, u, fu
			continue
		}
		if u < x {
			a = u
		} else {
			b = u
		}
		if fu <= fw || w == x {
			v, fv, w, fw = w, fw, u, fu
		} else if fu <= fv || v == x || v == w {
			v, fv = u, fu
		}
	}
	return x
}
