// Package familias reads case files written by Familias 3 (.fam): the persons and their genotypes,
// the relations every pedigree shares, each pedigree's own relations, and the frequency database
// with its mutation models, and turns them into a Homeward kinship case (casejson.Case) whose
// hypotheses are the file's pedigrees. The layout (one value per line, indexes counted from 0) is
// the one Familias writes and pedFamilias' readFam documents.
package familias

import (
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
	c, err := readLines(r, name)
	if err != nil {
		return nil, nil, err
	}
	dviLines, err := c.dviSection(dviFile)
	if err != nil {
		return nil, nil, err
	}
	c.i = 3
	if c.lines[3] == `""` || strings.TrimSpace(c.lines[3]) == "" {
		c.i = 4
	}
	people, err := c.persons()
	if err != nil {
		return nil, nil, err
	}
	if people, err = c.knownRelations(people); err != nil {
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
		h, err := c.pedigree(people)
		if err != nil {
			return nil, nil, err
		}
		cs.Hypotheses = append(cs.Hypotheses, h)
		cs.Reference = h.Name
	}
	if err := c.database(cs); err != nil {
		return nil, nil, err
	}
	if err := genotypes(cs, people, name); err != nil {
		return nil, nil, err
	}
	return cs, dviLines, nil
}

func readLocus(c *cursor) (casejson.MarkerJSON, error) {
	var mk casejson.MarkerJSON
	var err error
	if mk.Name, err = c.next("a locus name"); err != nil {
		return mk, err
	}
	h, err := c.locusHeader(mk.Name)
	if err != nil {
		return mk, err
	}
	if err := c.alleleFrequencies(&mk); err != nil {
		return mk, err
	}
	if h.rate[0] > 0 || h.rate[1] > 0 {
		mj := &casejson.MutationJSON{SexEqual: h.code[0] == h.code[1] && h.rate[0] == h.rate[1] && h.rng[0] == h.rng[1] && h.rate2[0] == h.rate2[1]}
		if mj.Female, err = h.model(c, mk.Name, 0); err != nil {
			return mk, err
		}
		if mj.Male, err = h.model(c, mk.Name, 1); err != nil {
			return mk, err
		}
		mk.Mutation = mj
	}
	return mk, nil
}

// locusHeader is a locus' mutation parameters, female then male.
type locusHeader struct {
	rate, rng, rate2 [2]float64
	code             [2]int
}

// locusHeader reads a locus' mutation rates, model codes, ranges and second rates, and its
// silent-allele lines (a silent allele is refused).
func (c *cursor) locusHeader(name string) (locusHeader, error) {
	var h locusHeader
	var err error
	for i, sex := range []string{"female", "male"} {
		if h.rate[i], err = c.float(name + " " + sex + " mutation rate"); err != nil {
			return h, err
		}
	}
	for i, sex := range []string{"female", "male"} {
		if h.code[i], err = c.int(name + " " + sex + " mutation model code"); err != nil {
			return h, err
		}
	}
	if _, err := c.int(name + " number of alleles with the silent one"); err != nil {
		return h, err
	}
	for _, f := range []struct {
		dst  *[2]float64
		what string
	}{{&h.rng, "range"}, {&h.rate2, "rate2"}} {
		for i, sex := range []string{"female", "male"} {
			if f.dst[i], err = c.float(name + " " + sex + " " + f.what); err != nil {
				return h, err
			}
		}
	}
	silent, err := c.bool(name + " silent-allele flag")
	if err != nil {
		return h, err
	}
	if silent {
		return h, c.errf("locus %s has a silent allele frequency; silent alleles are not supported", name)
	}
	_, err = c.next(name + " silent frequency")
	return h, err
}

// alleleFrequencies reads a locus' alleles and their frequencies.
func (c *cursor) alleleFrequencies(mk *casejson.MarkerJSON) error {
	infoLine, err := c.next(mk.Name + " number of alleles")
	if err != nil {
		return err
	}
	nAll, err := strconv.Atoi(strings.TrimSpace(strings.SplitN(infoLine, "\t", 2)[0]))
	if err != nil || nAll < 1 || nAll > 1000 {
		return c.errf("locus %s: number of alleles expected, found %q", mk.Name, infoLine)
	}
	seen := map[string]bool{}
	for k := 0; k < nAll; k++ {
		a, err := c.next(mk.Name + " allele")
		if err != nil {
			return err
		}
		f, err := c.float(mk.Name + " frequency of allele " + a)
		if err != nil {
			return err
		}
		if seen[a] {
			return c.errf("locus %s: allele %s twice", mk.Name, a)
		}
		seen[a] = true
		mk.Alleles = append(mk.Alleles, a)
		mk.Frequencies = append(mk.Frequencies, f)
	}
	return nil
}

// model is the mutation model of one side (0 female, 1 male) as a case states it.
func (h locusHeader) model(c *cursor, locus string, side int) (*casejson.ModelJSON, error) {
	name, ok := models[h.code[side]]
	if !ok {
		return nil, c.errf("locus %s %s: mutation model code %d (stationary stepwise, which Familias stabilises) is not supported; use equal, proportional or stepwise", locus, []string{"female", "male"}[side], h.code[side])
	}
	m := &casejson.ModelJSON{Model: name, Rate: h.rate[side]}
	if name == "stepwise" {
		r2, rg := h.rate2[side], h.rng[side]
		m.Rate2, m.Range = &r2, &rg
	}
	return m, nil
}
