package osteo

import (
	"context"
	"fmt"
	"testing"
)

// Groups never hold two bones of one element and side, nor two bones a test excluded; MNI counts
// the unpaired; the plan samples each group once.
func TestGroupingInvariants(t *testing.T) {
	ref := make([]RefPair, 30)
	for i := range ref {
		x := 300 + float64(i)
		ref[i] = RefPair{ID: fmt.Sprint(i), A: []float64{x, x / 7}, B: []float64{x + float64(i%3) - 1, x/7 + 0.1*float64(i%2)}}
	}
	bones := []Bone{
		{ID: "L1", Element: "humerus", Side: "left", Values: map[string]float64{"H1": 300, "H2": 43}},
		{ID: "R1", Element: "humerus", Side: "right", Values: map[string]float64{"H1": 300.5, "H2": 43}},
		{ID: "L2", Element: "humerus", Side: "left", Values: map[string]float64{"H1": 340, "H2": 48}},
		{ID: "R2", Element: "humerus", Side: "right", Values: map[string]float64{"H1": 340, "H2": 48.1}},
		{ID: "L3", Element: "humerus", Side: "left", Values: map[string]float64{"H1": 380, "H2": 54}},
		{ID: "X1", Element: "cranium", Values: map[string]float64{}},
	}
	cfg := Config{Pairs: []PairTest{{Element: "humerus", Codes: []string{"H1", "H2"}, Reference: ref, Options: DefaultOptions(), Source: "test"}}}
	s, err := Sort(context.Background(), bones, cfg)
	if err != nil {
		t.Fatal(err)
	}
	group := map[string]string{}
	for _, g := range s.Groups {
		slots := map[key]bool{}
		for _, b := range g.Bones {
			group[b] = g.ID
			bone := s.bones[s.index[b]]
			if slots[key{bone.Element, bone.Side}] {
				t.Errorf("group %s holds two %s %s", g.ID, bone.Side, bone.Element)
			}
			slots[key{bone.Element, bone.Side}] = true
		}
	}
	for i, l := range s.Links {
		if l.Excluded && group[s.BoneID(l.A)] == group[s.BoneID(l.B)] {
			t.Errorf("excluded pair grouped: %+v", s.Report(i))
		}
	}
	if group["L1"] != group["R1"] || group["L2"] != group["R2"] || group["L3"] == group["L1"] {
		t.Errorf("groups %v", group)
	}
	var hum ElementMNI
	for _, e := range s.Elements {
		if e.Element == "humerus" {
			hum = e
		}
	}
	if hum.Left != 3 || hum.Right != 2 || hum.Pairs != 2 || hum.MNI != 3 || s.MNI != 3 {
		t.Errorf("humerus MNI %+v, overall %d", hum, s.MNI)
	}
	if len(s.Plan) != len(s.Groups) {
		t.Errorf("plan %d samples for %d groups", len(s.Plan), len(s.Groups))
	}
	// DNA saying L3 and R1 are one person contradicts the exclusion between them.
	r := Resolve(s, map[string]string{"L3": "P9", "R1": "P9"}, 0.01)
	if len(r.Conflicts) != 1 || r.Conflicts[0].A != "L3" || r.Conflicts[0].B != "R1" {
		t.Errorf("conflicts %+v", r.Conflicts)
	}
}
