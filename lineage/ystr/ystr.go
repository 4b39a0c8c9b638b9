// Package ystr compares Y-chromosome STR haplotypes, which pass from father to son unchanged but
// for mutations, to test paternal-line relationships.
//
// Model of LineageLR: at each meiosis a locus mutates with probability mu (per-locus rates, default
// DefaultRate), by one repeat up or down with equal probability (the single-step model). After m
// meioses the difference between two haplotypes on one paternal line is a random walk of m steps
// that stays with probability 1 - mu and moves +1 or -1 with probability mu/2 each; its distribution
// is computed exactly by convolution. The LR of "b is on a's paternal line, m meioses apart" against
// "unrelated" is the product over compared loci of P(difference | m) divided by the frequency of b's
// haplotype in the population. A difference that is not a whole number of repeats (a microvariant
// against an integer allele) or a copy-number difference has probability 0 under this model, so it
// makes the LR 0; such loci are reported as non-stepwise.
package ystr

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/homeward/homeward/lineage"
)

// DefaultRate is the per-locus, per-meiosis mutation probability used when none is given (of the
// order of the Y-STR rates published by YHRD, 1e-3 to 1e-2).
const DefaultRate = 0.0025

// Null is the designation of a null (non-amplifying) allele.
const Null = "null"

// Haplotype maps a canonical locus name to its alleles (several for multi-copy loci, order-free).
type Haplotype map[string][]string

var nameReplacer = strings.NewReplacer(" ", "", "_", "", "-", "", ".", "")

// Canonical normalises a Y-STR locus name: DYS385a/b and DYS385 a/b are DYS385, DYS389 II is
// DYS389II, Y GATA H4 and GATA_H4 are Y-GATA-H4.
func Canonical(name string) string {
	k := strings.ToUpper(nameReplacer.Replace(strings.TrimSpace(name)))
	k = strings.TrimSuffix(k, "A/B")
	for _, suf := range []string{"AB", "A", "B"} {
		if strings.HasPrefix(k, "DY") && strings.HasSuffix(k, suf) && len(k) > len(suf) {
			base := strings.TrimSuffix(k, suf)
			if _, err := strconv.Atoi(base[len(base)-1:]); err == nil {
				k = base
				break
			}
		}
	}
	switch k {
	case "YGATAH4", "GATAH4", "YGATAH41":
		return "Y-GATA-H4"
	case "DYS3891":
		return "DYS389I"
	case "DYS3892":
		return "DYS389II"
	}
	return k
}

func allele(tok, a string) (string, error) {
	a = strings.TrimSpace(a)
	switch strings.ToLower(a) {
	case "0", "null", "-", "":
		return Null, nil
	}
	if _, err := strconv.ParseFloat(a, 64); err != nil {
		return "", fmt.Errorf("y-str %q: allele %q is not a repeat number", tok, a)
	}
	return a, nil
}

// Parse reads "DYS19=14; DYS385a/b=11,14; DYS448=19.2; DYS439=null" (entries separated by ; or new
// lines, alleles of a multi-copy locus by commas). Errors name the token.
func Parse(s string) (Haplotype, error) {
	h := Haplotype{}
	for _, tok := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == '\n' }) {
		tok = strings.TrimSpace(tok)
		if tok == "" {
			continue
		}
		name, val, ok := strings.Cut(tok, "=")
		if !ok || strings.TrimSpace(name) == "" {
			return nil, fmt.Errorf("y-str %q: expected LOCUS=ALLELE", tok)
		}
		loc := Canonical(name)
		if _, dup := h[loc]; dup {
			return nil, fmt.Errorf("y-str %q: locus %s given twice", tok, loc)
		}
		for _, a := range strings.Split(val, ",") {
			x, err := allele(tok, a)
			if err != nil {
				return nil, err
			}
			h[loc] = append(h[loc], x)
		}
		sort.Strings(h[loc])
	}
	if len(h) == 0 {
		return nil, fmt.Errorf("y-str %q: no locus", s)
	}
	return h, nil
}

// FromLoci builds a haplotype from a marker -> alleles map (as a profile stores it), merging
// columns such as DYS385a and DYS385b into DYS385 and keeping only Y loci (names starting DY or
// Y-GATA).
func FromLoci(loci map[string][]string) (Haplotype, error) {
	h := Haplotype{}
	names := make([]string, 0, len(loci))
	for n := range loci {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		loc := Canonical(n)
		if !strings.HasPrefix(loc, "DY") && loc != "Y-GATA-H4" {
			continue
		}
		for _, a := range loci[n] {
			x, err := allele(n, a)
			if err != nil {
				return nil, err
			}
			h[loc] = append(h[loc], x)
		}
		sort.Strings(h[loc])
	}
	return h, nil
}

// LocusResult is the comparison of one locus.
type LocusResult struct {
	Locus string   `json:"locus"`
	A     []string `json:"a"`
	B     []string `json:"b"`
	Match bool     `json:"match"`
	Steps int      `json:"steps"`          // repeat steps between them (stepwise loci)
	Note  string   `json:"note,omitempty"` // non-stepwise, null, copy number
}

// Comparison is the outcome of Compare.
type Comparison struct {
	Compared   int           `json:"compared"`
	Mismatches int           `json:"mismatches"`
	Steps      int           `json:"steps"`
	NonStep    int           `json:"non_stepwise"`
	Loci       []LocusResult `json:"loci"`
}

// Compare compares the loci typed in both haplotypes.
func Compare(a, b Haplotype) Comparison {
	var c Comparison
	names := make([]string, 0, len(a))
	for n := range a {
		if _, ok := b[n]; ok {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		r := LocusResult{Locus: n, A: a[n], B: b[n]}
		c.Compared++
		steps, note := distance(a[n], b[n])
		r.Note = note
		if note == "" {
			r.Steps = steps
			r.Match = steps == 0
		}
		if !r.Match {
			c.Mismatches++
			if note == "" {
				c.Steps += steps
			} else {
				c.NonStep++
			}
		}
		c.Loci = append(c.Loci, r)
	}
	return c
}

// distance is the minimal total number of repeat steps between two allele lists of the same copy
// number, or a note when they cannot be one mutation path apart by single steps.
func distance(a, b []string) (int, string) {
	if len(a) != len(b) {
		return 0, "copy number differs"
	}
	for _, x := range append(append([]string{}, a...), b...) {
		if x == Null {
			if sameList(a, b) {
				return 0, ""
			}
			return 0, "null allele"
		}
	}
	fa, fb := floats(a), floats(b)
	best := -1
	permute(len(fb), func(p []int) {
		total := 0
		for i := range fa {
			d := fa[i] - fb[p[i]]
			if d != math.Trunc(d) {
				total = -1
				return
			}
			total += int(math.Abs(d))
		}
		if best < 0 || (total >= 0 && total < best) {
			best = total
		}
	})
	if best < 0 {
		return 0, "non-stepwise (microvariant difference)"
	}
	return best, ""
}

func sameList(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func floats(xs []string) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i], _ = strconv.ParseFloat(x, 64)
		// Microvariants "19.2" are 19 repeats and 2 bases: compare in repeat units of the integer
		// part, keeping the fraction so that 19.2 vs 18.2 is one step and 19.2 vs 19 is not.
	}
	return out
}

// permute calls f with every permutation of 0..n-1 (n is a copy number, at most a handful).
func permute(n int, f func([]int)) {
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	var rec func(k int)
	rec = func(k int) {
		if k == n {
			f(p)
			return
		}
		for i := k; i < n; i++ {
			p[k], p[i] = p[i], p[k]
			rec(k + 1)
			p[k], p[i] = p[i], p[k]
		}
	}
	rec(0)
}

// StepProbability is P(difference d after m meioses) under the single-step model with rate mu.
func StepProbability(d, m int, mu float64) float64 {
	if d < 0 {
		d = -d
	}
	if d > m {
		return 0
	}
	// dist[k+m] is P(difference k) after the meioses so far.
	dist := make([]float64, 2*m+1)
	dist[m] = 1
	for step := 0; step < m; step++ {
		next := make([]float64, len(dist))
		for k, p := range dist {
			if p == 0 {
				continue
			}
			next[k] += p * (1 - mu)
			if k > 0 {
				next[k-1] += p * mu / 2
			}
			if k < len(dist)-1 {
				next[k+1] += p * mu / 2
			}
		}
		dist = next
	}
	return dist[d+m]
}

// LineageLR is the LR of "b is on a's paternal line, meioses apart" against "b is unrelated" (see
// the package comment). rates gives per-locus mutation rates (DefaultRate when absent); hapFreq is
// the frequency of b's haplotype in the population, in (0, 1].
func LineageLR(c Comparison, meioses int, rates map[string]float64, hapFreq float64) (float64, error) {
	if meioses < 1 {
		return 0, fmt.Errorf("y-str LR: %d meioses; at least 1", meioses)
	}
	if !(hapFreq > 0 && hapFreq <= 1) {
		return 0, fmt.Errorf("y-str LR: haplotype frequency %v must be in (0, 1]", hapFreq)
	}
	num := 1.0
	for _, l := range c.Loci {
		mu, ok := rates[l.Locus]
		if !ok {
			mu = DefaultRate
		}
		if !(mu >= 0 && mu < 1) {
			return 0, fmt.Errorf("y-str LR: locus %s: rate %v outside [0, 1)", l.Locus, mu)
		}
		if l.Note != "" {
			return 0, nil
		}
		num *= StepProbability(l.Steps, meioses, mu)
	}
	return num / hapFreq, nil
}

// Frequency is a haplotype count in a reference set.
type Frequency struct {
	Matches  int     `json:"matches"`
	N        int     `json:"n"`
	Skipped  int     `json:"skipped"` // references not typed at every locus of the haplotype
	Estimate float64 `json:"estimate"`
	Upper95  float64 `json:"upper_95"`
}

// CountFrequency counts the references typed at all of h's loci that match it exactly, with the
// one-sided 95% Clopper-Pearson upper bound (lineage.UpperBound95).
func CountFrequency(h Haplotype, refs []Haplotype) Frequency {
	var f Frequency
	for _, r := range refs {
		typed := true
		for l := range h {
			if _, ok := r[l]; !ok {
				typed = false
			}
		}
		if !typed {
			f.Skipped++
			continue
		}
		f.N++
		if c := Compare(h, r); c.Mismatches == 0 {
			f.Matches++
		}
	}
	if f.N > 0 {
		f.Estimate = float64(f.Matches) / float64(f.N)
		f.Upper95 = lineage.UpperBound95(f.Matches, f.N)
	}
	return f
}
