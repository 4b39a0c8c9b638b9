package dvi

import (
	"context"
	"fmt"
	"math"
	"sort"

	"github.com/homeward/homeward/kinship"
	"github.com/homeward/homeward/labfmt/casejson"
	"github.com/homeward/homeward/labfmt/freqdb"
)

// A screen compares every post-mortem profile with every reference family. For each family and
// marker the distribution of the missing person's genotype given the typed relatives is computed
// once (kinship.TargetDistribution) and turned into a table of LRs, P(g | relatives) / P(g), one
// entry per unordered genotype; a comparison is then one look-up and one multiplication per marker.

// ScreenFamily is a reference family ready for screening.
type ScreenFamily struct {
	ID     int64
	Name   string
	Ped    *kinship.Pedigree
	Target string
	// Genos holds, per panel marker, the typed relatives' genotypes.
	Genos []map[string]kinship.Genotype
}

// FamilyTable is a family's precomputed LR tables. Only markers where a relative is typed are
// kept (elsewhere every genotype has LR 1).
type FamilyTable struct {
	ID        int64
	allowance float64
	// homMass and hetMass are, per kept marker, P(homozygote | relatives) and P(heterozygote |
	// relatives) for the missing person: what a degraded profile's comparison needs for the
	// genotypes sharing no allele with what was seen (see ObservedLR).
	homMass, hetMass []float64
	// hetWith holds per kept marker, at hetOffs[k] + a, the mass of the heterozygotes carrying
	// allele a.
	hetWith []float64
	hetOffs []int32
	markers []int32   // panel marker index
	offs    []int32   // start of the marker's table in vals
	vals    []float64 // per kept marker, n*n+2 entries: unordered genotype a*n+b (a <= b), then 1 for "untyped" and 1 for "analysed, nothing seen"
	zero    []bool    // entries where the genotype is impossible for the missing person
}

// Informative is the number of markers at which the family has a typed relative.
func (t *FamilyTable) Informative() int { return len(t.markers) }

// NewFamilyTable precomputes a family. A family whose relatives' data are impossible at a marker
// (they need a mutation the marker has no model for) is refused, naming the family and marker.
//
// allowance is the factor a marker contributes when the victim's genotype is impossible for the
// missing person (an exclusion): 0 makes any exclusion rule the pair out; a small positive value
// (say 0.001, of the order of a mutation rate) keeps a true relative who differs by one mutation
// among the candidates, with the exclusion counted and shown. The LR is then a screening LR, to be
// confirmed by a full kinship computation.
func NewFamilyTable(panel []*kinship.Marker, f ScreenFamily, allowance float64) (*FamilyTable, error) {
	if allowance < 0 || allowance >= 1 || math.IsNaN(allowance) {
		return nil, fmt.Errorf("family %s: exclusion allowance %v is outside [0, 1)", f.Name, allowance)
	}
	t := &FamilyTable{ID: f.ID, allowance: allowance}
	h := kinship.Hypothesis{Name: f.Name, Components: []*kinship.Pedigree{f.Ped}}
	for mi, m := range panel {
		if mi >= len(f.Genos) || len(f.Genos[mi]) == 0 {
			continue
		}
		dist, rel, err := kinship.TargetDistribution(h, m, f.Genos[mi], f.Target, 0)
		if err != nil {
			return nil, fmt.Errorf("family %s: %w", f.Name, err)
		}
		if rel == 0 {
			return nil, fmt.Errorf("family %s marker %s: the relatives' genotypes are impossible together (a mutation the marker has no model for?)", f.Name, m.Name)
		}
		n := len(m.Alleles)
		t.markers = append(t.markers, int32(mi))
		t.offs = append(t.offs, int32(len(t.vals)))
		tab := make([]float64, n*n+2)
		zero := make([]bool, n*n+2)
		for a := 0; a < n; a++ {
			for b := a; b < n; b++ {
				pg := m.Freqs[a] * m.Freqs[b]
				if a != b {
					pg *= 2
				}
				tab[a*n+b] = dist[a*n+b] / pg
				if dist[a*n+b] == 0 {
					tab[a*n+b], zero[a*n+b] = allowance, true
				}
			}
		}
		tab[n*n], tab[n*n+1] = 1, 1
		hom, het := 0.0, 0.0
		with := make([]float64, n)
		for a := 0; a < n; a++ {
			for b := a; b < n; b++ {
				if a == b {
					hom += dist[a*n+b]
				} else {
					het += dist[a*n+b]
					with[a] += dist[a*n+b]
					with[b] += dist[a*n+b]
				}
			}
		}
		t.homMass, t.hetMass = append(t.homMass, hom), append(t.hetMass, het)
		t.hetOffs = append(t.hetOffs, int32(len(t.hetWith)))
		t.hetWith = append(t.hetWith, with...)
		t.vals = append(t.vals, tab...)
		t.zero = append(t.zero, zero...)
	}
	return t, nil
}

// EncodedProfile is a post-mortem profile as indexes into the panel's tables: per marker the
// unordered genotype a*n+b (a <= b), n*n when untyped, or n*n+1 when the marker was analysed and
// showed nothing (evidence under a dropout model; untyped for a genotype screen).
type EncodedProfile struct {
	ID  int64
	idx []int32
}

// Genotype returns the profile's genotype at panel marker mi (n alleles), if typed.
func (p *EncodedProfile) Genotype(mi, n int) (kinship.Genotype, bool) {
	x := int(p.idx[mi])
	if x >= n*n {
		return kinship.Genotype{}, false
	}
	return kinship.Genotype{x / n, x % n}, true
}

// Observed reads the profile at panel marker mi (n alleles) as what a degraded sample showed
// under d: the distinct alleles called (none when the marker was analysed and nothing was seen);
// false when the marker was not analysed.
func (p *EncodedProfile) Observed(mi, n int, d kinship.Dropout) (kinship.Observation, bool) {
	x := int(p.idx[mi])
	o := kinship.Observation{Model: d}
	switch {
	case x == n*n:
		return o, false
	case x < n*n:
		o.Alleles = append(o.Alleles, x/n)
		if x/n != x%n {
			o.Alleles = append(o.Alleles, x%n)
		}
	}
	return o, true
}

// Typed is the number of panel markers typed in the profile.
func (p *EncodedProfile) Typed(panel []*kinship.Marker) int {
	k := 0
	for mi, m := range panel {
		if int(p.idx[mi]) < len(m.Alleles)*len(m.Alleles) {
			k++
		}
	}
	return k
}

// EncodeProfile maps a profile's loci onto the panel. Markers outside the panel are ignored (the
// panel was built from every profile, so that means a marker the frequency database lacks, which
// BuildPanel reported); an allele outside the panel is an error naming the sample and marker.
func EncodeProfile(panel []*kinship.Marker, id int64, sample string, loci map[string][]string) (EncodedProfile, error) {
	return NewEncoder(panel).Encode(id, sample, loci)
}

// Encoder encodes many profiles on one panel (marker names normalised once).
type Encoder struct {
	panel  []*kinship.Marker
	byName map[string]int
}

// NewEncoder prepares the panel.
func NewEncoder(panel []*kinship.Marker) *Encoder {
	e := &Encoder{panel: panel, byName: map[string]int{}}
	for mi, m := range panel {
		e.byName[freqdb.NormalizeName(m.Name)] = mi
	}
	return e
}

// Encode is EncodeProfile on the prepared panel.
func (e *Encoder) Encode(id int64, sample string, loci map[string][]string) (EncodedProfile, error) {
	p := EncodedProfile{ID: id, idx: make([]int32, len(e.panel))}
	for mi, m := range e.panel {
		p.idx[mi] = int32(len(m.Alleles) * len(m.Alleles))
	}
	for name, al := range loci {
		mi, ok := e.byName[freqdb.NormalizeName(name)]
		if !ok {
			continue
		}
		m := e.panel[mi]
		n := len(m.Alleles)
		if len(al) == 0 {
			p.idx[mi] = int32(n*n + 1)
			continue
		}
		if len(al) > 2 {
			return p, fmt.Errorf("sample %s marker %s: %d alleles; a single person has at most two (merge replicates first)", sample, m.Name, len(al))
		}
		a := m.AlleleIndex(al[0])
		b := a
		if len(al) == 2 {
			b = m.AlleleIndex(al[1])
		}
		if a < 0 || b < 0 {
			return p, fmt.Errorf("sample %s marker %s: allele %v is not in the screen's panel", sample, m.Name, al)
		}
		if a > b {
			a, b = b, a
		}
		p.idx[mi] = int32(a*n + b)
	}
	return p, nil
}

// LR returns the LR of "the profile is the family's missing person" against "unrelated".
func (t *FamilyTable) LR(p *EncodedProfile) float64 {
	lr := 1.0
	for k, mi := range t.markers {
		lr *= t.vals[t.offs[k]+p.idx[mi]]
	}
	return lr
}

// Detail counts the markers compared (typed in the profile, informative in the family) and the
// exclusions among them (genotype impossible for the missing person).
func (t *FamilyTable) Detail(panel []*kinship.Marker, p *EncodedProfile) (compared, exclusions int) {
	for k, mi := range t.markers {
		n := len(panel[mi].Alleles)
		if int(p.idx[mi]) >= n*n {
			continue
		}
		compared++
		if t.zero[t.offs[k]+p.idx[mi]] {
			exclusions++
		}
	}
	return compared, exclusions
}

// Hit is one comparison at or above a screen's threshold.
type Hit struct {
	Family, Profile int // indexes into the slices screened
	LR              float64
	Compared        int
	Exclusions      int
}

// Screen compares every profile with every family and returns the hits at or above threshold,
// strongest first, and the number of comparisons made. With a dropout model (not nil) the
// profiles' alleles are what degraded samples showed (PrepareObserved, ObservedLR); without, they
// are genotypes. It stops, with ctx's error, when ctx is done (checked before every family).
// progress, when set, is called after each family.
func Screen(ctx context.Context, panel []*kinship.Marker, fams []*FamilyTable, profs []EncodedProfile, threshold float64, dropout *kinship.Dropout, progress func(done int)) ([]Hit, int64, error) {
	var hits []Hit
	var observed []ObservedProfile
	if dropout != nil {
		observed = make([]ObservedProfile, len(profs))
		for pi := range profs {
			observed[pi] = PrepareObserved(panel, &profs[pi], *dropout)
		}
	}
	for fi, t := range fams {
		if err := ctx.Err(); err != nil {
			return nil, int64(fi) * int64(len(profs)), err
		}
		for pi := range profs {
			if dropout != nil {
				if lr, c, e := t.ObservedLR(panel, &observed[pi]); lr >= threshold {
					hits = append(hits, Hit{Family: fi, Profile: pi, LR: lr, Compared: c, Exclusions: e})
				}
				continue
			}
			if lr := t.LR(&profs[pi]); lr >= threshold {
				c, e := t.Detail(panel, &profs[pi])
				hits = append(hits, Hit{Family: fi, Profile: pi, LR: lr, Compared: c, Exclusions: e})
			}
		}
		if progress != nil {
			progress(fi + 1)
		}
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].LR > hits[j].LR })
	return hits, int64(len(fams)) * int64(len(profs)), nil
}

// PanelReport says how a screen's panel was built.
type PanelReport struct {
	Markers   []string          `json:"markers"`
	Additions []freqdb.Addition `json:"additions"`
	// Unknown lists markers typed in profiles that the frequency database lacks (not screened).
	Unknown []string `json:"unknown_markers"`
	// XLeftOut lists X-chromosomal markers typed in profiles: the screening kernel is autosomal,
	// so they are left out of the panel (kinship LRs and DVI case files given by hand compute them).
	XLeftOut []string `json:"x_markers_left_out,omitempty"`
}

// BuildPanel makes a screen's marker panel from a frequency database and every profile to be
// screened (victims and references): the database's markers typed in some profile, each extended
// by the rule with the alleles observed that the database lacks. Sex markers (Amelogenin) are not
// part of a kinship panel; other markers the database lacks are reported, not dropped silently.
func BuildPanel(db *freqdb.Database, loci []map[string][]string, rule freqdb.MissingAlleleRule) ([]casejson.MarkerJSON, PanelReport, error) {
	observed := map[string]map[string]bool{}
	names := map[string]string{}
	for _, l := range loci {
		for name, al := range l {
			k := freqdb.NormalizeName(name)
			if observed[k] == nil {
				observed[k] = map[string]bool{}
				names[k] = name
			}
			for _, a := range al {
				observed[k][a] = true
			}
		}
	}
	var rep PanelReport
	var out []casejson.MarkerJSON
	for i := range db.Markers {
		m := &db.Markers[i]
		obs, ok := observed[freqdb.NormalizeName(m.Name)]
		if !ok {
			continue
		}
		if m.Chrom == "X" {
			rep.XLeftOut = append(rep.XLeftOut, m.Name)
			continue
		}
		var al []string
		for a := range obs {
			al = append(al, a)
		}
		sort.Strings(al)
		ext, adds, err := m.WithAlleles(al, rule)
		if err != nil {
			return nil, rep, err
		}
		rep.Additions = append(rep.Additions, adds...)
		rep.Markers = append(rep.Markers, m.Name)
		out = append(out, casejson.MarkerJSON{Name: m.Name, Alleles: ext.Alleles, Frequencies: ext.Freqs})
	}
	for k, name := range names {
		if db.Marker(name) == nil && !isSexMarker(k) {
			rep.Unknown = append(rep.Unknown, name)
		}
	}
	sort.Strings(rep.Unknown)
	if len(out) == 0 {
		return nil, rep, fmt.Errorf("no marker of the profiles is in frequency database %s", db.Name)
	}
	return out, rep, nil
}

func isSexMarker(normalized string) bool {
	switch normalized {
	case "AMEL", "AMELOGENIN", "AM":
		return true
	}
	return false
}

// PanelMarkers turns a stored panel into kinship markers.
func PanelMarkers(panel []casejson.MarkerJSON) ([]*kinship.Marker, error) {
	c := casejson.Case{Markers: panel}
	return c.KinshipMarkers()
}

// Log10 is log10 of an LR, with +Inf for LRs too large for a float.
func Log10(lr float64) float64 { return math.Log10(lr) }
