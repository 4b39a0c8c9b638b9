package genemapper

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/homeward/homeward/labfmt/markers"
	"github.com/homeward/homeward/labfmt/profile"
)

// tableReader is the state of ReadProfiles while it reads a table: the layout its header gives,
// the samples so far in the file's order, and the report.
type tableReader struct {
	o       Options
	rep     profile.Report
	tab     *markers.Table
	file    string
	lineNo  int
	lay     layout
	canon   map[string]canonName // a marker as written -> its canonical name
	ladders map[string]bool
	samples map[string]*sampleAcc
	order   []*sampleAcc
	fields  []string
	nums    []int // the column numbers of a row's kept alleles
}

// canonName is a marker's canonical name and whether the marker table knows it.
type canonName struct {
	name  string
	known bool
}

// readText reads the whole table (at most MaxSize), without a byte order mark, refusing text
// that is not UTF-8 with the line where it stops being so.
func readText(r io.Reader, file string) (string, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return "", fmt.Errorf("%s: %w", file, err)
	}
	if len(data) > MaxSize {
		return "", fmt.Errorf("%s: larger than %d MB", file, MaxSize>>20)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if utf8.Valid(data) {
		return string(data), nil
	}
	line := 1
	for len(data) > 0 {
		i := bytes.IndexByte(data, '\n')
		l := data
		if i >= 0 {
			l = data[:i]
		}
		if !utf8.Valid(l) || i < 0 {
			break
		}
		line++
		data = data[i+1:]
	}
	return "", fmt.Errorf("%s line %d: not UTF-8 text (save the export as UTF-8)", file, line)
}

// nextLine returns the next line without its line end, and the rest.
func nextLine(s string) (string, string) {
	i := strings.IndexByte(s, '\n')
	if i < 0 {
		return strings.TrimSuffix(s, "\r"), ""
	}
	return strings.TrimSuffix(s[:i], "\r"), s[i+1:]
}

// header reads the first line that is not blank as the table's header and returns the rest.
func (rd *tableReader) header(text string) (string, error) {
	var head string
	for text != "" {
		head, text = nextLine(text)
		rd.lineNo++
		if strings.TrimSpace(head) != "" {
			break
		}
	}
	if strings.TrimSpace(head) == "" {
		return "", fmt.Errorf("%s: empty file", rd.file)
	}
	cells := strings.Split(head, "\t")
	if len(cells) < 2 {
		for _, sep := range []string{",", ";"} {
			if strings.Count(head, sep) > 0 {
				return "", fmt.Errorf("%s line %d: the columns are separated by %q; GeneMapper tables are tab-separated (export as tab-delimited text)", rd.file, rd.lineNo, sep)
			}
		}
		return "", fmt.Errorf("%s line %d: not a genotype table (one column, no tabs)", rd.file, rd.lineNo)
	}
	lay, err := parseHeader(cells, fmt.Sprintf("%s line %d", rd.file, rd.lineNo))
	if err != nil {
		return "", err
	}
	rd.lay, rd.fields = lay, make([]string, 0, lay.width)
	if len(lay.ignored) > 0 {
		rd.rep.Warn(profile.Problem{Line: rd.lineNo, Field: "header", Message: "columns ignored: " + strings.Join(lay.ignored, ", ")})
		rd.rep.Ignored = append([]string{}, lay.ignored...)
	}
	return text, nil
}

// row reads one row that is not blank into its sample, or rejects it.
func (rd *tableReader) row(raw string) {
	rd.rep.Lines++
	line := rd.lineNo
	rd.fields = splitTabs(rd.fields[:0], raw)
	sampleName, rawMarker := field(rd.fields, rd.lay.sample), field(rd.fields, rd.lay.marker)
	acc, ok := rd.rowSample(raw, line, sampleName, rawMarker)
	if !ok {
		return
	}
	marker := rd.canonical(rawMarker, line)
	loc, ok := rd.alleles(acc, line, sampleName, marker, rawMarker)
	if !ok {
		return
	}
	if i := acc.find(marker); i >= 0 {
		prev := acc.loci[i]
		if profile.SameCalls(prev.locus.Alleles, loc.Alleles) {
			rd.rep.Warn(profile.Problem{Line: line, Sample: sampleName, Marker: marker, Message: fmt.Sprintf("repeats line %d with the same call; the repeat is ignored", prev.line)})
		} else {
			rejectRow(&rd.rep, acc, line, sampleName, marker, "Allele", fmt.Sprintf("lines %d and %d disagree (%s against %s): conflicting replicate calls", prev.line, line, strings.Join(prev.locus.Alleles, "/"), strings.Join(loc.Alleles, "/")))
		}
		return
	}
	acc.loci = append(acc.loci, locusAt{loc, line})
}

// rowSample finds (or starts) the row's sample and checks the row's shape; ok is false when the
// row is rejected or belongs to an allelic ladder.
func (rd *tableReader) rowSample(raw string, line int, sampleName, rawMarker string) (*sampleAcc, bool) {
	acc := rd.samples[sampleName]
	if sampleName != "" && !rd.ladders[sampleName] && acc == nil && !isLadder(sampleName) {
		acc = &sampleAcc{name: sampleName, first: line, loci: make([]locusAt, 0, 24)}
		rd.samples[sampleName] = acc
		rd.order = append(rd.order, acc)
	}
	width := rd.lay.width
	switch {
	case len(rd.fields) < width:
		rejectRow(&rd.rep, acc, line, sampleName, rawMarker, "row", fmt.Sprintf("%d fields, the header has %d (a truncated file or a row cut short)", len(rd.fields), width))
	case len(rd.fields) > width && strings.TrimSpace(strings.Join(rd.fields[width:], "")) != "":
		rejectRow(&rd.rep, acc, line, sampleName, rawMarker, "row", fmt.Sprintf("%d fields, the header has %d: values beyond the last column", len(rd.fields), width))
	case hasControl(raw):
		rejectRow(&rd.rep, acc, line, sampleName, rawMarker, "row", "a control character in the row")
	case sampleName == "":
		rejectRow(&rd.rep, acc, line, sampleName, rawMarker, "Sample Name", "empty sample name")
	case acc == nil: // an allelic ladder
		if !rd.ladders[sampleName] {
			rd.ladders[sampleName] = true
			rd.rep.Warn(profile.Problem{Line: line, Sample: sampleName, Message: "allelic ladder, not a sample: skipped"})
		}
	case rawMarker == "":
		rejectRow(&rd.rep, acc, line, sampleName, "", "Marker", "empty marker name")
	default:
		return acc, true
	}
	return nil, false
}

// canonical is a marker's canonical name, warned of once when the marker table does not know it.
func (rd *tableReader) canonical(rawMarker string, line int) string {
	cn, cached := rd.canon[rawMarker]
	if !cached {
		cn.name, cn.known = rd.tab.Canonical(rawMarker)
		rd.canon[rawMarker] = cn
		if !cn.known {
			rd.rep.Unknown = append(rd.rep.Unknown, cn.name)
			rd.rep.Warn(profile.Problem{Line: line, Marker: cn.name, Field: "Marker", Message: "marker name not in the marker table; kept as given"})
		}
	}
	return cn.name
}

// alleles reads a row's calls (with their sizes and heights) into a locus; ok is false when the
// row is rejected or calls nothing.
func (rd *tableReader) alleles(acc *sampleAcc, line int, sampleName, marker, rawMarker string) (profile.Locus, bool) {
	loc := profile.Locus{Marker: marker, Raw: rawMarker, Alleles: make([]string, 0, 2), Line: line}
	rd.nums = rd.nums[:0]
	offLadder := 0
	for _, c := range rd.lay.alleles {
		a := strings.TrimSpace(rd.fields[c.idx])
		if a == "" || strings.EqualFold(a, "NA") {
			continue
		}
		if strings.EqualFold(a, profile.OffLadder) {
			a = profile.OffLadder
			offLadder++
		} else if markers.IsSex(marker) {
			a = strings.ToUpper(a)
			if a != "X" && a != "Y" {
				rejectRow(&rd.rep, acc, line, sampleName, marker, fmt.Sprintf("Allele %d", c.n), fmt.Sprintf("amelogenin allele %q (X or Y expected)", a))
				return loc, false
			}
		}
		loc.Alleles = append(loc.Alleles, a)
		rd.nums = append(rd.nums, c.n)
	}
	if len(loc.Alleles) == 0 {
		return loc, false // not typed at this marker
	}
	if offLadder > 0 {
		rd.rep.Warn(profile.Problem{Line: line, Sample: sampleName, Marker: marker, Field: "Allele", Message: fmt.Sprintf("%d off-ladder call(s) (OL) kept; by the default rule the marker has no genotype to compare", offLadder)})
	}
	if len(rd.lay.sizes) > 0 {
		loc.Sizes = numbers(rd.fields, rd.lay.sizes, rd.nums, "Size", line, sampleName, marker, &rd.rep)
	}
	if len(rd.lay.heights) > 0 {
		loc.Heights = numbers(rd.fields, rd.lay.heights, rd.nums, "Height", line, sampleName, marker, &rd.rep)
	}
	return loc, true
}

// finish makes the profiles of the samples read: a sample with a rejected row, with no call, or
// that fails profile's checks is left out; mixtures are warned of.
func (rd *tableReader) finish() []profile.Profile {
	sort.Strings(rd.rep.Unknown)
	rd.rep.Samples = len(rd.order)
	markerSet := map[string]bool{}
	var out []profile.Profile
	for _, acc := range rd.order {
		if acc.bad {
			// Said of a sample left out too, so that a laboratory sees every row to look at.
			rd.mixtures(acc)
			rd.rep.LeftOut = append(rd.rep.LeftOut, acc.name)
			continue
		}
		if len(acc.loci) == 0 {
			rd.rep.LeftOut = append(rd.rep.LeftOut, acc.name)
			rd.rep.Warn(profile.Problem{Line: acc.first, Sample: acc.name, Message: "no allele called at any marker; left out"})
			continue
		}
		p := profile.Profile{Sample: acc.name, Kit: rd.o.Kit, Role: string(rd.o.Role), Source: profile.Source{File: rd.o.File, Line: acc.first}, Loci: make([]profile.Locus, len(acc.loci))}
		for i, l := range acc.loci {
			p.Loci[i] = l.locus
		}
		if probs := p.Problems(); len(probs) > 0 {
			for _, pr := range probs {
				if i := acc.find(pr.Marker); i >= 0 {
					pr.Line = acc.loci[i].line
				}
				rd.rep.Reject(pr)
			}
			rd.rep.LeftOut = append(rd.rep.LeftOut, acc.name)
			continue
		}
		rd.mixtures(acc)
		for _, l := range acc.loci {
			rd.rep.Alleles += len(l.locus.Alleles)
			markerSet[l.locus.Marker] = true
		}
		out = append(out, p)
	}
	rd.rep.Markers = len(markerSet)
	sort.SliceStable(rd.rep.Rejected, func(a, b int) bool { return rd.rep.Rejected[a].Line < rd.rep.Rejected[b].Line })
	return out
}

// mixtures warns of the sample's loci with more than two alleles (Y markers aside).
func (rd *tableReader) mixtures(acc *sampleAcc) {
	for _, l := range acc.loci {
		if n := designated(l.locus.Alleles); n > 2 && !markers.IsY(l.locus.Marker) {
			rd.rep.Warn(profile.Problem{Line: l.line, Sample: acc.name, Marker: l.locus.Marker, Field: "Allele", Code: profile.CodeMixture,
				Message: fmt.Sprintf("%d alleles: more than one person, or artifacts (a reference sample would be rejected)", n)})
		}
	}
}
