package kinship

// MendelianInconsistencies counts, at one marker, the typed children whose genotype cannot be
// formed from their typed parents without mutation (one allele from each parent; a parent who is
// untyped accepts anything). At an X marker (x), a son's allele must be one of his mother's, and a
// daughter must carry her father's allele and one of her mother's.
func MendelianInconsistencies(h Hypothesis, genos map[string]Genotype, x bool) int {
	n := 0
	for _, ped := range h.Components {
		for i, pe := range ped.People {
			if ped.IsFounder(i) {
				continue
			}
			c, ok := genos[pe.ID]
			if !ok || c[0] < 0 {
				continue
			}
			f, fok := genos[pe.Father]
			m, mok := genos[pe.Mother]
			fok = fok && f[0] >= 0
			mok = mok && m[0] >= 0
			from := func(g Genotype, ok bool, a int) bool { return !ok || g[0] == a || g[1] == a }
			var consistent bool
			switch {
			case x && pe.Sex == 1:
				consistent = from(m, mok, c[0])
			default:
				consistent = (from(f, fok, c[0]) && from(m, mok, c[1])) || (from(f, fok, c[1]) && from(m, mok, c[0]))
			}
			if !consistent {
				n++
			}
		}
	}
	return n
}
