package main

import (
	"encoding/json"
	"math"
	"os"
	"strings"
	"testing"
)

// kinship lr accepts the case files dvi solve accepts: for a DVI case it gives every victim's LR
// against every missing person, equal to dvir's pairwiseLR (1e-9 relative).
func TestKinshipLRAcceptsDVICases(t *testing.T) {
	path := "../../dvi/testdata/oracle/KETPchap481.input.json"
	out, err := runCLI(t, nil, "", "kinship", "lr", path)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Pairwise struct {
			Matrix [][]*float64 `json:"matrix"`
		} `json:"pairwise_lr"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	raw, _ := os.ReadFile(strings.Replace(path, ".input.", ".expected.", 1))
	var want struct {
		Pairwise struct {
			Matrix [][]*float64 `json:"matrix"`
		} `json:"pairwiseLR"`
	}
	json.Unmarshal(raw, &want)
	if len(want.Pairwise.Matrix) == 0 || len(got.Pairwise.Matrix) != len(want.Pairwise.Matrix) {
		t.Fatalf("matrix %v, want %v", got.Pairwise.Matrix, want.Pairwise.Matrix)
	}
	for i, row := range want.Pairwise.Matrix {
		for j, w := range row {
			g := got.Pairwise.Matrix[i][j]
			if (w == nil) != (g == nil) || w != nil && math.Abs(*g-*w) > 1e-9*math.Abs(*w) {
				t.Errorf("[%d][%d]: %v, want %v", i, j, g, w)
			}
		}
	}
	if out, err := runCLI(t, nil, "", "kinship", "lr", "-table", path); err != nil || !strings.Contains(out, "LR M1") {
		t.Errorf("table: %v %s", err, out)
	}
}

// dvi bench times the shared cases in this process, and a case past its timeout is stopped and
// said so.
func TestDVIBench(t *testing.T) {
	out, err := runCLI(t, nil, "", "dvi", "bench", "../../dvi/testdata/oracle/example1.input.json", "../../dvi/testdata/oracle/planecrash.input.json")
	if err != nil || strings.Count(out, "solved") != 2 || !strings.Contains(out, "planecrash") || !strings.Contains(out, "allocated MB") {
		t.Errorf("bench: %v\n%s", err, out)
	}
	out, err = runCLI(t, nil, "", "dvi", "bench", "-timeout", "1ms", "../../dvi/testdata/oracle/fire.input.json")
	if err != nil || !strings.Contains(out, "stopped after 1ms") {
		t.Errorf("bench with a timeout: %v\n%s", err, out)
	}
	// Beside dvir's recorded times: every step of the case, with dvir's milliseconds.
	out, err = runCLI(t, nil, "", "dvi", "bench", "-dvir", "../../dvi/testdata/dvir-timings.json", "../../dvi/testdata/oracle/example1.input.json")
	if err != nil || !strings.Contains(out, "dvir ms") || strings.Count(out, "example1") != 5 || !strings.Contains(out, "jointDVI_full") {
		t.Errorf("bench beside dvir: %v\n%s", err, out)
	}
	if _, err := runCLI(t, nil, "", "dvi", "bench", "-dvir", "../../dvi/testdata/oracle/example1.input.json", "../../dvi/testdata/oracle/example1.input.json"); err == nil || !strings.Contains(err.Error(), "dvir timings") {
		t.Errorf("a case file as timings: %v", err)
	}
}

// dvi simulate writes the simulated large-family cases exactly as shipped in dvi/testdata.
func TestDVISimulate(t *testing.T) {
	for _, c := range []struct{ missing, file string }{{"12", "family12"}, {"8", "family8"}} {
		out, err := runCLI(t, nil, "", "dvi", "simulate", "-missing", c.missing, "-markers", "23", "-seed", "42")
		want, rerr := os.ReadFile("../../dvi/testdata/simulated/" + c.file + ".input.json")
		if err != nil || rerr != nil || out != string(want) {
			t.Errorf("simulate -missing %s: %v %v, output differs from %s", c.missing, err, rerr, c.file)
		}
	}
	if _, err := runCLI(t, nil, "", "dvi", "simulate", "-missing", "9"); err == nil || !strings.Contains(err.Error(), "want 8 or 12") {
		t.Errorf("-missing 9: %v", err)
	}
}
