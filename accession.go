package homeward

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// AccessionScheme formats container accession numbers from a pattern with placeholders:
// {op} (the operation code), {year} (four digits), {seq} or {seq:N} (sequence number zero-padded to
// N digits). The default "{op}-{seq:03}" with operation "K55-2018" gives "K55-2018-001".
type AccessionScheme struct {
	Pattern string
}

// DefaultAccessionPattern is used when no pattern is configured.
const DefaultAccessionPattern = "{op}-{seq:03}"

var placeholderRE = regexp.MustCompile(`\{(op|year|seq)(?::(\d{1,2}))?\}`)

// Validate checks that the pattern has a {seq} placeholder and no unknown ones.
func (s AccessionScheme) Validate() error {
	p := s.pattern()
	if !strings.Contains(p, "{seq") {
		return FieldErrorf("accession_pattern", "%q has no {seq} placeholder", p)
	}
	rest := placeholderRE.ReplaceAllString(p, "")
	if strings.ContainsAny(rest, "{}") {
		return FieldErrorf("accession_pattern", "%q has an unknown placeholder (use {op}, {year}, {seq:N})", p)
	}
	return nil
}

func (s AccessionScheme) pattern() string {
	if s.Pattern == "" {
		return DefaultAccessionPattern
	}
	return s.Pattern
}

// Format returns the accession number for the given operation code, year and sequence number.
func (s AccessionScheme) Format(op string, year, seq int) string {
	return placeholderRE.ReplaceAllStringFunc(s.pattern(), func(m string) string {
		sub := placeholderRE.FindStringSubmatch(m)
		switch sub[1] {
		case "op":
			return op
		case "year":
			return fmt.Sprintf("%04d", year)
		default:
			w, _ := strconv.Atoi(sub[2])
			return fmt.Sprintf("%0*d", w, seq)
		}
	})
}
