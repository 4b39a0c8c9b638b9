package mutation

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"testing"
)

type modelJSON struct {
	Model  string      `json:"model"`
	Rate   float64     `json:"rate"`
	Rate2  *float64    `json:"rate2"`
	Range  *float64    `json:"range"`
	Matrix [][]float64 `json:"matrix"`
}

// Building each oracle model from its parameters reproduces the reference matrix.
func TestOracleMatrices(t *testing.T) {
	b, err := os.ReadFile("testdata/oracle_models.json")
	if err != nil {
		t.Fatal(err)
	}
	var markers []struct {
		Case, Name  string
		Alleles     []string
		Frequencies []float64
		Mutation    struct{ Female, Male modelJSON }
	}
	if err := json.Unmarshal(b, &markers); err != nil {
		t.Fatal(err)
	}
	models := map[string]int{}
	for _, m := range markers {
		for _, mj := range []modelJSON{m.Mutation.Female, m.Mutation.Male} {
			// Parameters carried over from Familias (rate2, range on an equal model) are informational.
			p := Params{Model: mj.Model, Rate: mj.Rate}
			got, err := Build(p, m.Alleles, m.Frequencies)
			if err != nil {
				t.Fatalf("%s %s: %v", m.Case, m.Name, err)
			}
			models[mj.Model]++
			for i := range got {
				for j := range got[i] {
					w := mj.Matrix[i][j]
					if math.Abs(got[i][j]-w) > 1e-15*math.Max(w, 1e-300) && math.Abs(got[i][j]-w) > 1e-18 {
						t.Fatalf("%s %s [%d][%d] = %.17g, want %.17g", m.Case, m.Name, i, j, got[i][j], w)
					}
				}
			}
			if !AlwaysLumpable(got) {
				t.Errorf("%s %s: %s model should always be lumpable", m.Case, m.Name, mj.Model)
			}
		}
	}
	if models["equal"] == 0 || models["proportional"] == 0 {
		t.Errorf("models seen: %v", models)
	}
}

func TestStepwiseByHand(t *testing.T) {
	// Alleles 9, 10, 11, 11.3 with rate 0.01, rate2 0.001, range 0.1.
	// Row of 10: integer group {9, 10, 11}: weights 0.1 (to 9), 0.1 (to 11) -> 0.005 each;
	// to 11.3 (other group, one allele): rate2 = 0.001; diagonal 1 - 0.01 - 0.001.
	// Row of 9: weights 0.1 (to 10), 0.01 (to 11) -> 0.01*0.1/0.11 and 0.01*0.01/0.11.
	// Row of 11.3: alone in its group: diagonal 1 - rate2, rate2/3 to each integer allele.
	M, err := Build(Params{Model: "stepwise", Rate: 0.01, Rate2: 0.001, Range: 0.1}, []string{"9", "10", "11", "11.3"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]float64{
		{1 - 0.01 - 0.001, 0.01 * 0.1 / 0.11, 0.01 * 0.01 / 0.11, 0.001},
		{0.005, 1 - 0.01 - 0.001, 0.005, 0.001},
		{0.01 * 0.01 / 0.11, 0.01 * 0.1 / 0.11, 1 - 0.01 - 0.001, 0.001},
		{0.001 / 3, 0.001 / 3, 0.001 / 3, 1 - 0.001},
	}
	for i := range want {
		for j := range want[i] {
			if math.Abs(M[i][j]-want[i][j]) > 1e-15 {
				t.Errorf("[%d][%d] = %.17g, want %.17g", i, j, M[i][j], want[i][j])
			}
		}
	}
	if AlwaysLumpable(M) {
		t.Error("a stepwise model is not always lumpable")
	}
	if _, err := Build(Params{Model: "stepwise", Rate: 0.01, Rate2: 0.001, Range: 0.1}, []string{"9", "X"}, nil); err == nil {
		t.Error("non-numeric allele accepted")
	}
}

func TestOnestepEqualTrivial(t *testing.T) {
	M, err := Build(Params{Model: "onestep", Rate: 0.02}, []string{"9", "10", "11", "14"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if M[0][1] != 0.02 || M[1][0] != 0.01 || M[1][2] != 0.01 || M[3][3] != 1 || M[1][1] != 0.98 {
		t.Errorf("onestep %v", M)
	}
	E, _ := Build(Params{Model: "equal", Rate: 0.003}, []string{"a", "b", "c", "d"}, nil)
	if E[0][0] != 0.997 || E[2][1] != 0.001 {
		t.Errorf("equal %v", E)
	}
	p := []float64{0.1, 0.2, 0.3, 0.4}
	P, _ := Build(Params{Model: "proportional", Rate: 0.005}, []string{"a", "b", "c", "d"}, p)
	if !IsStationary(P, p, 1e-15) || IsStationary(E, p, 1e-9) {
		t.Error("stationarity")
	}
	if !IsLumpable(E, []int{1, 3}) || IsLumpable(M, []int{0, 3}) {
		t.Error("lumpability")
	}
	if _, err := Build(Params{Model: "random"}, []string{"a", "b"}, nil); err == nil {
		t.Error("random accepted")
	}
	if _, err := Build(Params{Model: "custom", Matrix: [][]float64{{0.5, 0.4}, {0, 1}}}, []string{"a", "b"}, nil); err == nil {
		t.Error("custom matrix with a bad row accepted")
	}
}

// D21S11-like microvariants: 31.2, 32.2 and 33.2 are one repeat apart each, whatever the floating
// point value of their decimal parts (31.2 - 31 and 32.2 - 32 differ in the last bits, which once
// put them in different groups). The .2 group's rows are then exactly those of integer alleles 31,
// 32, 33 alone.
func TestStepwiseMicrovariantGroups(t *testing.T) {
	p := Params{Model: "stepwise", Rate: 0.01, Rate2: 0.002, Range: 0.5}
	M, err := Build(p, []string{"30", "31", "31.2", "32.2", "33.2"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Row of 32.2: group {31.2, 32.2, 33.2}: weights 0.5 and 0.5 -> rate/2 each; rate2 shared by the
	// two integer alleles; diagonal 1 - rate - rate2.
	want := []float64{0.001, 0.001, 0.005, 1 - 0.01 - 0.002, 0.005}
	for j, w := range want {
		if math.Abs(M[3][j]-w) > 1e-15 {
			t.Errorf("row 32.2, column %d = %.17g, want %.17g", j, M[3][j], w)
		}
	}
	// Row of 31.2: 32.2 one step (0.5), 33.2 two steps (0.25).
	if w := 0.01 * 0.5 / 0.75; math.Abs(M[2][3]-w) > 1e-15 {
		t.Errorf("31.2 -> 32.2 = %.17g, want %.17g", M[2][3], w)
	}
	// Every decimal digit forms one group across the whole allele range.
	for d := 0; d < 10; d++ {
		var als []string
		for r := 5; r < 50; r++ {
			als = append(als, fmt.Sprintf("%d.%d", r, d))
		}
		tenths, group, err := microgroups(als)
		if err != nil {
			t.Fatal(err)
		}
		for i := range group {
			if group[i] != int64(d) || tenths[i] != int64((5+i)*10+d) {
				t.Fatalf("%s: group %d tenths %d", als[i], group[i], tenths[i])
			}
		}
	}
	for _, bad := range []string{"30.25", "-1", "1e300"} {
		if _, _, err := microgroups([]string{bad}); err == nil {
			t.Errorf("allele %s accepted", bad)
		}
	}
}
