package mtdna

import (
	"math"

	"github.com/homeward/homeward/lineage"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	p, err := Parse("16024-16569;1-576", "16519C 73G, 263G;315.1C T16093Y 249del 573.2C")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Ranges) != 2 || len(p.Variants) != 7 || p.Variants[0].String() != "73G" {
		t.Fatalf("%+v", p)
	}
	wrap, err := ParseRanges("16024-576")
	if err != nil || len(wrap) != 2 || wrap[0] != (Range{16024, 16569}) || wrap[1] != (Range{1, 576}) {
		t.Errorf("wrapping range: %v %v", wrap, err)
	}
	for _, c := range []struct{ ranges, vars, want string }{
		{"16024-16569", "73G", "outside the sequenced range"},
		{"1-576", "73Q", "not a base"},
		{"1-576", "G", "no position"},
		{"1-576", "73G 73A", "given twice"},
		{"1-576", "315.C", "insertion without a number"},
		{"1-576", "315.1del", "cannot be a deletion"},
		{"1-17000", "", "positions run from 1 to 16569"},
		{"x-5", "", "not a position"},
		{"", "", "no range"},
	} {
		if _, err := Parse(c.ranges, c.vars); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q %q: %v, want %q", c.ranges, c.vars, err, c.want)
		}
	}
}

func TestCompare(t *testing.T) {
	mk := func(r, v string) Profile {
		p, err := Parse(r, v)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	full := "16024-16569;1-576"
	for _, c := range []struct {
		name    string
		a, b    Profile
		diffs   int
		verdict string
	}{
		{"identical", mk(full, "16519C 73G 263G"), mk(full, "263G 73G 16519C"), 0, CannotExclude},
		{"C-stretch length variants ignored", mk(full, "73G 315.1C 16193.1C 309.1C"), mk(full, "73G 315.1C 315.2C"), 0, CannotExclude},
		{"one difference", mk(full, "73G 263G"), mk(full, "73G"), 1, Inconclusive},
		{"two differences", mk(full, "73G 263G 16519C"), mk(full, "73G"), 2, Exclusion},
		{"heteroplasmy against a listed base", mk(full, "16093Y"), mk(full, "16093C"), 0, CannotExclude},
		{"heteroplasmy against the rCRS base given", mk(full, "T16093Y"), mk(full, ""), 0, CannotExclude},
		{"heteroplasmy against an unknown rCRS base", mk(full, "16093Y"), mk(full, ""), 1, Inconclusive},
		{"heteroplasmy against another base", mk(full, "16093Y 73G"), mk(full, "16093A 73G"), 1, Inconclusive},
		{"outside the overlap ignored", mk("16024-16569", "16519C"), mk("1-576", "73G"), 0, CannotExclude},
		{"deletion", mk(full, "249del"), mk(full, ""), 1, Inconclusive},
	} {
		got := Compare(c.a, c.b, Options{})
		if got.Differences != c.diffs || got.Verdict != c.verdict {
			t.Errorf("%s: %d differences (%s) %+v, want %d (%s)", c.name, got.Differences, got.Verdict, got.Details, c.diffs, c.verdict)
		}
	}
	if c := Compare(mk("16024-16569", ""), mk("16100-16200;1-10", ""), Options{}); c.Positions != 101 {
		t.Errorf("overlap positions %d, want 101", c.Positions)
	}
}

func TestCountFrequency(t *testing.T) {
	q, _ := Parse("16024-16569", "16519C 16311C")
	var refs []Profile
	for i := 0; i < 100; i++ {
		v := "16519C"
		if i < 3 {
			v = "16519C 16311C"
		}
		r, _ := Parse("16024-16569;1-576", v)
		refs = append(refs, r)
	}
	short, _ := Parse("16100-16400", "16311C")
	refs = append(refs, short)
	f := CountFrequency(q, refs, Options{})
	if f.Matches != 3 || f.N != 100 || f.Skipped != 1 || math.Abs(f.Estimate-0.03) > 1e-15 {
		t.Fatalf("%+v", f)
	}
	// Clopper-Pearson 95% one-sided upper bound for 3 of 100: the p at which P(X <= 3 | n=100, p)
	// = 0.05, found independently by bisection on the binomial sum: 0.0757107937.
	if math.Abs(f.Upper95-0.0757107937) > 1e-8 {
		t.Errorf("upper bound %v", f.Upper95)
	}
	// x = 0: 1 - 0.05^(1/n), the "rule of three" about 3/n.
	if got := lineage.UpperBound95(0, 100); math.Abs(got-(1-math.Pow(0.05, 0.01))) > 1e-15 || math.Abs(got-0.0295) > 1e-3 {
		t.Errorf("x = 0: %v", got)
	}
	if lineage.UpperBound95(5, 5) != 1 || !math.IsNaN(lineage.UpperBound95(0, 0)) {
		t.Error("edge cases")
	}
}

func FuzzParse(f *testing.F) {
	f.Add("16024-16569;1-576", "16519C 73G 315.1C 249del T16093Y")
	f.Add("16024-576", "16093Y")
	f.Fuzz(func(t *testing.T, r, v string) {
		p, err := Parse(r, v)
		if err != nil {
			return
		}
		for _, x := range p.Variants {
			if !p.Covers(x.Pos) {
				t.Fatalf("variant %v outside %v", x, p.Ranges)
			}
		}
		if c := Compare(p, p, Options{}); c.Differences != 0 {
			t.Fatalf("a profile differs from itself: %+v", c)
		}
	})
}
