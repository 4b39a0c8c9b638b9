package homeward

import "strings"

// DisplayName writes a person's name as the person's own culture does: a Korean name written in
// Hangul family name first and without a space (김철민), any other given names first
// (John Smith, Chul-min Kim for a romanized Korean name, as it is written in English).
func DisplayName(family, given string) string {
	if HasHangul(family) || HasHangul(given) {
		return strings.TrimSpace(family) + strings.TrimSpace(given)
	}
	return strings.TrimSpace(strings.TrimSpace(given) + " " + strings.TrimSpace(family))
}

// ListName writes a name for a sorted list: "Smith, John"; a Hangul name as it is written (김철민),
// which already begins with the family name.
func ListName(family, given string) string {
	if HasHangul(family) || HasHangul(given) || strings.TrimSpace(given) == "" {
		return DisplayName(family, given)
	}
	return strings.TrimSpace(family) + ", " + strings.TrimSpace(given)
}

// HasHangul reports whether s holds Hangul syllables or jamo.
func HasHangul(s string) bool {
	for _, r := range s {
		if r >= 0xAC00 && r <= 0xD7A3 || r >= 0x1100 && r <= 0x11FF || r >= 0x3130 && r <= 0x318F {
			return true
		}
	}
	return false
}
