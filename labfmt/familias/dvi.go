package familias

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/homeward/homeward/dvi"
	"github.com/homeward/homeward/labfmt/casejson"
)

// section is one bracketed heading of the DVI part ("[[[Person 1 ]]]") with its "Key= Value" lines
// and its sub-headings.
type section struct {
	name     string
	line     int
	kv       [][2]string
	children []*section
}

func (s *section) child(name string) *section {
	for _, c := range s.children {
		if c.name == name {
			return c
		}
	}
	return nil
}

func (s *section) value(key string) string {
	for _, kv := range s.kv {
		if kv[0] == key {
			return kv[1]
		}
	}
	return ""
}

// parseSections builds the heading tree of the DVI part; a heading's depth is its number of
// brackets.
func parseSections(lines []string, first int) (*section, error) {
	root := &section{name: "", line: first}
	stack := []*section{root}
	for i, raw := range lines {
		l := strings.TrimSpace(raw)
		if l == "" {
			continue
		}
		if strings.HasPrefix(l, "[") {
			depth := len(l) - len(strings.TrimLeft(l, "["))
			name := strings.TrimSpace(strings.Trim(l, "[]"))
			if depth < 1 || depth > len(stack) {
				return nil, fmt.Errorf("line %d: heading %q is %d levels deep under a heading of level %d", first+i, l, depth, len(stack)-1)
			}
			s := &section{name: name, line: first + i}
			stack = stack[:depth]
			stack[depth-1].children = append(stack[depth-1].children, s)
			stack = append(stack, s)
			continue
		}
		k, v, ok := strings.Cut(l, "=")
		if !ok {
			return nil, fmt.Errorf("line %d: %q is neither a heading nor Key= Value", first+i, l)
		}
		top := stack[len(stack)-1]
		top.kv = append(top.kv, [2]string{strings.TrimSpace(k), strings.TrimSpace(v)})
	}
	return root, nil
}

// dviPerson reads a person heading: name, sex and genotypes (marker -> alleles).
func dviPerson(p *section, file string) (id string, sex int, genos map[string][]string, err error) {
	id = p.value("Name")
	if id == "" {
		return "", 0, nil, fmt.Errorf("%s line %d: a person without Name", file, p.line)
	}
	switch p.value("Gender") {
	case "Male":
		sex = 1
	case "Female":
		sex = 2
	}
	genos = map[string][]string{}
	if d := p.child("DNA data"); d != nil {
		var cur string
		for _, kv := range d.kv {
			switch kv[0] {
			case "SystemName":
				cur = kv[1]
				genos[cur] = nil
			case "Allele1", "Allele2":
				if cur == "" {
					return "", 0, nil, fmt.Errorf("%s line %d: %s: an allele before any SystemName", file, d.line, id)
				}
				genos[cur] = append(genos[cur], kv[1])
			}
		}
		for m, al := range genos {
			if len(al) != 2 {
				return "", 0, nil, fmt.Errorf("%s line %d: %s marker %s: %d alleles, want 2", file, d.line, id, m, len(al))
			}
		}
	}
	return id, sex, genos, nil
}

// ReadDVI reads a Familias DVI file (a database and a [DVI] section with unidentified persons and
// reference families, the layout pedFamilias' writeDVI writes) as a Homeward DVI case. Member ids are
// prefixed with their family's name ("F1/R1"); the "Missing person" of each family is its missing
// person. Of a family's two pedigrees the one not named "Reference pedigree" is used. A parent
// without a stated sex takes the opposite of their partner's.
func ReadDVI(r io.Reader, name string) (*dvi.CaseFile, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	main, lines, err := readMain(bytes.NewReader(data), name, true)
	if err != nil {
		return nil, err
	}
	first := strings.Count(string(data[:bytes.Index(data, []byte("[DVI]"))]), "\n") + 1
	root, err := parseSections(lines, first)
	if err != nil {
		return nil, fmt.Errorf("%s %w", name, err)
	}
	top := root.child("DVI")
	if top == nil {
		return nil, fmt.Errorf("%s: no [DVI] heading", name)
	}
	c := &dvi.CaseFile{Schema: "homeward/case/v1", Type: "dvi", Name: name, Markers: main.Markers, Genotypes: map[string]map[string][]string{}}
	if un := top.child("Unidentified persons"); un != nil {
		for _, p := range un.children {
			id, sex, g, err := dviPerson(p, name)
			if err != nil {
				return nil, err
			}
			c.Victims = append(c.Victims, dvi.Victim{ID: id, Sex: sex})
			c.Genotypes[id] = g
		}
	}
	refs := top.child("Reference Families")
	if refs == nil || len(c.Victims) == 0 {
		return nil, fmt.Errorf("%s: a DVI file needs unidentified persons and reference families", name)
	}
	for _, f := range refs.children {
		if err := readDVIFamily(c, f, name); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// readDVIFamily adds one reference family of a DVI file to the case: its typed persons as
// references, its pedigree (the one not named "Reference pedigree") as the family, and its
// "Missing person" as a missing person.
func readDVIFamily(c *dvi.CaseFile, f *section, name string) error {
	fam := f.value("Name")
	if fam == "" {
		return fmt.Errorf("%s line %d: a family without Name", name, f.line)
	}
	id := func(x string) string { return fam + "/" + x }
	sex := map[string]int{}
	var order []string
	if ps := f.child("Persons"); ps != nil {
		for _, p := range ps.children {
			pid, s, g, err := dviPerson(p, name)
			if err != nil {
				return err
			}
			sex[pid] = s
			order = append(order, pid)
			if len(g) > 0 {
				c.References = append(c.References, id(pid))
				c.Genotypes[id(pid)] = g
			}
		}
	}
	peds := f.child("Pedigrees")
	if peds == nil || len(peds.children) == 0 {
		return fmt.Errorf("%s line %d: family %s has no pedigree", name, f.line, fam)
	}
	ped := peds.children[len(peds.children)-1]
	for _, p := range peds.children {
		if p.value("Name") != "Reference pedigree" {
			ped = p
		}
	}
	parents, err := pedigreeParents(ped, sex, &order, fam, name)
	if err != nil {
		return err
	}
	if _, ok := sex["Missing person"]; !ok {
		return fmt.Errorf("%s line %d: family %s: no \"Missing person\" in its pedigree", name, ped.line, fam)
	}
	inferParentSexes(parents, sex)
	cf := dvi.CaseFamily{Name: fam}
	for _, x := range order {
		pj := casejson.PersonJSON{ID: id(x), Sex: sex[x]}
		if ps := parents[x]; len(ps) > 0 {
			if len(ps) != 2 {
				return fmt.Errorf("%s: family %s: %s has %d parents; give both or neither", name, fam, x, len(ps))
			}
			fa, mo := ps[0], ps[1]
			if sex[fa] == 2 || sex[mo] == 1 {
				fa, mo = mo, fa
			}
			f, m := id(fa), id(mo)
			pj.Father, pj.Mother = &f, &m
		}
		cf.Individuals = append(cf.Individuals, pj)
	}
	c.Families = append(c.Families, cf)
	c.Missing = append(c.Missing, id("Missing person"))
	return nil
}

// pedigreeParents reads a pedigree's Parent/Child pairs: each child's parents; persons first
// named there join order with an unknown sex.
func pedigreeParents(ped *section, sex map[string]int, order *[]string, fam, name string) (map[string][]string, error) {
	parents := map[string][]string{}
	var pend string
	for _, kv := range ped.kv {
		switch kv[0] {
		case "Parent":
			pend = kv[1]
		case "Child":
			if pend == "" {
				return nil, fmt.Errorf("%s line %d: family %s: a Child without its Parent", name, ped.line, fam)
			}
			parents[kv[1]] = append(parents[kv[1]], pend)
			for _, x := range []string{pend, kv[1]} {
				if _, ok := sex[x]; !ok {
					sex[x] = 0
					*order = append(*order, x)
				}
			}
			pend = ""
		}
	}
	return parents, nil
}

// inferParentSexes gives parents of unknown sex the opposite of their partner's, until nothing
// changes.
func inferParentSexes(parents map[string][]string, sex map[string]int) {
	for changed := true; changed; {
		changed = false
		for _, ps := range parents {
			if len(ps) != 2 {
				continue
			}
			a, b := ps[0], ps[1]
			if sex[a] == 0 && sex[b] != 0 {
				sex[a], changed = 3-sex[b], true
			}
			if sex[b] == 0 && sex[a] != 0 {
				sex[b], changed = 3-sex[a], true
			}
		}
	}
}

// WriteDVI writes a DVI case as a Familias DVI file: the database, the unidentified persons, and
// one reference family per case family (two copies of its pedigree, as Familias keeps them). Each
// family must hold exactly one missing person and every person a known sex (as Familias requires).
func WriteDVI(w io.Writer, c *dvi.CaseFile) error {
	missingOf := map[string]string{}
	for _, f := range c.Families {
		for _, p := range f.Individuals {
			for _, m := range c.Missing {
				if p.ID == m {
					if prev, dup := missingOf[f.Name]; dup {
						return fmt.Errorf("case %s: family %s holds two missing persons (%s, %s); a Familias DVI family holds one", c.Name, f.Name, prev, m)
					}
					missingOf[f.Name] = m
				}
			}
		}
	}
	// The main part: no persons, no pedigrees, the database.
	var head bytes.Buffer
	if err := Write(&head, &casejson.Case{Name: c.Name, Markers: c.Markers, Hypotheses: []casejson.HypothesisJSON{{Name: "dvi", Components: []casejson.ComponentJSON{{}}}}}); err != nil {
		return err
	}
	b := bufio.NewWriter(w)
	// Rewrite the persons/pedigree part of the written head: zero persons, zero pedigrees.
	hl := strings.Split(strings.TrimRight(head.String(), "\n"), "\n")
	dbStart := 0
	for i, l := range hl {
		if strings.HasPrefix(l, "#FALSE# (#Databases") {
			dbStart = i
			break
		}
	}
	fmt.Fprintf(b, "%s\n%s\n3.3.1 (DVI)\n\"\"\n0\n\"Known relations\"\n0\n0\n0\n0\n", hl[0], hl[1])
	for _, l := range hl[dbStart:] {
		fmt.Fprintln(b, l)
	}
	person := func(depth, num int, pid string, sex int, g map[string][]string) error {
		return writeDVIPerson(b, c.Name, depth, num, pid, sex, g)
	}
	fmt.Fprintf(b, "\n[DVI]\n[[Unidentified persons]]\nnPersons= %d\n", len(c.Victims))
	for i, v := range c.Victims {
		if err := person(3, i+1, v.ID, v.Sex, c.Genotypes[v.ID]); err != nil {
			return err
		}
	}
	fmt.Fprintf(b, "[[Reference Families]]\nnFamilies= %d\n", len(c.Families))
	for i, f := range c.Families {
		miss, ok := missingOf[f.Name]
		if !ok {
			return fmt.Errorf("case %s: family %s holds no missing person", c.Name, f.Name)
		}
		if err := writeDVIFamily(b, c, i, f, miss); err != nil {
			return err
		}
	}
	return b.Flush()
}

// writeDVIPerson writes a person of a DVI file at a heading depth: name, gender and DNA data.
func writeDVIPerson(b *bufio.Writer, caseName string, depth, num int, pid string, sex int, g map[string][]string) error {
	if sex != 1 && sex != 2 {
		return fmt.Errorf("case %s: %s has unknown sex; Familias needs male or female", caseName, pid)
	}
	fmt.Fprintf(b, "%sPerson %d%s\n", strings.Repeat("[", depth), num, strings.Repeat("]", depth))
	fmt.Fprintf(b, "Name= %s\nGender= %s\n", pid, map[int]string{1: "Male", 2: "Female"}[sex])
	fmt.Fprintf(b, "%sDNA data%s\n", strings.Repeat("[", depth+1), strings.Repeat("]", depth+1))
	var ms []string
	for m := range g {
		ms = append(ms, m)
	}
	sort.Strings(ms)
	fmt.Fprintf(b, "nSystems= %d\n", len(ms))
	for _, m := range ms {
		fmt.Fprintf(b, "SystemName= %s\nAllele1= %s\nAllele2= %s\n", m, g[m][0], g[m][1])
	}
	return nil
}

// writeDVIFamily writes the i-th reference family: its persons but the missing person, and its
// pedigree twice (as Familias keeps a reference pedigree beside it).
func writeDVIFamily(b *bufio.Writer, c *dvi.CaseFile, i int, f dvi.CaseFamily, miss string) error {
	label := func(x string) string {
		if x == miss {
			return "Missing person"
		}
		return x
	}
	fmt.Fprintf(b, "[[[Family %d ]]]\nName= %s\n[[[[Persons]]]]\n", i+1, f.Name)
	var persons []casejson.PersonJSON
	for _, p := range f.Individuals {
		if p.ID != miss {
			persons = append(persons, p)
		}
	}
	fmt.Fprintf(b, "nPersons= %d\n", len(persons))
	for j, p := range persons {
		if err := writeDVIPerson(b, c.Name, 5, j+1, p.ID, p.Sex, c.Genotypes[p.ID]); err != nil {
			return err
		}
	}
	var rel []string
	for _, p := range f.Individuals {
		if p.Father != nil {
			rel = append(rel, "Parent= "+label(*p.Father), "Child= "+label(p.ID), "Parent= "+label(*p.Mother), "Child= "+label(p.ID))
		}
	}
	fmt.Fprintf(b, "[[[[Pedigrees]]]]\nnPedigrees= 2\n")
	for k, pn := range []string{"Reference pedigree", f.Name} {
		fmt.Fprintf(b, "[[[[[Pedigree %d]]]]]\nName= %s\nnRelations= %d\n%s\n", k+1, pn, len(rel)/2, strings.Join(rel, "\n"))
	}
	return nil
}
