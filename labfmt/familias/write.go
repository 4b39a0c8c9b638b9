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
	ids, sex, err := casePersons(c)
	if err != nil {
		return err
	}
	fw := &famWriter{b: bufio.NewWriter(w), c: c}
	fw.line(`"Output from Familias, version 3.3.1 (written by Homeward)"`)
	fw.line(`"DO NOT EDIT!"`)
	fw.line("3.3.1")
	fw.line(`""`)
	fw.line("%d", len(ids))
	for _, id := range ids {
		if err := fw.person(id, sex[id]); err != nil {
			return err
		}
	}
	fw.line(`"Known relations"`)
	fw.line("0")
	fw.line("0")
	fw.line("0")
	fw.pedigrees(ids)
	if err := fw.database(); err != nil {
		return err
	}
	return fw.b.Flush()
}

// casePersons lists the persons of every hypothesis, in first-seen order, with their sexes; each
// hypothesis must give a person the same sex (Familias pedigrees differ only in relations).
func casePersons(c *casejson.Case) ([]string, map[string]int, error) {
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
					return nil, nil, fmt.Errorf("case %s: person %s has sex %d in %s and %d in %s; a Familias file keeps one sex per person (rename the person in one hypothesis)", c.Name, p.ID, s, where[p.ID], p.Sex, h.Name)
				}
			}
		}
	}
	return ids, sex, nil
}

// famWriter writes a .fam file a line at a time.
type famWriter struct {
	b *bufio.Writer
	c *casejson.Case
}

// line writes one formatted line.
func (fw *famWriter) line(format string, args ...any) { fmt.Fprintf(fw.b, format+"\n", args...) }

// float writes a number on a line of its own, in its shortest exact form.
func (fw *famWriter) float(x float64) { fw.line("%s", strconv.FormatFloat(x, 'g', -1, 64)) }

// person writes a person: name, flags, sex and genotypes as allele and marker indexes.
func (fw *famWriter) person(id string, sex int) error {
	fw.line("%s", strconv.Quote(id))
	fw.line("#FALSE#")
	fw.line("-1")
	fw.line("#FALSE#")
	if sex == 1 {
		fw.line("#TRUE#")
	} else {
		fw.line("#FALSE#")
	}
	g := fw.c.Genotypes[id]
	var trip [][3]int
	for mi, m := range fw.c.Markers {
		al, ok := g[m.Name]
		if !ok || len(al) != 2 {
			continue
		}
		a1, a2 := alleleIndex(m, al[0]), alleleIndex(m, al[1])
		if a1 < 0 || a2 < 0 {
			return fmt.Errorf("case %s: %s marker %s: allele %v is not in the marker's alleles", fw.c.Name, id, m.Name, al)
		}
		trip = append(trip, [3]int{a1, a2, mi})
	}
	fw.line("%d", len(trip))
	for _, t := range trip {
		fw.line("%d", t[0])
		fw.line("%d", t[1])
		fw.line("%d", t[2])
	}
	return nil
}

// pedigrees writes one pedigree per hypothesis with its parent-child relations, the reference
// hypothesis last (Read takes the last pedigree as the reference).
func (fw *famWriter) pedigrees(ids []string) {
	index := map[string]int{}
	for i, id := range ids {
		index[id] = i
	}
	hyps := make([]casejson.HypothesisJSON, 0, len(fw.c.Hypotheses))
	var ref []casejson.HypothesisJSON
	for _, h := range fw.c.Hypotheses {
		if h.Name == fw.c.Reference {
			ref = append(ref, h)
		} else {
			hyps = append(hyps, h)
		}
	}
	hyps = append(hyps, ref...)
	fw.line("%d", len(hyps))
	for k, h := range hyps {
		fw.line("%d", k)
		fw.line("%s", strconv.Quote(h.Name))
		fw.line("0")
		fw.line("0")
		var rel [][2]int
		for _, comp := range h.Components {
			for _, p := range comp.Individuals {
				if p.Father != nil {
					rel = append(rel, [2]int{index[*p.Father], index[p.ID]}, [2]int{index[*p.Mother], index[p.ID]})
				}
			}
		}
		fw.line("%d", len(rel))
		for _, r := range rel {
			fw.line("%d", r[0])
			fw.line("%d", r[1])
		}
	}
}

// database writes theta and every marker with its mutation models and frequencies.
func (fw *famWriter) database() error {
	fw.line("#FALSE# (#Databases: 1 ;Theta/Kinship/Fst: %s )", strconv.FormatFloat(fw.c.Theta, 'g', -1, 64))
	fw.line("%d", len(fw.c.Markers))
	fw.line("#TRUE#")
	fw.line(`"Homeward"`)
	for _, m := range fw.c.Markers {
		sides, err := mutationSides(fw.c.Name, m)
		if err != nil {
			return err
		}
		fw.line("%s", strconv.Quote(m.Name))
		fw.float(sides[0].rate)
		fw.float(sides[1].rate)
		fw.line("%d", sides[0].code)
		fw.line("%d", sides[1].code)
		fw.line("%d", len(m.Alleles))
		fw.float(sides[0].rng)
		fw.float(sides[1].rng)
		fw.float(sides[0].rate2)
		fw.float(sides[1].rate2)
		fw.line("#FALSE#")
		fw.line("0")
		fw.line("%d\t(DatabaseSize = 0 , Dropout probability = 0 , Minor allele frequency = 0 )", len(m.Alleles))
		for i, a := range m.Alleles {
			fw.line("%s", strconv.Quote(a))
			fw.float(m.Frequencies[i])
		}
	}
	return nil
}

// mutationSide is one side's (female, male) mutation model as Familias codes it.
type mutationSide struct {
	code             int
	rate, rng, rate2 float64
}

// mutationSides is a marker's female and male mutation models in Familias' terms; a model with
// no Familias code is refused.
func mutationSides(caseName string, m casejson.MarkerJSON) ([2]mutationSide, error) {
	sides := [2]mutationSide{{rng: 0.5}, {rng: 0.5}}
	if m.Mutation == nil {
		return sides, nil
	}
	for i, mj := range []*casejson.ModelJSON{m.Mutation.Female, m.Mutation.Male} {
		if mj == nil {
			continue
		}
		code, ok := modelCode[mj.Model]
		if !ok {
			return sides, fmt.Errorf("case %s marker %s: mutation model %q has no Familias code (equal, proportional and stepwise do)", caseName, m.Name, mj.Model)
		}
		sides[i] = mutationSide{code: code, rate: mj.Rate, rng: 0.5}
		if mj.Range != nil {
			sides[i].rng = *mj.Range
		}
		if mj.Rate2 != nil {
			sides[i].rate2 = *mj.Rate2
		}
	}
	return sides, nil
}

func alleleIndex(m casejson.MarkerJSON, a string) int {
	for i, x := range m.Alleles {
		if x == a {
			return i
		}
	}
	return -1
}
