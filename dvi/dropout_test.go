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
	lr, compared, excl := tab.ObservedLR(&op)
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
