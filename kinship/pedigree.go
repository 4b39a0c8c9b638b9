// Package kinship computes the probability of DNA data on pedigrees and likelihood ratios between
// relationship hypotheses, the way forensic geneticists do (pedprobr, forrel, Familias): exact
// sums over genotypes by variable elimination, mutation matrices per parental sex, allele lumping,
// and the Balding-Nichols subpopulation correction. It does no I/O.
package kinship

import (
	"fmt"
	"slices"
)

// Sex codes: 1 male, 2 female, 0 unknown.
const (
	Unknown = 0
	Male    = 1
	Female  = 2
)

// Person is one member of a pedigree. Father and Mother are "" for founders.
type Person struct {
	ID     string
	Father string
	Mother string
	Sex    int
}

// Pedigree is a validated set of people: parents are listed before their children in Order.
type Pedigree struct {
	People []Person
	// FounderInbreeding gives founders' inbreeding coefficients (id -> f); absent means 0.
	FounderInbreeding map[string]float64
	index             map[string]int
	father            []int // -1 for founders
	mother            []int
	order             []int // parents before children
}

// NewPedigree validates people: unique ids, both parents or none, parents present, a father who is
// male and a mother who is female, no one their own ancestor. Errors name the individual.
func NewPedigree(people []Person) (*Pedigree, error) {
	p := &Pedigree{People: people, index: make(map[string]int, len(people))}
	for i, pe := range people {
		if pe.ID == "" {
			return nil, fmt.Errorf("pedigree: person %d has no id", i+1)
		}
		if _, dup := p.index[pe.ID]; dup {
			return nil, fmt.Errorf("pedigree: individual %q appears twice", pe.ID)
		}
		if pe.Sex < 0 || pe.Sex > 2 {
			return nil, fmt.Errorf("pedigree: individual %q: sex %d is not 0, 1 or 2", pe.ID, pe.Sex)
		}
		p.index[pe.ID] = i
	}
	p.father = make([]int, len(people))
	p.mother = make([]int, len(people))
	for i, pe := range people {
		p.father[i], p.mother[i] = -1, -1
		if (pe.Father == "") != (pe.Mother == "") {
			return nil, fmt.Errorf("pedigree: individual %q has one parent given and not the other (give both or neither)", pe.ID)
		}
		if pe.Father == "" {
			continue
		}
		f, ok := p.index[pe.Father]
		if !ok {
			return nil, fmt.Errorf("pedigree: individual %q: father %q is not in the pedigree", pe.ID, pe.Father)
		}
		m, ok := p.index[pe.Mother]
		if !ok {
			return nil, fmt.Errorf("pedigree: individual %q: mother %q is not in the pedigree", pe.ID, pe.Mother)
		}
		if people[f].Sex == Female {
			return nil, fmt.Errorf("pedigree: individual %q: father %q is female", pe.ID, pe.Father)
		}
		if people[m].Sex == Male {
			return nil, fmt.Errorf("pedigree: individual %q: mother %q is male", pe.ID, pe.Mother)
		}
		if f == m {
			return nil, fmt.Errorf("pedigree: individual %q: %q cannot be both father and mother", pe.ID, pe.Father)
		}
		p.father[i], p.mother[i] = f, m
	}
	// Topological order; a person left over is in a cycle.
	state := make([]int, len(people)) // 0 new, 1 visiting, 2 done
	var visit func(i int) error
	visit = func(i int) error {
		switch state[i] {
		case 1:
			return fmt.Errorf("pedigree: individual %q is their own ancestor", people[i].ID)
		case 2:
			return nil
		}
		state[i] = 1
		for _, q := range []int{p.father[i], p.mother[i]} {
			if q >= 0 {
				if err := visit(q); err != nil {
					return err
				}
			}
		}
		state[i] = 2
		p.order = append(p.order, i)
		return nil
	}
	for i := range people {
		if err := visit(i); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// Index returns the position of id, or -1.
func (p *Pedigree) Index(id string) int {
	if i, ok := p.index[id]; ok {
		return i
	}
	return -1
}

// ParentsFirst lists the people's indices with parents before their children.
func (p *Pedigree) ParentsFirst() []int { return slices.Clone(p.order) }

// IsFounder reports whether person i has no parents in the pedigree.
func (p *Pedigree) IsFounder(i int) bool { return p.father[i] < 0 }
