package osteo

import (
	"fmt"
	"slices"
	"sort"
)

// ReferenceSample is a reference sample: bones of individuals whose identity is known, measured with the
// same codes as the case. It is the laboratory's data (imported, versioned, with its source and
// population); Homeward ships only synthetic ones.
type ReferenceSample struct {
	Name       string `json:"name"`
	Source     string `json:"source"`
	Population string `json:"population,omitempty"`
	// Bones of the sample; Bone.ID is the individual's identifier, shared by all its bones.
	Bones []Bone `json:"bones"`
}

// bonesOf returns, per individual, its bones by element and side.
func (s *ReferenceSample) bonesOf() (ids []string, by map[string]map[key]Bone) {
	by = map[string]map[key]Bone{}
	for _, b := range s.Bones {
		if by[b.ID] == nil {
			by[b.ID] = map[key]Bone{}
			ids = append(ids, b.ID)
		}
		by[b.ID][key{b.Element, b.Side}] = b
	}
	return ids, by
}

// boneValues puts a bone's measurements in the order of codes (NaN where missing).
func boneValues(b Bone, codes []string) []float64 {
	return specimensOf([]Bone{b}, codes)[0].Values
}

// PairReference returns the individuals with both a left and a right element.
func (s *ReferenceSample) PairReference(element string, codes []string) []RefPair {
	ids, by := s.bonesOf()
	var out []RefPair
	for _, id := range ids {
		l, okL := by[id][key{element, "left"}]
		r, okR := by[id][key{element, "right"}]
		if okL && okR {
			out = append(out, RefPair{ID: id, A: boneValues(l, codes), B: boneValues(r, codes)})
		}
	}
	return out
}

// CrossReference returns, per individual, elements a and b of one side: the left ones where it
// has both, else the right ones (one pair per individual, so that none counts twice).
func (s *ReferenceSample) CrossReference(a, b string, codesA, codesB []string) []RefPair {
	ids, by := s.bonesOf()
	var out []RefPair
	for _, id := range ids {
		for _, side := range []string{"left", "right"} {
			x, okA := by[id][key{a, side}]
			y, okB := by[id][key{b, side}]
			if okA && okB {
				out = append(out, RefPair{ID: id, A: boneValues(x, codesA), B: boneValues(y, codesB)})
				break
			}
		}
	}
	return out
}

// codesOf lists the measurement codes the sample has for an element, sorted.
func (s *ReferenceSample) codesOf(element string) []string {
	seen := map[string]bool{}
	for _, b := range s.Bones {
		if b.Element == element {
			for c := range b.Values {
				seen[c] = true
			}
		}
	}
	var out []string
	for c := range seen {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

// Articulation names the two measurements of adjoining elements an articulation test compares.
type Articulation struct {
	ElementA string `json:"element_a"`
	CodeA    string `json:"code_a"`
	ElementB string `json:"element_b"`
	CodeB    string `json:"code_b"`
}

// Settings choose the tests of a sorting: the options of the t tests, the element pairs to test
// by association, and the articulations.
type Settings struct {
	Options       Options        `json:"options"`
	Associations  [][2]string    `json:"associations"`
	Articulations []Articulation `json:"articulations,omitempty"`
}

// DefaultAssociations are the element pairs tested by association unless told otherwise:
// adjoining long bones of one limb.
var DefaultAssociations = [][2]string{{"humerus", "radius"}, {"humerus", "ulna"}, {"radius", "ulna"}, {"femur", "tibia"}, {"tibia", "fibula"}, {"humerus", "femur"}}

// MinReference is the fewest reference individuals a test is run with.
const MinReference = 10

// Configure chooses the tests for sorting bones against the sample: pair-matching of every
// element the bones have on both sides, on every code the sample measures for it; the
// associations and articulations asked for whose elements the bones have on one side. A test
// whose reference holds fewer than MinReference individuals is left out and said so in skipped.
func Configure(sample *ReferenceSample, bones []Bone, st Settings) (cfg Config, skipped []string, err error) {
	if err := st.Options.Validate(); err != nil {
		return cfg, nil, err
	}
	has := map[key]bool{}
	var elements []string
	for _, b := range bones {
		if !has[key{b.Element, ""}] {
			elements = append(elements, b.Element)
		}
		has[key{b.Element, b.Side}], has[key{b.Element, ""}] = true, true
	}
	slices.Sort(elements)
	src := sample.Name
	if sample.Source != "" && sample.Source != sample.Name {
		src += " (" + sample.Source + ")"
	}
	for _, el := range elements {
		if !has[key{el, "left"}] || !has[key{el, "right"}] {
			continue
		}
		codes := sample.codesOf(el)
		ref := sample.PairReference(el, codes)
		if len(codes) == 0 || len(ref) < MinReference {
			skipped = append(skipped, fmt.Sprintf("pair-matching %s: %d reference pairs", el, len(ref)))
			continue
		}
		cfg.Pairs = append(cfg.Pairs, PairTest{Element: el, Codes: codes, Reference: ref, Options: st.Options, Source: src})
	}
	sided := func(el string) bool { return has[key{el, "left"}] || has[key{el, "right"}] }
	for _, p := range st.Associations {
		if !sided(p[0]) || !sided(p[1]) {
			continue
		}
		ca, cb := sample.codesOf(p[0]), sample.codesOf(p[1])
		ref := sample.CrossReference(p[0], p[1], ca, cb)
		if len(ca) == 0 || len(cb) == 0 || len(ref) < MinReference {
			skipped = append(skipped, fmt.Sprintf("association %s-%s: %d reference individuals", p[0], p[1], len(ref)))
			continue
		}
		cfg.Cross = append(cfg.Cross, CrossTest{Method: Associate, ElementA: p[0], ElementB: p[1], CodesA: ca, CodesB: cb, Reference: ref, Options: st.Options, Source: src})
	}
	for _, a := range st.Articulations {
		if !sided(a.ElementA) || !sided(a.ElementB) {
			continue
		}
		ca, cb := []string{a.CodeA}, []string{a.CodeB}
		ref := sample.CrossReference(a.ElementA, a.ElementB, ca, cb)
		if len(ref) < MinReference {
			skipped = append(skipped, fmt.Sprintf("articulation %s %s-%s %s: %d reference individuals", a.ElementA, a.CodeA, a.ElementB, a.CodeB, len(ref)))
			continue
		}
		cfg.Cross = append(cfg.Cross, CrossTest{Method: Articulate, ElementA: a.ElementA, ElementB: a.ElementB, CodesA: ca, CodesB: cb, Reference: ref, Options: st.Options, Source: src})
	}
	return cfg, skipped, nil
}
