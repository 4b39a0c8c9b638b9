package familias

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/homeward/homeward/labfmt/casejson"
)

// The sections of a Familias file's main part, in the order readMainLines reads them.

// readLines reads a Familias file's lines, checking its first line names Familias.
func readLines(r io.Reader, name string) (*cursor, error) {
	c := &cursor{file: name}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		c.lines = append(c.lines, strings.TrimRight(sc.Text(), "\r"))
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(c.lines) < 4 || !strings.Contains(c.lines[0], "Familias") {
		return nil, fmt.Errorf("%s: not a Familias file (the first line names Familias)", name)
	}
	return c, nil
}

// dviSection returns the file's DVI section (from its "[DVI]" line), which a DVI file must have
// and a kinship file must not.
func (c *cursor) dviSection(dviFile bool) ([]string, error) {
	for i, l := range c.lines {
		if strings.TrimSpace(l) == "[DVI]" {
			if !dviFile {
				return nil, fmt.Errorf("%s: the file has a DVI section: open it with homeward dvi solve", c.file)
			}
			return c.lines[i:], nil
		}
	}
	if dviFile {
		return nil, fmt.Errorf("%s: no DVI section ([DVI]); open it with homeward kinship lr", c.file)
	}
	return nil, nil
}

// persons reads the persons with their sex and genotypes (as allele and marker indexes).
func (c *cursor) persons() ([]person, error) {
	nid, err := c.int("the number of persons")
	if err != nil {
		return nil, err
	}
	if nid < 0 || nid > 100000 {
		return nil, c.errf("number of persons %d", nid)
	}
	var people []person
	for k := 0; k < nid; k++ {
		p := person{father: -1, mother: -1}
		if p.id, err = c.next("a person's name"); err != nil {
			return nil, err
		}
		for _, what := range []string{"a flag", "a dropout value", "a flag"} {
			if _, err := c.next(what); err != nil {
				return nil, err
			}
		}
		if p.male, err = c.bool("the person's sex"); err != nil {
			return nil, err
		}
		if p.genos, err = c.genotypeIndexes(p.id); err != nil {
			return nil, err
		}
		people = append(people, p)
	}
	return people, nil
}

// genotypeIndexes reads a person's genotypes: allele 1, allele 2 and marker, as indexes.
func (c *cursor) genotypeIndexes(id string) ([][3]int, error) {
	n, err := c.int("the number of genotypes of " + id)
	if err != nil {
		return nil, err
	}
	if n < 0 || n > 10000 {
		return nil, c.errf("%s: %d genotypes", id, n)
	}
	var genos [][3]int
	for g := 0; g < n; g++ {
		var t [3]int
		for j, what := range []string{"allele 1 index", "allele 2 index", "marker index"} {
			if t[j], err = c.int(id + " " + what); err != nil {
				return nil, err
			}
		}
		genos = append(genos, t)
	}
	return genos, nil
}

// knownRelations reads the "Known relations" section: extra persons shared by every pedigree
// (untyped, unnamed in the file) and the relations every pedigree has.
func (c *cursor) knownRelations(people []person) ([]person, error) {
	if s, err := c.next(`"Known relations"`); err != nil {
		return nil, err
	} else if s != "Known relations" {
		return nil, c.errf(`"Known relations" expected, found %q`, s)
	}
	fem, err := c.int("the number of extra females")
	if err != nil {
		return nil, err
	}
	mal, err := c.int("the number of extra males")
	if err != nil {
		return nil, err
	}
	if fem < 0 || mal < 0 || fem+mal > 10000 {
		return nil, c.errf("extra persons %d, %d", fem, mal)
	}
	people = addExtras(people, fem, mal, "added_")
	return people, c.relations(people)
}

// addExtras adds untyped extra females and males named by tag and their number.
func addExtras(ps []person, fem, mal int, tag string) []person {
	for k := 0; k < fem; k++ {
		ps = append(ps, person{id: fmt.Sprintf("%sF%d", tag, k+1), father: -1, mother: -1})
	}
	for k := 0; k < mal; k++ {
		ps = append(ps, person{id: fmt.Sprintf("%sM%d", tag, k+1), male: true, father: -1, mother: -1})
	}
	return ps
}

// relations reads parent-child relations among ps (by index) into their parents.
func (c *cursor) relations(ps []person) error {
	n, err := c.int("the number of relations")
	if err != nil {
		return err
	}
	for k := 0; k < n; k++ {
		par, err := c.int("a parent's index")
		if err != nil {
			return err
		}
		ch, err := c.int("a child's index")
		if err != nil {
			return err
		}
		if par < 0 || par >= len(ps) || ch < 0 || ch >= len(ps) || par == ch {
			return c.errf("relation %d -> %d: no such persons (%d persons)", par, ch, len(ps))
		}
		if ps[par].male {
			ps[ch].father = par
		} else {
			ps[ch].mother = par
		}
	}
	return nil
}

// pedigree reads one pedigree: its own extra persons and relations over the shared persons, as a
// hypothesis of the case.
func (c *cursor) pedigree(people []person) (casejson.HypothesisJSON, error) {
	var h casejson.HypothesisJSON
	if _, err := c.int("a pedigree's index"); err != nil {
		return h, err
	}
	pname, err := c.next("a pedigree's name")
	if err != nil {
		return h, err
	}
	f, err := c.int("the pedigree's extra females")
	if err != nil {
		return h, err
	}
	m, err := c.int("the pedigree's extra males")
	if err != nil {
		return h, err
	}
	if f < 0 || m < 0 || f+m > 10000 {
		return h, c.errf("pedigree %s: extra persons %d, %d", pname, f, m)
	}
	ps := addExtras(append([]person{}, people...), f, m, pname+"_")
	if err := c.relations(ps); err != nil {
		return h, fmt.Errorf("pedigree %s: %w", pname, err)
	}
	h = casejson.HypothesisJSON{Name: pname, Description: "pedigree " + pname + " of the Familias file"}
	var comp casejson.ComponentJSON
	for _, p := range ps {
		pj := casejson.PersonJSON{ID: p.id, Sex: 2}
		if p.male {
			pj.Sex = 1
		}
		if (p.father < 0) != (p.mother < 0) {
			return h, fmt.Errorf("%s: pedigree %s: %s has one parent only; Homeward needs both or neither", c.file, pname, p.id)
		}
		if p.father >= 0 {
			fa, mo := ps[p.father].id, ps[p.mother].id
			pj.Father, pj.Mother = &fa, &mo
		}
		comp.Individuals = append(comp.Individuals, pj)
	}
	h.Components = []casejson.ComponentJSON{comp}
	return h, nil
}

// database reads the frequency database: theta and every locus.
func (c *cursor) database(cs *casejson.Case) error {
	dbLine, err := c.next("the database header line")
	if err != nil {
		return err
	}
	if strings.HasPrefix(dbLine, "#TRUE#") {
		return c.errf("the file holds precomputed probabilities; they are not read")
	}
	if m := thetaRe.FindStringSubmatch(dbLine); m != nil {
		if cs.Theta, err = strconv.ParseFloat(m[1], 64); err != nil {
			return c.errf("theta %q", m[1])
		}
	}
	nloc, err := c.int("the number of loci")
	if err != nil {
		return err
	}
	if nloc < 0 || nloc > 10000 {
		return c.errf("%d loci", nloc)
	}
	info, err := c.bool("the database-name flag")
	if err != nil {
		return err
	}
	if info {
		if _, err := c.next("the database name"); err != nil {
			return err
		}
	}
	for k := 0; k < nloc; k++ {
		mk, err := readLocus(c)
		if err != nil {
			return err
		}
		cs.Markers = append(cs.Markers, mk)
	}
	return nil
}

// genotypes turns the persons' allele indexes into the case's genotypes.
func genotypes(cs *casejson.Case, people []person, name string) error {
	for _, p := range people {
		for _, g := range p.genos {
			if g[2] < 0 || g[2] >= len(cs.Markers) {
				return fmt.Errorf("%s: %s: marker index %d (the database has %d loci)", name, p.id, g[2], len(cs.Markers))
			}
			mk := cs.Markers[g[2]]
			if g[0] < 0 || g[0] >= len(mk.Alleles) || g[1] < 0 || g[1] >= len(mk.Alleles) {
				return fmt.Errorf("%s: %s marker %s: allele index %d/%d (the locus has %d alleles)", name, p.id, mk.Name, g[0], g[1], len(mk.Alleles))
			}
			if cs.Genotypes[p.id] == nil {
				cs.Genotypes[p.id] = map[string][]string{}
			}
			cs.Genotypes[p.id][mk.Name] = []string{mk.Alleles[g[0]], mk.Alleles[g[1]]}
		}
	}
	return nil
}
