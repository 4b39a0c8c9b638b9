package gtable

import (
	"fmt"
	"slices"
	"strings"

	"github.com/homeward/homeward/labfmt/profile"
)

// builder gathers rows into profiles.
type builder struct {
	o        Options
	rep      *profile.Report
	profiles []profile.Profile
	index    map[string]int    // sample -> profiles index
	seen     map[[2]string]int // sample, marker -> line of the call kept
	columns  []string          // wide: canonical marker of each column after the first
	raw      []string          // wide: the column names as given
	markers  map[string]bool   // markers read
	unknown  map[string]bool   // names neither known nor SNP ids
	bad      map[string]bool   // samples with a refused row: left out whole
}

func newBuilder(o Options, rep *profile.Report) *builder {
	return &builder{o: o, rep: rep, index: map[string]int{}, seen: map[[2]string]int{}, markers: map[string]bool{},
		unknown: map[string]bool{}, bad: map[string]bool{}}
}

// canonical names a marker: the table's name, a SNP id as given, or (reported) the name as given.
func (b *builder) canonical(name string) string {
	if c, ok := b.o.Markers.Canonical(name); ok {
		return c
	}
	n := strings.TrimSpace(name)
	if snpID.MatchString(n) {
		return strings.ToLower(n[:2]) + n[2:]
	}
	b.unknown[n] = true
	return n
}

func (b *builder) wideMarkers(names []string) {
	for _, n := range names {
		b.raw = append(b.raw, strings.TrimSpace(n))
		b.columns = append(b.columns, b.canonical(n))
	}
}

func (b *builder) wideRow(line int, rec []string) {
	sample := strings.TrimSpace(rec[0])
	if sample == "" {
		b.reject(line, "", "", "sample", "no sample name")
		return
	}
	if len(rec)-1 > len(b.columns) {
		b.reject(line, sample, "", "", fmt.Sprintf("%d cells for %d marker columns", len(rec)-1, len(b.columns)))
		return
	}
	for i, cell := range rec[1:] {
		b.call(line, sample, "", b.columns[i], b.raw[i], ParseGenotype(cell))
	}
}

func (b *builder) longRow(line int, rec []string, l layout) {
	cell := func(i int) string {
		if i < 0 || i >= len(rec) {
			return ""
		}
		return strings.TrimSpace(rec[i])
	}
	sample, name := cell(l.sample), cell(l.marker)
	if sample == "" || name == "" {
		b.reject(line, sample, name, "sample", "a row needs a sample and a marker")
		return
	}
	var alleles []string
	if l.gt >= 0 {
		alleles = ParseGenotype(cell(l.gt))
	} else {
		alleles = append(ParseGenotype(cell(l.allele1)), ParseGenotype(cell(l.allele2))...)
	}
	b.call(line, sample, cell(l.role), b.canonical(name), name, alleles)
}

// call records a sample's alleles at a marker; a second, different call of the same marker is a
// conflict that leaves the sample out.
func (b *builder) call(line int, sample, role, marker, raw string, alleles []string) {
	k, ok := b.index[sample]
	if !ok {
		r := b.o.Role
		if role != "" {
			r = strings.ToLower(role)
		}
		k = len(b.profiles)
		b.index[sample] = k
		b.profiles = append(b.profiles, profile.Profile{Sample: sample, Role: r, Source: profile.Source{File: b.o.File, Line: line}})
	}
	if len(alleles) == 0 {
		return
	}
	p := &b.profiles[k]
	if prev, dup := b.seen[[2]string{sample, marker}]; dup {
		old := p.Locus(marker)
		if !profile.SameCalls(old.Alleles, alleles) {
			b.reject(line, sample, marker, "genotype", fmt.Sprintf("%v differs from %v at line %d", alleles, old.Alleles, prev))
		}
		return
	}
	b.seen[[2]string{sample, marker}] = line
	b.markers[marker] = true
	b.rep.Alleles += len(alleles)
	p.Loci = append(p.Loci, profile.Locus{Marker: marker, Raw: raw, Alleles: alleles, Line: line})
}

func (b *builder) reject(line int, sample, marker, field, msg string) {
	b.rep.Reject(profile.Problem{Line: line, Sample: sample, Marker: marker, Field: field, Message: msg})
	if sample != "" {
		b.bad[sample] = true
	}
}

// finish leaves out the samples with a refused row and fills the report's counts.
func (b *builder) finish() []profile.Profile {
	var out []profile.Profile
	for _, p := range b.profiles {
		if b.bad[p.Sample] {
			b.rep.LeftOut = append(b.rep.LeftOut, p.Sample)
			continue
		}
		out = append(out, p)
	}
	var never []string // refused before any call of theirs was kept
	for sample := range b.bad {
		if _, ok := b.index[sample]; !ok {
			never = append(never, sample)
		}
	}
	slices.Sort(never)
	b.rep.LeftOut = append(b.rep.LeftOut, never...)
	b.rep.Samples, b.rep.Markers = len(b.profiles)+len(never), len(b.markers)
	for n := range b.unknown {
		b.rep.Unknown = append(b.rep.Unknown, n)
	}
	slices.Sort(b.rep.Unknown)
	return out
}
