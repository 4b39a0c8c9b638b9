package ystr

import (
	"math"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	h, err := Parse("DYS19=14; DYS385a/b=14,11; DYS389 II=29; DYS448=19.2; DYS439=null; Y GATA H4=12")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(h["DYS385"], ",") != "11,14" || h["DYS389II"][0] != "29" || h["DYS439"][0] != Null || h["Y-GATA-H4"][0] != "12" || h["DYS448"][0] != "19.2" {
		t.Errorf("%v", h)
	}
	for _, c := range []struct{ in, want string }{
		{"DYS19", "LOCUS=ALLELE"},
		{"DYS19=x", "not a repeat number"},
		{"DYS19=14; DYS19=15", "given twice"},
		{"", "no locus"},
		{"=14", "LOCUS=ALLELE"},
	} {
		if _, err := Parse(c.in); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want %q", c.in, err, c.want)
		}
	}
	for in, want := range map[string]string{"DYS385a/b": "DYS385", "DYS385 a/b": "DYS385", "dys385": "DYS385", "DYF387S1a/b": "DYF387S1", "GATA_H4": "Y-GATA-H4", "DYS389 I": "DYS389I"} {
		if got := Canonical(in); got != want {
			t.Errorf("Canonical(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFromLoci(t *testing.T) {
	h, err := FromLoci(map[string][]string{"DYS385a": {"14"}, "DYS385b": {"11"}, "D3S1358": {"15", "16"}, "DYS19": {"14"}})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(h["DYS385"], ",") != "11,14" || len(h) != 2 {
		t.Errorf("%v", h)
	}
}

func TestCompare(t *testing.T) {
	a, _ := Parse("DYS19=14; DYS385=11,14; DYS448=19.2; DYS439=12; DYS390=24")
	for _, c := range []struct {
		b                      string
		mismatches, steps, non int
	}{
		{"DYS19=14; DYS385=14,11; DYS448=19.2; DYS439=12", 0, 0, 0},
		{"DYS19=15; DYS385=11,14; DYS448=19.2; DYS439=12", 1, 1, 0},
		{"DYS19=16; DYS385=11,14", 1, 2, 0},
		{"DYS385=12,14", 1, 1, 0}, // the pairing 11-12, 14-14 (not 11-14, 14-12)
		{"DYS448=18.2", 1, 1, 0},
		{"DYS448=19", 1, 0, 1},       // microvariant against an integer: non-stepwise
		{"DYS385=11,14,15", 1, 0, 1}, // copy number
		{"DYS439=null", 1, 0, 1},
	} {
		b, err := Parse(c.b)
		if err != nil {
			t.Fatal(err)
		}
		got := Compare(a, b)
		if got.Mismatches != c.mismatches || got.Steps != c.steps || got.NonStep != c.non {
			t.Errorf("%s: %+v", c.b, got)
		}
	}
}

// The single-step model by hand: one meiosis keeps the allele with 1-mu and moves it one step up
// or down with mu/2 each; two meioses give (1-mu)^2 + 2 (mu/2)^2 for no change and (mu/2)^2 for two
// steps.
func TestStepProbability(t *testing.T) {
	mu := 0.004
	for _, c := range []struct {
		d, m int
		want float64
	}{
		{0, 1, 1 - mu}, {1, 1, mu / 2}, {-1, 1, mu / 2}, {2, 1, 0},
		{0, 2, (1-mu)*(1-mu) + 2*(mu/2)*(mu/2)}, {1, 2, 2 * (1 - mu) * mu / 2}, {2, 2, (mu / 2) * (mu / 2)}, {3, 2, 0},
	} {
		if got := StepProbability(c.d, c.m, mu); math.Abs(got-c.want) > 1e-15 {
			t.Errorf("d=%d m=%d: %v, want %v", c.d, c.m, got, c.want)
		}
	}
	// The distribution sums to 1.
	s := 0.0
	for d := -5; d <= 5; d++ {
		s += StepProbability(d, 5, mu)
	}
	if math.Abs(s-1) > 1e-14 {
		t.Errorf("sum %v", s)
	}
}

func TestLineageLR(t *testing.T) {
	a, _ := Parse("DYS19=14; DYS390=24; DYS391=10")
	b, _ := Parse("DYS19=15; DYS390=24; DYS391=10")
	c := Compare(a, b)
	lr, err := LineageLR(c, 1, map[string]float64{"DYS19": 0.002}, 0.001)
	want := (0.002 / 2) * (1 - DefaultRate) * (1 - DefaultRate) / 0.001
	if err != nil || math.Abs(lr-want) > 1e-12*want {
		t.Errorf("LR %v, want %v (%v)", lr, want, err)
	}
	x, _ := Parse("DYS19=14.2")
	if lr, err := LineageLR(Compare(a, x), 2, nil, 0.01); err != nil || lr != 0 {
		t.Errorf("non-stepwise: %v %v", lr, err)
	}
	for _, bad := range []struct {
		m int
		f float64
	}{{0, 0.1}, {1, 0}, {1, 1.5}} {
		if _, err := LineageLR(c, bad.m, nil, bad.f); err == nil {
			t.Errorf("meioses %d freq %v accepted", bad.m, bad.f)
		}
	}
}

func TestCountFrequency(t *testing.T) {
	h, _ := Parse("DYS19=14; DYS390=24")
	var refs []Haplotype
	for i := 0; i < 50; i++ {
		s := "DYS19=15; DYS390=24"
		if i < 2 {
			s = "DYS19=14; DYS390=24"
		}
		r, _ := Parse(s)
		refs = append(refs, r)
	}
	partial, _ := Parse("DYS19=14")
	refs = append(refs, partial)
	f := CountFrequency(h, refs)
	if f.Matches != 2 || f.N != 50 || f.Skipped != 1 || f.Estimate != 0.04 || !(f.Upper95 > 0.04 && f.Upper95 < 0.2) {
		t.Errorf("%+v", f)
	}
}

func FuzzParse(f *testing.F) {
	f.Add("DYS19=14; DYS385a/b=11,14; DYS448=19.2; DYS439=null")
	f.Add("DYS389 II=29\nY GATA H4=12")
	f.Fuzz(func(t *testing.T, s string) {
		h, err := Parse(s)
		if err != nil {
			return
		}
		if c := Compare(h, h); c.Mismatches != 0 {
			t.Fatalf("a haplotype differs from itself: %+v", c)
		}
	})
}
