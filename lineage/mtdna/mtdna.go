// Package mtdna reads mitochondrial DNA profiles written as differences from the revised Cambridge
// Reference Sequence (rCRS, 16,569 bases) in EMPOP / ISFG notation, compares two profiles over the
// range both cover, and estimates how often a profile is seen by counting in a reference set.
//
// Notation accepted: ranges "16024-16569;1-576" (a range may wrap the origin, "16024-576", which is
// read as the two ranges; overlapping ranges merge); variants separated by spaces, commas or
// semicolons: substitutions "16519C" or "T16519C" (with the rCRS base), transitions and
// transversions alike named by the new base; insertions "315.1C", "573.2C"; deletions "249del",
// "249-" or "249d" (a lower-case d; an upper-case D is the IUPAC code A/G/T); IUPAC codes for
// heteroplasmy "16093Y" (R, Y, K, M, S, W, B, D, H, V, N). Case does not matter otherwise.
//
// Comparison is by variant sets: a position without a listed variant carries the rCRS base. The
// rCRS itself is carried only for 16021-16569 and 1-600 (RefBase), enough to check tokens there
// ("16519T" is no difference and is refused) and to compare a heteroplasmy with a profile that
// shows the rCRS base. Rules (options where a laboratory may differ):
//   - only positions inside both profiles' ranges are compared;
//   - length variants in the homopolymeric C-stretches are not compared (they vary within one
//     person): insertions after, and deletions at, 16184-16193, 303-315 and 568-573
//     (Options.LengthRegions); substitutions there are compared;
//   - a heteroplasmy and a base it contains (Y and C), or two codes sharing a base, are
//     heteroplasmy-compatible, reported but not counted; against the rCRS base the base is taken
//     from RefBase or from the token ("T3010Y"), and without either it counts as a difference;
//   - verdict by the number of differences, as in the SWGDAM Interpretation Guidelines for
//     Mitochondrial DNA Analysis by Forensic DNA Testing Laboratories (2019): 0 cannot exclude,
//     1 inconclusive, 2 or more exclusion.
package mtdna

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Length of the rCRS.
const Length = 16569

// Range is a stretch of positions, From <= To, both in 1..Length.
type Range struct {
	From int `json:"from"`
	To   int `json:"to"`
}

// Variant is a difference from the rCRS: at Pos (after it when Ins > 0, the Ins-th inserted base),
// Base is a base or an IUPAC code, or "del".
type Variant struct {
	Pos  int
	Ins  int
	Base string
	// Ref is the rCRS base when the token gives it ("T16093Y").
	Ref string
}

// String writes the variant as Parse reads it.
func (v Variant) String() string {
	if v.Ins > 0 {
		return fmt.Sprintf("%d.%d%s", v.Pos, v.Ins, v.Base)
	}
	return fmt.Sprintf("%s%d%s", v.Ref, v.Pos, v.Base)
}

// Profile is a sequenced range and the variants found in it, sorted by position.
type Profile struct {
	Ranges   []Range
	Variants []Variant
}

// RangeString writes the ranges as ParseRanges reads them.
func (p Profile) RangeString() string {
	parts := make([]string, len(p.Ranges))
	for i, r := range p.Ranges {
		parts[i] = fmt.Sprintf("%d-%d", r.From, r.To)
	}
	return strings.Join(parts, ";")
}

// VariantString writes the variants as Parse reads them.
func (p Profile) VariantString() string {
	parts := make([]string, len(p.Variants))
	for i, v := range p.Variants {
		parts[i] = v.String()
	}
	return strings.Join(parts, " ")
}

var iupac = map[string]string{
	"A": "A", "C": "C", "G": "G", "T": "T",
	"R": "AG", "Y": "CT", "K": "GT", "M": "AC", "S": "CG", "W": "AT",
	"B": "CGT", "D": "AGT", "H": "ACT", "V": "ACG", "N": "ACGT",
}

func isSep(r rune) bool {
	return r == ';' || r == ',' || r == ' ' || r == '\t' || r == '\n' || r == '\r'
}

// position reads a position 1..Length.
func position(s string) (int, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 6 {
		return 0, false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0, false
		}
	}
	n, _ := strconv.Atoi(s)
	return n, n >= 1 && n <= Length
}

// ParseRanges reads "16024-16569;1-576" (a single position is a range of one; "16024-576" wraps
// the origin). The ranges come back sorted with overlapping or touching ones merged.
func ParseRanges(s string) ([]Range, error) {
	var out []Range
	for _, part := range strings.FieldsFunc(s, isSep) {
		a, b, found := strings.Cut(part, "-")
		from, ok := position(a)
		if !ok {
			return nil, fmt.Errorf("mtDNA range %q: %q is not a position in 1..%d", part, a, Length)
		}
		to := from
		if found {
			if to, ok = position(b); !ok {
				return nil, fmt.Errorf("mtDNA range %q: %q is not a position in 1..%d", part, b, Length)
			}
		}
		if from <= to {
			out = append(out, Range{from, to})
		} else {
			out = append(out, Range{from, Length}, Range{1, to})
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("mtDNA range %q: no range given", s)
	}
	return normalise(out), nil
}

// normalise sorts ranges and merges those that overlap or touch.
func normalise(rs []Range) []Range {
	sort.Slice(rs, func(i, j int) bool { return rs[i].From < rs[j].From })
	out := rs[:1]
	for _, r := range rs[1:] {
		last := &out[len(out)-1]
		if r.From <= last.To+1 {
			last.To = max(last.To, r.To)
			continue
		}
		out = append(out, r)
	}
	return out
}

// ParseVariant reads one variant token; errors name it.
func ParseVariant(tok string) (Variant, error) {
	raw := strings.TrimSpace(tok)
	t := strings.ToUpper(raw)
	if t == "" {
		return Variant{}, fmt.Errorf("mtDNA variant %q: empty", tok)
	}
	// An optional leading rCRS base: "T16519C".
	ref := ""
	if len(t) > 1 && strings.ContainsRune("ACGT", rune(t[0])) && t[1] >= '0' && t[1] <= '9' {
		ref, t = t[:1], t[1:]
	}
	i := 0
	for i < len(t) && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	if i == 0 {
		return Variant{}, fmt.Errorf("mtDNA variant %q: no position", tok)
	}
	pos, ok := position(t[:i])
	if !ok {
		return Variant{}, fmt.Errorf("mtDNA variant %q: position %s outside 1..%d", tok, t[:i], Length)
	}
	v := Variant{Pos: pos, Ref: ref}
	rest := t[i:]
	if strings.HasPrefix(rest, ".") {
		j := 1
		for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
			j++
		}
		if j == 1 {
			return Variant{}, fmt.Errorf("mtDNA variant %q: insertion without a number after the dot", tok)
		}
		if j > 4 {
			return Variant{}, fmt.Errorf("mtDNA variant %q: insertion of more than 999 bases", tok)
		}
		v.Ins, _ = strconv.Atoi(rest[1:j])
		rest = rest[j:]
		if v.Ins < 1 {
			return Variant{}, fmt.Errorf("mtDNA variant %q: insertion number must be 1 or more", tok)
		}
		if ref != "" {
			return Variant{}, fmt.Errorf("mtDNA variant %q: an insertion has no rCRS base", tok)
		}
	}
	switch {
	// A lower-case d ends the token only when it was written as a deletion ("249d").
	case rest == "DEL" || rest == "-" || (rest == "D" && strings.HasSuffix(raw, "d")):
		if v.Ins > 0 {
			return Variant{}, fmt.Errorf("mtDNA variant %q: an insertion cannot be a deletion", tok)
		}
		v.Base = "del"
	case len(rest) == 1 && iupac[rest] != "":
		v.Base = rest
	default:
		return Variant{}, fmt.Errorf("mtDNA variant %q: %q is not a base, an IUPAC code or del", tok, rest)
	}
	if v.Ins == 0 {
		if rb, known := RefBase(v.Pos); known {
			if ref != "" && ref != rb {
				return Variant{}, fmt.Errorf("mtDNA variant %q: the rCRS base at %d is %s, not %s", tok, v.Pos, rb, ref)
			}
			if v.Base == rb {
				return Variant{}, fmt.Errorf("mtDNA variant %q: %s is the rCRS base at %d, not a difference", tok, rb, v.Pos)
			}
		}
		if ref != "" && v.Base == ref {
			return Variant{}, fmt.Errorf("mtDNA variant %q: the same base as the rCRS", tok)
		}
	}
	return v, nil
}

// Parse reads a profile: its ranges and its variants (separated by spaces, commas or semicolons).
// A variant outside the ranges, or the same position (or insertion slot) given twice, is an error
// naming it.
func Parse(ranges, variants string) (Profile, error) {
	rs, err := ParseRanges(ranges)
	if err != nil {
		return Profile{}, err
	}
	p := Profile{Ranges: rs}
	seen := map[[2]int]string{}
	for _, tok := range strings.FieldsFunc(variants, isSep) {
		v, err := ParseVariant(tok)
		if err != nil {
			return Profile{}, err
		}
		if !p.Covers(v.Pos) {
			return Profile{}, fmt.Errorf("mtDNA variant %q: position %d is outside the sequenced range %s", tok, v.Pos, ranges)
		}
		k := [2]int{v.Pos, v.Ins}
		if prev, dup := seen[k]; dup {
			return Profile{}, fmt.Errorf("mtDNA variant %q: position given twice (also %s)", tok, prev)
		}
		seen[k] = tok
		p.Variants = append(p.Variants, v)
	}
	sort.Slice(p.Variants, func(i, j int) bool {
		if p.Variants[i].Pos != p.Variants[j].Pos {
			return p.Variants[i].Pos < p.Variants[j].Pos
		}
		return p.Variants[i].Ins < p.Variants[j].Ins
	})
	return p, nil
}

// Covers reports whether a position was sequenced.
func (p Profile) Covers(pos int) bool {
	for _, r := range p.Ranges {
		if pos >= r.From && pos <= r.To {
			return true
		}
	}
	return false
}

// CoversRange reports whether every position of r was sequenced.
func (p Profile) CoversRange(r Range) bool {
	ranges := p.Ranges
	for i := 1; i < len(ranges); i++ {
		if ranges[i].From <= ranges[i-1].To+1 { // ParseRanges merges; a Profile built by hand may not
			ranges = normalise(append([]Range(nil), ranges...))
			break
		}
	}
	for _, x := range ranges {
		if r.From >= x.From && r.To <= x.To {
			return true
		}
	}
	return false
}

// Options tune Compare.
type Options struct {
	// LengthRegions are stretches whose length variants (insertions after a position in them,
	// deletions of a position in them) are not compared. Nil means DefaultLengthRegions; an empty
	// non-nil list compares every length variant.
	LengthRegions []Range
}

// DefaultLengthRegions are the C-stretches of HV1 (16184-16193), HV2 (303-315) and HV3 (568-573),
// whose insertions are written 16193.1C, 309.1C, 315.1C, 573.1C and so on.
var DefaultLengthRegions = []Range{{16184, 16193}, {303, 315}, {568, 573}}

// Difference is one compared position where the profiles disagree, or are only compatible.
type Difference struct {
	Pos        int    `json:"pos"`
	Ins        int    `json:"ins,omitempty"`
	A          string `json:"a"` // base, IUPAC code, "del", or "ref" (the rCRS; no base at an insertion)
	B          string `json:"b"`
	Compatible bool   `json:"compatible"` // heteroplasmy-compatible: not counted
}

// Comparison is the outcome of Compare.
type Comparison struct {
	Overlap     []Range `json:"overlap"`
	Positions   int     `json:"positions_compared"`
	Differences int     `json:"differences"`
	// Compatible counts the heteroplasmy-compatible positions (listed in Details, not counted).
	Compatible int          `json:"heteroplasmy_compatible"`
	Details    []Difference `json:"details"`
	Verdict    string       `json:"verdict"` // cannot exclude, inconclusive, exclusion
}

// Verdicts.
const (
	CannotExclude = "cannot exclude"
	Inconclusive  = "inconclusive"
	Exclusion     = "exclusion"
)

func (o Options) lengthVariant(v Variant) bool {
	if v.Ins == 0 && v.Base != "del" {
		return false
	}
	regions := o.LengthRegions
	if regions == nil {
		regions = DefaultLengthRegions
	}
	for _, r := range regions {
		if v.Pos >= r.From && v.Pos <= r.To {
			return true
		}
	}
	return false
}

// overlap intersects two sorted, merged range lists.
func overlap(a, b []Range) []Range {
	out := []Range{}
	for _, x := range a {
		for _, y := range b {
			lo, hi := max(x.From, y.From), min(x.To, y.To)
			if lo <= hi {
				out = append(out, Range{lo, hi})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].From < out[j].From })
	return out
}

// Compare compares two profiles over their common range by the rules of the package comment.
func Compare(a, b Profile, o Options) Comparison {
	c := Comparison{Overlap: overlap(a.Ranges, b.Ranges), Details: []Difference{}}
	for _, r := range c.Overlap {
		c.Positions += r.To - r.From + 1
	}
	walk(a, b, c.Overlap, o, func(d Difference) {
		if d.Compatible {
			c.Compatible++
		} else {
			c.Differences++
		}
		c.Details = append(c.Details, d)
	})
	c.Verdict = verdict(c.Differences)
	return c
}

func less(x, y Variant) bool {
	if x.Pos != y.Pos {
		return x.Pos < y.Pos
	}
	return x.Ins < y.Ins
}

// sorted returns the variants in (position, insertion) order: as Parse leaves them, or a sorted
// copy for a profile built by hand.
func sorted(vs []Variant) []Variant {
	if sort.SliceIsSorted(vs, func(i, j int) bool { return less(vs[i], vs[j]) }) {
		return vs
	}
	out := append([]Variant(nil), vs...)
	sort.SliceStable(out, func(i, j int) bool { return less(out[i], out[j]) })
	return out
}

// walk merges the two sorted variant lists and calls f for every compared slot (a position, or an
// insertion after it) where they differ, in order.
func walk(a, b Profile, within []Range, o Options, f func(Difference)) {
	in := func(pos int) bool {
		for _, r := range within {
			if pos >= r.From && pos <= r.To {
				return true
			}
		}
		return false
	}
	keep := func(v Variant) bool { return in(v.Pos) && !o.lengthVariant(v) }
	va, vb := sorted(a.Variants), sorted(b.Variants)
	i, j := 0, 0
	for i < len(va) || j < len(vb) {
		var x, y *Variant
		switch {
		case i < len(va) && !keep(va[i]):
			i++
			continue
		case j < len(vb) && !keep(vb[j]):
			j++
			continue
		case j >= len(vb) || (i < len(va) && less(va[i], vb[j])):
			x = &va[i]
			i++
		case i >= len(va) || less(vb[j], va[i]):
			y = &vb[j]
			j++
		default:
			x, y = &va[i], &vb[j]
			i, j = i+1, j+1
		}
		if x != nil && y != nil && x.Base == y.Base {
			continue
		}
		f(difference(x, y))
	}
}

// difference describes one slot where at most one of x, y is missing (carrying the rCRS there).
func difference(x, y *Variant) Difference {
	v := x
	if v == nil {
		v = y
	}
	d := Difference{Pos: v.Pos, Ins: v.Ins, A: "ref", B: "ref"}
	var bx, by string
	if x != nil {
		d.A, bx = x.Base, x.Base
	}
	if y != nil {
		d.B, by = y.Base, y.Base
	}
	if v.Ins == 0 && (x == nil || y == nil) {
		// The missing side carries the rCRS base: from the carried sequence, or from the token.
		rb, ok := RefBase(v.Pos)
		if !ok {
			rb = v.Ref
		}
		if x == nil {
			bx = rb
		} else {
			by = rb
		}
	}
	if bx != "" && by != "" && bx != "del" && by != "del" {
		d.Compatible = sharesBase(bx, by)
	}
	return d
}

func verdict(differences int) string {
	switch {
	case differences == 0:
		return CannotExclude
	case differences == 1:
		return Inconclusive
	}
	return Exclusion
}

func sharesBase(x, y string) bool {
	return strings.ContainsAny(iupac[x], iupac[y])
}
