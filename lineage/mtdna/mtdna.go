// Package mtdna reads mitochondrial DNA profiles written as differences from the revised Cambridge
// Reference Sequence (rCRS, 16,569 bases) in EMPOP / ISFG notation, compares two profiles over the
// range both cover, and estimates how often a profile is seen by counting in a reference set.
//
// Notation accepted: a range "16024-16569;1-576" (a range may wrap the origin, "16024-576"); variants
// separated by spaces, commas or semicolons: substitutions "16519C" or "T16519C", insertions
// "315.1C", deletions "249del" or "249-", IUPAC codes for heteroplasmy ("16093Y" is C and T).
//
// Comparison rules (stated, and options where a laboratory may differ):
//   - only positions inside both profiles' ranges are compared; a position without a listed variant
//     carries the rCRS base;
//   - length variants in the homopolymeric C-stretches are not compared (they are unstable within a
//     person): insertions after 16193, 309, 315 and 573, and deletions within 16184-16193, 303-315
//     and 568-573 (Options.LengthRegions);
//   - a heteroplasmy code and a base it contains (Y and C) are compatible, not a difference; two codes
//     sharing a base likewise; against a profile that carries the rCRS base there, compatibility
//     needs the rCRS base, which the token may give ("T16093Y"), else it counts as a difference;
//   - verdict by the number of differences, as in the SWGDAM Interpretation Guidelines for
//     Mitochondrial DNA Analysis (2019): 0 cannot exclude, 1 inconclusive, 2 or more exclusion.
package mtdna

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/homeward/homeward/lineage"
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
	// Ref is the rCRS base when the token gives it ("T16093Y"); it lets a heteroplasmy be compared
	// with a profile that carries the reference base there.
	Ref string
}

func (v Variant) String() string {
	if v.Ins > 0 {
		return fmt.Sprintf("%d.%d%s", v.Pos, v.Ins, v.Base)
	}
	return fmt.Sprintf("%d%s", v.Pos, v.Base)
}

// Profile is a sequenced range and the variants found in it.
type Profile struct {
	Ranges   []Range
	Variants []Variant
}

var iupac = map[string]string{
	"A": "A", "C": "C", "G": "G", "T": "T",
	"R": "AG", "Y": "CT", "K": "GT", "M": "AC", "S": "CG", "W": "AT",
	"B": "CGT", "D": "AGT", "H": "ACT", "V": "ACG", "N": "ACGT",
}

// ParseRanges reads "16024-16569;1-576" (a single position is a range of one; "16024-576" wraps).
func ParseRanges(s string) ([]Range, error) {
	var out []Range
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == ',' || r == ' ' }) {
		a, b, found := strings.Cut(part, "-")
		from, err := strconv.Atoi(strings.TrimSpace(a))
		if err != nil {
			return nil, fmt.Errorf("mtDNA range %q: %q is not a position", part, a)
		}
		to := from
		if found {
			if to, err = strconv.Atoi(strings.TrimSpace(b)); err != nil {
				return nil, fmt.Errorf("mtDNA range %q: %q is not a position", part, b)
			}
		}
		if from < 1 || from > Length || to < 1 || to > Length {
			return nil, fmt.Errorf("mtDNA range %q: positions run from 1 to %d", part, Length)
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
	return out, nil
}

// ParseVariant reads one variant token.
func ParseVariant(tok string) (Variant, error) {
	t := strings.ToUpper(strings.TrimSpace(tok))
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
	pos, _ := strconv.Atoi(t[:i])
	if pos < 1 || pos > Length {
		return Variant{}, fmt.Errorf("mtDNA variant %q: position %d outside 1..%d", tok, pos, Length)
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
		v.Ins, _ = strconv.Atoi(rest[1:j])
		rest = rest[j:]
		if v.Ins < 1 {
			return Variant{}, fmt.Errorf("mtDNA variant %q: insertion number must be 1 or more", tok)
		}
	}
	switch {
	case rest == "DEL" || rest == "-":
		if v.Ins > 0 {
			return Variant{}, fmt.Errorf("mtDNA variant %q: an insertion cannot be a deletion", tok)
		}
		v.Base = "del"
	case len(rest) == 1 && iupac[rest] != "":
		v.Base = rest
	default:
		return Variant{}, fmt.Errorf("mtDNA variant %q: %q is not a base, an IUPAC code or del", tok, rest)
	}
	return v, nil
}

// Parse reads a profile: its ranges and its variants (separated by spaces, commas or semicolons).
// A variant outside the ranges, or the same position given twice, is an error naming it.
func Parse(ranges, variants string) (Profile, error) {
	rs, err := ParseRanges(ranges)
	if err != nil {
		return Profile{}, err
	}
	p := Profile{Ranges: rs}
	seen := map[[2]int]string{}
	for _, tok := range strings.FieldsFunc(variants, func(r rune) bool { return r == ' ' || r == ',' || r == ';' || r == '\t' }) {
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

// Options tune Compare.
type Options struct {
	// LengthRegions are stretches whose length variants (insertions after, deletions within) are
	// not compared. Nil means DefaultLengthRegions.
	LengthRegions []Range
}

// DefaultLengthRegions are the C-stretches of HV1 (16184-16193), HV2 (303-315) and the 568-573 run.
var DefaultLengthRegions = []Range{{16184, 16193}, {303, 315}, {568, 573}}

// Difference is one compared position where the profiles disagree, or are only compatible.
type Difference struct {
	Pos        int    `json:"pos"`
	Ins        int    `json:"ins,omitempty"`
	A          string `json:"a"`
	B          string `json:"b"`
	Compatible bool   `json:"compatible"` // heteroplasmy shares a base: not counted
}

// Comparison is the outcome of Compare.
type Comparison struct {
	Overlap     []Range      `json:"overlap"`
	Positions   int          `json:"positions_compared"`
	Differences int          `json:"differences"`
	Details     []Difference `json:"details"`
	Verdict     string       `json:"verdict"` // cannot exclude, inconclusive, exclusion
}

// Verdicts.
const (
	CannotExclude = "cannot exclude"
	Inconclusive  = "inconclusive"
	Exclusion     = "exclusion"
)

func (o Options) lengthVariant(v Variant) bool {
	regions := o.LengthRegions
	if regions == nil {
		regions = DefaultLengthRegions
	}
	for _, r := range regions {
		if v.Ins > 0 && v.Pos >= r.From && v.Pos <= r.To {
			return true
		}
		if v.Base == "del" && v.Pos >= r.From && v.Pos <= r.To {
			return true
		}
	}
	return false
}

// overlap intersects two range lists.
func overlap(a, b []Range) []Range {
	var out []Range
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
	in := func(pos int) bool {
		for _, r := range c.Overlap {
			if pos >= r.From && pos <= r.To {
				return true
			}
		}
		return false
	}
	type key struct{ pos, ins int }
	va, vb := map[key]string{}, map[key]string{}
	keys := map[key]bool{}
	refBase := map[int]string{}
	for _, v := range append(append([]Variant{}, a.Variants...), b.Variants...) {
		if v.Ref != "" && v.Ins == 0 {
			refBase[v.Pos] = v.Ref
		}
	}
	for _, v := range a.Variants {
		if in(v.Pos) && !o.lengthVariant(v) {
			va[key{v.Pos, v.Ins}] = v.Base
			keys[key{v.Pos, v.Ins}] = true
		}
	}
	for _, v := range b.Variants {
		if in(v.Pos) && !o.lengthVariant(v) {
			vb[key{v.Pos, v.Ins}] = v.Base
			keys[key{v.Pos, v.Ins}] = true
		}
	}
	var ks []key
	for k := range keys {
		ks = append(ks, k)
	}
	sort.Slice(ks, func(i, j int) bool {
		if ks[i].pos != ks[j].pos {
			return ks[i].pos < ks[j].pos
		}
		return ks[i].ins < ks[j].ins
	})
	for _, k := range ks {
		x, y := va[k], vb[k]
		// Absent means the rCRS base at a position, no base at an insertion slot.
		rx, ry := x, y
		if x == "" {
			rx = "ref"
		}
		if y == "" {
			ry = "ref"
		}
		if x == y {
			continue
		}
		d := Difference{Pos: k.pos, Ins: k.ins, A: rx, B: ry}
		// A profile without a variant carries the rCRS base, known when a token gave it.
		if x == "" && k.ins == 0 {
			x = refBase[k.pos]
		}
		if y == "" && k.ins == 0 {
			y = refBase[k.pos]
		}
		if x != "" && y != "" && x != "del" && y != "del" {
			d.Compatible = sharesBase(x, y)
		}
		if !d.Compatible {
			c.Differences++
		}
		c.Details = append(c.Details, d)
	}
	switch {
	case c.Differences == 0:
		c.Verdict = CannotExclude
	case c.Differences == 1:
		c.Verdict = Inconclusive
	default:
		c.Verdict = Exclusion
	}
	return c
}

func sharesBase(x, y string) bool {
	bx, by := iupac[x], iupac[y]
	for _, r := range bx {
		if strings.ContainsRune(by, r) {
			return true
		}
	}
	return false
}

// Frequency is a haplotype count in a reference set.
type Frequency struct {
	Matches  int     `json:"matches"`
	N        int     `json:"n"`
	Skipped  int     `json:"skipped"` // references not covering the query's range
	Estimate float64 `json:"estimate"`
	// Upper95 is the one-sided 95% Clopper-Pearson upper bound of the frequency.
	Upper95 float64 `json:"upper_95"`
}

// CountFrequency counts the references that cannot be excluded from p (0 differences over p's
// whole range); references that do not cover p's range are skipped and counted apart.
func CountFrequency(p Profile, refs []Profile, o Options) Frequency {
	var f Frequency
	for _, r := range refs {
		covers := true
		for _, rg := range p.Ranges {
			for pos := rg.From; pos <= rg.To && covers; pos++ {
				covers = r.Covers(pos)
			}
		}
		if !covers {
			f.Skipped++
			continue
		}
		f.N++
		if Compare(p, r, o).Differences == 0 {
			f.Matches++
		}
	}
	if f.N > 0 {
		f.Estimate = float64(f.Matches) / float64(f.N)
		f.Upper95 = lineage.UpperBound95(f.Matches, f.N)
	}
	return f
}
