package demo

import (
	"reflect"
	"testing"

	"github.com/homeward/homeward/labfmt/freqdb"
)

// The same seed gives the same DNA, profile for profile.
func TestGenerateDNADeterministic(t *testing.T) {
	db, err := freqdb.Load("nist-all")
	if err != nil {
		t.Fatal(err)
	}
	a, _ := GenerateDNA(5, db, 23, 40, 20, 10)
	for i := 0; i < 3; i++ {
		b, _ := GenerateDNA(5, db, 23, 40, 20, 10)
		if !reflect.DeepEqual(a, b) {
			t.Fatal("two draws of seed 5 differ")
		}
	}
	c, _ := GenerateDNA(6, db, 23, 40, 20, 10)
	if reflect.DeepEqual(a.Victims, c.Victims) {
		t.Error("seeds 5 and 6 gave the same victims")
	}
}
