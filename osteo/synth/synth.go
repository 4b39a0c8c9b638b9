// Package synth makes synthetic skeletons for the demo world and the tests: people whose bone
// measurements vary together with body size, with small left-right asymmetry and measurement
// error, and reference samples drawn from the same model. No number here describes a real
// person or population; the means are of the order of adult long bones in the osteometric
// literature (mm), chosen only to look plausible.
package synth

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/homeward/homeward/osteo"
)

// Measure is one measurement of an element: its code and mean (mm) at average size.
type Measure struct {
	Code string
	Mean float64
}

// Elements are the elements the model can measure, with OsteoSort-style codes.
var Elements = map[string][]Measure{
	"humerus":  {{"Hum_01", 318}, {"Hum_03", 45}, {"Hum_04", 22}, {"Hum_05", 19}},
	"femur":    {{"Fem_01", 437}, {"Fem_03", 81}, {"Fem_04", 44}, {"Fem_06", 27}},
	"tibia":    {{"Tib_01", 362}, {"Tib_02", 74}, {"Tib_03", 72}, {"Tib_05", 48}},
	"radius":   {{"Rad_01", 240}, {"Rad_04", 17}, {"Rad_05", 12}},
	"ulna":     {{"Uln_01", 258}, {"Uln_04", 16}, {"Uln_05", 13}},
	"fibula":   {{"Fib_01", 355}, {"Fib_02", 15}},
	"clavicle": {{"Cla_01", 148}, {"Cla_04", 13}, {"Cla_05", 12}},
	"scapula":  {{"Sca_01", 156}, {"Sca_02", 105}},
	"talus":    {{"Tal_01", 55}, {"Tal_02", 43}},
}

// DefaultElements are the elements a model draws unless told otherwise (WithElements).
var DefaultElements = []string{"femur", "humerus", "tibia"}

// Person is a synthetic skeleton: each element's measurements by side.
type Person struct {
	ID    string
	Bones map[string]map[string][]float64 // element → side → values in Elements order
}

// Model draws people: log size ~ N(0, SizeSD) shared by every bone, each element's own deviation
// ~ N(0, ElementSD), left-right asymmetry ~ N(0, SideSD) and measurement error ~ N(0, ErrorSD)
// (relative).
type Model struct {
	SizeSD, ElementSD, SideSD, ErrorSD float64
	rng                                *rand.Rand
	elements                           []string
}

// NewModel returns the default model with a seeded generator: the same seed gives the same data.
func NewModel(seed uint64) *Model {
	return &Model{SizeSD: 0.05, ElementSD: 0.02, SideSD: 0.008, ErrorSD: 0.004, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		elements: DefaultElements}
}

// WithElements makes the model draw these elements (keys of Elements), in this order.
func (m *Model) WithElements(elements ...string) *Model {
	m.elements = elements
	return m
}

// Person draws one skeleton.
func (m *Model) Person(id string) Person {
	p := Person{ID: id, Bones: map[string]map[string][]float64{}}
	size := m.rng.NormFloat64() * m.SizeSD
	for _, el := range m.elements {
		own := size + m.rng.NormFloat64()*m.ElementSD
		p.Bones[el] = map[string][]float64{}
		for _, side := range []string{"left", "right"} {
			s := own + m.rng.NormFloat64()*m.SideSD
			v := make([]float64, len(Elements[el]))
			for i, ms := range Elements[el] {
				v[i] = math.Round(ms.Mean*math.Exp(s+m.rng.NormFloat64()*m.ErrorSD)*10) / 10
			}
			p.Bones[el][side] = v
		}
	}
	return p
}

// Codes returns an element's measurement codes in order.
func Codes(element string) []string {
	var out []string
	for _, m := range Elements[element] {
		out = append(out, m.Code)
	}
	return out
}

// Reference draws n people and returns them as reference samples for every test a sorting of
// these elements uses: pair-matching of each element, and association of femur with tibia and
// humerus with femur, on each side.
func (m *Model) Reference(n int) osteo.Config {
	people := make([]Person, n)
	for i := range people {
		people[i] = m.Person(fmt.Sprintf("REF%03d", i+1))
	}
	var cfg osteo.Config
	for _, el := range m.elements {
		var ref []osteo.RefPair
		for _, p := range people {
			ref = append(ref, osteo.RefPair{ID: p.ID, A: p.Bones[el]["left"], B: p.Bones[el]["right"]})
		}
		cfg.Pairs = append(cfg.Pairs, osteo.PairTest{Element: el, Codes: Codes(el), Reference: ref, Options: osteo.DefaultOptions(),
			Source: fmt.Sprintf("synthetic reference, %d individuals", n)})
	}
	for _, c := range [][2]string{{"femur", "tibia"}, {"humerus", "femur"}} {
		if !slices.Contains(m.elements, c[0]) || !slices.Contains(m.elements, c[1]) {
			continue
		}
		var ref []osteo.RefPair
		for _, p := range people {
			ref = append(ref, osteo.RefPair{ID: p.ID, A: p.Bones[c[0]]["left"], B: p.Bones[c[1]]["left"]})
		}
		opts := osteo.DefaultOptions()
		cfg.Cross = append(cfg.Cross, osteo.CrossTest{Method: osteo.Associate, ElementA: c[0], ElementB: c[1],
			CodesA: Codes(c[0]), CodesB: Codes(c[1]), Reference: ref, Options: opts,
			Source: fmt.Sprintf("synthetic reference, %d individuals", n)})
	}
	return cfg
}

// Box draws people and returns their bones mixed, each with the person it came from. Each bone
// is missing with probability lost, and each measurement of a present bone with probability
// damaged.
func (m *Model) Box(people int, prefix string, lost, damaged float64) (bones []osteo.Bone, truth map[string]string) {
	owner := map[*osteo.Bone]string{}
	var all []*osteo.Bone
	for i := 0; i < people; i++ {
		p := m.Person(fmt.Sprintf("%sP%02d", prefix, i+1))
		for _, el := range m.elements {
			for _, side := range []string{"left", "right"} {
				if m.rng.Float64() < lost {
					continue
				}
				b := &osteo.Bone{Element: el, Side: side, Values: map[string]float64{}}
				for j, code := range Codes(el) {
					if m.rng.Float64() >= damaged {
						b.Values[code] = p.Bones[el][side][j]
					}
				}
				all = append(all, b)
				owner[b] = p.ID
			}
		}
	}
	// Mixed, then numbered: a bone's number says nothing of whose it is.
	m.rng.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
	truth = map[string]string{}
	for i, b := range all {
		b.ID = fmt.Sprintf("%s%03d", prefix, i+1)
		truth[b.ID] = owner[b]
		bones = append(bones, *b)
	}
	return bones, truth
}

// Sample draws n people as a reference sample: every bone of each, the person's ID on each bone.
func (m *Model) Sample(name string, n int) *osteo.ReferenceSample {
	s := &osteo.ReferenceSample{Name: name, Source: "synthetic (homeward osteo/synth, seeded); no real persons", Population: "synthetic"}
	for i := 0; i < n; i++ {
		p := m.Person(fmt.Sprintf("REF%03d", i+1))
		for _, el := range m.elements {
			for _, side := range []string{"left", "right"} {
				b := osteo.Bone{ID: p.ID, Element: el, Side: side, Values: map[string]float64{}}
				for j, code := range Codes(el) {
					b.Values[code] = p.Bones[el][side][j]
				}
				s.Bones = append(s.Bones, b)
			}
		}
	}
	return s
}
