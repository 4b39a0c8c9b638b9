// Package freqdb reads allele-frequency databases in the layouts laboratories use (NIST tables,
// Familias/norSTR files, STRidER XML, marker,allele,frequency CSV), looks markers up by name, and
// applies an explicit, reported rule to alleles a sample shows that the database lacks.
package freqdb

import (
	"fmt"
	"sort"
	"strings"
)

// Marker holds one marker's alleles and frequencies in database order, and the number of people the
// frequencies were estimated from (0 when unknown).
type Marker struct {
	Name    string    `json:"name"`
	Alleles []string  `json:"alleles"`
	Freqs   []float64 `json:"frequencies"`
	N       int       `json:"n,omitempty"`
	// Chrom is "X" for X-chromosomal markers, empty for autosomal ones.
	Chrom string `json:"chrom,omitempty"`
}

// Database is a named set of markers.
type Database struct {
	Name    string   `json:"name"`
	Source  string   `json:"source"`
	Markers []Marker `json:"markers"`
}

// NormalizeName makes marker names comparable: upper case without spaces, underscores, dashes or
// dots, so that "Penta E", "PENTA_E" and "PentaE" are one marker, and "vWA" is "VWA".
func NormalizeName(s string) string {
	return strings.ToUpper(nameSeparators.Replace(strings.TrimSpace(s)))
}

var nameSeparators = strings.NewReplacer(" ", "", "_", "", "-", "", ".", "")

// Marker returns the marker with the given name (compared normalised), or nil.
func (d *Database) Marker(name string) *Marker {
	n := NormalizeName(name)
	for i := range d.Markers {
		if NormalizeName(d.Markers[i].Name) == n {
			return &d.Markers[i]
		}
	}
	return nil
}

func (d *Database) add(m Marker) error {
	if m.Name == "" {
		return fmt.Errorf("a marker without a name")
	}
	if d.Marker(m.Name) != nil {
		return fmt.Errorf("marker %s appears twice", m.Name)
	}
	seen := map[string]bool{}
	for i, a := range m.Alleles {
		if seen[a] {
			return fmt.Errorf("marker %s: allele %s appears twice", m.Name, a)
		}
		seen[a] = true
		if f := m.Freqs[i]; !(f > 0 && f <= 1) {
			return fmt.Errorf("marker %s allele %s: frequency %v is not in (0, 1]", m.Name, a, f)
		}
	}
	d.Markers = append(d.Markers, m)
	return nil
}

// MissingAlleleRule says what to do with an allele a sample shows that the database lacks. The
// allele is added with frequency MinFreq, or, when MinFreq is 0 and the database's sample size N is
// known, 5/(2N) (a common conservative choice); Renormalize then scales all frequencies to sum 1.
type MissingAlleleRule struct {
	MinFreq     float64 `json:"min_freq"`
	Renormalize bool    `json:"renormalize"`
}

// Addition reports one allele added by the rule.
type Addition struct {
	Marker string  `json:"marker"`
	Allele string  `json:"allele"`
	Freq   float64 `json:"frequency"`
	Reason string  `json:"reason"`
}

// WithAlleles returns the marker extended with the observed alleles it lacks, by the rule, and the
// additions made. With no rule frequency available it refuses, naming the marker and allele.
func (m *Marker) WithAlleles(observed []string, rule MissingAlleleRule) (Marker, []Addition, error) {
	out := Marker{Name: m.Name, Alleles: append([]string{}, m.Alleles...), Freqs: append([]float64{}, m.Freqs...), N: m.N}
	have := map[string]bool{}
	for _, a := range m.Alleles {
		have[a] = true
	}
	var missing []string
	for _, a := range observed {
		if !have[a] {
			have[a] = true
			missing = append(missing, a)
		}
	}
	sort.Strings(missing)
	var adds []Addition
	for _, a := range missing {
		f, reason := rule.MinFreq, fmt.Sprintf("not in the database; minimum frequency %g", rule.MinFreq)
		if f == 0 && m.N > 0 {
			f, reason = 5/(2*float64(m.N)), fmt.Sprintf("not in the database; 5/(2N) with N = %d", m.N)
		}
		if !(f > 0 && f < 1) {
			return out, nil, fmt.Errorf("marker %s: allele %s is not in the frequency database and no minimum frequency is set", m.Name, a)
		}
		out.Alleles = append(out.Alleles, a)
		out.Freqs = append(out.Freqs, f)
		adds = append(adds, Addition{Marker: m.Name, Allele: a, Freq: f, Reason: reason})
	}
	if rule.Renormalize && len(adds) > 0 {
		s := 0.0
		for _, f := range out.Freqs {
			s += f
		}
		for i := range out.Freqs {
			out.Freqs[i] /= s
		}
		for i := range adds {
			adds[i].Freq = out.Freqs[len(m.Alleles)+i]
			adds[i].Reason += "; all frequencies renormalised to sum 1"
		}
	}
	return out, adds, nil
}

// Sum returns the sum of the marker's frequencies.
func (m *Marker) Sum() float64 {
	s := 0.0
	for _, f := range m.Freqs {
		s += f
	}
	return s
}
