package dvi

import (
	"os"
	"testing"
)

// BenchmarkJointOracle solves each enumerable oracle case from its file: null likelihoods,
// pairwise matrix and the full joint enumeration (go test -run XXX -bench Joint ./dvi).
func BenchmarkJointOracle(b *testing.B) {
	for _, name := range []string{"example1", "example2", "KETPchap481", "fire", "KETPexer497"} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				f, err := os.Open("testdata/oracle/" + name + ".input.json")
				if err != nil {
					b.Fatal(err)
				}
				p, err := ReadProblem(f)
				f.Close()
				if err != nil {
					b.Fatal(err)
				}
				if _, err := p.Joint(1_000_000); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
