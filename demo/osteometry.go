package demo

import (
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/osteo/synth"
)

// measurable says which specimens carry osteometric measurements in the demo: complete long
// bones of a known side of the elements the synthetic model measures.
func measurable(sp homeward.Specimen) bool {
	return slices.Contains(synth.DefaultElements, sp.Element) && sp.Portion == "complete" && (sp.Side == homeward.SideLeft || sp.Side == homeward.SideRight)
}

// commingledCases is how many of the last cases hold, besides their other specimens, the mixed
// long bones of commingledPeople people, measured: boxes worth sorting by their measurements.
// (The last cases, because the demo's DNA types the first specimens.)
const commingledCases, commingledPeople = 2, 10

// measure gives the turnover's complete long bones osteometric measurements. Within a case, bones
// are shared out among synthetic people so that no one has two of one element and side; the draw
// uses its own generator, so the rest of the world is the same as without measurements. The last
// cases also receive the measured long bones of a few people each.
func measure(w *World, seed int64) {
	m := synth.NewModel(uint64(seed) ^ 0x6f737465)
	r := rand.New(rand.NewPCG(uint64(seed), 0x6d656173))
	for ci := max(0, len(w.Containers)-commingledCases); ci < len(w.Containers); ci++ {
		c := &w.Containers[ci]
		bones, _ := m.Box(commingledPeople, "", 0.15, 0.1)
		for _, b := range bones {
			c.Specimens = append(c.Specimens, homeward.Specimen{Code: fmt.Sprintf("%s-S%03d", c.Record.Accession, len(c.Specimens)+1),
				Element: b.Element, Side: homeward.Side(b.Side), Portion: "complete", Description: "long bone, measured", Measurements: b.Values})
		}
	}
	for ci := range w.Containers {
		c := &w.Containers[ci]
		var people []synth.Person
		taken := map[int]map[string]bool{}
		for si := range c.Specimens {
			sp := &c.Specimens[si]
			if !measurable(*sp) || sp.Measurements != nil {
				continue
			}
			slot := sp.Element + "/" + string(sp.Side)
			var free []int
			for p := range people {
				if !taken[p][slot] {
					free = append(free, p)
				}
			}
			p := -1
			if len(free) > 0 && r.Float64() < 0.7 {
				p = free[r.IntN(len(free))]
			} else {
				people = append(people, m.Person(fmt.Sprintf("%s-P%d", c.Record.Accession, len(people)+1)))
				p = len(people) - 1
				taken[p] = map[string]bool{}
			}
			taken[p][slot] = true
			sp.Measurements = map[string]float64{}
			for j, code := range synth.Codes(sp.Element) {
				if r.Float64() >= 0.1 { // a tenth of the measurements cannot be taken
					sp.Measurements[code] = people[p].Bones[sp.Element][string(sp.Side)][j]
				}
			}
			if len(sp.Measurements) == 0 {
				sp.Measurements = nil
			}
		}
	}
}

// ReferenceSample is the demo's synthetic reference sample for osteometric sorting.
func ReferenceSample(seed int64) (*homeward.OsteoReferenceSample, []homeward.ReferenceBone) {
	s := synth.NewModel(uint64(seed)^0x72656673).Sample("synthetic-demo", 150)
	rs := &homeward.OsteoReferenceSample{Name: "synthetic-demo", Source: "synthetic: homeward osteo/synth, seeded; no real persons", Population: "synthetic"}
	bones := make([]homeward.ReferenceBone, len(s.Bones))
	for i, b := range s.Bones {
		bones[i] = homeward.ReferenceBone{Individual: b.ID, Element: b.Element, Side: homeward.Side(b.Side), Measurements: b.Values}
	}
	return rs, bones
}
