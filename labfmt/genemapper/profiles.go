package genemapper

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

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
	rd := &tableReader{o: o, rep: profile.NewReport(), tab: o.Markers, file: o.File,
		canon: map[string]canonName{}, ladders: map[string]bool{}, samples: map[string]*sampleAcc{}}
	if rd.tab == nil {
		rd.tab = markers.Default()
	}
	if rd.file == "" {
		rd.file = "input"
	}
	text, err := readText(r, rd.file)
	if err != nil {
		return nil, rd.rep, err
	}
	if text, err = rd.header(text); err != nil {
		return nil, rd.rep, err
	}
	for text != "" {
		var raw string
		raw, text = nextLine(text)
		rd.lineNo++
		if strings.TrimSpace(raw) != "" {
			rd.row(raw)
		}
	}
	out := rd.finish()
	return out, rd.rep, nil
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
