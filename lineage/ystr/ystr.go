// Package ystr compares Y-chromosome STR haplotypes, which pass from father to son unchanged but
// for mutations, to test paternal-line relationships.
//
// Alleles are repeat numbers with at most one decimal for a microvariant ("19.2": 19 repeats and
// 2 bases), kept as written; a null allele is "0", "null" or "-". Multi-copy loci (DYS385a/b,
// DYF387S1a/b, DYS464a-d ...) hold their copies as an unordered multiset.
//
// Null rule: a null allele means "no amplification" (typically a deletion or a primer-site
// variant), not a repeat number. Two nulls at a locus, or the same multiset with nulls in it,
// match. A null against a called allele is neither a match nor a mismatch: the locus is left out of
// the comparison (counted in Comparison.NullExcluded) and of the LR (a factor of 1).
//
// Model of LineageLR: at each meiosis a locus mutates with probability mu, by one repeat up or
// down with equal probability (the single-step model). After m meioses the difference between two
// men on one paternal line is a random walk of m steps that stays with probability 1 - mu and moves
// +1 or -1 with probability mu/2 each; its distribution is computed exactly by convolution
// (StepProbability). A multi-copy locus with n copies is n independent walks with rate mu/n each
// (a mutation of the locus hits one copy). The LR of "b is on a's paternal line, m meioses apart"
// against "unrelated" is the product over compared loci of P(difference | m) divided by the
// frequency of b's haplotype. A difference that is not a whole number of repeats (a microvariant
// against an integer allele) or a copy-number difference has probability 0 under this model and
// makes the LR 0; such loci are reported as non-stepwise.
package ystr

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// DefaultRate is the per-locus, per-meiosis mutation probability used for loci that are neither
// given in the rates passed to LineageLR nor listed in DefaultRates. It is not a published figure
// but a round value inside the range YHRD reports for the common loci (about 5e-4 to 1.5e-2).
const DefaultRate = 0.0025

// DefaultRates are per-locus mutation rates (mutations per meiosis) from YHRD release 61 (June
// 2019), as tabulated in Table 1 of "Genes 2020, 11(5), 566" (doi:10.3390/genes11050566), which
// lists the 23 single-copy loci of the Yfiler Plus set. The multi-copy loci DYS385 and DYF387S1 are
// not in that table and use DefaultRate unless given.
var DefaultRates = map[string]float64{
	"DYS392": 4.96e-4, "DYS438": 3.51e-4, "DYS635": 4.21e-3, "DYS481": 4.88e-3,
	"DYS449": 9.44e-3, "DYS448": 1.39e-3, "DYS533": 3.68e-3, "DYS19": 2.20e-3,
	"DYS393": 1.07e-3, "DYS518": 1.46e-2, "DYS627": 1.32e-2, "DYS390": 2.08e-3,
	"DYS389I": 2.72e-3, "DYS570": 1.14e-2, "DYS458": 6.17e-3, "DYS460": 5.82e-3,
	"DYS437": 1.32e-3, "DYS439": 5.46e-3, "DYS576": 1.26e-2, "DYS389II": 4.33e-3,
	"DYS456": 4.41e-3, "DYS391": 2.53e-3, "Y-GATA-H4": 3.01e-3,
}

// MaxMeioses bounds the meioses LineageLR accepts (the convolution costs meioses squared per
// locus); paternal lines in identification casework are far shorter.
const MaxMeioses = 1000

// Null is the designation of a null (non-amplifying) allele.
const Null = "null"

// Haplotype maps a canonical locus name (Canonical) to its alleles, sorted by repeat number with
// nulls first; several alleles for multi-copy loci.
type Haplotype map[string][]string

var nameReplacer = strings.NewReplacer(" ", "", "_", "", "-", "", ".", "", "#", "")

// suffixNamed are loci whose trailing letter is part of the name, not a copy: DYS526a and DYS526b,
// DYF403S1a and DYF403S1b are distinct markers.
var suffixNamed = map[string]bool{"DYS526A": true, "DYS526B": true, "DYF403S1A": true, "DYF403S1B": true}

// splitName normalises a locus name and splits off a copy suffix: "DYS385 a/b" gives ("DYS385",
// "A/B"), "DYS385b" ("DYS385", "B"), "DYS19" ("DYS19", "").
func splitName(name string) (base, copies string) {
	k := strings.ToUpper(nameReplacer.Replace(strings.TrimSpace(name)))
	if g, ok := strings.CutPrefix(k, "YGATA"); ok {
		k = "GATA" + g
	}
	if g, ok := strings.CutPrefix(k, "GATA"); ok {
		if g == "H41" { // GATA H4.1 is the usual name of Y-GATA-H4
			g = "H4"
		}
		return "Y-GATA-" + g, ""
	}
	if !strings.HasPrefix(k, "DY") || suffixNamed[k] {
		return k, ""
	}
	// Trailing copy letters a-d, possibly separated by '/' or ',', after a digit.
	i := len(k)
	for i > 0 && strings.ContainsRune("ABCD/,", rune(k[i-1])) {
		i--
	}
	if i < len(k) && i > 0 && k[i-1] >= '0' && k[i-1] <= '9' {
		k, copies = k[:i], k[i:]
	}
	switch k {
	case "DYS3891":
		k = "DYS389I"
	case "DYS3892":
		k = "DYS389II"
	}
	return k, copies
}

// Canonical normalises a Y-STR locus name: case, spaces, '-', '_', '.' and '#' do not count;
// copy suffixes go (DYS385a/b, DYS385 a/b, DYS385a and DYS385 are DYS385; DYS464a/b/c/d is
// DYS464); DYS389 I and DYS389.1 are DYS389I; Y-GATA-H4, YGATAH4, GATA_H4 and GATA H4.1 are
// Y-GATA-H4.
func Canonical(name string) string {
	base, _ := splitName(name)
	return base
}

// parseAllele reads one allele: a repeat number with at most one decimal, or a null.
func parseAllele(a string) (string, error) {
	a = strings.TrimSpace(a)
	switch strings.ToLower(a) {
	case "0", "null", "-":
		return Null, nil
	case "":
		return "", fmt.Errorf("empty allele")
	}
	whole, frac, dot := strings.Cut(a, ".")
	if len(whole) == 0 || len(whole) > 3 || !digits(whole) || (dot && (len(frac) != 1 || !digits(frac))) {
		return "", fmt.Errorf("allele %q is not a repeat number (like 14 or 19.2) or a null (0, null, -)", a)
	}
	n, _ := strconv.Atoi(whole)
	if n == 0 {
		return "", fmt.Errorf("allele %q: 0 repeats with a microvariant", a)
	}
	if dot {
		return strconv.Itoa(n) + "." + frac, nil
	}
	return strconv.Itoa(n), nil
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// tenths is an allele in tenths of a repeat ("19.2" is 192); -1 for a null. Alleles in a Haplotype
// have passed parseAllele; anything else counts as a null.
func tenths(a string) int {
	whole, frac, _ := strings.Cut(a, ".")
	n, err := strconv.Atoi(whole)
	if err != nil {
		return -1
	}
	f := 0
	if frac != "" {
		f, _ = strconv.Atoi(frac)
	}
	return 10*n + f
}

func sortAlleles(xs []string) {
	sort.SliceStable(xs, func(i, j int) bool { return tenths(xs[i]) < tenths(xs[j]) })
}

// builder collects loci, merging single-copy columns (DYS385a and DYS385b) and refusing a locus
// given twice otherwise.
type builder struct {
	h      Haplotype
	seen   map[string]string // base|copy suffix -> name as given
	column map[string]bool   // base built so far from single-letter copy columns only
}

func newBuilder() *builder {
	return &builder{h: Haplotype{}, seen: map[string]string{}, column: map[string]bool{}}
}

func (b *builder) add(name string, alleles []string) error {
	base, copies := splitName(name)
	if base == "" || base == "Y-GATA-" {
		return fmt.Errorf("no locus name")
	}
	for _, r := range base {
		if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
			return fmt.Errorf("locus name %q: letters, digits, spaces, '-', '_', '.', '#' and a copy suffix (a/b) only", name)
		}
	}
	key := base + "|" + copies
	if prev, dup := b.seen[key]; dup {
		return fmt.Errorf("locus %s given twice (also as %q)", base, prev)
	}
	single := len(copies) == 1
	if _, had := b.h[base]; had && !(single && b.column[base]) {
		return fmt.Errorf("locus %s given twice", base)
	}
	if len(alleles) == 0 {
		return fmt.Errorf("locus %s: no allele", base)
	}
	b.seen[key] = name
	b.column[base] = single
	for _, a := range alleles {
		x, err := parseAllele(a)
		if err != nil {
			return fmt.Errorf("locus %s: %w", base, err)
		}
		b.h[base] = append(b.h[base], x)
	}
	sortAlleles(b.h[base])
	return nil
}

// Parse reads "DYS19=14; DYS385a/b=11,14; DYS448=19.2; DYS439=null" (entries separated by ';' or
// new lines, copies of a multi-copy locus by commas; "DYS385a=11; DYS385b=14" merge into DYS385).
// Errors name the entry.
func Parse(s string) (Haplotype, error) {
	b := newBuilder()
	for _, tok := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == '\n' || r == '\r' }) {
		tok = strings.TrimSpace(tok)
		if tok == "" {
			continue
		}
		name, val, ok := strings.Cut(tok, "=")
		if !ok || strings.TrimSpace(name) == "" {
			return nil, fmt.Errorf("y-str entry %q: expected LOCUS=ALLELE", tok)
		}
		if err := b.add(name, strings.Split(val, ",")); err != nil {
			return nil, fmt.Errorf("y-str entry %q: %w", tok, err)
		}
	}
	if len(b.h) == 0 {
		return nil, fmt.Errorf("y-str haplotype %q: no locus", s)
	}
	return b.h, nil
}

// ParseMap reads a locus -> alleles map such as a table row gives ({"DYS19": "14", "DYS385a/b":
// "11,14"} or with columns "DYS385a" and "DYS385b"), by the rules of Parse. Errors name the locus.
func ParseMap(m map[string]string) (Haplotype, error) {
	b := newBuilder()
	for _, n := range sortedKeys(m) {
		if err := b.add(n, strings.Split(m[n], ",")); err != nil {
			return nil, fmt.Errorf("y-str locus %q: %w", n, err)
		}
	}
	if len(b.h) == 0 {
		return nil, fmt.Errorf("y-str haplotype: no locus")
	}
	return b.h, nil
}

// IsLocus reports whether a column or marker name is a Y-STR locus (its canonical name starts DY or
// Y-GATA-: DYS19, DYS385a, DYF387S1, Y GATA H4).
func IsLocus(name string) bool {
	base, _ := splitName(name)
	return strings.HasPrefix(base, "DY") || strings.HasPrefix(base, "Y-GATA-")
}

// FromLoci builds a haplotype from a marker -> alleles map as a stored profile holds it, keeping
// only Y loci (names starting DY, or Y-GATA) and merging columns such as DYS385a and DYS385b.
func FromLoci(loci map[string][]string) (Haplotype, error) {
	b := newBuilder()
	for _, n := range sortedKeys(loci) {
		if !IsLocus(n) || len(loci[n]) == 0 {
			continue
		}
		if err := b.add(n, loci[n]); err != nil {
			return nil, fmt.Errorf("y-str locus %q: %w", n, err)
		}
	}
	return b.h, nil
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// String writes the haplotype back in the notation Parse reads, loci in name order.
func (h Haplotype) String() string {
	var sb strings.Builder
	for i, l := range sortedKeys(h) {
		if i > 0 {
			sb.WriteString("; ")
		}
		sb.WriteString(l + "=" + strings.Join(h[l], ","))
	}
	return sb.String()
}

// Locus outcomes in LocusResult.Status.
const (
	StatusMatch       = "match"
	StatusMismatch    = "mismatch"     // stepwise: Steps repeats apart
	StatusNonStepwise = "non-stepwise" // microvariant or copy-number difference
	StatusNull        = "null"         // a null against a called allele: left out
)

// LocusResult is the comparison of one locus typed in both haplotypes.
type LocusResult struct {
	Locus  string   `json:"locus"`
	A      []string `json:"a"`
	B      []string `json:"b"`
	Status string   `json:"status"`
	Match  bool     `json:"match"`
	// Steps is the total repeat steps between them (stepwise loci), CopySteps the steps of each
	// paired copy (one entry for a single-copy locus).
	Steps     int    `json:"steps"`
	CopySteps []int  `json:"copy_steps,omitempty"`
	Note      string `json:"note,omitempty"`
}

// Comparison is the outcome of Compare.
type Comparison struct {
	Compared     int           `json:"compared"` // loci typed in both, less the null-excluded
	Mismatches   int           `json:"mismatches"`
	Steps        int           `json:"steps"`        // total steps over the stepwise mismatches
	NonStep      int           `json:"non_stepwise"` // mismatches that are not whole steps
	NullExcluded int           `json:"null_excluded"`
	OnlyA        []string      `json:"only_a,omitempty"` // loci typed in a only: not compared
	OnlyB        []string      `json:"only_b,omitempty"`
	Loci         []LocusResult `json:"loci"`
}

// Compare compares the loci typed in both haplotypes (see the package comment for nulls).
func Compare(a, b Haplotype) Comparison {
	c := Comparison{Loci: []LocusResult{}}
	for _, n := range sortedKeys(a) {
		if _, ok := b[n]; !ok {
			c.OnlyA = append(c.OnlyA, n)
			continue
		}
		r := compareLocus(n, a[n], b[n])
		switch r.Status {
		case StatusNull:
			c.NullExcluded++
		case StatusMismatch:
			c.Compared++
			c.Mismatches++
			c.Steps += r.Steps
		case StatusNonStepwise:
			c.Compared++
			c.Mismatches++
			c.NonStep++
		default:
			c.Compared++
		}
		c.Loci = append(c.Loci, r)
	}
	for _, n := range sortedKeys(b) {
		if _, ok := a[n]; !ok {
			c.OnlyB = append(c.OnlyB, n)
		}
	}
	return c
}

func compareLocus(name string, a, b []string) LocusResult {
	r := LocusResult{Locus: name, A: a, B: b}
	ta, tb := tenthsSorted(a), tenthsSorted(b)
	if equalInts(ta, tb) {
		r.Status, r.Match, r.CopySteps = StatusMatch, true, make([]int, len(ta))
		return r
	}
	if (len(ta) > 0 && ta[0] < 0) || (len(tb) > 0 && tb[0] < 0) {
		r.Status, r.Note = StatusNull, "null allele against a called one: not compared"
		return r
	}
	if len(ta) != len(tb) {
		r.Status, r.Note = StatusNonStepwise, fmt.Sprintf("copy number differs (%d against %d)", len(ta), len(tb))
		return r
	}
	// Copies pair only within a class of equal fraction (19.2 with 18.2, never with 19); within a
	// class the pairing of sorted lists gives the least total steps (for points on a line, crossing
	// pairs never beat uncrossed ones).
	classA, classB := map[int][]int{}, map[int][]int{}
	for _, t := range ta {
		classA[t%10] = append(classA[t%10], t)
	}
	for _, t := range tb {
		classB[t%10] = append(classB[t%10], t)
	}
	for f, xs := range classA {
		if len(classB[f]) != len(xs) {
			r.Status, r.Note = StatusNonStepwise, "non-stepwise (microvariant difference)"
			return r
		}
	}
	for f := 0; f < 10; f++ {
		xs, ys := classA[f], classB[f]
		for i := range xs {
			d := xs[i] - ys[i]
			if d < 0 {
				d = -d
			}
			r.CopySteps = append(r.CopySteps, d/10)
			r.Steps += d / 10
		}
	}
	r.Status = StatusMismatch
	return r
}

func tenthsSorted(xs []string) []int {
	out := make([]int, len(xs))
	for i, x := range xs {
		out[i] = tenths(x)
	}
	sort.Ints(out)
	return out
}

func equalInts(a, b []int) bool {
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
