package casejson

import (
	"encoding/json"
	"math"
	"os"
	"strings"
	"testing"
)

// A case needing a capability Homeward lacks, or carrying an extension's data without declaring
// it, is refused with a message naming what is wrong, never computed as something else.
func TestExtensionsRefused(t *testing.T) {
	b, err := os.ReadFile("testdata/oracle-ext/dropout_fullsib.input.json")
	if err != nil {
		t.Fatal(err)
	}
	edit := func(f func(m map[string]any)) string {
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		f(m)
		out, _ := json.Marshal(m)
		return string(out)
	}
	marker0 := func(m map[string]any) map[string]any { return m["markers"].([]any)[0].(map[string]any) }
	dropout := func(m map[string]any) map[string]any { return m["dropout"].(map[string]any) }
	cases := map[string]string{
		`extension "linkage_map" is not supported`: edit(func(m map[string]any) { m["extensions"] = []any{"dropout", "linkage_map"} }),
		`needs the extension "x_chromosome"`:       edit(func(m map[string]any) { marker0(m)["chrom"] = "X" }),
		`chrom "7" is not supported`:               edit(func(m map[string]any) { marker0(m)["chrom"] = "7" }),
		`need the extension "dropout"`:             edit(func(m map[string]any) { m["extensions"] = []any{} }),
		`dropout model "LoComatioN"`:               edit(func(m map[string]any) { dropout(m)["model"] = "LoComatioN" }),
		`dropout.persons.V: d_het and d_hom`:       edit(func(m map[string]any) { dropout(m)["persons"] = map[string]any{} }),
		`drop_in 1.5 is outside`:                   edit(func(m map[string]any) { dropout(m)["drop_in"] = 1.5 }),
		`both genotypes and allele_observations`: edit(func(m map[string]any) {
			m["genotypes"].(map[string]any)["V"] = map[string]any{"D3S1358": []any{"17", "18"}}
		}),
		`allele "99" is not in the marker's allele list`: edit(func(m map[string]any) {
			m["allele_observations"].(map[string]any)["V"].(map[string]any)["D3S1358"] = []any{"99"}
		}),
		`allele "18" listed twice`: edit(func(m map[string]any) {
			m["allele_observations"].(map[string]any)["V"].(map[string]any)["D3S1358"] = []any{"18", "18"}
		}),
		`frequencies sum to 1.5`: edit(func(m map[string]any) {
			fr := marker0(m)["frequencies"].([]any)
			fr[0] = fr[0].(float64) + 0.5
		}),
		`marker NOPE is not defined`: edit(func(m map[string]any) {
			m["allele_observations"].(map[string]any)["V"].(map[string]any)["NOPE"] = []any{"18"}
		}),
	}
	for want, in := range cases {
		if _, err := SolveKinship(strings.NewReader(in)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("want an error with %q, got %v", want, err)
		}
	}
}

// Half-siblings against grandmother-granddaughter over the FORCE SNPs: both have k0 = k1 = 1/2, so
// without linkage the LR is 1 at every marker, and the result says they cannot be told apart.
func TestSameDegreeNotSeparable(t *testing.T) {
	b, err := os.ReadFile("testdata/oracle-ext/force_grandmother_granddaughter.input.json")
	if err != nil {
		t.Fatal(err)
	}
	c, err := Read(strings.NewReader(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	// A second hypothesis: the two typed people as paternal half-sisters.
	var typed []string
	for id := range c.Genotypes {
		typed = append(typed, id)
	}
	if len(typed) != 2 {
		t.Fatalf("typed %v", typed)
	}
	f, m2, m1 := "HSF", "HSM2", "HSM1"
	c.Hypotheses = append(c.Hypotheses, HypothesisJSON{Name: "HS", Components: []ComponentJSON{{Individuals: []PersonJSON{
		{ID: f, Sex: 1}, {ID: m1, Sex: 2}, {ID: m2, Sex: 2},
		{ID: typed[0], Father: &f, Mother: &m1, Sex: 2}, {ID: typed[1], Father: &f, Mother: &m2, Sex: 2}}}}})
	c.Reference = "HS"
	res, err := c.SolveKinship()
	if err != nil {
		t.Fatal(err)
	}
	if lr := float64(res.LRTotal["GP:HS"]); math.Abs(lr-1) > 1e-6 {
		t.Errorf("GP:HS = %v, want 1", lr)
	}
	if len(res.Notes) != 1 || !strings.Contains(res.Notes[0], "GP:HS") || !strings.Contains(res.Notes[0], "not separable") {
		t.Errorf("notes %q", res.Notes)
	}
}

// A given mutation matrix must be row-stochastic: a row summing to 1.5 is refused naming the
// marker, not computed into probabilities above 1.
func TestMutationMatrixChecked(t *testing.T) {
	b, err := os.ReadFile("testdata/oracle/paternity_mutation_equal.input.json")
	if err != nil {
		t.Fatal(err)
	}
	c, err := Read(strings.NewReader(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	c.Markers[2].Mutation.Male.Matrix[1][1] += 0.5
	if _, err := c.SolveKinship(); err == nil || !strings.Contains(err.Error(), "marker "+c.Markers[2].Name+": male mutation matrix") {
		t.Errorf("bad matrix: %v", err)
	}
}
