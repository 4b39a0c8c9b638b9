package dvi

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// Profile is the autosomal STR profile of one sample: marker -> the alleles called (two, or one
// when only one was seen, as in a degraded sample). A marker left out is untyped.
type Profile struct {
	Sample  string
	Alleles map[string][]string
}

// Frequencies gives allele frequencies per marker: marker -> allele -> frequency.
type Frequencies map[string]map[string]float64

// DirectMatch compares two samples for coming from the same person.
type DirectMatch struct {
	A, B       string
	Compared   int      `json:"markers_compared"`
	Mismatches []string `json:"mismatching_markers"`
	// LR is P(profiles | same person) / P(profiles | unrelated people), over the markers typed with
	// two alleles in both samples and identical; 0 when any marker mismatches (beyond the
	// allowance given to Compare).
	LR    float64 `json:"lr"`
	Log10 float64 `json:"log10_lr"`
}

// genotypeProb is the probability of genotype {a, b} in a person from the population, with the
// subpopulation correction theta (NRC II recommendation 4.10; theta = 0 gives Hardy-Weinberg).
func genotypeProb(p, q float64, het bool, theta float64) float64 {
	d := (1 + theta) * (1 + 2*theta)
	if !het {
		return (2*theta + (1-theta)*p) * (3*theta + (1-theta)*p) / d
	}
	return 2 * (theta + (1-theta)*p) * (theta + (1-theta)*q) / d
}

// Compare computes the same-person LR of two profiles. A marker is compared when both samples carry
// two alleles there; identical genotypes multiply the LR by 1/P(genotype); different ones are
// mismatches. Up to allowMismatches mismatching markers are tolerated (drop-in, typing error):
// they are listed and left out of the LR instead of setting it to 0, a stated and visible rule.
// An allele absent from the frequencies is an error naming the sample and marker.
func Compare(a, b Profile, freqs Frequencies, theta float64, allowMismatches int) (DirectMatch, error) {
	m := DirectMatch{A: a.Sample, B: b.Sample, Mismatches: []string{}}
	markers := make([]string, 0, len(a.Alleles))
	for mk := range a.Alleles {
		markers = append(markers, mk)
	}
	sort.Strings(markers)
	logLR := 0.0
	for _, mk := range markers {
		ga, gb := a.Alleles[mk], b.Alleles[mk]
		if len(ga) != 2 || len(gb) != 2 {
			continue
		}
		m.Compared++
		if !sameGenotype(ga, gb) {
			m.Mismatches = append(m.Mismatches, mk)
			continue
		}
		f := freqs[mk]
		if f == nil {
			return m, fmt.Errorf("sample %s marker %s: no frequencies for the marker", a.Sample, mk)
		}
		p, ok1 := f[ga[0]]
		q, ok2 := f[ga[1]]
		if !ok1 || !ok2 {
			missing := ga[0]
			if ok1 {
				missing = ga[1]
			}
			return m, fmt.Errorf("sample %s marker %s: allele %s is not in the frequency database", a.Sample, mk, missing)
		}
		logLR -= math.Log(genotypeProb(p, q, ga[0] != ga[1], theta))
	}
	if len(m.Mismatches) > allowMismatches {
		m.LR, m.Log10 = 0, math.Inf(-1)
		return m, nil
	}
	m.LR = math.Exp(logLR)
	m.Log10 = logLR / math.Ln10
	return m, nil
}

func sameGenotype(a, b []string) bool {
	return (a[0] == b[0] && a[1] == b[1]) || (a[0] == b[1] && a[1] == b[0])
}

// Individual is a post-mortem individual: samples merged because they match each other.
type Individual struct {
	Samples   []string            `json:"samples"`
	Consensus map[string][]string `json:"consensus"`
	// Conflicts lists the markers where the samples cannot be one genotype (more than two alleles).
	Conflicts []string `json:"conflicts"`
}

// Group merges samples whose same-person LR reaches threshold (with at most allowMismatches
// mismatching markers, and at least minMarkers compared) into individuals, transitively, and builds
// each individual's consensus profile. Links are listed so that every merge can be explained.
func Group(profiles []Profile, freqs Frequencies, theta, threshold float64, allowMismatches, minMarkers int) ([]Individual, []DirectMatch, error) {
	parent := make([]int, len(profiles))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	seen := map[string]bool{}
	for _, p := range profiles {
		if seen[p.Sample] {
			return nil, nil, fmt.Errorf("sample %s is listed twice", p.Sample)
		}
		seen[p.Sample] = true
	}
	var links []DirectMatch
	for i := range profiles {
		for j := i + 1; j < len(profiles); j++ {
			m, err := Compare(profiles[i], profiles[j], freqs, theta, allowMismatches)
			if err != nil {
				return nil, nil, err
			}
			if m.Compared >= minMarkers && m.LR >= threshold {
				links = append(links, m)
				parent[find(i)] = find(j)
			}
		}
	}
	groups := map[int][]int{}
	for i := range profiles {
		r := find(i)
		groups[r] = append(groups[r], i)
	}
	var out []Individual
	for _, members := range groups {
		ind := Individual{Consensus: map[string][]string{}, Conflicts: []string{}}
		alleles := map[string]map[string]bool{}
		for _, i := range members {
			ind.Samples = append(ind.Samples, profiles[i].Sample)
			for mk, g := range profiles[i].Alleles {
				if alleles[mk] == nil {
					alleles[mk] = map[string]bool{}
				}
				for _, a := range g {
					alleles[mk][a] = true
				}
			}
		}
		sort.Strings(ind.Samples)
		for mk, set := range alleles {
			var as []string
			for a := range set {
				as = append(as, a)
			}
			sort.Strings(as)
			switch {
			case len(as) > 2:
				ind.Conflicts = append(ind.Conflicts, mk)
			case len(as) == 1 && fullyTyped(profiles, members, mk):
				ind.Consensus[mk] = []string{as[0], as[0]}
			default:
				ind.Consensus[mk] = as
			}
		}
		sort.Strings(ind.Conflicts)
		out = append(out, ind)
	}
	sort.Slice(out, func(i, j int) bool { return strings.Join(out[i].Samples, ",") < strings.Join(out[j].Samples, ",") })
	return out, links, nil
}

// fullyTyped reports whether some member has two alleles at mk (so a single allele seen means a
// homozygote rather than a partial call).
func fullyTyped(profiles []Profile, members []int, mk string) bool {
	for _, i := range members {
		if len(profiles[i].Alleles[mk]) == 2 {
			return true
		}
	}
	return false
}
