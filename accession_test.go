package homeward

import "testing"

func TestAccessionScheme(t *testing.T) {
	tests := []struct {
		pattern, op string
		year, seq   int
		want        string
	}{
		{"", "K55-2018", 2018, 1, "K55-2018-001"},
		{"{op}-{seq:03}", "K55-2018", 2018, 55, "K55-2018-055"},
		{"CIL-{year}-{seq:4}", "", 1993, 208, "CIL-1993-0208"},
		{"{op}/{seq}", "EXC", 2020, 7, "EXC/7"},
	}
	for _, tt := range tests {
		s := AccessionScheme{Pattern: tt.pattern}
		if err := s.Validate(); err != nil {
			t.Fatalf("%q: %v", tt.pattern, err)
		}
		if got := s.Format(tt.op, tt.year, tt.seq); got != tt.want {
			t.Errorf("%q.Format = %q, want %q", tt.pattern, got, tt.want)
		}
	}
	for _, bad := range []string{"{op}", "{op}-{sequence}", "{op}-{seq}-{day}"} {
		if err := (AccessionScheme{Pattern: bad}).Validate(); err == nil {
			t.Errorf("%q: want error", bad)
		}
	}
}
