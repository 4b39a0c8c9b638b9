package idreport

import (
	"math"
	"testing"
)

// A posterior is written without rounding up to certainty, in English or Korean; one not computed
// says so in the same language.
func TestFormatProbabilityIn(t *testing.T) {
	for _, c := range []struct {
		lang string
		p    float64
		want string
	}{
		{"en", 0.987, "98.7%"},
		{"ko", 0.987, "98.7%"},
		{"en", 0.9999999, "more than 99.99999%"},
		{"ko", 0.9999999, "99.99999% 이상"},
		{"en", 1, "more than 99.9999%"},
		{"ko", 1, "99.9999% 이상"},
		{"en", math.NaN(), "not computed"},
		{"ko", math.NaN(), "계산되지 않음"},
	} {
		if got := FormatProbabilityIn(c.lang, c.p); got != c.want {
			t.Errorf("%s %v: %q, want %q", c.lang, c.p, got, c.want)
		}
	}
	if FormatProbability(0.5) != "50%" {
		t.Errorf("English by default: %q", FormatProbability(0.5))
	}
}
