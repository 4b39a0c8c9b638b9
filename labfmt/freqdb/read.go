package freqdb

import (
	"bufio"
	"encoding/csv"
	"encoding/xml"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

const maxLine = 1 << 20

func parseFreq(s, where string) (float64, error) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || !(f > 0 && f <= 1) {
		return 0, fmt.Errorf("%s: frequency %q is not a number in (0, 1]", where, s)
	}
	return f, nil
}

// ReadNIST reads the NIST 1036 layout: ';'-separated (UTF-8 with a byte-order mark), a header
// "STR;marker;...", a row "N;sample size;...", an optional "Allele;..." row, then one row per
// allele with one frequency per marker (empty = allele not seen for that marker).
func ReadNIST(r io.Reader, name string) (*Database, error) {
	cr := csv.NewReader(r)
	cr.Comma = ';'
	cr.FieldsPerRecord = -1
	rows, err := cr.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(rows) < 2 {
		return nil, fmt.Errorf("%s: too few lines for a NIST table", name)
	}
	head := rows[0]
	if len(head) < 2 || strings.TrimPrefix(strings.TrimSpace(head[0]), "\ufeff") != "STR" {
		return nil, fmt.Errorf("%s line 1: the first cell must be STR", name)
	}
	markers := make([]Marker, len(head)-1)
	for i := range markers {
		markers[i].Name = strings.TrimSpace(head[i+1])
	}
	line := 2
	if strings.TrimSpace(rows[1][0]) == "N" {
		for i := range markers {
			if i+1 < len(rows[1]) && strings.TrimSpace(rows[1][i+1]) != "" {
				n, err := strconv.Atoi(strings.TrimSpace(rows[1][i+1]))
				if err != nil || n < 0 {
					return nil, fmt.Errorf("%s line 2 marker %s: sample size %q is not a whole number", name, markers[i].Name, rows[1][i+1])
				}
				markers[i].N = n
			}
		}
		line = 3
	}
	for _, row := range rows[line-1:] {
		if len(row) == 0 || strings.TrimSpace(row[0]) == "" || strings.EqualFold(strings.TrimSpace(row[0]), "Allele") {
			line++
			continue
		}
		allele := strings.TrimSpace(row[0])
		if _, err := strconv.ParseFloat(allele, 64); err != nil {
			break // the allele rows end; summary statistics (Hobs, PI, PPE, HWE, ...) follow
		}
		// NIST writes whole alleles as "22.0"; everyone else as "22".
		allele = strings.TrimSuffix(allele, ".0")
		for i := 1; i < len(row) && i <= len(markers); i++ {
			cell := strings.TrimSpace(row[i])
			if cell == "" {
				continue
			}
			f, err := parseFreq(cell, fmt.Sprintf("%s line %d marker %s allele %s", name, line, markers[i-1].Name, allele))
			if err != nil {
				return nil, err
			}
			markers[i-1].Alleles = append(markers[i-1].Alleles, allele)
			markers[i-1].Freqs = append(markers[i-1].Freqs, f)
		}
		line++
	}
	d := &Database{Name: name, Source: "NIST 1036"}
	for _, m := range markers {
		if len(m.Alleles) == 0 {
			continue
		}
		if err := d.add(m); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	return d, nil
}

// ReadFamilias reads a Familias-style database (norSTR): a marker name on its own line, then
// "allele<TAB>frequency" lines; a blank line or the next name starts the next marker.
func ReadFamilias(r io.Reader, name string) (*Database, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), maxLine)
	d := &Database{Name: name, Source: "Familias"}
	var cur *Marker
	flush := func() error {
		if cur != nil {
			if len(cur.Alleles) == 0 {
				return fmt.Errorf("%s: marker %s has no alleles", name, cur.Name)
			}
			if err := d.add(*cur); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
		}
		cur = nil
		return nil
	}
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(strings.TrimPrefix(sc.Text(), "\ufeff"))
		if text == "" {
			if err := flush(); err != nil {
				return nil, err
			}
			continue
		}
		fields := strings.Fields(text)
		// Allele lines are tab-separated; a line without a tab names a marker ("Penta E").
		if !strings.Contains(text, "\t") {
			if err := flush(); err != nil {
				return nil, err
			}
			cur = &Marker{Name: text}
			continue
		}
		if len(fields) != 2 || cur == nil {
			return nil, fmt.Errorf("%s line %d: expected a marker name or 'allele<TAB>frequency', got %q", name, line, text)
		}
		f, err := parseFreq(fields[1], fmt.Sprintf("%s line %d marker %s allele %s", name, line, cur.Name, fields[0]))
		if err != nil {
			return nil, err
		}
		cur.Alleles = append(cur.Alleles, fields[0])
		cur.Freqs = append(cur.Freqs, f)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s line %d: %w", name, line+1, err)
	}
	if err := flush(); err != nil {
		return nil, err
	}
	if len(d.Markers) == 0 {
		return nil, fmt.Errorf("%s: no markers", name)
	}
	return d, nil
}

// ReadCSV reads "marker,allele,frequency" rows (with that header), as forrel's databases.
func ReadCSV(r io.Reader, name string) (*Database, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%s line 1: %w", name, err)
	}
	header := strings.ToLower(strings.TrimPrefix(strings.Join(head, ","), "\ufeff"))
	if header != "marker,allele,frequency" && header != "marker,allele,frequency,chrom" {
		return nil, fmt.Errorf("%s line 1: header must be marker,allele,frequency (and optionally chrom)", name)
	}
	d := &Database{Name: name, Source: "CSV"}
	byName := map[string]int{}
	var order []Marker
	line := 1
	for {
		row, err := cr.Read()
		line++
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s line %d: %w", name, line, err)
		}
		if len(row) != len(head) {
			return nil, fmt.Errorf("%s line %d: %d fields, the header has %d", name, line, len(row), len(head))
		}
		mk, al := strings.TrimSpace(row[0]), strings.TrimSpace(row[1])
		if mk == "" || al == "" {
			return nil, fmt.Errorf("%s line %d: marker and allele are required", name, line)
		}
		f, err := parseFreq(row[2], fmt.Sprintf("%s line %d marker %s allele %s", name, line, mk, al))
		if err != nil {
			return nil, err
		}
		chrom := ""
		if len(row) == 4 {
			if chrom = strings.ToUpper(strings.TrimSpace(row[3])); chrom != "" && chrom != "X" {
				return nil, fmt.Errorf("%s line %d marker %s: chrom %q must be X or empty (autosomal)", name, line, mk, row[3])
			}
		}
		i, ok := byName[mk]
		if !ok {
			i = len(order)
			byName[mk] = i
			order = append(order, Marker{Name: mk, Chrom: chrom})
		}
		if order[i].Chrom != chrom {
			return nil, fmt.Errorf("%s line %d marker %s: chrom %q differs from the marker's earlier rows", name, line, mk, chrom)
		}
		order[i].Alleles = append(order[i].Alleles, al)
		order[i].Freqs = append(order[i].Freqs, f)
	}
	for _, m := range order {
		if err := d.add(m); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	if len(d.Markers) == 0 {
		return nil, fmt.Errorf("%s: no markers", name)
	}
	return d, nil
}

type striderXML struct {
	Markers []struct {
		Name    string `xml:"name"`
		Origins []struct {
			Name  string `xml:"name,attr"`
			N     int    `xml:"n,attr"`
			Freqs []struct {
				Allele string `xml:"allele,attr"`
				Value  string `xml:",chardata"`
			} `xml:"frequency"`
		} `xml:"origin"`
	} `xml:"marker"`
}

// ReadSTRidER reads the STRidER XML export and returns one database per country of origin.
// Alleles are sorted numerically where they are numbers.
func ReadSTRidER(r io.Reader) (map[string]*Database, error) {
	var x striderXML
	dec := xml.NewDecoder(io.LimitReader(r, 64<<20))
	if err := dec.Decode(&x); err != nil {
		return nil, fmt.Errorf("STRidER XML: %w", err)
	}
	out := map[string]*Database{}
	for _, m := range x.Markers {
		for _, o := range m.Origins {
			d := out[o.Name]
			if d == nil {
				d = &Database{Name: "STRidER 2015 " + o.Name, Source: "STRidER"}
				out[o.Name] = d
			}
			mk := Marker{Name: m.Name, N: o.N}
			for _, f := range o.Freqs {
				v, err := parseFreq(f.Value, fmt.Sprintf("STRidER marker %s origin %s allele %s", m.Name, o.Name, f.Allele))
				if err != nil {
					return nil, err
				}
				mk.Alleles = append(mk.Alleles, strings.TrimSpace(f.Allele))
				mk.Freqs = append(mk.Freqs, v)
			}
			sortAlleles(&mk)
			if len(mk.Alleles) == 0 {
				continue
			}
			if err := d.add(mk); err != nil {
				return nil, fmt.Errorf("STRidER origin %s: %w", o.Name, err)
			}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("STRidER XML: no frequencies")
	}
	return out, nil
}

func sortAlleles(m *Marker) {
	idx := make([]int, len(m.Alleles))
	for i := range idx {
		idx[i] = i
	}
	key := func(a string) (float64, bool) {
		v, err := strconv.ParseFloat(a, 64)
		return v, err == nil
	}
	sort.SliceStable(idx, func(i, j int) bool {
		a, b := m.Alleles[idx[i]], m.Alleles[idx[j]]
		va, oka := key(a)
		vb, okb := key(b)
		if oka && okb {
			return va < vb
		}
		if oka != okb {
			return oka
		}
		return a < b
	})
	al, fr := make([]string, len(idx)), make([]float64, len(idx))
	for k, i := range idx {
		al[k], fr[k] = m.Alleles[i], m.Freqs[i]
	}
	m.Alleles, m.Freqs = al, fr
}
