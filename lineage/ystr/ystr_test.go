package ystr

import (
	"math"
	"os"
	"reflect"
	"strings"
	"testing"
)

type parseCase struct{ in, want string }

// readCases reads testdata/haplotypes.tsv: input<TAB>expected (see the file's header).
func readCases(t testing.TB) []parseCase {
	data, err := os.ReadFile("testdata/haplotypes.tsv")
	if err != nil {
		t.Fatal(err)
	}
	var out []parseCase
	for i, line := range strings.Split(string(data), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		in, want, ok := strings.Cut(line, "\t")
		if !ok {
			t.Fatalf("testdata/haplotypes.tsv line %d: no tab", i+1)
		}
		out = append(out, parseCase{in, want})
	}
	return out
}

func TestParseGolden(t *testing.T) {
	cases := readCases(t)
	if len(cases) < 20 {
		t.Fatalf("%d cases", len(cases))
	}
	for _, c := range cases {
		h, err := Parse(c.in)
		if msg, isErr := strings.CutPrefix(c.want, "error: "); isErr {
			if err == nil || !strings.Contains(err.Error(), msg) {
				t.Errorf("Parse(%q): %v, want an error with %q", c.in, err, msg)
			}
			continue
		}
		if err != nil {
			t.Errorf("Parse(%q): %v", c.in, err)
			continue
		}
		if got := h.String(); got != c.want {
			t.Errorf("Parse(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestParseErrorNamesEntry(t *testing.T) {
	_, err := Parse("DYS19=14; DYS390=2x4")
	if err == nil || !strings.Contains(err.Error(), `"DYS390=2x4"`) || !strings.Contains(err.Error(), "DYS390") {
		t.Errorf("%v", err)
	}
}

func TestCanonical(t *testing.T) {
	for in, want := range map[string]string{
		"DYS385a/b": "DYS385", "DYS385 a/b": "DYS385", "dys385": "DYS385", "DYS385b": "DYS385",
		"DYF387S1a/b": "DYF387S1", "DYS464a/b/c/d": "DYS464", "DYS527 a/b": "DYS527", "DYS459a/b": "DYS459",
		"Y-GATA-H4": "Y-GATA-H4", "YGATAH4": "Y-GATA-H4", "GATA_H4": "Y-GATA-H4", "GATA H4.1": "Y-GATA-H4",
		"DYS389 I": "DYS389I", "DYS389II": "DYS389II", "DYS389-II": "DYS389II", "DYS 19": "DYS19",
		"DYS526a": "DYS526A", "DYF403S1b": "DYF403S1B",
	} {
		if got := Canonical(in); got != want {
			t.Errorf("Canonical(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseMap(t *testing.T) {
	h, err := ParseMap(map[string]string{"DYS385a": "14", "DYS385b": "11", "DYS19": "14", "YGATAH4": "12", "DYS439": "null"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := h.String(), "DYS19=14; DYS385=11,14; DYS439=null; Y-GATA-H4=12"; got != want {
		t.Errorf("%q, want %q", got, want)
	}
	h, err = ParseMap(map[string]string{"DYS385a/b": "11,14"})
	if err != nil || h.String() != "DYS385=11,14" {
		t.Errorf("%v %v", h, err)
	}
	for _, m := range []map[string]string{{"DYS19": "x"}, {"DYS385": "11,14", "DYS385a": "12"}, {}, {"DYS19": ""}} {
		if _, err := ParseMap(m); err == nil {
			t.Errorf("%v accepted", m)
		}
	}
	if _, err := ParseMap(map[string]string{"DYS390": "2x"}); err == nil || !strings.Contains(err.Error(), `"DYS390"`) {
		t.Errorf("error does not name the locus: %v", err)
	}
}

func TestFromLoci(t *testing.T) {
	h, err := FromLoci(map[string][]string{"DYS385a": {"14"}, "DYS385b": {"11"}, "D3S1358": {"15", "16"}, "DYS19": {"14"}, "DYS390": nil})
	if err != nil {
		t.Fatal(err)
	}
	if got := h.String(); got != "DYS19=14; DYS385=11,14" {
		t.Errorf("%q", got)
	}
}

func TestCompare(t *testing.T) {
	a, _ := Parse("DYS19=14; DYS385=11,14; DYS448=19.2; DYS439=12; DYS390=24")
	for _, c := range []struct {
		a, b                                    string
		compared, mismatches, steps, non, nulls int
	}{
		{"", "DYS19=14; DYS385=14,11; DYS448=19.2; DYS439=12", 4, 0, 0, 0, 0},
		{"", "DYS19=15; DYS385=11,14; DYS448=19.2; DYS439=12", 4, 1, 1, 0, 0},
		{"", "DYS19=16; DYS385=11,14", 2, 1, 2, 0, 0},
		{"", "DYS385=12,14", 1, 1, 1, 0, 0},                 // pairs 11-12 and 14-14, not 11-14 and 14-12
		{"", "DYS385=10,15", 1, 1, 2, 0, 0},                 // 11-10 and 14-15
		{"", "DYS448=18.2", 1, 1, 1, 0, 0},                  // 19.2 and 18.2: one whole repeat
		{"", "DYS448=19", 1, 1, 0, 1, 0},                    // microvariant against an integer: non-stepwise
		{"", "DYS385=11,14,15", 1, 1, 0, 1, 0},              // copy number
		{"", "DYS439=null", 0, 0, 0, 0, 1},                  // null against a call: left out
		{"DYS385=11,14.2", "DYS385=12.2,14", 1, 1, 5, 0, 0}, // 11-14 (3) and 14.2-12.2 (2)
		{"DYS385=11,14.2", "DYS385=12.2,14.2", 1, 1, 0, 1, 0},
		{"DYS385=11,null", "DYS385=null,11", 1, 0, 0, 0, 0},
		{"DYS439=null", "DYS439=0", 1, 0, 0, 0, 0},
		{"DYS19=9", "DYS19=11", 1, 1, 2, 0, 0}, // numeric, not string, difference
	} {
		x := a
		if c.a != "" {
			x, _ = Parse(c.a)
		}
		b, err := Parse(c.b)
		if err != nil {
			t.Fatal(err)
		}
		got := Compare(x, b)
		if got.Compared != c.compared || got.Mismatches != c.mismatches || got.Steps != c.steps || got.NonStep != c.non || got.NullExcluded != c.nulls {
			t.Errorf("%s | %s: %+v", c.a, c.b, got)
		}
	}
	b, _ := Parse("DYS19=14; DYS391=10")
	c := Compare(a, b)
	if !reflect.DeepEqual(c.OnlyA, []string{"DYS385", "DYS390", "DYS439", "DYS448"}) || !reflect.DeepEqual(c.OnlyB, []string{"DYS391"}) {
		t.Errorf("typed in one only: %v %v", c.OnlyA, c.OnlyB)
	}
}

// The single-step model by hand: one meiosis keeps the allele with 1-mu and moves it one step up
// or down with mu/2 each; two meioses give (1-mu)^2 + 2 (mu/2)^2 for no change, 2 (1-mu) mu/2 for
// one step and (mu/2)^2 for two.
func TestStepProbability(t *testing.T) {
	mu := 0.004
	for _, c := range []struct {
		d, m int
		want float64
	}{
		{0, 1, 1 - mu}, {1, 1, mu / 2}, {-1, 1, mu / 2}, {2, 1, 0},
		{0, 2, (1-mu)*(1-mu) + 2*(mu/2)*(mu/2)}, {1, 2, 2 * (1 - mu) * mu / 2}, {2, 2, (mu / 2) * (mu / 2)}, {3, 2, 0},
		// Three meioses, three steps: every meiosis moves the same way, (mu/2)^3.
		{3, 3, (mu / 2) * (mu / 2) * (mu / 2)},
		{0, 0, 1}, {1, 0, 0}, {0, -1, 0},
	} {
		if got := StepProbability(c.d, c.m, mu); math.Abs(got-c.want) > 1e-15 {
			t.Errorf("d=%d m=%d: %v, want %v", c.d, c.m, got, c.want)
		}
	}
	for _, m := range []int{1, 5, 40} {
		s := 0.0
		for d := -m - 1; d <= m+1; d++ {
			s += StepProbability(d, m, mu)
		}
		if math.Abs(s-1) > 1e-13 {
			t.Errorf("m=%d: sum %v", m, s)
		}
	}
}

func TestLineageLR(t *testing.T) {
	a, _ := Parse("DYS19=14; DYS390=24; DYS391=10")
	b, _ := Parse("DYS19=15; DYS390=24; dys391=10")
	c := Compare(a, b)
	// DYS19 given (0.002, as "dys 19"): one step in one meiosis, 0.002/2; DYS390 and DYS391 from
	// DefaultRates (YHRD: 2.08e-3 and 2.53e-3) unchanged.
	lr, err := LineageLR(c, 1, map[string]float64{"dys 19": 0.002}, 0.001)
	want := (0.002 / 2) * (1 - 2.08e-3) * (1 - 2.53e-3) / 0.001
	if err != nil || math.Abs(lr-want) > 1e-12*want {
		t.Errorf("LR %v, want %v (%v)", lr, want, err)
	}
	// A locus in no table takes DefaultRate; a two-copy locus is two walks at mu/2.
	x, _ := Parse("DYS999=10; DYS385=11,14")
	y, _ := Parse("DYS999=10; DYS385=12,14")
	lr, err = LineageLR(Compare(x, y), 1, map[string]float64{"DYS385": 0.004}, 0.5)
	want = (1 - DefaultRate) * (0.002 / 2) * (1 - 0.002) / 0.5
	if err != nil || math.Abs(lr-want) > 1e-12*want {
		t.Errorf("multi-copy LR %v, want %v (%v)", lr, want, err)
	}
	// A null against a call is a factor of 1.
	n, _ := Parse("DYS999=null; DYS385=11,14")
	lr, err = LineageLR(Compare(n, x), 2, nil, 0.25)
	// DYS385 unchanged over two meioses: two copies at mu/2 each, (1-mu/2)^2 + 2 (mu/4)^2 per copy.
	want = math.Pow((1-DefaultRate/2)*(1-DefaultRate/2)+2*(DefaultRate/4)*(DefaultRate/4), 2) / 0.25
	if err != nil || math.Abs(lr-want) > 1e-12*want {
		t.Errorf("null LR %v, want %v (%v)", lr, want, err)
	}
	mv, _ := Parse("DYS19=14.2")
	if lr, err := LineageLR(Compare(a, mv), 2, nil, 0.01); err != nil || lr != 0 {
		t.Errorf("non-stepwise: %v %v", lr, err)
	}
	// Two steps apart cannot be one meiosis apart.
	far, _ := Parse("DYS19=16")
	if lr, err := LineageLR(Compare(a, far), 1, nil, 0.01); err != nil || lr != 0 {
		t.Errorf("two steps in one meiosis: %v %v", lr, err)
	}
	only, _ := Parse("DYS392=11")
	for _, bad := range []struct {
		c     Comparison
		m     int
		f     float64
		rates map[string]float64
	}{
		{c, 0, 0.1, nil}, {c, MaxMeioses + 1, 0.1, nil}, {c, 1, 0, nil}, {c, 1, 1.5, nil},
		{c, 1, 0.1, map[string]float64{"DYS19": 1}}, {c, 1, 0.1, map[string]float64{"DYS19": math.NaN()}},
		{Compare(a, only), 1, 0.1, nil},
	} {
		if _, err := LineageLR(bad.c, bad.m, bad.rates, bad.f); err == nil {
			t.Errorf("meioses %d freq %v rates %v accepted", bad.m, bad.f, bad.rates)
		}
	}
}

func TestCountFrequency(t *testing.T) {
	h, _ := Parse("DYS19=14; DYS390=24")
	var refs []Haplotype
	for i := 0; i < 50; i++ {
		s := "DYS19=15; DYS390=24; DYS391=10"
		switch i {
		case 0:
			s = "DYS19=14; DYS390=24; DYS391=11"
		case 1:
			s = "DYS19=14; DYS390=null" // a null is left out: counts as a match
		}
		r, _ := Parse(s)
		refs = append(refs, r)
	}
	partial, _ := Parse("DYS19=14")
	refs = append(refs, partial)
	f := CountFrequency(h, refs)
	// 2 of 50; the one-sided 95% Clopper-Pearson bound 0.1206142 is SciPy 1.10's
	// binomtest(2, 50, alternative="less").proportion_ci(0.95).high, run by hand.
	if f.Matches != 2 || f.N != 50 || f.Skipped != 1 || f.Estimate != 0.04 || math.Abs(f.Upper95-0.1206142) > 1e-6 {
		t.Errorf("%+v", f)
	}
	if f := CountFrequency(h, nil); f.N != 0 || f.Upper95 != 0 {
		t.Errorf("empty reference set: %+v", f)
	}
	// x = 0 of 20: 1 - 0.05^(1/20) = 1 - e^(-2.995732/20) = 0.1391083 by hand.
	none, _ := Parse("DYS19=13; DYS390=24")
	if f := CountFrequency(none, refs[2:22]); f.Matches != 0 || f.N != 20 || math.Abs(f.Upper95-0.1391083) > 1e-6 {
		t.Errorf("x = 0: %+v", f)
	}
}

func BenchmarkCountFrequency(b *testing.B) {
	q, _ := Parse("DYS19=14; DYS389I=13; DYS389II=29; DYS390=24; DYS391=10; DYS392=11; DYS393=13; DYS385=11,14; DYS437=15; DYS438=12; DYS439=12; DYS448=19; DYS456=16; DYS458=17; DYS635=23; Y-GATA-H4=12")
	var refs []Haplotype
	for i := 0; i < 10000; i++ {
		r := Haplotype{}
		for l, xs := range q {
			r[l] = xs
		}
		r["DYS19"] = []string{[]string{"13", "14", "15", "16"}[i%4]}
		r["DYS390"] = []string{[]string{"22", "23", "24", "25", "26"}[i%5]}
		refs = append(refs, r)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		CountFrequency(q, refs)
	}
}

func BenchmarkLineageLR(b *testing.B) {
	x, _ := Parse("DYS19=14; DYS389I=13; DYS389II=29; DYS390=24; DYS391=10; DYS392=11; DYS393=13; DYS385=11,14")
	y, _ := Parse("DYS19=15; DYS389I=13; DYS389II=30; DYS390=24; DYS391=10; DYS392=11; DYS393=13; DYS385=11,15")
	c := Compare(x, y)
	for i := 0; i < b.N; i++ {
		if _, err := LineageLR(c, 20, nil, 0.001); err != nil {
			b.Fatal(err)
		}
	}
}

// checkParsed asserts what every accepted haplotype must satisfy: it equals itself under Compare
// and survives a round trip through its written form.
func checkParsed(t *testing.T, h Haplotype) {
	if c := Compare(h, h); c.Mismatches != 0 || c.NullExcluded != 0 || c.Compared != len(h) {
		t.Fatalf("a haplotype differs from itself: %+v", c)
	}
	back, err := Parse(h.String())
	if err != nil {
		t.Fatalf("written form %q does not parse: %v", h.String(), err)
	}
	if !reflect.DeepEqual(back, h) {
		t.Fatalf("round trip %q: %v, want %v", h.String(), back, h)
	}
}

func FuzzParse(f *testing.F) {
	for _, c := range readCases(f) {
		f.Add(c.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h, err := Parse(s)
		if err != nil {
			return
		}
		checkParsed(t, h)
	})
}

func FuzzParseMap(f *testing.F) {
	f.Add("DYS385a", "14", "DYS385b", "11")
	f.Add("DYS19", "14", "GATA H4", "12,null")
	f.Add("DYS385a/b", "11,14", "DYS385a", "12")
	f.Fuzz(func(t *testing.T, k1, v1, k2, v2 string) {
		h, err := ParseMap(map[string]string{k1: v1, k2: v2})
		if err != nil {
			return
		}
		checkParsed(t, h)
	})
}

func TestIsLocus(t *testing.T) {
	for name, want := range map[string]bool{"DYS19": true, "DYS385a": true, "DYF387S1": true, "Y GATA H4": true, "GATA_H4": true, "Y-GATA-H4": true,
		"AMEL": false, "TH01": false, "Remark": false, "": false} {
		if IsLocus(name) != want {
			t.Errorf("IsLocus(%q) = %v", name, !want)
		}
	}
}
