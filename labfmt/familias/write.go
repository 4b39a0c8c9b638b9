package familias

import (
	"bufio"
	"fmt"
	"io"
	"strconv"

	"github.com/homeward/homeward/labfmt/casejson"
)

var modelCode = map[string]int{"equal": 0, "proportional": 1, "stepwise": 4}

// Write writes a kinship case as a Familias 3 .fam file: the persons of the first hypothesis
// (with their genotypes), no shared relations, one pedigree per hypothesis with its parent-child
// relations, and the database with each marker's mutation models. Read gives the case back. A
// mutation model given only as a matrix has no Familias code and is refused, naming the marker.
func Write(w io.Writer, c *casejson.Case) error {
	if len(c.Hypotheses) == 0 || len(c.Hypotheses[0].Components) == 0 {
		return fmt.Errorf("case %s: no hypothesis to write", c.Name)
	}
	// Persons: those of every hypothesis, in first-seen order; each hypothesis must name the same
	// set (Familias pedigrees differ only in relations).
	var ids []string
	sex := map[string]int{}
	where := map[string]string{}
	for _, h := range c.Hypotheses {
		for _, comp := range h.Components {
			for _, p := range comp.Individuals {
				s, ok := sex[p.ID]
				if !ok {
					ids = append(ids, p.ID)
					sex[p.ID], where[p.ID] = p.Sex, h.Name
					continue
				}
				if s != p.Sex {
					return fmt.Errorf("case %s: person %s has sex %d in %s and %d in %s; a Familias file keeps one sex per person (rename the person in one hypothesis)", c.Name, p.ID, s, where[p.ID], p.Sex, h.Name)
				}
			}
		}
	}
	index := map[string]int{}
	for i, id := range ids {
		index[id] = i
	}
	markerIndex := map[string]int{}
	for i, m := range c.Markers {
		markerIndex[m.Name] = i
	}
	b := bufio.NewWriter(w)
	line := func(format string, args ...any) { fmt.Fprintf(b, format+"\n", args...) }
	q := func(s string) string { return strconv.Quote(s) }
	line(`"Output from Familias, version 3.3.1 (written by Homeward)"`)
	line(`"DO NOT EDIT!"`)
	line("3.3.1")
	line(`""`)
	line("%d", len(ids))
	for _, id := range ids {
		line("%s", q(id))
		line("#FALSE#")
		line("-1")
		line("#FALSE#")
		if sex[id] == 1 {
			line("#TRUE#")
		} else {
			line("#FALSE#")
		}
		g := c.Genotypes[id]
		var trip [][3]int
		for mi, m := range c.Markers {
			al, ok := g[m.Name]
			if !ok || len(al) != 2 {
				continue
			}
			a1, a2 := alleleIndex(m, al[0]), alleleIndex(m, al[1])
			if a1 < 0 || a2 < 0 {
				return fmt.Errorf("case %s: %s marker %s: allele %v is not in the marker's alleles", c.Name, id, m.Name, al)
			}
			trip = append(trip, [3]int{a1, a2, mi})
		}
		line("%d", len(trip))
		for _, t := range trip {
			line("%d", t[0])
			line("%d", t[1])
			line("%d", t[2])
		}
	}
	line(`"Known relations"`)
	line("0")
	line("0")
	line("0")
	// The reference hypothesis goes last: Read takes the last pedigree as the reference.
	hyps := make([]casejson.HypothesisJSON, 0, len(c.Hypotheses))
	var ref []casejson.HypothesisJSON
	for _, h := range c.Hypotheses {
		if h.Name == c.Reference {
			ref = append(ref, h)
		} else {
			hyps = append(hyps, h)
		}
	}
	hyps = append(hyps, ref...)
	line("%d", len(hyps))
	for k, h := range hyps {
		line("%d", k)
		line("%s", q(h.Name))
		line("0")
		line("0")
		var rel [][2]int
		for _, comp := range h.Components {
			for _, p := range comp.Individuals {
				if p.Father != nil {
					rel = append(rel, [2]int{index[*p.Father], index[p.ID]}, [2]int{index[*p.Mother], index[p.ID]})
				}
			}
		}
		line("%d", len(rel))
		for _, r := range rel {
			line("%d", r[0])
			line("%d", r[1])
		}
	}
	line("#FALSE# (#Databases: 1 ;Theta/Kinship/Fst: %s )", strconv.FormatFloat(c.Theta, 'g', -1, 64))
	line("%d", len(c.Markers))
	line("#TRUE#")
	line(`"Homeward"`)
	for _, m := range c.Markers {
		type side struct {
			code             int
			rate, rng, rate2 float64
		}
		sides := [2]side{{rng: 0.5}, {rng: 0.5}}
		if m.Mutation != nil {
			for i, mj := range []*casejson.ModelJSON{m.Mutation.Female, m.Mutation.Male} {
				if mj == nil {
					continue
				}
				code, ok := modelCode[mj.Model]
				if !ok {
					return fmt.Errorf("case %s marker %s: mutation model %q has no Familias code (equal, proportional and stepwise do)", c.Name, m.Name, mj.Model)
				}
				sides[i] = side{code: code, rate: mj.Rate, rng: 0.5}
				if mj.Range != nil {
					sides[i].rng = *mj.Range
				}
				if mj.Rate2 != nil {
					sides[i].rate2 = *mj.Rate2
				}
			}
		}
		line("%s", q(m.Name))
		line("%s", strconv.FormatFloat(sides[0].rate, 'g', -1, 64))
		line("%s", strconv.FormatFloat(sides[1].rate, 'g', -1, 64))
		line("%d", sides[0].code)
		line("%d", sides[1].code)
		line("%d", len(m.Alleles))
		line("%s", strconv.FormatFloat(sides[0].rng, 'g', -1, 64))
		line("%s", strconv.FormatFloat(sides[1].rng, 'g', -1, 64))
		line("%s", strconv.FormatFloat(sides[0].rate2, 'g', -1, 64))
		line("%s", strconv.FormatFloat(sides[1].rate2, 'g', -1, 64))
		line("#FALSE#")
		line("0")
		line("%d\t(DatabaseSize = 0 , Dropout probability = 0 , Minor allele frequency = 0 )", len(m.Alleles))
		for i, a := range m.Alleles {
			line("%s", q(a))
			line("%s", strconv.FormatFloat(m.Frequencies[i], 'g', -1, 64))
		}
	}
	return b.Flush()
}

func alleleIndex(m casejson.MarkerJSON, a string) int {
	for i, x := range m.Alleles {
		if x == a {
			return i
		}
	}
	return -1
}
