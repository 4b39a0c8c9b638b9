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
	if fast, err := canMarginalise(h, m, target, theta); err != nil {
		return nil, 0, err
	} else if fast {
		return targetMarginal(h, m, genos, target)
	}
	return targetByPlacement(h, m, genos, target, theta)
}

// canMarginalise reports whether the target's distribution can come from one elimination with
// the target kept: without mutation, theta, inbreeding or X transmission, the alleles nobody carries are
// exchangeable apart from their frequencies, and the target's two alleles are never identical by
// descent (its parents are unrelated), so the merged "rest" allele splits by frequency exactly.
func canMarginalise(h Hypothesis, m *Marker, target string, theta float64) (bool, error) {
	if theta != 0 || m.X || m.MutFemale != nil || m.MutMale != nil {
		return false, nil
	}
	for _, p := range h.Components {
		if len(p.FounderInbreeding) > 0 {
			return false, nil
		}
		if i := p.Index(target); i >= 0 && !p.IsFounder(i) {
			if p.Related(p.People[i].Father, p.People[i].Mother) {
				return false, nil
			}
		}
	}
	return true, nil
}

// targetMarginal eliminates every person but the target and spreads the merged allele's mass over
// its members by frequency.
func targetMarginal(h Hypothesis, m *Marker, genos map[string]Genotype, target string) ([]float64, float64, error) {
	mem := getScratch()
	defer mem.release()
	md, err := build(mem, h, m, genos, nil, 0, target)
	if err != nil {
		return nil, 0, err
	}
	tv, _ := md.person(target)
	_, kept, err := eliminateKeep(mem, md.factors, md.nvars, []int{2 * tv, 2*tv + 1})
	if err != nil {
		return nil, 0, fmt.Errorf("marker %s, hypothesis %s: %w", m.Name, h.Name, err)
	}
	// The table is over the alleles the target can carry; spread it over every lumped pair.
	nl := len(md.lm.freqs)
	var vec []float64
	if len(kept) > 0 {
		vec = make([]float64, nl*nl)
		dp, dm := md.domains[2*tv], md.domains[2*tv+1]
		for i, a := range dp {
			for j, b := range dm {
				vec[a*nl+b] = kept[i*len(dm)+j]
			}
		}
	}
	n := len(m.Alleles)
	dist := make([]float64, n*n)
	rel := 0.0
	for _, x := range vec {
		rel += x
	}
	if vec == nil || rel == 0 {
		return dist, 0, nil
	}
	// Weight of each original allele within its lumped allele.
	classSum := make([]float64, nl)
	for a := 0; a < n; a++ {
		classSum[md.lm.index[a]] += m.Freqs[a]
	}
	w := make([]float64, n)
	for a := 0; a < n; a++ {
		if c := md.lm.index[a]; classSum[c] > 0 {
			w[a] = m.Freqs[a] / classSum[c]
		}
	}
	for a := 0; a < n; a++ {
		la := md.lm.index[a]
		for b := a; b < n; b++ {
			lb := md.lm.index[b]
			p := vec[la*nl+lb] * w[a] * w[b]
			if a != b {
				p += vec[lb*nl+la] * w[a] * w[b]
			}
			dist[a*n+b] = p / rel
		}
	}
	return dist, rel, nil
}

// targetByPlacement places each genotype on the target in turn (exact under any model).
func targetByPlacement(h Hypothesis, m *Marker, genos map[string]Genotype, target string, theta float64) ([]float64, float64, error) {
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
