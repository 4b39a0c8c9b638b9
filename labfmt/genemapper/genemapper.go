// Package genemapper reads and writes genotype tables in the layout of GeneMapper ID / ID-X exports
// (tab-separated; Sample Name, Marker, Allele 1..n, optionally Dye, Size n, Height n and other
// columns) and its close variants such as strvalidator's (Sample.Name, Allele.1, NA for empty).
package genemapper

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/labfmt/markers"
)

// Options tune Read.
type Options struct {
	// Markers maps marker names (default: markers.Default()).
	Markers *markers.Table
	// Role is given to every sample read (default victim).
	Role homeward.ProfileRole
	// File names the file in profiles' Source and in the report.
	File string
	// KeepOffLadder keeps "OL" calls as alleles; by default they are dropped with a warning (an
	// off-ladder peak has no allele designation to compare).
	KeepOffLadder bool
	// Kit names the typing kit for the profiles ReadProfiles returns (the table does not say).
	Kit string
}

// MaxSize bounds the input read.
const MaxSize = 512 << 20

type column struct {
	sample, marker int
	alleles        []int
}

// headerKey normalises a column name: "Sample Name", "Sample.Name", "sample_name" are one.
func headerKey(s string) string {
	r := strings.NewReplacer(" ", "", ".", "", "_", "", "-", "")
	return strings.ToLower(r.Replace(strings.TrimSpace(s)))
}

// Read parses a genotype table. It returns the profiles of the samples whose every row was
// accepted, and a report of everything read, warned about and rejected (with line numbers). A
// file that is not a genotype table at all (no header, wrong delimiter, not UTF-8) is an error.
func Read(r io.Reader, o Options) ([]homeward.Profile, homeward.ProfileImportReport, error) {
	rep := homeward.ProfileImportReport{Format: "genemapper", File: o.File, Warnings: []homeward.RowProblem{}, Rejected: []homeward.RowProblem{}, LeftOut: []string{}, Contamination: []homeward.ContaminationHit{}}
	if o.Markers == nil {
		o.Markers = markers.Default()
	}
	if o.Role == "" {
		o.Role = homeward.ProfileVictim
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, rep, fmt.Errorf("%s: %w", o.File, err)
	}
	if len(data) > MaxSize {
		return nil, rep, fmt.Errorf("%s: larger than %d MB", o.File, MaxSize>>20)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	lines := strings.Split(string(data), "\n")
	for i, l := range lines {
		if !utf8.ValidString(l) {
			return nil, rep, fmt.Errorf("%s line %d: not UTF-8 text (save the export as UTF-8)", o.File, i+1)
		}
	}
	// Header: the first non-blank line.
	hi := 0
	for hi < len(lines) && strings.TrimSpace(lines[hi]) == "" {
		hi++
	}
	if hi == len(lines) {
		return nil, rep, fmt.Errorf("%s: empty file", o.File)
	}
	header := strings.Split(strings.TrimRight(lines[hi], "\r"), "\t")
	if len(header) < 2 {
		sep := ""
		for _, s := range []string{",", ";"} {
			if strings.Contains(lines[hi], s) {
				sep = s
			}
		}
		if sep != "" {
			return nil, rep, fmt.Errorf("%s line %d: the columns are separated by %q; GeneMapper tables are tab-separated (export as tab-delimited text)", o.File, hi+1, sep)
		}
		return nil, rep, fmt.Errorf("%s line %d: not a genotype table (one column)", o.File, hi+1)
	}
	col := column{sample: -1, marker: -1}
	type numbered struct{ n, idx int }
	var alleleCols []numbered
	var ignored []string
	for i, h := range header {
		k := headerKey(h)
		switch {
		case k == "samplename" || k == "sample":
			col.sample = i
		case k == "marker" || k == "locus":
			col.marker = i
		case strings.HasPrefix(k, "allele"):
			n, err := strconv.Atoi(strings.TrimPrefix(k, "allele"))
			if err != nil {
				ignored = append(ignored, h)
				continue
			}
			alleleCols = append(alleleCols, numbered{n, i})
		case k == "":
		case k == "dye", strings.HasPrefix(k, "size"), strings.HasPrefix(k, "height"):
			// Read as the instrument gives them; not part of a genotype.
		default:
			ignored = append(ignored, strings.TrimSpace(h))
		}
	}
	if col.sample < 0 || col.marker < 0 || len(alleleCols) == 0 {
		return nil, rep, fmt.Errorf("%s line %d: a genotype table needs Sample Name, Marker and Allele 1.. columns (found %v)", o.File, hi+1, header)
	}
	sort.Slice(alleleCols, func(a, b int) bool { return alleleCols[a].n < alleleCols[b].n })
	for _, a := range alleleCols {
		col.alleles = append(col.alleles, a.idx)
	}
	if len(ignored) > 0 {
		rep.Ignored = ignored
		rep.Warnings = append(rep.Warnings, homeward.RowProblem{Line: hi + 1, Field: "header", Message: "columns ignored: " + strings.Join(ignored, ", ")})
	}

	type call struct {
		alleles []string
		line    int
	}
	bySample := map[string]map[string]call{}
	var order []string
	bad := map[string]bool{}
	ladders := map[string]bool{}
	type canonName struct {
		name  string
		known bool
	}
	canon := map[string]canonName{}
	unknown := map[string]bool{}
	markerSet := map[string]bool{}
	reject := func(line int, sample, marker, field, msg string) {
		rep.Rejected = append(rep.Rejected, homeward.RowProblem{Line: line, Record: sample + " " + marker, Field: field, Message: msg})
		if sample != "" {
			bad[sample] = true
		}
	}
	warn := func(line int, sample, marker, msg string) {
		rep.Warnings = append(rep.Warnings, homeward.RowProblem{Line: line, Record: sample + " " + marker, Message: msg})
	}
	for li := hi + 1; li < len(lines); li++ {
		raw := strings.TrimRight(lines[li], "\r")
		if strings.TrimSpace(raw) == "" {
			continue
		}
		line := li + 1
		rep.Lines++
		f := strings.Split(raw, "\t")
		if len(f) < len(header) {
			reject(line, field(f, col.sample), field(f, col.marker), "row", fmt.Sprintf("%d fields, the header has %d (a truncated file or a row cut short)", len(f), len(header)))
			continue
		}
		if len(f) > len(header) && strings.TrimSpace(strings.Join(f[len(header):], "")) != "" {
			reject(line, field(f, col.sample), field(f, col.marker), "row", fmt.Sprintf("%d fields, the header has %d: values beyond the last column", len(f), len(header)))
			continue
		}
		sample := strings.TrimSpace(f[col.sample])
		rawMarker := strings.TrimSpace(f[col.marker])
		if sample == "" {
			reject(line, "", rawMarker, "Sample Name", "empty sample name")
			continue
		}
		if strings.Contains(strings.ToLower(sample), "ladder") {
			if !ladders[sample] {
				ladders[sample] = true
				warn(line, sample, "", "allelic ladder, not a sample: skipped")
			}
			continue
		}
		if _, seen := bySample[sample]; !seen {
			bySample[sample] = map[string]call{}
			order = append(order, sample)
		}
		if rawMarker == "" {
			reject(line, sample, "", "Marker", "empty marker name")
			continue
		}
		mc, cached := canon[rawMarker]
		if !cached {
			mc.name, mc.known = o.Markers.Canonical(rawMarker)
			canon[rawMarker] = mc
		}
		marker := mc.name
		if !mc.known {
			unknown[marker] = true
		}
		al := make([]string, 0, 2)
		rowBad := false
		offLadder := 0
		for _, ci := range col.alleles {
			a := strings.TrimSpace(f[ci])
			if a == "" || strings.EqualFold(a, "NA") {
				continue
			}
			if strings.EqualFold(a, "OL") {
				if !o.KeepOffLadder {
					offLadder++
					continue
				}
				a = "OL"
			}
			if markers.IsSex(marker) {
				a = strings.ToUpper(a)
				if a != "X" && a != "Y" && a != "OL" {
					reject(line, sample, marker, "Allele", fmt.Sprintf("amelogenin allele %q (X or Y expected)", a))
					rowBad = true
					break
				}
			}
			dup := false
			for _, x := range al {
				dup = dup || x == a
			}
			if !dup {
				al = append(al, a)
			}
		}
		if rowBad {
			continue
		}
		if len(al)+offLadder > 2 {
			reject(line, sample, marker, "Allele", fmt.Sprintf("%d alleles (%s): one person has at most two; a mixture or artifacts cannot be imported as a profile", len(al)+offLadder, strings.Join(append(al, slices.Repeat([]string{"OL"}, offLadder)...), ", ")))
			continue
		}
		if offLadder > 0 {
			// Dropping the OL call would leave "15" and make 15/OL a 15/15 homozygote: the
			// genotype is not known, so the marker stays untyped.
			warn(line, sample, marker, "off-ladder call (OL): the genotype is not known, marker left untyped")
			continue
		}
		if len(al) == 0 {
			continue // untyped
		}
		if len(al) == 1 {
			al = []string{al[0], al[0]}
		}
		if prev, dup := bySample[sample][marker]; dup {
			if sameCall(prev.alleles, al) {
				warn(line, sample, marker, fmt.Sprintf("repeats line %d", prev.line))
			} else {
				reject(line, sample, marker, "Allele", fmt.Sprintf("conflicts with line %d (%s against %s): replicate calls disagree", prev.line, strings.Join(al, "/"), strings.Join(prev.alleles, "/")))
			}
			continue
		}
		bySample[sample][marker] = call{al, line}
		markerSet[marker] = true
	}
	for m := range unknown {
		rep.UnknownMarkers = append(rep.UnknownMarkers, m)
		rep.Warnings = append(rep.Warnings, homeward.RowProblem{Field: "Marker", Record: m, Message: "marker name not in the marker table; kept as given"})
	}
	sort.Strings(rep.UnknownMarkers)
	rep.Samples, rep.Markers = len(order), len(markerSet)
	var out []homeward.Profile
	for _, s := range order {
		if bad[s] {
			rep.LeftOut = append(rep.LeftOut, s)
			continue
		}
		calls := bySample[s]
		if len(calls) == 0 {
			rep.LeftOut = append(rep.LeftOut, s)
			rep.Warnings = append(rep.Warnings, homeward.RowProblem{Record: s, Message: "no allele called at any marker; not imported"})
			continue
		}
		p := homeward.Profile{Sample: s, Role: o.Role, Loci: map[string][]string{}}
		first := 0
		for m, c := range calls {
			p.Loci[m] = c.alleles
			rep.Alleles += len(c.alleles)
			if first == 0 || c.line < first {
				first = c.line
			}
		}
		p.Source = fmt.Sprintf("%s:%d", o.File, first)
		out = append(out, p)
	}
	return out, rep, nil
}

func field(f []string, i int) string {
	if i >= 0 && i < len(f) {
		return strings.TrimSpace(f[i])
	}
	return ""
}

func sameCall(a, b []string) bool {
	return (a[0] == b[0] && a[1] == b[1]) || (a[0] == b[1] && a[1] == b[0])
}

// Write writes profiles as a GeneMapper-style table (Sample Name, Marker, Allele 1, Allele 2),
// samples in the order given and markers sorted; homozygotes repeat the allele.
func Write(w io.Writer, profiles []homeward.Profile) error {
	var b strings.Builder
	b.WriteString("Sample Name\tMarker\tAllele 1\tAllele 2\n")
	for _, p := range profiles {
		ms := make([]string, 0, len(p.Loci))
		for m := range p.Loci {
			ms = append(ms, m)
		}
		sort.Strings(ms)
		for _, m := range ms {
			al := p.Loci[m]
			a1, a2 := "", ""
			if len(al) > 0 {
				a1, a2 = al[0], al[0]
			}
			if len(al) > 1 {
				a2 = al[1]
			}
			fmt.Fprintf(&b, "%s\t%s\t%s\t%s\n", p.Sample, m, a1, a2)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
