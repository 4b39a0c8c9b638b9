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
		name := strings.TrimSuffix(filepath.Base(in), ".input.json")
		t.Run(name, func(t *testing.T) {
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
		})
	}
}
