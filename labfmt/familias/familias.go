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
