// Package gtable reads genotype tables: the plain layouts that genotyping software, SNP panel
// pipelines and spreadsheets export calls in, comma-, tab- or semicolon-separated (detected from
// the header).
//
//   - Long: one row per sample and marker, with columns for the sample, the marker and either two
//     allele columns (allele_1, allele_2: the layout `homeward dna export -format csv` writes) or
//     one genotype column. An optional role column gives each sample's role.
//   - Wide: one row per sample, the first column the sample, every other column a marker (an STR
//     name or a SNP id such as rs1490413) holding the genotype.
//
// A genotype cell is "A/G", "A|G", "A,G", "A G", two letters of a SNP ("AG"), or one allele (a
// homozygote written once, as many exports do). "--", "NN", "00", "0/0", "./.", "NA" and an empty
// cell are no call: the marker is left out of that sample. Marker names go through the marker
// table (so "vWA" is VWA); SNP ids (rs followed by digits) are kept as they are and not reported
// as unknown.
package gtable

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/homeward/homeward/labfmt/markers"
	"github.com/homeward/homeward/labfmt/profile"
)

// MaxSize bounds the input read: a 3,900-SNP panel for 10,000 samples in the wide layout is
// about 200 MB.
const MaxSize = 512 << 20

// Options for ReadProfiles.
type Options struct {
	Markers *markers.Table // nil: markers.Default()
	Role    string         // every profile's role when the table has no role column
	File    string         // the file's name, for reports
}

var snpID = regexp.MustCompile(`^(?i:rs)[0-9]+$`)

// ReadProfiles reads a genotype table into profiles (in the order samples first appear), with
// a report of what was read and every row or cell refused, by line and column.
func ReadProfiles(r io.Reader, o Options) ([]profile.Profile, profile.Report, error) {
	rep := profile.NewReport()
	if o.Markers == nil {
		o.Markers = markers.Default()
	}
	if o.File == "" {
		o.File = "input"
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, rep, fmt.Errorf("%s: %w", o.File, err)
	}
	if len(data) > MaxSize {
		return nil, rep, fmt.Errorf("%s: larger than %d MB", o.File, MaxSize>>20)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		return nil, rep, fmt.Errorf("%s: not UTF-8 text (save the table as UTF-8)", o.File)
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = separator(data)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return nil, rep, fmt.Errorf("%s line 1: %w", o.File, headerError(err))
	}
	b := newBuilder(o, &rep)
	lay, err := layoutOf(header)
	if err != nil {
		return nil, rep, fmt.Errorf("%s line 1: %w", o.File, err)
	}
	if lay.wide {
		b.wideMarkers(header[1:])
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, rep, fmt.Errorf("%s: %w", o.File, err) // a csv.ParseError names its line
		}
		line, _ := cr.FieldPos(0)
		rep.Lines++
		if lay.wide {
			b.wideRow(line, rec)
		} else {
			b.longRow(line, rec, lay)
		}
	}
	return b.finish(), rep, nil
}

func headerError(err error) error {
	if errors.Is(err, io.EOF) {
		return errors.New("empty file: a header row naming the columns is needed")
	}
	return err
}

// separator is the first of tab, semicolon and comma found in the header line (comma by default).
func separator(data []byte) rune {
	first, _, _ := bytes.Cut(data, []byte("\n"))
	for _, c := range []rune{'\t', ';', ','} {
		if bytes.ContainsRune(first, c) {
			return c
		}
	}
	return ','
}

// layout says which columns of a long table hold what; wide when the header has no marker column.
type layout struct {
	wide                                       bool
	sample, marker, allele1, allele2, gt, role int
}

// layoutOf reads the header.
func layoutOf(header []string) (layout, error) {
	l := layout{sample: -1, marker: -1, allele1: -1, allele2: -1, gt: -1, role: -1}
	for i, h := range header {
		switch key(h) {
		case "sample", "samplename", "sampleid", "id", "specimen":
			if l.sample < 0 {
				l.sample = i
			}
		case "marker", "locus", "snp", "snpid", "rsid", "rs", "name":
			l.marker = i
		case "allele1", "a1":
			l.allele1 = i
		case "allele2", "a2":
			l.allele2 = i
		case "genotype", "gt", "call", "alleles":
			l.gt = i
		case "role":
			l.role = i
		}
	}
	if l.marker < 0 {
		if len(header) < 2 {
			return l, errors.New("a wide table needs a sample column and at least one marker column")
		}
		l.wide = true
		return l, nil
	}
	if l.sample < 0 {
		return l, errors.New("no sample column (sample, sample name, id)")
	}
	if l.gt < 0 && (l.allele1 < 0 || l.allele2 < 0) {
		return l, errors.New("no genotype: give a genotype column, or allele_1 and allele_2")
	}
	return l, nil
}

// key folds a header for matching: lower case, without spaces, dots, dashes and underscores.
func key(s string) string {
	return strings.NewReplacer(" ", "", ".", "", "-", "", "_", "").Replace(strings.ToLower(strings.TrimSpace(s)))
}

// noCall are the cells that mean nothing was called.
var noCall = map[string]bool{"": true, "--": true, "NN": true, "00": true, "0/0": true, "./.": true, ".": true, "NA": true, "N/A": true, "0": true, "-": true}

// ParseGenotype splits a genotype cell into its alleles (none for no call).
func ParseGenotype(cell string) []string {
	c := strings.TrimSpace(cell)
	if noCall[strings.ToUpper(c)] {
		return nil
	}
	for _, sep := range []string{"/", "|", ",", " "} {
		if strings.Contains(c, sep) {
			var out []string
			for _, a := range strings.Split(c, sep) {
				if a = strings.TrimSpace(a); a != "" && !noCall[strings.ToUpper(a)] {
					out = append(out, a)
				}
			}
			return out
		}
	}
	if len(c) == 2 && isBase(c[0]) && isBase(c[1]) {
		return []string{strings.ToUpper(c[:1]), strings.ToUpper(c[1:])}
	}
	return []string{c}
}

// isBase: a nucleotide, or X/Y of amelogenin ("XY").
func isBase(b byte) bool { return strings.IndexByte("ACGTXYacgtxy", b) >= 0 }
