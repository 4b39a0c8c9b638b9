package idreport

import "testing"

// Large likelihood ratios are said in each language's own number units: millions in English,
// 만 (10^4), 억 (10^8) and 조 (10^12) in Korean.
func TestPlainTimesUnits(t *testing.T) {
	for _, c := range []struct {
		w    summaryWords
		x    float64
		want string
	}{
		{english, 3.2e6, "about 3.2 million times"},
		{english, 4.5e9, "about 4.5 billion times"},
		{english, 1234, "about 1,230 times"},
		{english, 6.21, "about 6.2 times"},
		{korean, 3.2e6, "약 320만 배"},
		{korean, 4.5e9, "약 45억 배"},
		{korean, 2.5e12, "약 2.5조 배"},
		{korean, 15000, "약 1.5만 배"},
		{korean, 1234, "약 1,230 배"},
		{korean, 2e16, "천조 배 이상"},
	} {
		if got := plainTimes(c.w, c.x); got != c.want {
			t.Errorf("%g: %q, want %q", c.x, got, c.want)
		}
	}
}
