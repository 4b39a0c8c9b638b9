// Package pedfile reads pedigree files with genotype columns, the layout of pedtools' readPed and
// many laboratory exports: a header "id fid mid sex" followed by one column per marker, then one
// line per person; genotypes are written "a/b" (or "-/-", "0/0", "NA" for untyped); a father or
// mother of 0 or NA means a founder; sex 1 male, 2 female, 0 unknown. Columns are separated by tabs
// or spaces.
package pedfile

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/homeward/homeward/kinship"
)

// File is a parsed pedigree file.
type File struct {
	People  []kinship.Person
	Markers []string
	// Genotypes maps person id -> marker -> the two alleles; untyped markers are left out.
	Genotypes map[string]map[string][2]string
}

func missing(s string) bool {
	switch s {
	case "", "0", "NA", "-", "*":
		return true
	}
	return false
}

// Read parses a pedigree file. Errors name the line, the individual and the column.
func Read(r io.Reader) (*File, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	f := &File{Genotypes: map[string]map[string][2]string{}}
	line := 0
	var header []string
	for sc.Scan() {
		line++
		text := strings.TrimSpace(strings.TrimPrefix(sc.Text(), "\ufeff"))
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		fields := strings.Fields(text)
		if header == nil {
			if len(fields) < 4 || !strings.EqualFold(fields[0], "id") || !strings.EqualFold(fields[1], "fid") ||
				!strings.EqualFold(fields[2], "mid") || !strings.EqualFold(fields[3], "sex") {
				return nil, fmt.Errorf("line %d: the header must start with: id fid mid sex", line)
			}
			header = fields
			f.Markers = fields[4:]
			seen := map[string]bool{}
			for _, m := range f.Markers {
				if seen[m] {
					return nil, fmt.Errorf("line %d: marker column %s appears twice", line, m)
				}
				seen[m] = true
			}
			continue
		}
		if len(fields) != len(header) {
			return nil, fmt.Errorf("line %d: %d columns, the header has %d", line, len(fields), len(header))
		}
		p := kinship.Person{ID: fields[0]}
		if !missing(fields[1]) {
			p.Father = fields[1]
		}
		if !missing(fields[2]) {
			p.Mother = fields[2]
		}
		sex, err := strconv.Atoi(fields[3])
		if err != nil || sex < 0 || sex > 2 {
			return nil, fmt.Errorf("line %d individual %s column sex: %q is not 0, 1 or 2", line, p.ID, fields[3])
		}
		p.Sex = sex
		if _, dup := f.Genotypes[p.ID]; dup {
			return nil, fmt.Errorf("line %d: individual %s appears twice", line, p.ID)
		}
		g := map[string][2]string{}
		for i, m := range f.Markers {
			cell := fields[4+i]
			if strings.EqualFold(cell, "NA") {
				continue
			}
			a, b, ok := strings.Cut(cell, "/")
			if !ok || a == "" || b == "" || strings.Contains(b, "/") {
				return nil, fmt.Errorf("line %d individual %s column %s: genotype %q is not written a/b", line, p.ID, m, cell)
			}
			if missing(a) != missing(b) {
				return nil, fmt.Errorf("line %d individual %s column %s: genotype %q has one allele missing", line, p.ID, m, cell)
			}
			if missing(a) {
				continue
			}
			g[m] = [2]string{a, b}
		}
		f.Genotypes[p.ID] = g
		f.People = append(f.People, p)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("line %d: %w", line+1, err)
	}
	if header == nil {
		return nil, fmt.Errorf("empty pedigree file")
	}
	if _, err := kinship.NewPedigree(f.People); err != nil {
		return nil, err
	}
	return f, nil
}
