package dvi

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/homeward/homeward/kinship"
	"github.com/homeward/homeward/labfmt/freqdb"
)

// screenInputs turns a DVI problem into screen inputs: one family per missing person (the others
// untyped) and one profile per victim.
func screenInputs(t testing.TB, p *Problem) ([]ScreenFamily, []EncodedProfile) {
	var fams []ScreenFamily
	for k, m := range p.Missing {
		fi := p.familyOf[m]
		sf := ScreenFamily{ID: int64(k), Name: p.Families[fi].Name + "/" + m, Ped: p.Families[fi].Ped, Target: m}
		for mi := range p.Markers {
			g := map[string]kinship.Genotype{}
			for _, pe := range p.Families[fi].Ped.People {
				if x, ok := p.Genos[mi][pe.ID]; ok {
					g[pe.ID] = x
				}
			}
			sf.Genos = append(sf.Genos, g)
		}
		fams = append(fams, sf)
	}
	var profs []EncodedProfile
	for vi, v := range p.Victims {
		loci := map[string][]string{}
		for mi, mk := range p.Markers {
			if g, ok := p.Genos[mi][v.ID]; ok {
				loci[mk.Name] = []string{mk.Alleles[g[0]], mk.Alleles[g[1]]}
			}
		}
		ep, err := EncodeProfile(p.Markers, int64(vi), v.ID, loci)
		if err != nil {
			t.Fatal(err)
		}
		profs = append(profs, ep)
	}
	return fams, profs
}

// The screening tables give, for every victim and missing person, dvir's pairwise LR (the oracle
// matrix, computed by dvir 3.4.2), to 1e-9 relative: with mutation models (KETPexer497, through
// exact placement) and without (KETPchap481, example1, through one elimination). (fire agrees too
// but its families with many untyped members take half a minute by placement.)
func TestScreenAgreesWithOraclePairwise(t *testing.T) {
	for _, name := range []string{"KETPexer497", "KETPchap481", "example1", "example2"} {
		t.Run(name, func(t *testing.T) {
			f, err := os.Open(filepath.Join("testdata", "oracle", name+".input.json"))
			if err != nil {
				t.Fatal(err)
			}
			p, err := ReadProblem(f)
			f.Close()
			if err != nil {
				t.Fatal(err)
			}
			b, _ := os.ReadFile(filepath.Join("testdata", "oracle", name+".expected.json"))
			var e expectedDVI
			if err := json.Unmarshal(b, &e); err != nil {
				t.Fatal(err)
			}
			fams, profs := screenInputs(t, p)
			checked := 0
			for k, sf := range fams {
				tab, err := NewFamilyTable(p.Markers, sf, 0)
				if err != nil {
					t.Fatal(err)
				}
				for vi := range profs {
					w := e.Pairwise.Matrix[vi][k]
					if w == nil {
						continue // not an admissible pairing (sex); the screen does not judge sex
					}
					if got := tab.LR(&profs[vi]); !relClose(got, *w, 1e-9) {
						t.Errorf("%s vs %s: %v, dvir %v", e.Pairwise.Victims[vi], e.Pairwise.Missing[k], got, *w)
					}
					checked++
				}
			}
			if checked == 0 {
				t.Fatal("nothing compared")
			}
			// Screen returns the pairs at or above the threshold, strongest first.
			var tabs []*FamilyTable
			for _, sf := range fams {
				tab, _ := NewFamilyTable(p.Markers, sf, 0)
				tabs = append(tabs, tab)
			}
			hits, n, _ := Screen(context.Background(), p.Markers, tabs, profs, 10, nil, nil)
			if n != int64(len(tabs)*len(profs)) {
				t.Errorf("comparisons %d", n)
			}
			for i, h := range hits {
				if h.LR < 10 || (i > 0 && h.LR > hits[i-1].LR) {
					t.Errorf("hit %d: %+v", i, h)
				}
			}
		})
	}
}

// An exclusion is counted, and the allowance keeps a relative who differs by one mutation.
func TestScreenExclusionAllowance(t *testing.T) {
	P := func(id, f, m string, sex int) kinship.Person {
		return kinship.Person{ID: id, Father: f, Mother: m, Sex: sex}
	}
	ped, err := kinship.NewPedigree([]kinship.Person{P("FA", "", "", 1), P("MO", "", "", 2), P("MP", "FA", "MO", 1)})
	if err != nil {
		t.Fatal(err)
	}
	mk := &kinship.Marker{Name: "M1", Alleles: []string{"1", "2", "3", "4"}, Freqs: []float64{0.1, 0.2, 0.3, 0.4}}
	mk2 := &kinship.Marker{Name: "M2", Alleles: []string{"1", "2"}, Freqs: []float64{0.5, 0.5}}
	panel := []*kinship.Marker{mk, mk2}
	sf := ScreenFamily{Name: "F", Ped: ped, Target: "MP", Genos: []map[string]kinship.Genotype{{"FA": {0, 0}, "MO": {1, 1}}, {"FA": {0, 0}, "MO": {0, 0}}}}
	// The child of 1/1 and 2/2 is 1/2: LR 1 / (2 * 0.1 * 0.2) = 25. At M2 the child is 1/1: LR 4.
	child, _ := EncodeProfile(panel, 1, "child", map[string][]string{"M1": {"2", "1"}, "M2": {"1"}})
	other, _ := EncodeProfile(panel, 2, "other", map[string][]string{"M1": {"3", "4"}, "M2": {"1", "1"}})
	strict, err := NewFamilyTable(panel, sf, 0)
	if err != nil {
		t.Fatal(err)
	}
	if lr := strict.LR(&child); math.Abs(lr-100) > 1e-9 {
		t.Errorf("child LR %v, want 25 * 4 = 100", lr)
	}
	if lr := strict.LR(&other); lr != 0 {
		t.Errorf("excluded LR %v", lr)
	}
	loose, _ := NewFamilyTable(panel, sf, 0.001)
	if lr := loose.LR(&other); math.Abs(lr-0.004) > 1e-15 {
		t.Errorf("allowance LR %v, want 0.001 * 4", lr)
	}
	if c, e := loose.Detail(panel, &other); c != 2 || e != 1 {
		t.Errorf("compared %d exclusions %d", c, e)
	}
	if _, err := EncodeProfile(panel, 3, "S9", map[string][]string{"M1": {"1", "7"}}); err == nil || !strings.Contains(err.Error(), "S9 marker M1") {
		t.Errorf("allele outside the panel: %v", err)
	}
	if _, err := NewFamilyTable(panel, sf, 1.5); err == nil {
		t.Error("allowance 1.5 accepted")
	}
}

func TestBuildPanel(t *testing.T) {
	db, err := freqdb.Load("nist-all")
	if err != nil {
		t.Fatal(err)
	}
	loci := []map[string][]string{
		{"TH01": {"6", "9.3"}, "AMEL": {"X", "Y"}, "vWA": {"16", "17"}},
		{"TH01": {"13.3", "7"}, "DYS391": {"10"}},
	}
	panel, rep, err := BuildPanel(db, loci, freqdb.MissingAlleleRule{MinFreq: 0.001})
	if err != nil {
		t.Fatal(err)
	}
	if len(panel) != 2 || len(rep.Unknown) != 1 || rep.Unknown[0] != "DYS391" {
		t.Errorf("panel %d markers, unknown %v", len(panel), rep.Unknown)
	}
	added := false
	for _, a := range rep.Additions {
		added = added || (a.Allele == "13.3" && a.Freq == 0.001)
	}
	if !added {
		t.Errorf("13.3 not added: %+v", rep.Additions)
	}
	if _, err := PanelMarkers(panel); err != nil {
		t.Error(err)
	}
	if _, _, err := BuildPanel(db, []map[string][]string{{"XYZ": {"1"}}}, freqdb.MissingAlleleRule{}); err == nil {
		t.Error("panel without markers accepted")
	}
}

// synthetic builds a screen of nFam families (father and mother typed, or a sibling and the
// mother) and nProf random profiles on the first 23 NIST markers.
func synthetic(tb testing.TB, nFam, nProf int) ([]*kinship.Marker, []*FamilyTable, []EncodedProfile) {
	db, err := freqdb.Load("nist-all")
	if err != nil {
		tb.Fatal(err)
	}
	var panel []*kinship.Marker
	for _, m := range db.Markers {
		if len(panel) == 23 {
			break
		}
		panel = append(panel, &kinship.Marker{Name: m.Name, Alleles: m.Alleles, Freqs: m.Freqs})
	}
	rng := rand.New(rand.NewSource(1))
	draw := func(m *kinship.Marker) int {
		sum := 0.0
		for _, f := range m.Freqs {
			sum += f
		}
		x := rng.Float64() * sum
		for i, f := range m.Freqs {
			if x -= f; x <= 0 {
				return i
			}
		}
		return len(m.Freqs) - 1
	}
	P := func(id, f, m string, sex int) kinship.Person {
		return kinship.Person{ID: id, Father: f, Mother: m, Sex: sex}
	}
	ped, _ := kinship.NewPedigree([]kinship.Person{P("FA", "", "", 1), P("MO", "", "", 2), P("MP", "FA", "MO", 1), P("SIB", "FA", "MO", 2)})
	var tabs []*FamilyTable
	for f := 0; f < nFam; f++ {
		sf := ScreenFamily{ID: int64(f), Name: "F", Ped: ped, Target: "MP"}
		typed := []string{"FA", "MO"}
		if f%2 == 1 {
			typed = []string{"SIB", "MO"}
		}
		for _, m := range panel {
			g := map[string]kinship.Genotype{}
			for _, id := range typed {
				g[id] = kinship.Genotype{draw(m), draw(m)}
			}
			sf.Genos = append(sf.Genos, g)
		}
		if f%2 == 1 { // keep the sibling consistent with the mother
			for mi := range panel {
				g := sf.Genos[mi]
				g["SIB"] = kinship.Genotype{g["MO"][0], g["SIB"][1]}
			}
		}
		tab, err := NewFamilyTable(panel, sf, 0.001)
		if err != nil {
			tb.Fatal(err)
		}
		tabs = append(tabs, tab)
	}
	profs := make([]EncodedProfile, nProf)
	for i := range profs {
		profs[i] = EncodedProfile{ID: int64(i), idx: make([]int32, len(panel))}
		for mi, m := range panel {
			a, b := draw(m), draw(m)
			if a > b {
				a, b = b, a
			}
			profs[i].idx[mi] = int32(a*len(m.Alleles) + b)
		}
	}
	return panel, tabs, profs
}

// BenchmarkScreen runs the screen over synthetic families and profiles and reports comparisons per
// second; BenchmarkScreenFloor does only the table look-ups of the same comparisons (the floor the
// screen is measured against); BenchmarkFamilyTable the per-family precomputation.
func BenchmarkScreen(b *testing.B) {
	panel, tabs, profs := synthetic(b, 500, 4000)
	b.ResetTimer()
	var n int64
	for range b.N {
		_, k, _ := Screen(context.Background(), panel, tabs, profs, 1e4, nil, nil)
		n += k
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "comparisons/s")
}

// BenchmarkScreenDropout is BenchmarkScreen reading the profiles as degraded samples (dropout
// 0.2, drop-in 0.01): a sum over the genotypes that could have shown each marker's alleles.
func BenchmarkScreenDropout(b *testing.B) {
	panel, tabs, profs := synthetic(b, 500, 4000)
	d := kinship.Dropout{DHet: 0.2, DHom: 0.04, DropIn: 0.01}
	b.ResetTimer()
	var n int64
	for range b.N {
		_, k, _ := Screen(context.Background(), panel, tabs, profs, 1e4, &d, nil)
		n += k
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "comparisons/s")
}

func BenchmarkScreenFloor(b *testing.B) {
	_, tabs, profs := synthetic(b, 500, 4000)
	b.ResetTimer()
	var n int64
	sink := 0.0
	for range b.N {
		for _, t := range tabs {
			for pi := range profs {
				idx := profs[pi].idx
				for k, mi := range t.markers {
					sink += t.vals[t.offs[k]+idx[mi]]
				}
			}
		}
		n += int64(len(tabs) * len(profs))
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "comparisons/s")
	if sink == 0 {
		b.Fatal("no work")
	}
}

// BenchmarkScreenAgency is the agency-scale figure: 20,000 profiles against 10,000 families on 23
// markers, one iteration (set HOMEWARD_BENCH_AGENCY=1; it needs about 1 GB and a minute).
func BenchmarkScreenAgency(b *testing.B) {
	if os.Getenv("HOMEWARD_BENCH_AGENCY") == "" {
		b.Skip("set HOMEWARD_BENCH_AGENCY=1")
	}
	panel, tabs, profs := synthetic(b, 10_000, 20_000)
	b.ResetTimer()
	var n int64
	for range b.N {
		_, k, _ := Screen(context.Background(), panel, tabs, profs, 1e4, nil, nil)
		n += k
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "comparisons/s")
	bytes := 0
	for _, t := range tabs {
		bytes += len(t.vals)*8 + len(t.zero)
	}
	b.ReportMetric(float64(bytes)/float64(len(tabs)), "table-bytes/family")
}

func BenchmarkFamilyTable(b *testing.B) {
	b.ReportAllocs()
	for range b.N {
		synthetic(b, 1, 0)
	}
}

// A screen stops when its context is done, before the next family, with the context's error and
// the comparisons made so far; so does the degraded-profile reading.
func TestScreenStops(t *testing.T) {
	panel, tabs, profs := synthetic(t, 20, 50)
	for _, d := range []*kinship.Dropout{nil, {DHet: 0.2, DHom: 0.04}} {
		ctx, cancel := context.WithCancel(context.Background())
		last := 0
		_, k, err := Screen(ctx, panel, tabs, profs, 1e4, d, func(done int) {
			last = done
			if done == 3 {
				cancel()
			}
		})
		if !errors.Is(err, context.Canceled) || k != 3*50 || last != 3 {
			t.Errorf("dropout %v: %v after %d comparisons, %d families", d, err, k, last)
		}
	}
}
