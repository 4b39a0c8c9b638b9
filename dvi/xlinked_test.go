package dvi

import (
	"encoding/json"
	"math"
	"os"
	"strings"
	"testing"
)

// A DVI case on X-STRs: the missing father FA of a typed daughter D, and two male victims, V1 who
// carries at every marker one of D's alleles and V2 who does not at some. V1's pairwise LR as FA is,
// marker by marker, 1/(2 p_a) when D is heterozygous (a, b) and 1/p_a when she is (a, a) (the
// father's one allele passes to his daughter; her mother untyped); V2 is excluded. The
// markers and frequencies are the Argus X-12 ones of the shared kinship-ext oracle.
func TestXLinkedDVI(t *testing.T) {
	raw, err := os.ReadFile("../labfmt/casejson/testdata/oracle-ext/x_paternal_halfsisters.input.json")
	if err != nil {
		t.Fatal(err)
	}
	var src struct {
		Markers   []map[string]any               `json:"markers"`
		Genotypes map[string]map[string][]string `json:"genotypes"`
	}
	if err := json.Unmarshal(raw, &src); err != nil {
		t.Fatal(err)
	}
	d := src.Genotypes["S1"]
	genos := map[string]map[string][]string{"D": d, "V1": {}, "V2": {}}
	want := 1.0
	for _, mk := range src.Markers {
		name := mk["name"].(string)
		g, ok := d[name]
		if !ok {
			continue
		}
		freq := map[string]float64{}
		for i, a := range mk["alleles"].([]any) {
			freq[a.(string)] = mk["frequencies"].([]any)[i].(float64)
		}
		genos["V1"][name] = []string{g[0], g[0]}
		if g[0] == g[1] {
			want /= freq[g[0]]
		} else {
			want /= 2 * freq[g[0]]
		}
		other := mk["alleles"].([]any)[0].(string)
		if other == g[0] || other == g[1] {
			other = mk["alleles"].([]any)[1].(string)
		}
		genos["V2"][name] = []string{other, other}
	}
	fam := []map[string]any{{"id": "FA", "father": nil, "mother": nil, "sex": 1}, {"id": "MO", "father": nil, "mother": nil, "sex": 2},
		{"id": "D", "father": "FA", "mother": "MO", "sex": 2}}
	c := map[string]any{"schema": "homeward/case/v1", "case": "x-dvi", "type": "dvi", "extensions": []string{"x_chromosome"}, "markers": src.Markers,
		"victims":  []map[string]any{{"id": "V1", "sex": 1}, {"id": "V2", "sex": 1}},
		"families": []map[string]any{{"name": "F1", "individuals": fam}}, "missing": []string{"FA"}, "references": []string{"D"},
		"genotypes": genos, "pairings": map[string][]string{"V1": {"*", "FA"}, "V2": {"*", "FA"}}}
	b, _ := json.Marshal(c)
	p, err := ReadProblem(strings.NewReader(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	lr, err := p.PairwiseLR()
	if err != nil {
		t.Fatal(err)
	}
	if got := *lr.Matrix[0][0]; math.Abs(got/want-1) > 1e-9 {
		t.Errorf("V1 as FA: LR %.15g, want %.15g", got, want)
	}
	if got := lr.Matrix[1][0]; got != nil && *got != 0 {
		t.Errorf("V2 as FA: LR %v, want 0", *got)
	}
	ex, err := p.ExclusionMatrix()
	if err != nil {
		t.Fatal(err)
	}
	if n := *ex.Matrix[1][0]; n != len(d) {
		t.Errorf("V2 incompatible at %d markers, want %d", n, len(d))
	}
}
