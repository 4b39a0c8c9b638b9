package mtdna

import "github.com/homeward/homeward/lineage"

// Counting a profile in a reference set.

// Frequency is a haplotype count in a reference set.
type Frequency struct {
	Matches  int     `json:"matches"`
	N        int     `json:"n"`
	Skipped  int     `json:"skipped"` // references not covering the query's range
	Estimate float64 `json:"estimate"`
	// Upper95 is the one-sided 95% Clopper-Pearson upper bound of the frequency.
	Upper95 float64 `json:"upper_95"`
}

// CountFrequency counts, over the query's range, the references that cannot be excluded from p
// (no difference; heteroplasmy-compatible positions and length variants in LengthRegions do not
// count). References that do not cover all of p's range are skipped and counted apart. The bound is
// lineage.UpperBound95.
func CountFrequency(p Profile, refs []Profile, o Options) Frequency {
	var f Frequency
	for _, r := range refs {
		covers := true
		for _, rg := range p.Ranges {
			if !r.CoversRange(rg) {
				covers = false
				break
			}
		}
		if !covers {
			f.Skipped++
			continue
		}
		f.N++
		diffs := 0
		walk(p, r, p.Ranges, o, func(d Difference) {
			if !d.Compatible {
				diffs++
			}
		})
		if diffs == 0 {
			f.Matches++
		}
	}
	if f.N > 0 {
		f.Estimate = float64(f.Matches) / float64(f.N)
		f.Upper95 = lineage.UpperBound95(f.Matches, f.N)
	}
	return f
}
