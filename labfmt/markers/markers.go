// Package markers maps the names kits, instruments and files give STR markers onto one canonical
// name per marker ("vWA", "VWA" and "vwa" are vWA; "Penta D", "PentaD" and "PENTA_D" are Penta D;
// "AMEL" and "Amelogenin" are AMEL; "DYS385a/b" is DYS385; "D21" is D21S11). Canonical names are
// the NIST STRBase spellings, except AMEL for amelogenin (the name stored profiles already use).
// The built-in table can be extended from a CSV file of alias,canonical pairs (Table.LoadTable). A
// name that cannot be mapped is returned with false for the caller to report, never dropped.
package markers

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
)

// Table maps normalised aliases to canonical names.
type Table struct {
	alias map[string]string
}

// fastKey normalises a name for lookup: upper case without spaces, underscores, dashes, dots and
// parentheses ("FGA (FIBRA)" is FGAFIBRA).
var keyReplacer = strings.NewReplacer(" ", "", "_", "", "-", "", ".", "", "(", "", ")", "")

func fastKey(s string) string { return strings.ToUpper(keyReplacer.Replace(strings.TrimSpace(s))) }

// canonical lists the markers Homeward knows, by their canonical names (NIST STRBase spelling for
// autosomal STRs and Y-STRs; AMEL for amelogenin).
var canonical = []string{
	"AMEL", "CSF1PO", "D10S1248", "D12S391", "D13S317", "D16S539", "D18S51", "D19S433", "D1S1656",
	"D21S11", "D22S1045", "D2S1338", "D2S441", "D3S1358", "D5S818", "D6S1043", "D7S820", "D8S1179",
	"FGA", "Penta D", "Penta E", "SE33", "TH01", "TPOX", "vWA",
	"DYS19", "DYS385", "DYS389I", "DYS389II", "DYS390", "DYS391", "DYS392", "DYS393", "DYS437",
	"DYS438", "DYS439", "DYS448", "DYS449", "DYS456", "DYS458", "DYS460", "DYS481", "DYS518",
	"DYS533", "DYS549", "DYS570", "DYS576", "DYS627", "DYS635", "DYS643", "DYF387S1", "Y-GATA-H4",
}

// builtin aliases beyond spelling variants (which normalisation already joins).
var builtin = map[string]string{
	"AMELOGENIN": "AMEL", "AM": "AMEL",
	"THO1": "TH01", "FIBRA": "FGA", "FGAFIBRA": "FGA",
	"PENTAD": "Penta D", "PD": "Penta D", "PENTAE": "Penta E", "PE": "Penta E",
	"ACTBP2":   "SE33",
	"DYS385AB": "DYS385", "DYS385A/B": "DYS385", "DYS385A": "DYS385", "DYS385B": "DYS385",
	"DYF387S1AB": "DYF387S1", "DYF387S1A/B": "DYF387S1",
	"DYS389I": "DYS389I", "DYS3891": "DYS389I", "DYS389II": "DYS389II", "DYS3892": "DYS389II",
	"YGATAH4": "Y-GATA-H4", "GATAH4": "Y-GATA-H4", "GATAH41": "Y-GATA-H4",
	"CSF1P0": "CSF1PO", "TP0X": "TPOX", // zero for the letter O, a common slip
	// Short names some reports and older tables use (SGM Plus era). "D2" is left out: it could be
	// D2S1338 or D2S441.
	"D1": "D1S1656", "D3": "D3S1358", "D5": "D5S818", "D6": "D6S1043", "D7": "D7S820",
	"D8": "D8S1179", "D10": "D10S1248", "D12": "D12S391", "D13": "D13S317", "D16": "D16S539",
	"D18": "D18S51", "D19": "D19S433", "D21": "D21S11", "D22": "D22S1045",
}

// Canonical returns the canonical name of a marker name under the built-in table (see
// Table.Canonical); false, with the name trimmed, when the name is unknown.
func Canonical(name string) (string, bool) {
	defaultOnce.Do(func() { defaultTable = Default() })
	return defaultTable.Canonical(name)
}

var (
	defaultOnce  sync.Once
	defaultTable *Table
)

// Default returns a table with the built-in names.
func Default() *Table {
	t := &Table{alias: map[string]string{}}
	for _, c := range canonical {
		t.alias[fastKey(c)] = c
	}
	for a, c := range builtin {
		t.alias[fastKey(a)] = c
	}
	return t
}

// Add maps alias (any spelling) to canonical. Mapping an alias to two different names is an error.
func (t *Table) Add(alias, canonicalName string) error {
	k := fastKey(alias)
	if k == "" || strings.TrimSpace(canonicalName) == "" {
		return fmt.Errorf("marker alias %q -> %q: both names are needed", alias, canonicalName)
	}
	if prev, ok := t.alias[k]; ok && prev != canonicalName {
		return fmt.Errorf("marker alias %q already means %s, not %s", alias, prev, canonicalName)
	}
	t.alias[k] = canonicalName
	if _, ok := t.alias[fastKey(canonicalName)]; !ok {
		t.alias[fastKey(canonicalName)] = canonicalName
	}
	return nil
}

// LoadCSV adds alias,canonical lines (a header line "alias,canonical" is allowed; # starts a
// comment). Errors name the line.
func (t *Table) LoadCSV(r io.Reader) error {
	cr := csv.NewReader(r)
	cr.Comment = '#'
	cr.FieldsPerRecord = -1
	line := 0
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		line++
		if err != nil {
			return fmt.Errorf("marker table: %w", err)
		}
		if len(rec) != 2 {
			return fmt.Errorf("marker table line %d: %d fields, want alias,canonical", line, len(rec))
		}
		if line == 1 && strings.EqualFold(strings.TrimSpace(rec[0]), "alias") {
			continue
		}
		if err := t.Add(rec[0], strings.TrimSpace(rec[1])); err != nil {
			return fmt.Errorf("marker table line %d: %w", line, err)
		}
	}
}

// LoadTable adds the alias,canonical lines of a CSV file; it is LoadCSV under the name the import
// options use.
func (t *Table) LoadTable(r io.Reader) error { return t.LoadCSV(r) }

// Canonical returns the canonical name of a marker name, or the name as given and false when the
// table does not know it.
func (t *Table) Canonical(name string) (string, bool) {
	if c, ok := t.alias[fastKey(name)]; ok {
		return c, true
	}
	// "DYS385 a/b", "DYS385a/b": drop a copy suffix.
	k := fastKey(name)
	for _, suf := range []string{"A/B", "AB", "A", "B"} {
		if strings.HasSuffix(k, suf) {
			if c, ok := t.alias[strings.TrimSuffix(strings.TrimSuffix(k, suf), "/")]; ok && IsY(c) {
				return c, true
			}
		}
	}
	return strings.TrimSpace(name), false
}

// IsSex reports whether the canonical name is the amelogenin sex marker.
func IsSex(canonicalName string) bool { return canonicalName == "AMEL" }

// IsY reports whether the canonical name is a Y-chromosome marker.
func IsY(canonicalName string) bool {
	return strings.HasPrefix(canonicalName, "DY") || canonicalName == "Y-GATA-H4"
}

// Known lists the canonical names of the table, sorted.
func (t *Table) Known() []string {
	seen := map[string]bool{}
	var out []string
	for _, c := range t.alias {
		if !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	sort.Strings(out)
	return out
}
