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

// Attach ties victims to specimens and families to missing persons, in order, as far as they go.
func TestAttach(t *testing.T) {
	db, _ := freqdb.Load("nist-all")
	set, err := GenerateDNA(5, db, 8, 4, 3, 2)
	if err != nil {
		t.Fatal(err)
	}
	set.Attach([]int64{11, 12, 13}, []int64{21, 22, 23, 24})
	for i, v := range set.Victims {
		if i < 3 && (v.SpecimenID == nil || *v.SpecimenID != int64(11+i)) || i == 3 && v.SpecimenID != nil {
			t.Errorf("victim %d specimen %v", i, v.SpecimenID)
		}
	}
	for i, f := range set.Families {
		if f.MissingPersonID == nil || *f.MissingPersonID != int64(21+i) {
			t.Errorf("family %d missing person %v", i, f.MissingPersonID)
		}
	}
}
