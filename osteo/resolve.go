package osteo

import (
	"cmp"
	"slices"
	"strings"
)

// Conflict is a pair of bones that DNA places in one person although a test excluded them from
// one person: a measurement, a reference sample or a DNA result to review.
type Conflict struct {
	A          string  `json:"a"`
	B          string  `json:"b"`
	Individual string  `json:"dna_individual"`
	Method     Method  `json:"method"`
	P          float64 `json:"p_value"`
}

// Resolution combines a sorting with DNA results for the bones typed.
type Resolution struct {
	// Individuals maps each DNA individual to its bones: those typed, and each untyped bone for
	// which every other individual found is ruled out, by a test that excluded it from one of that
	// individual's typed bones or because that individual's typed bones hold its element and side.
	Individuals map[string][]string `json:"individuals"`
	// Unresolved bones are untyped bones that more than one individual found could own, or none:
	// the next ones to type.
	Unresolved []string   `json:"unresolved"`
	Conflicts  []Conflict `json:"conflicts"`
}

// Resolve places bones with the DNA individuals of typed bones (dna: bone ID → individual) and
// reports every exclusion that DNA contradicts. Placing an untyped bone needs every other
// individual found ruled out; that a bone was grouped with typed bones is not enough, since a
// grouping is only the absence of exclusions.
//
// A sorting at alpha 0.1 wrongly excludes one true pairing in ten, so an individual is ruled out
// for a bone only by an exclusion at p ≤ ruleOut (0.01 is a good choice): a bone whose true owner
// was excluded at a weaker p stays unresolved and is typed, instead of going to the only other
// individual left.
func Resolve(s *Sorting, dna map[string]string, ruleOut float64) *Resolution {
	r := &Resolution{Individuals: map[string][]string{}, Unresolved: []string{}, Conflicts: []Conflict{}}
	excludedFrom := map[string]map[string]bool{} // untyped bone → individuals it is excluded from
	for _, l := range s.Links {
		if !l.Excluded {
			continue
		}
		a, b := s.BoneID(l.A), s.BoneID(l.B)
		da, okA := dna[a]
		db, okB := dna[b]
		switch {
		case okA && okB:
			if da == db {
				r.Conflicts = append(r.Conflicts, Conflict{A: a, B: b, Individual: da, Method: s.Tests[l.Test].Method, P: l.P})
			}
		case l.P > ruleOut:
		case okA:
			mark(excludedFrom, b, da)
		case okB:
			mark(excludedFrom, a, db)
		}
	}
	held := map[string]map[key]bool{} // individual → element and side of its typed bones
	for id, ind := range dna {
		i, ok := s.index[id]
		if !ok {
			continue
		}
		b := s.bones[i]
		if held[ind] == nil {
			held[ind] = map[key]bool{}
		}
		held[ind][key{b.Element, b.Side}] = true
		r.Individuals[ind] = append(r.Individuals[ind], id)
	}
	for _, b := range s.bones {
		id := b.ID
		if _, typed := dna[id]; typed {
			continue
		}
		var candidates []string
		for ind, slots := range held {
			if !slots[key{b.Element, b.Side}] && !excludedFrom[id][ind] {
				candidates = append(candidates, ind)
			}
		}
		if len(candidates) == 1 {
			r.Individuals[candidates[0]] = append(r.Individuals[candidates[0]], id)
		} else {
			r.Unresolved = append(r.Unresolved, id)
		}
	}
	for _, bones := range r.Individuals {
		slices.Sort(bones)
	}
	slices.Sort(r.Unresolved)
	slices.SortFunc(r.Conflicts, func(x, y Conflict) int { return cmp.Or(strings.Compare(x.A, y.A), strings.Compare(x.B, y.B)) })
	return r
}

// RuleOut is the p-value at or below which an exclusion rules an individual out when resolving:
// a tenth of OsteoSort's default alpha.
const RuleOut = 0.01

func mark(m map[string]map[string]bool, bone, individual string) {
	if m[bone] == nil {
		m[bone] = map[string]bool{}
	}
	m[bone][individual] = true
}
