// Package profile is the neutral in-memory form of a DNA profile that every laboratory file format
// in labfmt reads into and writes from: one sample, its role, and the alleles called at each marker
// as the file gave them (off-ladder calls kept as "OL", sizes and heights when the file has them),
// with the file and line it came from. Report and Problem are the dry-run report every reader
// returns.
package profile

import (
	"errors"
	"fmt"
	"strings"

	"github.com/homeward/homeward/labfmt/markers"
)

// Roles a profile can have. An empty role means the file did not say.
const (
	RoleVictim      = "victim"      // post-mortem sample (remains, unidentified person)
	RoleReference   = "reference"   // a relative of a missing person, or a direct reference
	RoleElimination = "elimination" // laboratory or recovery staff, for contamination checks
)

// OffLadder is the designation kept for an off-ladder call.
const OffLadder = "OL"

// Source says where a profile was read from: the file and the line of its first row or element.
type Source struct {
	File string `json:"file,omitempty"`
	Line int    `json:"line,omitempty"`
}

// Locus holds the calls at one marker. Marker is the canonical name (see package markers; an
// unknown name is kept as given), Raw the name as it appeared in the file. Alleles are as called,
// in the file's order, blanks and NA left out: a homozygote may appear once or twice, "OL" is kept.
// Sizes and Heights are empty or have one value per allele (0 where the file gave none).
type Locus struct {
	Marker  string    `json:"marker"`
	Raw     string    `json:"raw,omitempty"`
	Alleles []string  `json:"alleles"`
	Sizes   []float64 `json:"sizes,omitempty"`
	Heights []float64 `json:"heights,omitempty"`
	// Line is where the locus was read (the row of a table, the LOCUS tag of a CMF file).
	Line int `json:"line,omitempty"`
}

// Profile is one sample's calls.
type Profile struct {
	Sample string  `json:"sample"`
	Kit    string  `json:"kit,omitempty"`
	Role   string  `json:"role,omitempty"` // RoleVictim, RoleReference, RoleElimination or ""
	Loci   []Locus `json:"loci"`
	Source Source  `json:"source"`
}

// Locus returns the locus with the given canonical marker name, or nil.
func (p *Profile) Locus(marker string) *Locus {
	for i := range p.Loci {
		if p.Loci[i].Marker == marker {
			return &p.Loci[i]
		}
	}
	return nil
}

// OffLadderRule says how Genotype treats an off-ladder ("OL") call.
type OffLadderRule int

const (
	// OLUnknown (the default): a marker with an off-ladder call has no genotype. The peak is real
	// but has no designation, so neither "homozygote" nor "heterozygote with an unknown partner"
	// can be compared safely; the marker is left out of comparisons and the locus kept for display.
	OLUnknown OffLadderRule = iota
	// OLIgnore drops the off-ladder calls and keeps the designated ones (a lab that has already
	// reviewed its OL peaks as artifacts).
	OLIgnore
)

// Genotype returns the genotype at a canonical marker under the default off-ladder rule (OLUnknown).
func (p *Profile) Genotype(marker string) ([]string, bool) {
	return p.GenotypeRule(marker, OLUnknown)
}

// GenotypeRule returns the genotype at a canonical marker: the distinct designated alleles in the
// order called, an autosomal marker (and amelogenin) with one distinct allele given twice (a
// homozygote, "14" or "14 14" in the file, is 14/14). A Y marker keeps its distinct alleles as they
// are (one, or two for the duplicated DYS385 and DYF387S1). It is false when the marker is absent,
// has no designated allele, or (OLUnknown) has an off-ladder call.
func (p *Profile) GenotypeRule(marker string, rule OffLadderRule) ([]string, bool) {
	l := p.Locus(marker)
	if l == nil {
		return nil, false
	}
	out := make([]string, 0, 2)
	for _, a := range l.Alleles {
		if a == OffLadder {
			if rule == OLUnknown {
				return nil, false
			}
			continue
		}
		if !contains(out, a) {
			out = append(out, a)
		}
	}
	if len(out) == 0 {
		return nil, false
	}
	if len(out) == 1 && !markers.IsY(marker) {
		out = append(out, out[0])
	}
	return out, true
}

// Validate checks what every format must give: a sample name, a known role, non-empty and distinct
// marker names, sizes and heights matching the alleles, X or Y (or OL) at amelogenin, and at most
// two distinct alleles at an autosomal STR of a reference or elimination sample (one person; a
// victim sample may be a mixture or commingled and is not limited here). All problems are returned,
// joined, each naming the sample and marker.
func (p *Profile) Validate() error {
	var errs []error
	for _, pr := range p.Problems() {
		errs = append(errs, errors.New(pr.String()))
	}
	return errors.Join(errs...)
}

// Problems lists what Validate finds, one Problem per finding, with Sample and Marker set (Line is
// left for a reader to fill from the row or element the locus came from).
func (p *Profile) Problems() []Problem {
	var out []Problem
	bad := func(marker, field, format string, a ...any) {
		out = append(out, Problem{Sample: p.Sample, Marker: marker, Field: field, Message: fmt.Sprintf(format, a...)})
	}
	if strings.TrimSpace(p.Sample) == "" {
		bad("", "sample", "empty sample name")
	}
	switch p.Role {
	case "", RoleVictim, RoleReference, RoleElimination:
	default:
		bad("", "role", "role %q is not victim, reference or elimination", p.Role)
	}
	for li, l := range p.Loci {
		if strings.TrimSpace(l.Marker) == "" {
			bad("", "marker", "a locus without a marker name")
			continue
		}
		for _, prev := range p.Loci[:li] { // a scan: a profile has a few dozen loci, a map costs more
			if prev.Marker == l.Marker {
				bad(l.Marker, "", "appears twice")
				break
			}
		}
		if len(l.Sizes) != 0 && len(l.Sizes) != len(l.Alleles) {
			bad(l.Marker, "size", "%d sizes for %d alleles", len(l.Sizes), len(l.Alleles))
		}
		if len(l.Heights) != 0 && len(l.Heights) != len(l.Alleles) {
			bad(l.Marker, "height", "%d heights for %d alleles", len(l.Heights), len(l.Alleles))
		}
		var buf [4]string
		distinct := buf[:0]
		for _, a := range l.Alleles {
			if strings.TrimSpace(a) == "" {
				bad(l.Marker, "allele", "an empty allele")
				continue
			}
			if markers.IsSex(l.Marker) && a != "X" && a != "Y" && a != OffLadder {
				bad(l.Marker, "allele", "amelogenin allele %q (X or Y expected)", a)
			}
			if a != OffLadder && !contains(distinct, a) {
				distinct = append(distinct, a)
			}
		}
		if (p.Role == RoleReference || p.Role == RoleElimination) && !markers.IsY(l.Marker) && len(distinct) > 2 {
			bad(l.Marker, "allele", "%d alleles (%s) in a %s sample: one person has at most two at an autosomal marker", len(distinct), strings.Join(distinct, ", "), p.Role)
		}
	}
	return out
}

// SameCalls compares two calls of one marker as sets, so that a homozygote given once or twice is
// one call (readers use it to tell agreeing replicates from disagreeing ones).
func SameCalls(a, b []string) bool {
	for _, x := range a {
		if !contains(b, x) {
			return false
		}
	}
	for _, x := range b {
		if !contains(a, x) {
			return false
		}
	}
	return true
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// Problem is one warning or rejection in a Report: the line of the file, the sample and marker it
// concerns when known, the field (column or element) and what is wrong.
type Problem struct {
	Line    int    `json:"line,omitempty"`
	Sample  string `json:"sample,omitempty"`
	Marker  string `json:"marker,omitempty"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
	// Code names a kind of problem callers may act on (CodeMixture), "" otherwise.
	Code string `json:"code,omitempty"`
}

// CodeMixture marks a warning that an autosomal marker carries more than two alleles: allowed in
// a victim sample by this package, not by a store that keeps one person per profile.
const CodeMixture = "mixture"

// String formats the problem as "line 3 sample "S1" marker "TH01" Allele 2: message".
func (p Problem) String() string {
	var b strings.Builder
	if p.Line > 0 {
		fmt.Fprintf(&b, "line %d ", p.Line)
	}
	if p.Sample != "" {
		fmt.Fprintf(&b, "sample %q ", p.Sample)
	}
	if p.Marker != "" {
		fmt.Fprintf(&b, "marker %q ", p.Marker)
	}
	if p.Field != "" {
		b.WriteString(p.Field + " ")
	}
	s := strings.TrimSuffix(b.String(), " ")
	if s == "" {
		return p.Message
	}
	return s + ": " + p.Message
}

// Report is what a reader found, for a dry run: Samples is the number of distinct samples read
// (allelic ladders not counted), Markers the number of distinct canonical markers and Alleles the
// allele calls (as called, OL included) in the profiles returned. Warnings did not stop anything; Rejected rows or elements left their sample out, and
// LeftOut names those samples (and samples with nothing typed). Unknown lists marker names the
// marker table could not map (kept as given, and warned about once each).
type Report struct {
	Samples int `json:"samples"`
	Markers int `json:"markers"`
	Alleles int `json:"alleles"`
	// Lines counts the data lines (tables) read; Ignored names the columns read past.
	Lines    int       `json:"lines_read,omitempty"`
	Ignored  []string  `json:"ignored_columns,omitempty"`
	Warnings []Problem `json:"warnings"`
	Rejected []Problem `json:"rejected"`
	LeftOut  []string  `json:"left_out"`
	Unknown  []string  `json:"unknown_markers"`
}

// Warn adds a warning.
func (r *Report) Warn(p Problem) { r.Warnings = append(r.Warnings, p) }

// Reject adds a rejection.
func (r *Report) Reject(p Problem) { r.Rejected = append(r.Rejected, p) }

// NewReport returns a report with empty (not nil) lists, so that its JSON form always has them.
func NewReport() Report {
	return Report{Warnings: []Problem{}, Rejected: []Problem{}, LeftOut: []string{}, Unknown: []string{}}
}
