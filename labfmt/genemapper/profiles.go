package genemapper

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/homeward/homeward/labfmt/markers"
	"github.com/homeward/homeward/labfmt/profile"
)

// layout is where the columns of a table are.
type layout struct {
	width          int // fields in the header
	sample, marker int
	alleles        []numberedCol // by number
	sizes, heights map[int]int   // allele number -> column
	ignored        []string
}

type numberedCol struct{ n, idx int }

// numbered splits "allele12" into 12; ok is false when the rest is not a number.
func numbered(key, prefix string) (int, bool) {
	if !strings.HasPrefix(key, prefix) {
		return 0, false
	}
	n, err := strconv.Atoi(key[len(prefix):])
	return n, err == nil && n > 0
}

// parseHeader finds the columns. Column names are compared without case, spaces, dots, dashes and
// underscores, so "Sample Name" and "Sample.Name", "Allele 1" and "Allele.1" are one.
func parseHeader(cells []string, where string) (layout, error) {
	lay := layout{width: len(cells), sample: -1, marker: -1, sizes: map[int]int{}, heights: map[int]int{}}
	taken := map[string]bool{}
	for i, h := range cells {
		k := headerKey(h)
		if k != "" && taken[k] {
			return lay, fmt.Errorf("%s: column %q appears twice", where, strings.TrimSpace(h))
		}
		taken[k] = true
		if n, ok := numbered(k, "allele"); ok {
			lay.alleles = append(lay.alleles, numberedCol{n, i})
			continue
		}
		if n, ok := numbered(k, "size"); ok {
			lay.sizes[n] = i
			continue
		}
		if n, ok := numbered(k, "height"); ok {
			lay.heights[n] = i
			continue
		}
		switch k {
		case "samplename", "sample":
			lay.sample = i
		case "marker", "locus":
			lay.marker = i
		case "", "dye":
			// An empty name (a trailing tab) or the dye colour: nothing of the genotype.
		default:
			lay.ignored = append(lay.ignored, strings.TrimSpace(h))
		}
	}
	if lay.sample < 0 || lay.marker < 0 || len(lay.alleles) == 0 {
		return lay, fmt.Errorf("%s: a genotype table needs Sample Name, Marker and Allele 1.. columns (found %s)", where, strings.Join(cells, " | "))
	}
	sort.Slice(lay.alleles, func(a, b int) bool { return lay.alleles[a].n < lay.alleles[b].n })
	return lay, nil
}

// hasControl reports whether s holds a control character other than tab (a stray carriage
// return, NUL...).
func hasControl(s string) bool {
	for _, r := range s {
		if (r < 0x20 && r != '\t') || r == 0x7f {
			return true
		}
	}
	return false
}

// locusAt is one locus being assembled with the line it came from.
type locusAt struct {
	locus profile.Locus
	line  int
}

type sampleAcc struct {
	name  string
	first int
	loci  []locusAt
	bad   bool
}

// find returns the index of the locus of a canonical marker, or -1 (a scan: a sample has a few
// dozen markers at most, and a map per sample costs more).
func (a *sampleAcc) find(marker string) int {
	for i := range a.loci {
		if a.loci[i].locus.Marker == marker {
			return i
		}
	}
	return -1
}

// rejectRow records a rejected row and marks its sample.
func rejectRow(rep *profile.Report, acc *sampleAcc, line int, sample, marker, field, msg string) {
	rep.Reject(profile.Problem{Line: line, Sample: sample, Marker: marker, Field: field, Message: msg})
	if acc != nil {
		acc.bad = true
	}
}

// ReadProfiles parses a GeneMapper ID / ID-X or strvalidator genotype table into neutral profiles.
//
// Rules: blank and NA are empty; "OL" is kept as called, with a warning (profile.Genotype leaves a
// marker with an off-ladder call out by default); a homozygote may be given once or twice and is
// kept as called; amelogenin alleles must be X or Y (or OL); samples whose name contains "ladder"
// are allelic ladders, skipped with one warning each. A row with fewer fields than the header, with
// values beyond its last column, with control characters, or with an amelogenin allele other than
// X/Y is rejected; so is a row repeating a sample and marker with a different call (both lines
// named); an identical repeat is a warning. A sample with a rejected row is left out whole, and so
// is a sample that fails profile.Validate with the role given (Options.Role, empty by default).
// Size n and Height n columns fill Locus.Sizes and Heights (0 where blank or NA; nil when a locus
// has none). A table that is not a genotype table at all (no header, wrong delimiter, not UTF-8)
// is an error.
func ReadProfiles(r io.Reader, o Options) ([]profile.Profile, profile.Report, error) {
	rep := profile.NewReport()
	tab := o.Markers
	if tab == nil {
		tab = markers.Default()
	}
	file := o.File
	if file == "" {
		file = "input"
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, rep, fmt.Errorf("%s: %w", file, err)
	}
	if len(data) > MaxSize {
		return nil, rep, fmt.Errorf("%s: larger than %d MB", file, MaxSize>>20)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
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
		return nil, rep, fmt.Errorf("%s line %d: not UTF-8 text (save the export as UTF-8)", file, line)
	}
	text := string(data)

	// nextLine returns the next line without its line end, and the rest.
	nextLine := func(s string) (string, string) {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			return strings.TrimSuffix(s, "\r"), ""
		}
		return strings.TrimSuffix(s[:i], "\r"), s[i+1:]
	}
	lineNo := 0
	var head string
	for text != "" {
		head, text = nextLine(text)
		lineNo++
		if strings.TrimSpace(head) != "" {
			break
		}
	}
	if strings.TrimSpace(head) == "" {
		return nil, rep, fmt.Errorf("%s: empty file", file)
	}
	cells := strings.Split(head, "\t")
	if len(cells) < 2 {
		for _, sep := range []string{",", ";"} {
			if strings.Count(head, sep) > 0 {
				return nil, rep, fmt.Errorf("%s line %d: the columns are separated by %q; GeneMapper tables are tab-separated (export as tab-delimited text)", file, lineNo, sep)
			}
		}
		return nil, rep, fmt.Errorf("%s line %d: not a genotype table (one column, no tabs)", file, lineNo)
	}
	lay, err := parseHeader(cells, fmt.Sprintf("%s line %d", file, lineNo))
	if err != nil {
		return nil, rep, err
	}
	if len(lay.ignored) > 0 {
		rep.Warn(profile.Problem{Line: lineNo, Field: "header", Message: "columns ignored: " + strings.Join(lay.ignored, ", ")})
		rep.Ignored = append([]string{}, lay.ignored...)
	}
	hasSizes, hasHeights := len(lay.sizes) > 0, len(lay.heights) > 0

	type canonName struct {
		name  string
		known bool
	}
	canon := map[string]canonName{}
	ladders := map[string]bool{}
	samples := map[string]*sampleAcc{}
	var order []*sampleAcc
	fields := make([]string, 0, lay.width)
	var nums []int // the column numbers of a row's kept alleles
	for text != "" {
		var raw string
		raw, text = nextLine(text)
		lineNo++
		if strings.TrimSpace(raw) == "" {
			continue
		}
		rep.Lines++
		line := lineNo
		fields = splitTabs(fields[:0], raw)
		sampleName, rawMarker := field(fields, lay.sample), field(fields, lay.marker)
		acc := samples[sampleName]
		if sampleName != "" && !ladders[sampleName] && acc == nil && !isLadder(sampleName) {
			acc = &sampleAcc{name: sampleName, first: line, loci: make([]locusAt, 0, 24)}
			samples[sampleName] = acc
			order = append(order, acc)
		}
		if len(fields) < lay.width {
			rejectRow(&rep, acc, line, sampleName, rawMarker, "row", fmt.Sprintf("%d fields, the header has %d (a truncated file or a row cut short)", len(fields), lay.width))
			continue
		}
		if len(fields) > lay.width && strings.TrimSpace(strings.Join(fields[lay.width:], "")) != "" {
			rejectRow(&rep, acc, line, sampleName, rawMarker, "row", fmt.Sprintf("%d fields, the header has %d: values beyond the last column", len(fields), lay.width))
			continue
		}
		if hasControl(raw) {
			rejectRow(&rep, acc, line, sampleName, rawMarker, "row", "a control character in the row")
			continue
		}
		if sampleName == "" {
			rejectRow(&rep, acc, line, sampleName, rawMarker, "Sample Name", "empty sample name")
			continue
		}
		if acc == nil { // an allelic ladder
			if !ladders[sampleName] {
				ladders[sampleName] = true
				rep.Warn(profile.Problem{Line: line, Sample: sampleName, Message: "allelic ladder, not a sample: skipped"})
			}
			continue
		}
		if rawMarker == "" {
			rejectRow(&rep, acc, line, sampleName, "", "Marker", "empty marker name")
			continue
		}
		cn, cached := canon[rawMarker]
		if !cached {
			cn.name, cn.known = tab.Canonical(rawMarker)
			canon[rawMarker] = cn
			if !cn.known {
				rep.Unknown = append(rep.Unknown, cn.name)
				rep.Warn(profile.Problem{Line: line, Marker: cn.name, Field: "Marker", Message: "marker name not in the marker table; kept as given"})
			}
		}
		marker := cn.name
		loc := profile.Locus{Marker: marker, Raw: rawMarker, Alleles: make([]string, 0, 2), Line: line}
		nums = nums[:0]
		rowBad, offLadder := false, 0
		for _, c := range lay.alleles {
			a := strings.TrimSpace(fields[c.idx])
			if a == "" || strings.EqualFold(a, "NA") {
				continue
			}
			if strings.EqualFold(a, profile.OffLadder) {
				a = profile.OffLadder
				offLadder++
			} else if markers.IsSex(marker) {
				a = strings.ToUpper(a)
				if a != "X" && a != "Y" {
					rejectRow(&rep, acc, line, sampleName, marker, fmt.Sprintf("Allele %d", c.n), fmt.Sprintf("amelogenin allele %q (X or Y expected)", a))
					rowBad = true
					break
				}
			}
			loc.Alleles = append(loc.Alleles, a)
			nums = append(nums, c.n)
		}
		if rowBad {
			continue
		}
		if len(loc.Alleles) == 0 {
			continue // not typed at this marker
		}
		if offLadder > 0 {
			rep.Warn(profile.Problem{Line: line, Sample: sampleName, Marker: marker, Field: "Allele", Message: fmt.Sprintf("%d off-ladder call(s) (OL) kept; by the default rule the marker has no genotype to compare", offLadder)})
		}
		if hasSizes {
			loc.Sizes = numbers(fields, lay.sizes, nums, "Size", line, sampleName, marker, &rep)
		}
		if hasHeights {
			loc.Heights = numbers(fields, lay.heights, nums, "Height", line, sampleName, marker, &rep)
		}
		if i := acc.find(marker); i >= 0 {
			prev := acc.loci[i]
			if profile.SameCalls(prev.locus.Alleles, loc.Alleles) {
				rep.Warn(profile.Problem{Line: line, Sample: sampleName, Marker: marker, Message: fmt.Sprintf("repeats line %d with the same call; the repeat is ignored", prev.line)})
			} else {
				rejectRow(&rep, acc, line, sampleName, marker, "Allele", fmt.Sprintf("lines %d and %d disagree (%s against %s): conflicting replicate calls", prev.line, line, strings.Join(prev.locus.Alleles, "/"), strings.Join(loc.Alleles, "/")))
			}
			continue
		}
		acc.loci = append(acc.loci, locusAt{loc, line})
	}
	sort.Strings(rep.Unknown)
	rep.Samples = len(order)
	markerSet := map[string]bool{}
	var out []profile.Profile
	mixtures := func(acc *sampleAcc) {
		for _, l := range acc.loci {
			if n := designated(l.locus.Alleles); n > 2 && !markers.IsY(l.locus.Marker) {
				rep.Warn(profile.Problem{Line: l.line, Sample: acc.name, Marker: l.locus.Marker, Field: "Allele", Code: profile.CodeMixture,
					Message: fmt.Sprintf("%d alleles: more than one person, or artifacts (a reference sample would be rejected)", n)})
			}
		}
	}
	for _, acc := range order {
		if acc.bad {
			// Said of a sample left out too, so that a laboratory sees every row to look at.
			mixtures(acc)
			rep.LeftOut = append(rep.LeftOut, acc.name)
			continue
		}
		if len(acc.loci) == 0 {
			rep.LeftOut = append(rep.LeftOut, acc.name)
			rep.Warn(profile.Problem{Line: acc.first, Sample: acc.name, Message: "no allele called at any marker; left out"})
			continue
		}
		p := profile.Profile{Sample: acc.name, Kit: o.Kit, Role: string(o.Role), Source: profile.Source{File: o.File, Line: acc.first}, Loci: make([]profile.Locus, len(acc.loci))}
		for i, l := range acc.loci {
			p.Loci[i] = l.locus
		}
		if probs := p.Problems(); len(probs) > 0 {
			for _, pr := range probs {
				if i := acc.find(pr.Marker); i >= 0 {
					pr.Line = acc.loci[i].line
				}
				rep.Reject(pr)
			}
			rep.LeftOut = append(rep.LeftOut, acc.name)
			continue
		}
		mixtures(acc)
		for _, l := range acc.loci {
			rep.Alleles += len(l.locus.Alleles)
			markerSet[l.locus.Marker] = true
		}
		out = append(out, p)
	}
	rep.Markers = len(markerSet)
	sort.SliceStable(rep.Rejected, func(a, b int) bool { return rep.Rejected[a].Line < rep.Rejected[b].Line })
	return out, rep, nil
}

// designated counts the distinct alleles other than OL.
func designated(al []string) int {
	var buf [4]string
	seen := buf[:0]
	for _, a := range al {
		if a != profile.OffLadder && !contains(seen, a) {
			seen = append(seen, a)
		}
	}
	return len(seen)
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func isLadder(sample string) bool { return strings.Contains(strings.ToLower(sample), "ladder") }

// splitTabs splits s at tabs into dst.
func splitTabs(dst []string, s string) []string {
	for {
		i := strings.IndexByte(s, '\t')
		if i < 0 {
			return append(dst, s)
		}
		dst = append(dst, s[:i])
		s = s[i+1:]
	}
}

// numbers reads the size or height of each kept allele (by the allele's column number); nil when
// none is given.
func numbers(f []string, cols map[int]int, nums []int, what string, line int, sample, marker string, rep *profile.Report) []float64 {
	out := make([]float64, len(nums))
	set := false
	for i, n := range nums {
		ci, ok := cols[n]
		if !ok {
			continue
		}
		s := strings.TrimSpace(f[ci])
		if s == "" || strings.EqualFold(s, "NA") {
			continue
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || v < 0 || v != v || v > 1e9 {
			rep.Warn(profile.Problem{Line: line, Sample: sample, Marker: marker, Field: fmt.Sprintf("%s %d", what, n), Message: fmt.Sprintf("%q is not a number; left as 0", s)})
			continue
		}
		out[i] = v
		set = true
	}
	if !set {
		return nil
	}
	return out
}
