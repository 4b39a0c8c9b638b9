package dvi

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkJointOracle solves each enumerable oracle case from its file: null likelihoods,
// pairwise matrix and the full joint enumeration (go test -run XXX -bench Joint ./dvi).
func BenchmarkJointOracle(b *testing.B) {
	for _, name := range []string{"example1", "example2", "KETPchap481", "fire", "KETPexer497"} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				p := oracleProblem(b, name)
				if _, err := p.Joint(1_000_000); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// oracleProblem reads a shared DVI reference case (testdata/oracle/NAME.input.json).
func oracleProblem(t testing.TB, name string) *Problem {
	t.Helper()
	f, err := os.Open("testdata/oracle/" + name + ".input.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p, err := ReadProblem(f)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// referenceCases lists the input files of every case with values computed by dvir: the shared
// reference cases (testdata/oracle) and the simulated large families (testdata/simulated, computed
// with dvir 3.4.2 on a Homeward machine; see its README).
func referenceCases(t testing.TB) []string {
	t.Helper()
	var out []string
	for _, dir := range []string{"testdata/oracle", "testdata/simulated", "testdata/dvir-data"} {
		m, err := filepath.Glob(dir + "/*.input.json")
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, m...)
	}
	return out
}
