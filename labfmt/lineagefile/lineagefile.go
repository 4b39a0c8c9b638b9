// Package lineagefile reads laboratories' lineage-marker results: Y-STR haplotypes from GeneMapper
// tables (Yfiler / Yfiler Plus exports, the genotype-table layout: Sample Name, Marker, Allele 1..n)
// or sample-by-locus tables (one column per Y locus, as YHRD submissions and spreadsheets keep
// them), and mtDNA profiles from CSV (sample, range, variants in EMPOP notation). Every row is
// checked; problems are reported with their line, sample and field, and a sample with a rejected
// row is left out whole.
package lineagefile

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/lineage/mtdna"
	"github.com/homeward/homeward/lineage/ystr"
)

// MaxSize bounds the input read.
const MaxSize = 64 << 20

// Report is what a read found, for the dry run and the import.
type Report struct {
	Kind     string                `json:"kind"` // ystr or mtdna
	File     string                `json:"file"`
	Layout   string                `json:"layout"` // genotype-table, sample-by-locus, csv
	Lines    int                   `json:"lines_read"`
	Samples  int                   `json:"samples"`
	Loci     int                   `json:"loci,omitempty"` // distinct Y loci
	Warnings []homeward.RowProblem `json:"warnings"`
	Rejected []homeward.RowProblem `json:"rejected"`
	LeftOut  []string              `json:"left_out"`
	// Filled in by the import.
	DryRun    bool `json:"dry_run"`
	Created   int  `json:"created"`
	Updated   int  `json:"updated"`
	Unchanged int  `json:"unchanged"`
	// Contamination lists victims whose lineage data match an elimination profile's.
	Contamination []homeward.ContaminationHit `json:"contamination,omitempty"`
}

func newReport(kind, file string) *Report {
	return &Report{Kind: kind, File: file, Warnings: []homeward.RowProblem{}, Rejected: []homeward.RowProblem{}, LeftOut: []string{}}
}

// lines reads the whole input as UTF-8 text lines (BOM and CRLF accepted).
func lines(r io.Reader) ([]string, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxSize {
		return nil, fmt.Errorf("larger than %d MiB", MaxSize>>20)
	}
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	for n := 1; sc.Scan(); n++ {
		l := strings.TrimRight(sc.Text(), "\r")
		if !utf8.ValidString(l) {
			return nil, fmt.Errorf("line %d: not UTF-8 text (save the file as UTF-8)", n)
		}
		out = append(out, l)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

var errEmpty = errors.New("empty file")

// ReadYSTR reads Y-STR results. The layout is told by the header: a "Marker" column means the
// GeneMapper genotype table (one row per sample and locus, alleles in Allele 1..n; several for
// multi-copy loci; an off-ladder call leaves the locus untyped), otherwise every column after
// "Sample Name" is a locus (a cell holds the allele, or the copies separated by commas; DYS385a
// and DYS385b columns merge). Loci are named canonically (ystr.Canonical); columns that are not Y
// loci are listed as warnings and ignored.
func ReadYSTR(r io.Reader, file string) ([]homeward.LineageRecord, *Report, error) {
	rd := &ystrReader{rep: newReport("ystr", file), file: file, loci: map[string]map[string][]string{}, bad: map[string]bool{}, rowLine: map[string]int{}}
	ls, err := lines(r)
	if err != nil {
		return nil, rd.rep, fmt.Errorf("y-str %s: %w", file, err)
	}
	if err := rd.header(ls); err != nil {
		return nil, rd.rep, err
	}
	if markerCol, long := rd.idx["marker"]; long {
		err = rd.genotypeTable(markerCol)
	} else {
		rd.sampleByLocus()
	}
	if err != nil {
		return nil, rd.rep, err
	}
	return rd.records(), rd.rep, nil
}

// ystrReader is the state of ReadYSTR: the lines, the header's columns, and each sample's loci.
type ystrReader struct {
	rep         *Report
	file        string
	ls          []string
	head, start int // the header's line index, and the first row's
	cols        []string
	idx         map[string]int // column name, lower case -> index
	sampleCol   int
	loci        map[string]map[string][]string // sample -> locus -> alleles
	order       []string
	bad         map[string]bool
	rowLine     map[string]int // each sample's first line
}

// reject reports a row problem that leaves its sample out.
func (rd *ystrReader) reject(line int, sample, field, msg string) {
	rd.rep.Rejected = append(rd.rep.Rejected, homeward.RowProblem{Line: line, Record: sample, Field: field, Message: msg})
	rd.bad[sample] = true
}

// warn reports a row problem that keeps its sample.
func (rd *ystrReader) warn(line int, sample, field, msg string) {
	rd.rep.Warnings = append(rd.rep.Warnings, homeward.RowProblem{Line: line, Record: sample, Field: field, Message: msg})
}

// add starts a sample at its first line.
func (rd *ystrReader) add(sample string, line int) {
	if rd.loci[sample] == nil {
		rd.loci[sample] = map[string][]string{}
		rd.order = append(rd.order, sample)
		rd.rowLine[sample] = line
	}
}

// header finds the header (the first line that is not blank) and its Sample Name column.
func (rd *ystrReader) header(ls []string) error {
	rd.ls, rd.head = ls, -1
	for i, l := range ls {
		if strings.TrimSpace(l) != "" {
			rd.head, rd.start = i, i+1
			break
		}
	}
	if rd.head < 0 {
		return fmt.Errorf("y-str %s: %w", rd.file, errEmpty)
	}
	if !strings.Contains(ls[rd.head], "\t") {
		for _, sep := range []string{",", ";"} {
			if strings.Contains(ls[rd.head], sep) {
				return fmt.Errorf("y-str %s line %d: the header is separated by %q; export the table tab-separated", rd.file, rd.head+1, sep)
			}
		}
	}
	rd.cols = strings.Split(ls[rd.head], "\t")
	rd.idx = map[string]int{}
	for i, c := range rd.cols {
		rd.idx[strings.ToLower(strings.TrimSpace(c))] = i
	}
	var ok bool
	if rd.sampleCol, ok = rd.idx["sample name"]; !ok {
		return fmt.Errorf("y-str %s line %d: no \"Sample Name\" column", rd.file, rd.head+1)
	}
	return nil
}

// rows calls f with each row that is not blank, split at tabs, and its line number.
func (rd *ystrReader) rows(f func(line int, fields []string)) {
	for i := rd.start; i < len(rd.ls); i++ {
		if strings.TrimSpace(rd.ls[i]) == "" {
			continue
		}
		rd.rep.Lines++
		f(i+1, strings.Split(rd.ls[i], "\t"))
	}
}

// overflow reports whether a row has values beyond the header's columns.
func (rd *ystrReader) overflow(f []string) bool {
	return len(f) > len(rd.cols) && strings.TrimSpace(strings.Join(f[len(rd.cols):], "")) != ""
}

// genotypeTable reads the GeneMapper layout: a row per sample and locus.
func (rd *ystrReader) genotypeTable(markerCol int) error {
	rd.rep.Layout = "genotype-table"
	var alleleCols []int
	for i, c := range rd.cols {
		if strings.HasPrefix(strings.ToLower(strings.TrimSpace(c)), "allele") {
			alleleCols = append(alleleCols, i)
		}
	}
	if len(alleleCols) == 0 {
		return fmt.Errorf("y-str %s line %d: no \"Allele 1\" column", rd.file, rd.head+1)
	}
	rd.rows(func(line int, f []string) {
		if rd.overflow(f) {
			rd.reject(line, cell(f, rd.sampleCol), "row", fmt.Sprintf("%d values for %d columns", len(f), len(rd.cols)))
			return
		}
		sample, marker := cell(f, rd.sampleCol), cell(f, markerCol)
		if sample == "" {
			rd.rep.Rejected = append(rd.rep.Rejected, homeward.RowProblem{Line: line, Field: "Sample Name", Message: "empty"})
			return
		}
		rd.add(sample, line)
		switch {
		case marker == "":
			rd.reject(line, sample, "Marker", "empty")
		case !ystr.IsLocus(marker):
			rd.warn(line, sample, "Marker", fmt.Sprintf("%s is not a Y-STR locus; row ignored", marker))
		default:
			rd.genotypeRow(line, f, sample, marker, alleleCols)
		}
	})
	return nil
}

// genotypeRow keeps a genotype row's alleles for its sample and locus.
func (rd *ystrReader) genotypeRow(line int, f []string, sample, marker string, alleleCols []int) {
	var al []string
	offLadder := false
	for _, c := range alleleCols {
		a := cell(f, c)
		switch {
		case a == "" || strings.EqualFold(a, "NA"):
		case strings.EqualFold(a, "OL"):
			offLadder = true
		default:
			al = append(al, a)
		}
	}
	if offLadder {
		rd.warn(line, sample, marker, "off-ladder call (OL): the locus is left untyped")
		return
	}
	if len(al) == 0 {
		return
	}
	key := ystr.Canonical(marker)
	if prev, dup := rd.loci[sample][key]; dup && strings.Join(prev, ",") != strings.Join(al, ",") {
		rd.reject(line, sample, marker, fmt.Sprintf("called again differently (%s against %s)", strings.Join(al, ","), strings.Join(prev, ",")))
		return
	}
	rd.loci[sample][key] = al
}

// sampleByLocus reads the layout with a row per sample and a column per locus.
func (rd *ystrReader) sampleByLocus() {
	rd.rep.Layout = "sample-by-locus"
	rd.rows(func(line int, f []string) {
		sample := cell(f, rd.sampleCol)
		if sample == "" {
			rd.rep.Rejected = append(rd.rep.Rejected, homeward.RowProblem{Line: line, Field: "Sample Name", Message: "empty"})
			return
		}
		if rd.loci[sample] != nil {
			rd.reject(line, sample, "Sample Name", fmt.Sprintf("appears again (first on line %d)", rd.rowLine[sample]))
			return
		}
		rd.add(sample, line)
		if rd.overflow(f) {
			rd.reject(line, sample, "row", fmt.Sprintf("%d values for %d columns", len(f), len(rd.cols)))
			return
		}
		for c, name := range rd.cols {
			if c == rd.sampleCol || strings.TrimSpace(name) == "" {
				continue
			}
			v := cell(f, c)
			if v == "" || strings.EqualFold(v, "NA") || !ystr.IsLocus(name) {
				continue // a column that is no Y locus is reported once below
			}
			if strings.EqualFold(v, "OL") {
				rd.warn(line, sample, name, "off-ladder call (OL): the locus is left untyped")
				continue
			}
			if al := strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == '/' || r == ' ' }); len(al) > 0 {
				rd.loci[sample][strings.TrimSpace(name)] = al
			}
		}
	})
	for c, name := range rd.cols {
		if c != rd.sampleCol && strings.TrimSpace(name) != "" && !ystr.IsLocus(name) {
			rd.warn(rd.head+1, "", name, "not a Y-STR locus; column ignored")
		}
	}
}

// records makes each good sample's haplotype a record; the others are left out, said why.
func (rd *ystrReader) records() []homeward.LineageRecord {
	var out []homeward.LineageRecord
	locusSet := map[string]bool{}
	for _, s := range rd.order {
		if rd.bad[s] {
			rd.rep.LeftOut = append(rd.rep.LeftOut, s)
			continue
		}
		h, err := ystr.FromLoci(rd.loci[s])
		switch {
		case len(rd.loci[s]) > 0 && err != nil:
			rd.rep.Rejected = append(rd.rep.Rejected, homeward.RowProblem{Line: rd.rowLine[s], Record: s, Field: "alleles", Message: err.Error()})
			rd.rep.LeftOut = append(rd.rep.LeftOut, s)
			continue
		case len(rd.loci[s]) == 0 || len(h) == 0:
			rd.warn(rd.rowLine[s], s, "", "no Y-STR locus typed; sample left out")
			rd.rep.LeftOut = append(rd.rep.LeftOut, s)
			continue
		}
		for l := range h {
			locusSet[l] = true
		}
		out = append(out, homeward.LineageRecord{Sample: s, YSTR: h.String(), Source: fmt.Sprintf("%s:%d", rd.file, rd.rowLine[s])})
	}
	rd.rep.Samples, rd.rep.Loci = len(rd.order), len(locusSet)
	sort.Strings(rd.rep.LeftOut)
	return out
}

func cell(f []string, i int) string {
	if i < 0 || i >= len(f) {
		return ""
	}
	return strings.TrimSpace(f[i])
}

// ReadMtDNA reads mtDNA results from CSV (comma- or tab-separated) with the columns sample, range
// and variants (header names case-insensitive; "sample name" is accepted for sample). Each row is
// checked with mtdna.Parse; a sample given twice is rejected.
func ReadMtDNA(r io.Reader, file string) ([]homeward.LineageRecord, *Report, error) {
	rep := newReport("mtdna", file)
	rep.Layout = "csv"
	ls, err := lines(r)
	if err != nil {
		return nil, rep, fmt.Errorf("mtdna %s: %w", file, err)
	}
	text := strings.Join(ls, "\n")
	if strings.TrimSpace(text) == "" {
		return nil, rep, fmt.Errorf("mtdna %s: %w", file, errEmpty)
	}
	cr, idx, err := mtdnaHeader(ls, text, file)
	if err != nil {
		return nil, rep, err
	}
	var out []homeward.LineageRecord
	seen := map[string]int{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			rep.Rejected = append(rep.Rejected, homeward.RowProblem{Line: line, Field: "row", Message: err.Error()})
			continue
		}
		rep.Lines++
		sample := cell(rec, idx["sample"])
		if sample == "" {
			rep.Rejected = append(rep.Rejected, homeward.RowProblem{Line: line, Field: "sample", Message: "empty"})
			continue
		}
		if prev, dup := seen[sample]; dup {
			rep.Rejected = append(rep.Rejected, homeward.RowProblem{Line: line, Record: sample, Field: "sample", Message: fmt.Sprintf("appears again (first on line %d)", prev)})
			rep.LeftOut = append(rep.LeftOut, sample)
			continue
		}
		seen[sample] = line
		p, err := mtdna.Parse(cell(rec, idx["range"]), cell(rec, idx["variants"]))
		if err != nil {
			field := "variants"
			if strings.Contains(err.Error(), "range") {
				field = "range"
			}
			rep.Rejected = append(rep.Rejected, homeward.RowProblem{Line: line, Record: sample, Field: field, Message: err.Error()})
			rep.LeftOut = append(rep.LeftOut, sample)
			continue
		}
		out = append(out, homeward.LineageRecord{Sample: sample, MtDNA: &homeward.MtDNA{Range: p.RangeString(), Variants: p.VariantString()}, Source: fmt.Sprintf("%s:%d", file, line)})
	}
	// A sample given twice is left out whole, its first row too.
	keep := out[:0]
	for _, r := range out {
		if !slices.Contains(rep.LeftOut, r.Sample) {
			keep = append(keep, r)
		}
	}
	rep.Samples = len(seen)
	sort.Strings(rep.LeftOut)
	rep.LeftOut = slices.Compact(rep.LeftOut)
	return keep, rep, nil
}

// mtdnaHeader opens the CSV (tab-separated when the first line has more tabs than commas) and
// reads its header: the index of each column by lower-case name ("sample name" is sample).
func mtdnaHeader(ls []string, text, file string) (*csv.Reader, map[string]int, error) {
	cr := csv.NewReader(strings.NewReader(text))
	first := ls[0]
	for _, l := range ls {
		if strings.TrimSpace(l) != "" {
			first = l
			break
		}
	}
	if strings.Count(first, "\t") > strings.Count(first, ",") {
		cr.Comma = '\t'
	}
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	header, err := cr.Read()
	if err != nil {
		return nil, nil, fmt.Errorf("mtdna %s: header: %w", file, err)
	}
	idx := map[string]int{}
	for i, h := range header {
		idx[strings.ToLower(strings.TrimSpace(h))] = i
	}
	if i, ok := idx["sample name"]; ok {
		idx["sample"] = i
	}
	for _, c := range []string{"sample", "range", "variants"} {
		if _, ok := idx[c]; !ok {
			return nil, nil, fmt.Errorf("mtdna %s line 1: no %q column (the header must name sample, range and variants)", file, c)
		}
	}
	return cr, idx, nil
}

// WriteYSTR writes haplotypes as a sample-by-locus table (tab-separated; a column per locus that any
// sample has, in name order; copies of a multi-copy locus joined by commas; an untyped locus
// empty), the layout ReadYSTR reads back.
func WriteYSTR(w io.Writer, recs []homeward.LineageRecord) error {
	haps := make([]ystr.Haplotype, len(recs))
	loci := map[string]bool{}
	for i, r := range recs {
		h, err := ystr.Parse(r.YSTR)
		if err != nil {
			return fmt.Errorf("y-str %s: %w", r.Sample, err)
		}
		haps[i] = h
		for l := range h {
			loci[l] = true
		}
	}
	cols := make([]string, 0, len(loci))
	for l := range loci {
		cols = append(cols, l)
	}
	sort.Strings(cols)
	bw := bufio.NewWriter(w)
	bw.WriteString("Sample Name\t" + strings.Join(cols, "\t") + "\n")
	for i, r := range recs {
		if strings.ContainsAny(r.Sample, "\t\r\n") {
			return fmt.Errorf("y-str: sample %q has a tab or line break", r.Sample)
		}
		bw.WriteString(r.Sample)
		for _, l := range cols {
			bw.WriteString("\t" + strings.Join(haps[i][l], ","))
		}
		bw.WriteString("\n")
	}
	return bw.Flush()
}

// WriteMtDNA writes mtDNA profiles as CSV (sample, range, variants), the layout ReadMtDNA reads.
func WriteMtDNA(w io.Writer, recs []homeward.LineageRecord) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"sample", "range", "variants"})
	for _, r := range recs {
		if r.MtDNA == nil {
			return fmt.Errorf("mtdna: sample %s has no mtDNA profile", r.Sample)
		}
		cw.Write([]string{r.Sample, r.MtDNA.Range, r.MtDNA.Variants})
	}
	cw.Flush()
	return cw.Error()
}
