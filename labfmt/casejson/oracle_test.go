package casejson

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

type expected struct {
	Markers         []string           `json:"markers"`
	LoglikPerMarker map[string][]Float `json:"loglik_per_marker"`
	LoglikTotal     map[string]Float   `json:"loglik_total"`
	LRPerMarker     map[string][]Float `json:"LR_per_marker"`
	LRTotal         map[string]Float   `json:"LR_total"`
}

func closeAbs(a, b, tol float64) bool {
	if math.IsInf(a, -1) || math.IsInf(b, -1) {
		return math.IsInf(a, -1) && math.IsInf(b, -1)
	}
	return math.Abs(a-b) <= tol
}

func closeRel(a, b, tol float64) bool {
	if math.IsInf(a, 0) || math.IsInf(b, 0) || math.IsNaN(a) || math.IsNaN(b) {
		return a == b || (math.IsNaN(a) && math.IsNaN(b))
	}
	if b == 0 {
		return a == 0
	}
	return math.Abs(a-b) <= tol*math.Abs(b)
}

// Every oracle kinship case: log-likelihoods to 1e-9 absolute, LRs to 1e-9 relative.
func TestOracleKinship(t *testing.T) {
	inputs, _ := filepath.Glob("testdata/oracle/*.input.json")
	if len(inputs) < 8 {
		t.Fatalf("found %d oracle cases", len(inputs))
	}
	for _, in := range inputs {
		t.Run(strings.TrimSuffix(filepath.Base(in), ".input.json"), func(t *testing.T) { checkOracleCase(t, in) })
	}
}

// The cases of the format's extensions (testdata/oracle-ext, from the shared kinship-ext oracle):
// FORCE SNP panels (forrel) and degraded donors under relMix's dropout model, to the same
// tolerances. relMix/Familias and Homeward differ by about 1e-10 in log-likelihood on markers whose
// frequencies sum to 1 +- 1e-10 (Familias sums the untyped donor's genotypes over the raw
// frequencies, Homeward lumps unseen alleles as pedprobr does).
func TestOracleKinshipExtensions(t *testing.T) {
	inputs, _ := filepath.Glob("testdata/oracle-ext/*.input.json")
	if len(inputs) < 4 {
		t.Fatalf("found %d extension cases", len(inputs))
	}
	for _, in := range inputs {
		t.Run(strings.TrimSuffix(filepath.Base(in), ".input.json"), func(t *testing.T) { checkOracleCase(t, in) })
	}
}

func checkOracleCase(t *testing.T, in string) {
	t.Helper()
	f, err := os.Open(in)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, err := SolveKinship(f)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(strings.Replace(in, ".input.", ".expected.", 1))
	if err != nil {
		t.Fatal(err)
	}
	var exp expected
	if err := json.Unmarshal(b, &exp); err != nil {
		t.Fatal(err)
	}
	if strings.Join(exp.Markers, ",") != strings.Join(res.Markers, ",") {
		t.Fatalf("markers differ")
	}
	for h, want := range exp.LoglikPerMarker {
		got := res.LoglikPerMarker[h]
		for i := range want {
			if !closeAbs(float64(got[i]), float64(want[i]), 1e-9) {
				t.Errorf("%s marker %s loglik %.15g, want %.15g", h, exp.Markers[i], float64(got[i]), float64(want[i]))
			}
		}
		if !closeAbs(float64(res.LoglikTotal[h]), float64(exp.LoglikTotal[h]), 1e-9) {
			t.Errorf("%s total %.15g, want %.15g", h, float64(res.LoglikTotal[h]), float64(exp.LoglikTotal[h]))
		}
	}
	for k, want := range exp.LRPerMarker {
		got, ok := res.LRPerMarker[k]
		if !ok {
			t.Errorf("LR %s missing", k)
			continue
		}
		for i := range want {
			if !closeRel(float64(got[i]), float64(want[i]), 1e-9) {
				t.Errorf("LR %s marker %s = %.15g, want %.15g", k, exp.Markers[i], float64(got[i]), float64(want[i]))
			}
		}
		if !closeRel(float64(res.LRTotal[k]), float64(exp.LRTotal[k]), 1e-9) {
			t.Errorf("LR total %s = %.15g, want %.15g", k, float64(res.LRTotal[k]), float64(exp.LRTotal[k]))
		}
	}
}

// A model given only by its parameters gives the same numbers as with the reference's matrix.
func TestModelFromParameters(t *testing.T) {
	b, err := os.ReadFile("testdata/oracle/paternity_mutation_equal.input.json")
	if err != nil {
		t.Fatal(err)
	}
	withMatrix, err := SolveKinship(strings.NewReader(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	c, err := Read(strings.NewReader(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	for i := range c.Markers {
		c.Markers[i].Mutation.Female.Matrix = nil
		c.Markers[i].Mutation.Male.Matrix = nil
	}
	fromParams, err := c.SolveKinship()
	if err != nil {
		t.Fatal(err)
	}
	for h, v := range withMatrix.LoglikTotal {
		if !closeAbs(float64(fromParams.LoglikTotal[h]), float64(v), 1e-12) {
			t.Errorf("%s: %v from parameters, %v with the matrix", h, fromParams.LoglikTotal[h], v)
		}
	}
	c.Markers[0].Mutation.Female.Model = "stepwise"
	c.Markers[0].Mutation.Female.Range = nil
	if _, err := c.SolveKinship(); err == nil || !strings.Contains(err.Error(), "marker D3S1358") {
		t.Errorf("bad model: %v", err)
	}
}

func FuzzSolveKinship(f *testing.F) {
	b, _ := os.ReadFile("testdata/oracle/paternity_duo.input.json")
	f.Add(string(b))
	b, _ = os.ReadFile("testdata/oracle-ext/dropout_mother_theta_dropin.input.json")
	f.Add(string(b))
	f.Add(`{"type":"kinship","markers":[{"name":"M","alleles":["1"],"frequencies":[1]}],"hypotheses":[{"name":"H","components":[{"individuals":[{"id":"A","sex":1}]}]}],"reference_hypothesis":"H"}`)
	f.Add(`{"type":"kinship","hypotheses":[{"name":"H","components":[{"individuals":[{"id":"A","father":"A","mother":"B","sex":1}]}]}]}`)
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 1<<16 {
			return
		}
		res, err := SolveKinship(strings.NewReader(s))
		if err == nil && res == nil {
			t.Fatal("nil result without error")
		}
	})
}

func TestMutationModelsReported(t *testing.T) {
	f, _ := os.Open("testdata/oracle/paternity_mutation_equal.input.json")
	defer f.Close()
	res, err := SolveKinship(f)
	if err != nil {
		t.Fatal(err)
	}
	rep, ok := res.MutationModels["TH01"]
	if !ok || rep.Female == nil || rep.Female.Model != "equal" || !rep.Female.AlwaysLumpable || rep.Female.Stationary {
		t.Errorf("TH01 report %+v", rep)
	}
	if len(res.MutationModels) != 23 {
		t.Errorf("%d markers reported", len(res.MutationModels))
	}
}

// The FORCE panel cases (3,930 SNPs, unlinked) and a degraded donor, solved from the parsed case
// (reading the JSON excluded): go test -run XXX -bench Extension -benchmem ./labfmt/casejson
func BenchmarkExtensionCases(b *testing.B) {
	for _, name := range []string{"force_half_siblings", "force_grandmother_granddaughter", "dropout_mother_theta_dropin"} {
		raw, err := os.ReadFile("testdata/oracle-ext/" + name + ".input.json")
		if err != nil {
			b.Fatal(err)
		}
		c, err := Read(strings.NewReader(string(raw)))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if _, err := c.SolveKinship(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
