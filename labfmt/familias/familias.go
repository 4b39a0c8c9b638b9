// Package familias reads case files written by Familias 3 (.fam): the persons and their genotypes,
// the relations every pedigree shares, each pedigree's own relations, and the frequency database
// with its mutation models, and turns them into a Homeward kinship case (casejson.Case) whose
// hypotheses are the file's pedigrees. The layout (one value per line, indexes counted from 0) is
// the one Familias writes and pedFamilias' readFam documents.
package familias

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/homeward/homeward/labfmt/casejson"
)

// cursor walks the file's lines, naming the line in every error.
type cursor struct {
	lines []string
	i     int // next line, 0-based
	file  string
}

func (c *cursor) errf(format string, args ...any) error {
	return fmt.Errorf("%s line %d: %s", c.file, c.i, fmt.Sprintf(format, args...))
}

func (c *cursor) next(what string) (string, error) {
	if c.i >= len(c.lines) {
		return "", fmt.Errorf("%s: the file ends where %s was expected (truncated?)", c.file, what)
	}
	s := c.lines[c.i]
	c.i++
	return strings.Trim(strings.TrimSpace(s), `"`), nil
}

func (c *cursor) int(what string) (int, error) {
	s, err := c.next(what)
	if err != nil {
		return 0, err
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, c.errf("%s expected, found %q", what, s)
	}
	return n, nil
}

func (c *cursor) float(what string) (float64, error) {
	s, err := c.next(what)
	if err != nil {
		return 0, err
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, c.errf("%s expected, found %q", what, s)
	}
	return x, nil
}

func (c *cursor) bool(what string) (bool, error) {
	s, err := c.next(what)
	if err != nil {
		return false, err
	}
	switch {
	case strings.HasPrefix(s, "#TRUE#"):
		return true, nil
	case strings.HasPrefix(s, "#FALSE#"):
		return false, nil
	}
	return false, c.errf("%s (#TRUE# or #FALSE#) expected, found %q", what, s)
}

type person struct {
	id     string
	male   bool
	genos  [][3]int // allele 1, allele 2, marker (0-based)
	father int      // index or -1
	mother int
}

var thetaRe = regexp.MustCompile(`Theta/Kinship/Fst:\s*([0-9.eE+-]+)`)

// models maps Familias' mutation model codes.
var models = map[int]string{0: "equal", 1: "proportional", 2: "stepwise", 4: "stepwise"}

// Read parses a .fam file into a kinship case named name. The last pedigree is the reference
// hypothesis (Familias lists the alternative, often "unrelated", last); LRs are against it. A file
// with a DVI section is refused here (ReadDVI reads it).
func Read(r io.Reader, name string) (*casejson.Case, error) {
	c, _, err := readMain(r, name, false)
	return c, err
}

// readMain parses the main part of a .fam file (persons, relations, pedigrees, database); with dvi
// the file may have no pedigree and its DVI section is returned as lines for ReadDVI.
func readMain(r io.Reader, name string, dviFile bool) (*casejson.Case, []string, error) {
	cs, rest, err := readMainLines(r, name, dviFile)
	return cs, rest, err
}

func readMainLines(r io.Reader, name string, dviFile bool) (*casejson.Case, []string, error) {
	c := &cursor{file: name}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		c.lines = append(c.lines, strings.TrimRight(sc.Text(), "\r"))
	}
	if err := sc.Err(); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(c.lines) < 4 || !strings.Contains(c.lines[0], "Familias") {
		return nil, nil, fmt.Errorf("%s: not a Familias file (the first line names Familias)", name)
	}
	var dviLines []string
	for i, l := range c.lines {
		if strings.TrimSpace(l) == "[DVI]" {
			if !dviFile {
				return nil, nil, fmt.Errorf("%s: the file has a DVI section: open it with homeward dvi solve", name)
			}
			dviLines = c.lines[i:]
			break
		}
	}
	if dviFile && dviLines == nil {
		return nil, nil, fmt.Errorf("%s: no DVI section ([DVI]); open it with homeward kinship lr", name)
	}
	c.i = 3
	if c.lines[3] == `""` || strings.TrimSpace(c.lines[3]) == "" {
		c.i = 4
	}
	nid, err := c.int("the number of persons")
	if err != nil {
		return nil, nil, err
	}
	if nid < 0 || nid > 100000 {
		return nil, nil, c.errf("number of persons %d", nid)
	}
	var people []person
	for k := 0; k < nid; k++ {
		p := person{father: -1, mother: -1}
		if p.id, err = c.next("a person's name"); err != nil {
			return nil, nil, err
		}
		for _, what := range []string{"a flag", "a dropout value", "a flag"} {
			if _, err := c.next(what); err != nil {
				return nil, nil, err
			}
		}
		if p.male, err = c.bool("the person's sex"); err != nil {
			return nil, nil, err
		}
		n, err := c.int("the number of genotypes of " + p.id)
		if err != nil {
			return nil, nil, err
		}
		if n < 0 || n > 10000 {
			return nil, nil, c.errf("%s: %d genotypes", p.id, n)
		}
		for g := 0; g < n; g++ {
			var t [3]int
			for j, what := range []string{"allele 1 index", "allele 2 index", "marker index"} {
				if t[j], err = c.int(p.id + " " + what); err != nil {
					return nil, nil, err
				}
			}
			p.genos = append(p.genos, t)
		}
		people = append(people, p)
	}
	if s, err := c.next(`"Known relations"`); err != nil {
		return nil, nil, err
	} else if s != "Known relations" {
		return nil, nil, c.errf(`"Known relations" expected, found %q`, s)
	}
	// Extra persons shared by every pedigree (untyped, unnamed in the file).
	extras := func(fem, mal int, tag string) {
		for k := 0; k < fem; k++ {
			people = append(people, person{id: fmt.Sprintf("%sF%d", tag, k+1), father: -1, mother: -1})
		}
		for k := 0; k < mal; k++ {
			people = append(people, person{id: fmt.Sprintf("%sM%d", tag, k+1), male: true, father: -1, mother: -1})
		}
	}
	relations := func(ps []person) error {
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
	fem, err := c.int("the number of extra females")
	if err != nil {
		return nil, nil, err
	}
	mal, err := c.int("the number of extra males")
	if err != nil {
		return nil, nil, err
	}
	if fem < 0 || mal < 0 || fem+mal > 10000 {
		return nil, nil, c.errf("extra persons %d, %d", fem, mal)
	}
	extras(fem, mal, "added_")
	if err := relations(people); err != nil {
		return nil, nil, err
	}
	nped, err := c.int("the number of pedigrees")
	if err != nil {
		return nil, nil, err
	}
	if (nped < 1 && !dviFile) || nped < 0 || nped > 1000 {
		return nil, nil, c.errf("%d pedigrees: a kinship case needs at least one", nped)
	}
	cs := &casejson.Case{Schema: "homeward/case/v1", Name: name, Type: "kinship", Genotypes: map[string]map[string][]string{}}
	for k := 0; k < nped; k++ {
		if _, err := c.int("a pedigree's index"); err != nil {
			return nil, nil, err
		}
		pname, err := c.next("a pedigree's name")
		if err != nil {
			return nil, nil, err
		}
		ps := append([]person{}, people...)
		f, err := c.int("the pedigree's extra females")
		if err != nil {
			return nil, nil, err
		}
		m, err := c.int("the pedigree's extra males")
		if err != nil {
			return nil, nil, err
		}
		if f < 0 || m < 0 || f+m > 10000 {
			return nil, nil, c.errf("pedigree %s: extra persons %d, %d", pname, f, m)
		}
		for j := 0; j < f; j++ {
			ps = append(ps, person{id: fmt.Sprintf("%s_F%d", pname, j+1), father: -1, mother: -1})
		}
		for j := 0; j < m; j++ {
			ps = append(ps, person{id: fmt.Sprintf("%s_M%d", pname, j+1), male: true, father: -1, mother: -1})
		}
		if err := relations(ps); err != nil {
			return nil, nil, fmt.Errorf("pedigree %s: %w", pname, err)
		}
		h := casejson.HypothesisJSON{Name: pname, Description: "pedigree " + pname + " of the Familias file"}
		var comp casejson.ComponentJSON
		for _, p := range ps {
			pj := casejson.PersonJSON{ID: p.id, Sex: 2}
			if p.male {
				pj.Sex = 1
			}
			if (p.father < 0) != (p.mother < 0) {
				return nil, nil, fmt.Errorf("%s: pedigree %s: %s has one parent only; Homeward needs both or neither", name, pname, p.id)
			}
			if p.father >= 0 {
				fa, mo := ps[p.father].id, ps[p.mother].id
				pj.Father, pj.Mother = &fa, &mo
			}
			comp.Individuals = append(comp.Individuals, pj)
		}
		h.Components = []casejson.ComponentJSON{comp}
		cs.Hypotheses = append(cs.Hypotheses, h)
		cs.Reference = pname
	}
	// Database.
	dbLine, err := c.next("the database header line")
	if err != nil {
		return nil, nil, err
	}
	if strings.HasPrefix(dbLine, "#TRUE#") {
		return nil, nil, c.errf("the file holds precomputed probabilities; they are not read")
	}
	if m := thetaRe.FindStringSubmatch(dbLine); m != nil {
		if cs.Theta, err = strconv.ParseFloat(m[1], 64); err != nil {
			return nil, nil, c.errf("theta %q", m[1])
		}
	}
	nloc, err := c.int("the number of loci")
	if err != nil {
		return nil, nil, err
	}
	if nloc < 0 || nloc > 10000 {
		return nil, nil, c.errf("%d loci", nloc)
	}
	info, err := c.bool("the database-name flag")
	if err != nil {
		return nil, nil, err
	}
	if info {
		if _, err := c.next("the database name"); err != nil {
			return nil, nil, err
		}
	}
	for k := 0; k < nloc; k++ {
		mk, err := readLocus(c)
		if err != nil {
			return nil, nil, err
		}
		cs.Markers = append(cs.Markers, mk)
	}
	// Genotypes by allele index.
	for _, p := range people {
		for _, g := range p.genos {
			if g[2] < 0 || g[2] >= len(cs.Markers) {
				return nil, nil, fmt.Errorf("%s: %s: marker index %d (the database has %d loci)", name, p.id, g[2], len(cs.Markers))
			}
			mk := cs.Markers[g[2]]
			if g[0] < 0 || g[0] >= len(mk.Alleles) || g[1] < 0 || g[1] >= len(mk.Alleles) {
				return nil, nil, fmt.Errorf("%s: %s marker %s: allele index %d/%d (the locus has %d alleles)", name, p.id, mk.Name, g[0], g[1], len(mk.Alleles))
			}
			if cs.Genotypes[p.id] == nil {
				cs.Genotypes[p.id] = map[string][]string{}
			}
			cs.Genotypes[p.id][mk.Name] = []string{mk.Alleles[g[0]], mk.Alleles[g[1]]}
		}
	}
	return cs, dviLines, nil
}

func readLocus(c *cursor) (casejson.MarkerJSON, error) {
	var mk casejson.MarkerJSON
	var err error
	if mk.Name, err = c.next("a locus name"); err != nil {
		return mk, err
	}
	rateF, err := c.float(mk.Name + " female mutation rate")
	if err != nil {
		return mk, err
	}
	rateM, err := c.float(mk.Name + " male mutation rate")
	if err != nil {
		return mk, err
	}
	codeF, err := c.int(mk.Name + " female mutation model code")
	if err != nil {
		return mk, err
	}
	codeM, err := c.int(mk.Name + " male mutation model code")
	if err != nil {
		return mk, err
	}
	if _, err := c.int(mk.Name + " number of alleles with the silent one"); err != nil {
		return mk, err
	}
	rangeF, err := c.float(mk.Name + " female range")
	if err != nil {
		return mk, err
	}
	rangeM, err := c.float(mk.Name + " male range")
	if err != nil {
		return mk, err
	}
	rate2F, err := c.float(mk.Name + " female rate2")
	if err != nil {
		return mk, err
	}
	rate2M, err := c.float(mk.Name + " male rate2")
	if err != nil {
		return mk, err
	}
	silent, err := c.bool(mk.Name + " silent-allele flag")
	if err != nil {
		return mk, err
	}
	if silent {
		return mk, c.errf("locus %s has a silent allele frequency; silent alleles are not supported", mk.Name)
	}
	if _, err := c.next(mk.Name + " silent frequency"); err != nil {
		return mk, err
	}
	infoLine, err := c.next(mk.Name + " number of alleles")
	if err != nil {
		return mk, err
	}
	nAll, err := strconv.Atoi(strings.TrimSpace(strings.SplitN(infoLine, "\t", 2)[0]))
	if err != nil || nAll < 1 || nAll > 1000 {
		return mk, c.errf("locus %s: number of alleles expected, found %q", mk.Name, infoLine)
	}
	seen := map[string]bool{}
	for k := 0; k < nAll; k++ {
		a, err := c.next(mk.Name + " allele")
		if err != nil {
			return mk, err
		}
		f, err := c.float(mk.Name + " frequency of allele " + a)
		if err != nil {
			return mk, err
		}
		if seen[a] {
			return mk, c.errf("locus %s: allele %s twice", mk.Name, a)
		}
		seen[a] = true
		mk.Alleles = append(mk.Alleles, a)
		mk.Frequencies = append(mk.Frequencies, f)
	}
	model := func(code int, rate, rng, rate2 float64, sex string) (*casejson.ModelJSON, error) {
		name, ok := models[code]
		if !ok {
			return nil, c.errf("locus %s %s: mutation model code %d (stationary stepwise, which Familias stabilises) is not supported; use equal, proportional or stepwise", mk.Name, sex, code)
		}
		m := &casejson.ModelJSON{Model: name, Rate: rate}
		if name == "stepwise" {
			r2, rg := rate2, rng
			m.Rate2, m.Range = &r2, &rg
		}
		return m, nil
	}
	if rateF > 0 || rateM > 0 {
		mj := &casejson.MutationJSON{SexEqual: codeF == codeM && rateF == rateM && rangeF == rangeM && rate2F == rate2M}
		if mj.Female, err = model(codeF, rateF, rangeF, rate2F, "female"); err != nil {
			return mk, err
		}
		if mj.Male, err = model(codeM, rateM, rangeM, rate2M, "male"); err != nil {
			return mk, err
		}
		mk.Mutation = mj
	}
	return mk, nil
}
