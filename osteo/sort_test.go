package osteo_test

import (
	"context"
	"testing"

	"github.com/homeward/homeward/osteo"
	"github.com/homeward/homeward/osteo/synth"
)

// A synthetic box of 20 people (120 long bones, some lost, some measurements damaged), sorted by
// measurements and then typed by DNA as the sampling plan says, with a second round for the bones
// left unresolved: every person is found and every bone placed with its own person.
func TestSortingPlusDNAFindsTheTrueIndividuals(t *testing.T) {
	m := synth.NewModel(20180727)
	cfg := m.Reference(150)
	bones, truth := m.Box(20, "K55-", 0.1, 0.1)
	s, err := osteo.Sort(context.Background(), bones, cfg)
	if err != nil {
		t.Fatal(err)
	}
	dna := map[string]string{}
	for _, smp := range s.Plan {
		dna[smp.Bone] = truth[smp.Bone]
	}
	first := len(dna)
	r := osteo.Resolve(s, dna, 0.01)
	rounds := 1
	for ; len(r.Unresolved) > 0 && rounds < len(bones); rounds++ {
		// One more bone at a time: each result can resolve others.
		dna[r.Unresolved[0]] = truth[r.Unresolved[0]]
		r = osteo.Resolve(s, dna, 0.01)
	}
	wrong := 0
	for ind, placed := range r.Individuals {
		for _, b := range placed {
			if truth[b] != ind {
				wrong++
			}
		}
	}
	people := map[string]bool{}
	for _, p := range truth {
		people[p] = true
	}
	t.Logf("%d bones, MNI %d, %d groups; DNA typed %d in the plan, %d in all (%d rounds); %d individuals, %d misplaced, %d conflicts",
		len(bones), s.MNI, len(s.Groups), first, len(dna), rounds, len(r.Individuals), wrong, len(r.Conflicts))
	if len(r.Individuals) != len(people) || wrong != 0 || len(r.Unresolved) != 0 {
		t.Errorf("found %d of %d people, %d bones misplaced, %d unresolved", len(r.Individuals), len(people), wrong, len(r.Unresolved))
	}
	if len(dna) >= len(bones) {
		t.Errorf("sorting saved no DNA test: %d typed of %d bones", len(dna), len(bones))
	}
	if s.MNI > len(people) || s.MNI < 10 {
		t.Errorf("MNI %d for %d people", s.MNI, len(people))
	}
}

// BenchmarkSort3000 sorts 3,000 long bones (500 synthetic people, all 55 boxes' worth):
//
//	go test ./osteo -run XXX -bench Sort3000 -benchmem
func BenchmarkSort3000(b *testing.B) {
	m := synth.NewModel(55)
	cfg := m.Reference(150)
	bones, _ := m.Box(500, "B", 0, 0.1)
	b.ResetTimer()
	for b.Loop() {
		s, err := osteo.Sort(context.Background(), bones, cfg)
		if err != nil || len(s.Groups) == 0 {
			b.Fatal(err)
		}
	}
}

// BenchmarkSortTurnover sorts a turnover's worth of long bones: 250 synthetic people, a third of
// the bones lost, a tenth of the measurements damaged (about 1,000 bones).
//
//	go test ./osteo -run XXX -bench SortTurnover -benchmem
func BenchmarkSortTurnover(b *testing.B) {
	m := synth.NewModel(2018)
	cfg := m.Reference(150)
	bones, _ := m.Box(250, "T", 1.0/3, 0.1)
	b.ReportMetric(float64(len(bones)), "bones")
	b.ResetTimer()
	for b.Loop() {
		if _, err := osteo.Sort(context.Background(), bones, cfg); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSortAllBoxes sorts 3,000 measured bones of nine element types (500 synthetic people,
// two thirds of the bones lost), against a reference sample of 150 with the default tests: a
// laboratory's few thousand elements of all 55 boxes.
//
//	go test ./osteo -run XXX -bench SortAllBoxes -benchmem
func BenchmarkSortAllBoxes(b *testing.B) {
	m := synth.NewModel(55).WithElements("femur", "humerus", "tibia", "radius", "ulna", "fibula", "clavicle", "scapula", "talus")
	sample := m.Sample("synthetic", 150)
	bones, _ := m.Box(500, "B", 2.0/3, 0.1)
	cfg, _, err := osteo.Configure(sample, bones, osteo.Settings{Options: osteo.DefaultOptions(), Associations: osteo.DefaultAssociations})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(len(bones)), "bones")
	b.ResetTimer()
	for b.Loop() {
		if _, err := osteo.Sort(context.Background(), bones, cfg); err != nil {
			b.Fatal(err)
		}
	}
}
