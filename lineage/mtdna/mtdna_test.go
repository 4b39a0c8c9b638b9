package mtdna

import (
	"math"
	"os"
	"strings"
	"testing"
)

type parseCase struct{ ranges, variants, want string }

// readCases reads testdata/profiles.tsv (see its header).
func readCases(t testing.TB) []parseCase {
	data, err := os.ReadFile("testdata/profiles.tsv")
	if err != nil {
		t.Fatal(err)
	}
	var out []parseCase
	for i, line := range strings.Split(string(data), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			t.Fatalf("testdata/profiles.tsv line %d: %d fields", i+1, len(f))
		}
		out = append(out, parseCase{f[0], f[1], f[2]})
	}
	return out
}

func TestParseGolden(t *testing.T) {
	cases := readCases(t)
	if len(cases) < 20 {
		t.Fatalf("%d cases", len(cases))
	}
	for _, c := range cases {
		p, err := Parse(c.ranges, c.variants)
		if msg, isErr := strings.CutPrefix(c.want, "error: "); isErr {
			if err == nil || !strings.Contains(err.Error(), msg) {
				t.Errorf("Parse(%q, %q): %v, want an error with %q", c.ranges, c.variants, err, msg)
			}
			continue
		}
		if err != nil {
			t.Errorf("Parse(%q, %q): %v", c.ranges, c.variants, err)
			continue
		}
		if got := p.RangeString() + "|" + p.VariantString(); got != c.want {
			t.Errorf("Parse(%q, %q) = %q, want %q", c.ranges, c.variants, got, c.want)
		}
	}
	if _, err := Parse("1-576", "73G 2x63G"); err == nil || !strings.Contains(err.Error(), `"2x63G"`) {
		t.Errorf("error does not name the token: %v", err)
	}
}

// Bases of the rCRS known from the literature: each position is one where common haplotypes
// differ from the rCRS in the usual forensic notation, written here as rCRS base and position
// (A73G means the rCRS has A at 73), plus the homopolymeric C-stretches around the T at 310 and
// 16189 and the first and last bases of the molecule.
func TestRefBase(t *testing.T) {
	for _, m := range strings.Fields(`A73G T146C C150T T152C A189G T195C T199C T204C G207A G228A A263G
		C295T T310C C456T C462T T482C T489C G499A C16069T T16093C T16126C G16129A G16145A T16172C
		A16183C T16189C C16223T C16256T C16261T C16270T C16278T C16292T C16294T C16296T T16298C
		T16304C T16311C A16343G T16356C T16362C G16390A A16399G T16519C G1A G16569A`) {
		want, pos := m[:1], m[1:len(m)-1]
		p, _ := position(pos)
		if got, ok := RefBase(p); !ok || got != want {
			t.Errorf("rCRS %s: %q %v, want %s", pos, got, ok, want)
		}
	}
	for _, stretch := range []Range{{303, 309}, {311, 315}, {16184, 16188}, {16190, 16193}, {568, 573}} {
		for p := stretch.From; p <= stretch.To; p++ {
			if b, _ := RefBase(p); b != "C" {
				t.Errorf("rCRS %d: %s, want C (C-stretch)", p, b)
			}
		}
	}
	n := 0
	for p := 1; p <= Length; p++ {
		if b, ok := RefBase(p); ok {
			n++
			if !strings.Contains("ACGT", b) {
				t.Errorf("rCRS %d: %q", p, b)
			}
		}
	}
	if n != 549+600 {
		t.Errorf("%d known bases, want 1149", n)
	}
	if _, ok := RefBase(3010); ok {
		t.Error("3010 is outside the carried stretch")
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
	whole := "1-16569"
	noLength := Options{LengthRegions: []Range{}}
	for _, c := range []struct {
		name              string
		a, b              Profile
		o                 Options
		diffs, compatible int
		verdict           string
	}{
		{"identical", mk(full, "16519C 73G 263G"), mk(full, "263G 73G 16519C"), Options{}, 0, 0, CannotExclude},
		{"C-stretch length variants ignored", mk(full, "73G 315.1C 16193.1C 309.1C 309.2C"), mk(full, "73G 315.1C 315.2C 573.1C"), Options{}, 0, 0, CannotExclude},
		{"C-stretch deletions ignored", mk(full, "16193del 310del"), mk(full, ""), Options{}, 0, 0, CannotExclude},
		{"length variants counted when the list is empty", mk(full, "315.1C"), mk(full, "315.1C 315.2C 309.1C"), noLength, 2, 0, Exclusion},
		{"own list of length regions", mk(full, "16193.1C 315.1C"), mk(full, ""), Options{LengthRegions: []Range{{303, 315}}}, 1, 0, Inconclusive},
		{"substitution in a C-stretch counts", mk(full, "16189C"), mk(full, ""), Options{}, 1, 0, Inconclusive},
		{"one difference", mk(full, "73G 263G"), mk(full, "73G"), Options{}, 1, 0, Inconclusive},
		{"two differences", mk(full, "73G 263G 16519C"), mk(full, "73G"), Options{}, 2, 0, Exclusion},
		{"transversion against transition", mk(full, "16519C"), mk(full, "16519A"), Options{}, 1, 0, Inconclusive},
		{"heteroplasmy against a listed base", mk(full, "16093Y"), mk(full, "16093C"), Options{}, 0, 1, CannotExclude},
		{"heteroplasmy against the rCRS base (T at 16093)", mk(full, "16093Y"), mk(full, ""), Options{}, 0, 1, CannotExclude},
		{"heteroplasmy against another base", mk(full, "16093Y 73G"), mk(full, "16093A 73G"), Options{}, 1, 0, Inconclusive},
		{"two heteroplasmies sharing a base", mk(full, "16093Y"), mk(full, "16093K"), Options{}, 0, 1, CannotExclude},
		{"heteroplasmy excluding the rCRS base", mk(full, "16093R"), mk(full, ""), Options{}, 1, 0, Inconclusive},
		{"heteroplasmy outside the carried rCRS, base unknown", mk(whole, "3010R"), mk(whole, ""), Options{}, 1, 0, Inconclusive},
		{"heteroplasmy outside the carried rCRS, base given", mk(whole, "G3010R"), mk(whole, ""), Options{}, 0, 1, CannotExclude},
		{"N is compatible with any base", mk(full, "16311N"), mk(full, "16311C"), Options{}, 0, 1, CannotExclude},
		{"outside the overlap ignored", mk("16024-16569", "16519C"), mk("1-576", "73G"), Options{}, 0, 0, CannotExclude},
		{"deletion", mk(full, "249del"), mk(full, ""), Options{}, 1, 0, Inconclusive},
		{"deletion spellings", mk(full, "249d"), mk(full, "249-"), Options{}, 0, 0, CannotExclude},
		{"deletion against a heteroplasmy", mk(full, "249del"), mk(full, "249R"), Options{}, 1, 0, Inconclusive},
		{"insertion outside the C-stretches", mk(whole, "2156.1A"), mk(whole, ""), Options{}, 1, 0, Inconclusive},
	} {
		got := Compare(c.a, c.b, c.o)
		if got.Differences != c.diffs || got.Compatible != c.compatible || got.Verdict != c.verdict || len(got.Details) != c.diffs+c.compatible {
			t.Errorf("%s: %d differences, %d compatible (%s) %+v; want %d, %d (%s)", c.name, got.Differences, got.Compatible, got.Verdict, got.Details, c.diffs, c.compatible, c.verdict)
		}
		if back := Compare(c.b, c.a, c.o); back.Differences != got.Differences || back.Compatible != got.Compatible {
			t.Errorf("%s: not symmetric", c.name)
		}
	}
	d := Compare(mk(full, "73G 16093Y"), mk(full, "16093C 263G"), Options{}).Details
	if len(d) != 3 || d[0].Pos != 73 || d[0].A != "G" || d[0].B != "ref" || d[1].Pos != 263 || d[2].Pos != 16093 || !d[2].Compatible {
		t.Errorf("details %+v", d)
	}
	if c := Compare(mk("16024-16569", ""), mk("16100-16200;1-10", ""), Options{}); c.Positions != 101 {
		t.Errorf("overlap positions %d, want 101", c.Positions)
	}
	if c := Compare(mk("1-100;50-150", ""), mk("1-576", ""), Options{}); c.Positions != 150 {
		t.Errorf("overlapping ranges: %d positions, want 150", c.Positions)
	}
	if c := Compare(mk("1-100", "73G"), mk("200-300", "263G"), Options{}); c.Positions != 0 || c.Verdict != CannotExclude {
		t.Errorf("no overlap: %+v", c)
	}
}

func TestCountFrequency(t *testing.T) {
	q, _ := Parse("16024-16569", "16519C 16311C 16093Y")
	var refs []Profile
	for i := 0; i < 100; i++ {
		v := "16519C"
		switch {
		case i < 2:
			v = "16519C 16311C 315.1C"
		case i == 2:
			v = "16519C 16311C 16093C" // heteroplasmy-compatible
		}
		r, _ := Parse("16024-16569;1-576", v)
		refs = append(refs, r)
	}
	short, _ := Parse("16100-16400", "16311C")
	split, _ := Parse("16024-16300;16302-16569", "16311C 16519C") // a gap at 16301
	refs = append(refs, short, split)
	f := CountFrequency(q, refs, Options{})
	if f.Matches != 3 || f.N != 100 || f.Skipped != 2 || math.Abs(f.Estimate-0.03) > 1e-15 {
		t.Fatalf("%+v", f)
	}
	// The one-sided 95% Clopper-Pearson bound for 3 of 100: 0.0757108, SciPy 1.10's
	// binomtest(3, 100, alternative="less").proportion_ci(0.95).high, run by hand.
	if math.Abs(f.Upper95-0.0757108) > 1e-6 {
		t.Errorf("upper bound %v", f.Upper95)
	}
	// x = 0 of 100: 1 - 0.05^(1/100) = 0.0295130 by hand.
	none, _ := Parse("16024-16569", "16362C")
	if f := CountFrequency(none, refs, Options{}); f.Matches != 0 || math.Abs(f.Upper95-0.0295130) > 1e-6 {
		t.Errorf("x = 0: %+v", f)
	}
	// Joined ranges cover: "16024-16300;16301-16569" is one range.
	joined, _ := Parse("16024-16300;16301-16569", "16519C")
	if f := CountFrequency(q, []Profile{joined}, Options{}); f.Skipped != 0 || f.N != 1 {
		t.Errorf("joined ranges: %+v", f)
	}
}

func BenchmarkCountFrequency(b *testing.B) {
	q, _ := Parse("16024-16569;1-576", "16069T 16126C 16519C 73G 185A 188G 228A 263G 295T 315.1C 462T 489C")
	var refs []Profile
	pool := strings.Fields("16069T 16126C 16223T 16311C 16519C 16362C 16298C 73G 150T 152C 195C 263G 295T 315.1C 309.1C 462T 489C")
	for i := 0; i < 10000; i++ {
		var vs []string
		for j, v := range pool {
			if (i>>uint(j%13))&1 == 1 || j == 7 {
				vs = append(vs, v)
			}
		}
		r, err := Parse("16024-16569;1-576", strings.Join(vs, " "))
		if err != nil {
			b.Fatal(err)
		}
		refs = append(refs, r)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		CountFrequency(q, refs, Options{})
	}
}

func FuzzParse(f *testing.F) {
	for _, c := range readCases(f) {
		f.Add(c.ranges, c.variants)
	}
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
		for i, rg := range p.Ranges {
			if rg.From < 1 || rg.From > rg.To || rg.To > Length {
				t.Fatalf("bad range %v", p.Ranges)
			}
			if i > 0 && rg.From <= p.Ranges[i-1].To+1 {
				t.Fatalf("ranges not merged: %v", p.Ranges)
			}
		}
		if c := Compare(p, p, Options{}); c.Differences != 0 || c.Compatible != 0 {
			t.Fatalf("a profile differs from itself: %+v", c)
		}
		back, err := Parse(p.RangeString(), p.VariantString())
		if err != nil {
			t.Fatalf("written form %q %q does not parse: %v", p.RangeString(), p.VariantString(), err)
		}
		if back.RangeString() != p.RangeString() || back.VariantString() != p.VariantString() {
			t.Fatalf("round trip changed %q %q", p.RangeString(), p.VariantString())
		}
	})
}
