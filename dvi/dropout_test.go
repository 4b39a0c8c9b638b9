package dvi

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/homeward/homeward/kinship"
	"github.com/homeward/homeward/labfmt/casejson"
)

// A degraded victim in a DVI case: the relMix reference case dropout_fullsib (victim V seen only
// through a degraded sample, d = 0.1, drop-in 0.05; the full brother SIB typed) recast as a DVI
// problem whose family misses SIB's brother. The pairwise LR of V as the missing brother is the
// relMix LR of "V is SIB's full brother" against "unrelated" (7088.389492500191, to 1e-9), and the
// pipeline and joint analysis run on it.
func TestDegradedVictimInDVI(t *testing.T) {
	raw, err := os.ReadFile("../labfmt/casejson/testdata/oracle-ext/dropout_fullsib.input.json")
	if err != nil {
		t.Fatal(err)
	}
	var k map[string]json.RawMessage
	if err := json.Unmarshal(raw, &k); err != nil {
		t.Fatal(err)
	}
	c := map[string]any{"schema": "homeward/case/v1", "case": "degraded", "type": "dvi", "extensions": []string{"dropout"},
		"markers": k["markers"], "genotypes": k["genotypes"], "allele_observations": k["allele_observations"], "dropout": k["dropout"],
		"victims":  []map[string]any{{"id": "V", "sex": 1}},
		"families": []map[string]any{{"name": "F1", "individuals": []map[string]any{{"id": "FA", "father": nil, "mother": nil, "sex": 1}, {"id": "MO", "father": nil, "mother": nil, "sex": 2}, {"id": "MP", "father": "FA", "mother": "MO", "sex": 1}, {"id": "SIB", "father": "FA", "mother": "MO", "sex": 1}}}},
		"missing":  []string{"MP"}, "references": []string{"SIB"}}
	b, _ := json.Marshal(c)
	p, err := ReadProblem(strings.NewReader(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	lr, err := p.PairwiseLR()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := *lr.Matrix[0][0], 7088.389492500191; math.Abs(got/want-1) > 1e-9 {
		t.Errorf("pairwise LR %.15g, relMix %.15g", got, want)
	}
	rep, err := Analyse(p, DefaultSolveOptions())
	if err != nil {
		t.Fatal(err)
	}
	if rep.Solve == nil || len(rep.Solve.AM) != 1 || rep.Solve.AM[0].Conclusion != ConclusionProbable {
		t.Errorf("conclusions: %+v", rep.Solve)
	}
	// Observations of someone who is not a victim are refused: references are typed exactly.
	c["allele_observations"] = map[string]any{"SIB": map[string]any{"TH01": []string{"9"}}}
	delete(c, "genotypes")
	b, _ = json.Marshal(c)
	if _, err := ReadProblem(strings.NewReader(string(b))); err == nil || !strings.Contains(err.Error(), "only victims") {
		t.Errorf("observed reference: %v", err)
	}
}

// A screen of degraded profiles gives the full computation's LR: the same relMix case screened
// (the family's table, the victim's observed alleles as stored, with the empty marker as
// "analysed, nothing seen") gives relMix's 7088.389492500191 to 1e-9; read as genotypes (a single
// allele a homozygote) the same profile gives another number (4,840: a brother is less likely to
// be seen as a homozygote than to have lost an allele).
func TestScreenDegradedProfile(t *testing.T) {
	raw, err := os.ReadFile("../labfmt/casejson/testdata/oracle-ext/dropout_fullsib.input.json")
	if err != nil {
		t.Fatal(err)
	}
	var c struct {
		Genotypes map[string]map[string][]string `json:"genotypes"`
		Observed  map[string]map[string][]string `json:"allele_observations"`
		Markers   []casejson.MarkerJSON          `json:"markers"`
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		t.Fatal(err)
	}
	panel, err := PanelMarkers(c.Markers)
	if err != nil {
		t.Fatal(err)
	}
	ped, err := kinship.NewPedigree([]kinship.Person{{ID: "FA", Sex: 1}, {ID: "MO", Sex: 2},
		{ID: "MP", Father: "FA", Mother: "MO", Sex: 1}, {ID: "SIB", Father: "FA", Mother: "MO", Sex: 1}})
	if err != nil {
		t.Fatal(err)
	}
	sf := ScreenFamily{Name: "F1", Ped: ped, Target: "MP"}
	for _, m := range panel {
		g := map[string]kinship.Genotype{}
		if al, ok := c.Genotypes["SIB"][m.Name]; ok {
			g["SIB"] = kinship.Genotype{m.AlleleIndex(al[0]), m.AlleleIndex(al[1])}
		}
		sf.Genos = append(sf.Genos, g)
	}
	tab, err := NewFamilyTable(panel, sf, 0)
	if err != nil {
		t.Fatal(err)
	}
	prof, err := EncodeProfile(panel, 1, "V", c.Observed["V"])
	if err != nil {
		t.Fatal(err)
	}
	d := kinship.Dropout{DHet: 0.1, DHom: 0.01, DropIn: 0.05}
	op := PrepareObserved(panel, &prof, d)
	lr, compared, excl := tab.ObservedLR(panel, &op)
	if want := 7088.389492500191; math.Abs(lr/want-1) > 1e-9 || excl != 0 || compared != len(c.Observed["V"]) {
		t.Errorf("observed LR %.15g (relMix %.15g), compared %d, exclusions %d", lr, want, compared, excl)
	}
	hits, _, _ := Screen(context.Background(), panel, []*FamilyTable{tab}, []EncodedProfile{prof}, 1000, &d, nil)
	if len(hits) != 1 || hits[0].LR != lr {
		t.Errorf("screen with dropout: %+v", hits)
	}
	if hits, _, _ := Screen(context.Background(), panel, []*FamilyTable{tab}, []EncodedProfile{prof}, 1000, nil, nil); len(hits) != 1 || math.Abs(hits[0].LR/lr-1) < 0.1 {
		t.Errorf("read as genotypes: %+v, want an LR other than %v", hits, lr)
	}
}

// The class-by-class sums of ObservedLR equal the plain sum over every genotype, P(seen | g)
// P(g | relatives) / P(seen | g) P(g), from the kinship engine's own distribution: for profiles
// with one, two or no alleles seen at each marker, with and without drop-in.
func TestObservedLRMatchesPlainSum(t *testing.T) {
	panel, tabs, profs := synthetic(t, 4, 12)
	for _, d := range []kinship.Dropout{{DHet: 0.3, DHom: 0.09}, {DHet: 0.2, DHom: 0.05, DropIn: 0.03}} {
		for pi := range profs {
			prof := profs[pi]
			for mi, m := range panel { // degrade: every third marker one allele, every fifth nothing seen
				n := len(m.Alleles)
				if x := int(prof.idx[mi]); x < n*n && mi%3 == 0 {
					prof.idx[mi] = int32(x/n*n + x/n)
				} else if mi%5 == 0 {
					prof.idx[mi] = int32(n*n + 1)
				}
			}
			op := PrepareObserved(panel, &prof, d)
			for fi, tab := range tabs {
				got, _, _ := tab.ObservedLR(panel, &op)
				want := plainObservedLR(t, panel, tab, &prof, d)
				if math.Abs(got/want-1) > 1e-12 {
					t.Errorf("%+v profile %d family %d: %.15g, plain sum %.15g", d, pi, fi, got, want)
				}
			}
		}
	}
}

// plainObservedLR sums over every genotype, with P(g | relatives) read from the family's table
// (itself checked against dvir's pairwise LRs) and P(seen | g) from the kinship package.
func plainObservedLR(t *testing.T, panel []*kinship.Marker, tab *FamilyTable, p *EncodedProfile, d kinship.Dropout) float64 {
	t.Helper()
	lr := 1.0
	for k, mi := range tab.markers {
		m := panel[mi]
		n := len(m.Alleles)
		o, ok := p.Observed(int(mi), n, d)
		if !ok {
			continue
		}
		num, den := 0.0, 0.0
		for a := 0; a < n; a++ {
			for b := a; b < n; b++ {
				pg := m.Freqs[a] * m.Freqs[b]
				if a != b {
					pg *= 2
				}
				g := a*n + b
				dist := 0.0
				if !tab.zero[int(tab.offs[k])+g] {
					dist = tab.vals[int(tab.offs[k])+g] * pg
				}
				po := o.Probability(m, kinship.Genotype{a, b})
				num += po * dist
				den += po * pg
			}
		}
		if num == 0 {
			lr *= tab.allowance // an exclusion
			continue
		}
		lr *= num / den
	}
	return lr
}
