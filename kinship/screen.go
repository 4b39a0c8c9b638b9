package kinship

import "fmt"

// TargetDistribution is the screening kernel: for one family (hypothesis), marker and the typed
// relatives in genos, it returns the probability of each unordered genotype {a, b} (a <= b, index
// a*n+b) of the untyped target given the relatives, and the relatives' own likelihood. A candidate
// with genotype g then has likelihood relatives * P(g | relatives), and the LR of "the candidate is
// the target" against "unrelated" is P(g | relatives) / P(g): table look-ups, computed once per
// family and marker.
func TargetDistribution(h Hypothesis, m *Marker, genos map[string]Genotype, target string, theta float64) ([]float64, float64, error) {
	found := false
	for _, p := range h.Components {
		found = found || p.Index(target) >= 0
	}
	if !found {
		return nil, 0, fmt.Errorf("marker %s: target %q is not in hypothesis %s", m.Name, target, h.Name)
	}
	if g, ok := genos[target]; ok && g[0] >= 0 {
		return nil, 0, fmt.Errorf("marker %s: target %q is typed", m.Name, target)
	}
	rel, err := Likelihood(h, m, genos, theta)
	if err != nil {
		return nil, 0, err
	}
	n := len(m.Alleles)
	dist := make([]float64, n*n)
	if rel == 0 {
		return dist, 0, nil
	}
	with := make(map[string]Genotype, len(genos)+1)
	for k, v := range genos {
		with[k] = v
	}
	for a := 0; a < n; a++ {
		for b := a; b < n; b++ {
			with[target] = Genotype{a, b}
			l, err := Likelihood(h, m, with, theta)
			if err != nil {
				return nil, 0, err
			}
			dist[a*n+b] = l / rel
		}
	}
	return dist, rel, nil
}
