package dvi

import (
	"encoding/json"
	"math"
	"os"
	"strings"
	"testing"
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
