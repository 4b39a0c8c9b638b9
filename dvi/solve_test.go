package dvi

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

type expectedSolve struct {
	Solve struct {
		AM []Conclusion `json:"AM"`
		PM []Conclusion `json:"PM"`
	} `json:"dviSolve"`
}

func strOf(s *string) string {
	if s == nil {
		return "<null>"
	}
	return *s
}

func sameNum(a, b *float64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return relClose(*a, *b, 1e-9)
}

func numOf(x *float64) any {
	if x == nil {
		return "<null>"
	}
	return *x
}

// The complete pipeline gives dvir's dviSolve tables on every oracle case: the same rows in the
// same order, the same conclusions and comments, LRs and GLRs to 1e-9 relative.
func TestOracleSolve(t *testing.T) {
	inputs := referenceCases(t)
	for _, in := range inputs {
		name := strings.TrimSuffix(filepath.Base(in), ".input.json")
		t.Run(name, func(t *testing.T) {
			f, _ := os.Open(in)
			defer f.Close()
			p, err := ReadProblem(f)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := os.ReadFile(strings.Replace(in, ".input.", ".expected.", 1))
			var e expectedSolve
			if err := json.Unmarshal(b, &e); err != nil {
				t.Fatal(err)
			}
			sol, err := p.Solve(DefaultSolveOptions())
			if err != nil {
				t.Fatal(err)
			}
			compare := func(side string, got, want []Conclusion) {
				if len(got) != len(want) {
					t.Errorf("%s: %d rows, want %d", side, len(got), len(want))
				}
				for i := 0; i < len(got) && i < len(want); i++ {
					g, w := got[i], want[i]
					if strOf(g.Family) != strOf(w.Family) || strOf(g.Missing) != strOf(w.Missing) || strOf(g.Sample) != strOf(w.Sample) ||
						g.Conclusion != w.Conclusion || strOf(g.Comment) != strOf(w.Comment) || !sameNum(g.LR, w.LR) || !sameNum(g.GLR, w.GLR) {
						t.Errorf("%s row %d:\n got  %s %s %s LR=%v GLR=%v %s %q\n want %s %s %s LR=%v GLR=%v %s %q", side, i,
							strOf(g.Family), strOf(g.Missing), strOf(g.Sample), numOf(g.LR), numOf(g.GLR), g.Conclusion, strOf(g.Comment),
							strOf(w.Family), strOf(w.Missing), strOf(w.Sample), numOf(w.LR), numOf(w.GLR), w.Conclusion, strOf(w.Comment))
					}
				}
			}
			compare("AM", sol.AM, e.Solve.AM)
			compare("PM", sol.PM, e.Solve.PM)
		})
	}
}

// Analyse runs every step on one problem; the order must not let one step's settings leak into
// another's numbers, so its sections agree with the reference as the separate calls do.
func TestAnalyseAgreesWithOracle(t *testing.T) {
	inputs := referenceCases(t)
	for _, in := range inputs {
		name := strings.TrimSuffix(filepath.Base(in), ".input.json")
		t.Run(name, func(t *testing.T) {
			f, _ := os.Open(in)
			defer f.Close()
			p, err := ReadProblem(f)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := os.ReadFile(strings.Replace(in, ".input.", ".expected.", 1))
			var e expectedSolve
			var d expectedDefault
			var full expectedDVI
			if json.Unmarshal(b, &e) != nil || json.Unmarshal(b, &d) != nil || json.Unmarshal(b, &full) != nil {
				t.Fatal("expected file")
			}
			r, err := Analyse(p, DefaultSolveOptions())
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Solve.AM) != len(e.Solve.AM) || len(r.Solve.PM) != len(e.Solve.PM) {
				t.Errorf("solve rows %d/%d, want %d/%d", len(r.Solve.AM), len(r.Solve.PM), len(e.Solve.AM), len(e.Solve.PM))
			}
			for i := range e.Solve.PM {
				if i < len(r.Solve.PM) && r.Solve.PM[i].Conclusion != e.Solve.PM[i].Conclusion {
					t.Errorf("PM %d: %s, want %s", i, r.Solve.PM[i].Conclusion, e.Solve.PM[i].Conclusion)
				}
			}
			if (d.Default.Error != nil) != (r.Default.Error != "") && d.Default.Error == nil {
				t.Errorf("default: %s", r.Default.Error)
			}
			if d.Default.Error == nil {
				for k, w := range d.Default.Rows {
					if k < len(r.Default.Rows) && !relClose(r.Default.Rows[k].Posterior, float64(w.Posterior), 1e-9) {
						t.Errorf("default row %d posterior %v, want %v", k, r.Default.Rows[k].Posterior, w.Posterior)
					}
				}
			}
			if full.Full.Error == nil && full.Full.NAssignments > 0 {
				if r.Full.JointResult == nil || r.Full.NAssignments != full.Full.NAssignments {
					t.Errorf("full: %+v", r.Full.Error)
				}
			} else if !strings.Contains(r.Full.Error, "assignments") {
				t.Errorf("full enumeration should meet the guard: %q", r.Full.Error)
			}
			if _, err := json.Marshal(r); err != nil {
				t.Error(err)
			}
		})
	}
}

func lrMatrix(victims, missing []string, vals [][]float64) Pairwise {
	pw := Pairwise{Victims: victims, Missing: missing}
	for _, row := range vals {
		r := make([]*float64, len(row))
		for k, x := range row {
			if x >= 0 {
				r[k] = fp(x)
			}
		}
		pw.Matrix = append(pw.Matrix, r)
	}
	return pw
}

// The rules for a family with one missing person, branch by branch (negative = not admissible).
func TestSimpleFamilyRules(t *testing.T) {
	vics := []string{"V1", "V2", "V3"}
	for _, c := range []struct {
		col                []float64
		concl, sample, cmt string
	}{
		{[]float64{5e3, 2e3, 1}, ConclusionDisputed, "V1", "Also: V2 (LR=2e+03)"},
		{[]float64{2, 5e4, -1}, ConclusionProbable, "V2", "Runner-up: V1 (LR=2)"},
		{[]float64{-1, 5e4, -1}, ConclusionProbable, "V2", "Runner-up: -"},
		{[]float64{0.5, 3, 1}, ConclusionInconclusive, "V2", "Best: V2"},
		{[]float64{0.5, 0.2, 0}, ConclusionNoMatch, "V1", "<null>"},
	} {
		vals := [][]float64{{c.col[0]}, {c.col[1]}, {c.col[2]}}
		got, err := simpleFamily("F", "M", lrMatrix(vics, []string{"M"}, vals), 1e3)
		if err != nil || got.Conclusion != c.concl || strOf(got.Sample) != c.sample || strOf(got.Comment) != c.cmt {
			t.Errorf("%v: %s %s %q %v, want %s %s %q", c.col, got.Conclusion, strOf(got.Sample), strOf(got.Comment), err, c.concl, c.sample, c.cmt)
		}
	}
}

// A missing person married into the family, unrelated to every reference, is set aside as
// nonidentifiable, and so is his missing son B by another woman: B is related only to A, who is
// not linked to any reference (dvir's findNonidentifiable follows chains of relatives from the
// references). The rest of the pipeline is as without them.
func TestSolveNonidentifiable(t *testing.T) {
	b, err := os.ReadFile("testdata/oracle/example1.input.json")
	if err != nil {
		t.Fatal(err)
	}
	var c map[string]any
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	fam := c["families"].([]any)[0].(map[string]any)
	fam["individuals"] = append(fam["individuals"].([]any),
		map[string]any{"id": "A", "sex": 1}, map[string]any{"id": "S", "father": "A", "mother": "NN", "sex": 1},
		map[string]any{"id": "W", "sex": 2}, map[string]any{"id": "B", "father": "A", "mother": "W", "sex": 1})
	c["missing"] = append(c["missing"].([]any), "A", "B")
	delete(c, "pairings")
	nb, _ := json.Marshal(c)
	p, err := ReadProblem(strings.NewReader(string(nb)))
	if err != nil {
		t.Fatal(err)
	}
	sol, err := p.Solve(DefaultSolveOptions())
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, r := range sol.AM {
		if m := strOf(r.Missing); m == "A" || m == "B" {
			found++
			if r.Conclusion != ConclusionNonidentifiable || strOf(r.Comment) != "Unrelated to all references" {
				t.Errorf("%s: %s %q", m, r.Conclusion, strOf(r.Comment))
			}
		} else if r.Conclusion != ConclusionInconclusive {
			t.Errorf("%s: %s, want Inconclusive as without A", strOf(r.Missing), r.Conclusion)
		}
	}
	if found != 2 || len(sol.AM) != 5 {
		t.Errorf("AM rows %d, A and B found %d", len(sol.AM), found)
	}
}
