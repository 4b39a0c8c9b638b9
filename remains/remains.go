// Package remains answers the questions of commingled remains from stored records: how many people
// the containers' skeletal inventory must represent, which victim DNA profiles come from one person
// (merged with a consensus profile), and which of the resulting individuals are related. It reads
// through the domain services and leaves the science to package dvi and kinship.
package remains

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/casebuild"
	"github.com/homeward/homeward/dvi"
	"github.com/homeward/homeward/frequencies"
	"github.com/homeward/homeward/kinship"
	"github.com/homeward/homeward/labfmt/casejson"
	"github.com/homeward/homeward/labfmt/freqdb"
)

// MNI counts the minimum number of individuals per container, pooled and summed, from the
// specimens of the containers with the given accession numbers (every container when none).
func MNI(ctx context.Context, cs homeward.ContainerService, accessions []string) (dvi.ContainerMNI, error) {
	var cons []homeward.Container
	if len(accessions) == 0 {
		var err error
		if cons, err = homeward.Collect(homeward.Containers(ctx, cs, homeward.ContainerFilter{})); err != nil {
			return dvi.ContainerMNI{}, err
		}
	}
	for _, a := range accessions {
		c, err := cs.GetContainerByAccession(ctx, a)
		if err != nil {
			return dvi.ContainerMNI{}, err
		}
		cons = append(cons, *c)
	}
	var items []dvi.Element
	for _, c := range cons {
		for s, err := range homeward.Specimens(ctx, cs, c.ID) {
			if err != nil {
				return dvi.ContainerMNI{}, err
			}
			items = append(items, dvi.Element{Container: c.Accession, Element: s.Element, Side: string(s.Side), Portion: s.Portion})
		}
	}
	return dvi.MNIByContainer(items)
}

// GroupOptions tune Group.
type GroupOptions struct {
	// Container restricts the profiles to those of specimens in this container (accession).
	Container   string  `json:"container"`
	Threshold   float64 `json:"threshold"`   // same-person LR to merge (default 1e10)
	Mismatches  int     `json:"mismatches"`  // mismatching markers allowed in a merge (default 0)
	MinMarkers  int     `json:"min_markers"` // markers compared at least (default 8)
	FrequencyDB string  `json:"frequency_db"`
	// KinshipThreshold: related pairs of individuals are reported at or above this LR (default 1e4).
	KinshipThreshold float64 `json:"kinship_threshold"`
}

// Related is a pair of individuals whose profiles support a relationship.
type Related struct {
	A            int     `json:"a"` // indexes into Individuals
	B            int     `json:"b"`
	Relationship string  `json:"relationship"`
	LR           float64 `json:"lr"`
	Log10LR      float64 `json:"log10_lr"`
	Markers      int     `json:"markers"`
}

// GroupResult is the outcome of Group.
type GroupResult struct {
	Profiles    int               `json:"profiles"`
	Individuals []dvi.Individual  `json:"individuals"`
	Links       []dvi.DirectMatch `json:"links"`
	Related     []Related         `json:"related"`
	Note        string            `json:"note,omitempty"`
	Additions   []freqdb.Addition `json:"frequency_additions"`
}

// maxGroupProfiles bounds the all-pairs same-person comparison.
const maxGroupProfiles = 5000

// maxKinshipIndividuals bounds the all-pairs kinship step (n^2/2 pairs).
const maxKinshipIndividuals = 3000

// Group merges the victim profiles that come from one person into individuals (consensus profile,
// conflicts, and the links that justify each merge), then tests every pair of individuals for
// parent-child, full siblings and second-degree kinship (half siblings, grandparent, avuncular:
// indistinguishable by unlinked markers) against unrelated.
func Group(ctx context.Context, dna homeward.DNAService, cs homeward.ContainerService, o GroupOptions) (*GroupResult, error) {
	o = o.withDefaults()
	db, _, minFreq, err := frequencies.Resolve(ctx, dna, o.FrequencyDB)
	if err != nil {
		return nil, err
	}
	profiles, loci, err := victimProfiles(ctx, dna, cs, o.Container)
	if err != nil {
		return nil, err
	}
	res := &GroupResult{Profiles: len(profiles), Individuals: []dvi.Individual{}, Related: []Related{}}
	if len(profiles) == 0 {
		return res, nil
	}
	if len(profiles) > maxGroupProfiles {
		return nil, homeward.Errorf(homeward.ETOOLARGE, "%d victim profiles to compare pairwise (limit %d): select a container", len(profiles), maxGroupProfiles)
	}
	panel, rep, err := dvi.BuildPanel(db, loci, freqdb.MissingAlleleRule{MinFreq: minFreq})
	if err != nil {
		return nil, err
	}
	res.Additions = rep.Additions
	freqs, markers := panelMarkers(panel)
	// Profiles name markers as their files did; compare them under the panel's names.
	for i := range profiles {
		canon := map[string][]string{}
		for name, al := range profiles[i].Alleles {
			if m, ok := markers[freqdb.NormalizeName(name)]; ok {
				canon[m.Name] = al
			}
		}
		profiles[i].Alleles = canon
	}
	inds, links, err := dvi.Group(profiles, freqs, 0, o.Threshold, o.Mismatches, o.MinMarkers)
	if err != nil {
		return nil, err
	}
	res.Individuals, res.Links = inds, links
	if len(inds) > maxKinshipIndividuals {
		res.Note = fmt.Sprintf("kinship among individuals not computed: %d individuals (limit %d); select a container", len(inds), maxKinshipIndividuals)
		return res, nil
	}
	if res.Related, err = relatedPairs(ctx, inds, markers, o.KinshipThreshold); err != nil {
		return nil, err
	}
	return res, nil
}

// withDefaults fills the options left zero: LR 1e10 over 8 markers to merge, 1e4 for kinship,
// the nist-all frequencies.
func (o GroupOptions) withDefaults() GroupOptions {
	if o.Threshold == 0 {
		o.Threshold = 1e10
	}
	if o.MinMarkers == 0 {
		o.MinMarkers = 8
	}
	if o.KinshipThreshold == 0 {
		o.KinshipThreshold = 1e4
	}
	if o.FrequencyDB == "" {
		o.FrequencyDB = "nist-all"
	}
	return o
}

// victimProfiles reads the victim profiles (of one container's specimens when accession is given).
func victimProfiles(ctx context.Context, dna homeward.DNAService, cs homeward.ContainerService, accession string) ([]dvi.Profile, []map[string][]string, error) {
	f := homeward.ProfileFilter{Role: homeward.ProfileVictim}
	if accession != "" {
		container, err := cs.GetContainerByAccession(ctx, accession)
		if err != nil {
			return nil, nil, err
		}
		f.ContainerID = container.ID
	}
	var profiles []dvi.Profile
	var loci []map[string][]string
	for p, err := range homeward.Profiles(ctx, dna, f) {
		if err != nil {
			return nil, nil, err
		}
		profiles = append(profiles, dvi.Profile{Sample: p.Sample, Alleles: p.Loci})
		loci = append(loci, p.Loci)
	}
	return profiles, loci, nil
}

// panelMarkers is the panel's frequencies by marker and allele, and its markers by normalised name.
func panelMarkers(panel []casejson.MarkerJSON) (dvi.Frequencies, map[string]*kinship.Marker) {
	freqs := dvi.Frequencies{}
	markers := map[string]*kinship.Marker{}
	for _, m := range panel {
		freqs[m.Name] = map[string]float64{}
		for i, a := range m.Alleles {
			freqs[m.Name][a] = m.Frequencies[i]
		}
		markers[freqdb.NormalizeName(m.Name)] = &kinship.Marker{Name: m.Name, Alleles: m.Alleles, Freqs: m.Frequencies}
	}
	return freqs, markers
}

// relatedPairs tests every pair of individuals for parent-child, full siblings and second-degree
// kinship against unrelated, keeping the strongest at or above threshold, strongest first. It
// stops when ctx is cancelled (3,000 individuals are 4.5 million pairs).
func relatedPairs(ctx context.Context, inds []dvi.Individual, markers map[string]*kinship.Marker, threshold float64) ([]Related, error) {
	out := []Related{}
	rels := []string{"parent-child", "full-siblings", "half-siblings"}
	for a := 0; a < len(inds); a++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		for b := a + 1; b < len(inds); b++ {
			best := Related{A: a, B: b}
			for _, rel := range rels {
				lr, n, err := pairLR(kinship.Relationships[rel], markers, inds[a], inds[b])
				if err != nil {
					return nil, err
				}
				if n > 0 && lr > best.LR {
					best.Relationship, best.LR, best.Markers = rel, lr, n
				}
			}
			if best.LR >= threshold {
				if best.Relationship == "half-siblings" {
					best.Relationship = "second-degree (half siblings, grandparent, avuncular)"
				}
				best.Log10LR = math.Log10(best.LR)
				out = append(out, best)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].LR > out[j].LR })
	return out, nil
}

// pairLR is the kinship LR of two individuals' consensus profiles over the markers where both have
// two alleles and no conflict.
func pairLR(k kinship.Kappa, markers map[string]*kinship.Marker, a, b dvi.Individual) (float64, int, error) {
	lr, n := 1.0, 0
	for name, al := range a.Consensus {
		bl, ok := b.Consensus[name]
		m := markers[freqdb.NormalizeName(name)]
		if !ok || m == nil || len(al) != 2 || len(bl) != 2 {
			continue
		}
		ga := kinship.Genotype{m.AlleleIndex(al[0]), m.AlleleIndex(al[1])}
		gb := kinship.Genotype{m.AlleleIndex(bl[0]), m.AlleleIndex(bl[1])}
		x, err := kinship.PairwiseLR(k, m.Freqs, ga, gb)
		if err != nil {
			return 0, 0, fmt.Errorf("marker %s: %w", name, err)
		}
		lr *= x
		n++
	}
	return lr, n, nil
}

// LinesResult names, for a reference family's missing person, the members who share their
// mitochondrial DNA (maternal line) and Y chromosome (paternal line, for a man), and which of them
// are typed: the references for an mtDNA or Y-STR comparison.
type LinesResult struct {
	Family         string   `json:"family"`
	Target         string   `json:"target"`
	Maternal       []string `json:"maternal_line"`
	MaternalTyped  []string `json:"maternal_line_typed"`
	Paternal       []string `json:"paternal_line"`
	PaternalTyped  []string `json:"paternal_line_typed"`
	TargetSexKnown bool     `json:"target_sex_known"`
	TargetIsFemale bool     `json:"target_is_female"`
	// MaternalMtDNA and PaternalYSTR are the members on each line whose stored profile carries
	// mtDNA or a Y-STR haplotype: the lineage references the family actually has.
	MaternalMtDNA []string `json:"maternal_line_mtdna"`
	PaternalYSTR  []string `json:"paternal_line_ystr"`
}

// Lines computes the lineage-marker references of a stored family.
func Lines(ctx context.Context, dna homeward.DNAService, familyID int64) (*LinesResult, error) {
	f, err := dna.GetReferenceFamily(ctx, familyID)
	if err != nil {
		return nil, err
	}
	hasY, hasMt := map[string]bool{}, map[string]bool{}
	var targetSex homeward.Sex
	for _, m := range f.Members {
		if m.ProfileID != nil {
			p, err := dna.GetProfile(ctx, *m.ProfileID)
			if err != nil {
				return nil, fmt.Errorf("family %s member %s: %w", f.Name, m.ID, err)
			}
			hasY[m.ID], hasMt[m.ID] = p.YSTR != "", p.MtDNA != nil
		}
		if m.ID == f.Target {
			targetSex = m.Sex
		}
	}
	ped, typed, err := casebuild.Pedigree(f)
	if err != nil {
		return nil, err
	}
	r := &LinesResult{Family: f.Name, Target: f.Target, Maternal: ped.MaternalLine(f.Target), Paternal: []string{}, MaternalTyped: []string{}, PaternalTyped: []string{},
		MaternalMtDNA: []string{}, PaternalYSTR: []string{},
		TargetSexKnown: targetSex != homeward.SexUnknown, TargetIsFemale: targetSex == homeward.SexFemale}
	if targetSex != homeward.SexFemale {
		r.Paternal = ped.PaternalLine(f.Target)
	}
	for _, id := range r.Maternal {
		if typed[id] {
			r.MaternalTyped = append(r.MaternalTyped, id)
		}
		if hasMt[id] {
			r.MaternalMtDNA = append(r.MaternalMtDNA, id)
		}
	}
	for _, id := range r.Paternal {
		if typed[id] {
			r.PaternalTyped = append(r.PaternalTyped, id)
		}
		if hasY[id] {
			r.PaternalYSTR = append(r.PaternalYSTR, id)
		}
	}
	return r, nil
}

// Repeat is an element one individual's specimens hold more than once on one side.
type Repeat struct {
	Element, Side string
	Codes         []string // the specimens, sorted
}

func (r Repeat) String() string {
	return fmt.Sprintf("%s (%s) more than once: %s", r.Element, r.Side, strings.Join(r.Codes, ", "))
}

// Repeats says which elements, among the specimens one post-mortem individual's samples
// came from, one person cannot have: it is the MNI rule (dvi.MNI: by side, overlapping portions;
// a proximal and a distal end may be one bone; unknown sides not counted) applied to the
// individual, reporting each element that counts more than once with its specimens. Such a merge
// needs checking (one bone sampled twice, contamination, identical twins). They are sorted by
// their English line (Repeat.String).
func Repeats(specimens []homeward.Specimen) []Repeat {
	var items []dvi.Element
	for _, s := range specimens {
		if strings.TrimSpace(s.Element) != "" {
			items = append(items, dvi.Element{Element: s.Element, Side: string(s.Side), Portion: s.Portion})
		}
	}
	res, err := dvi.MNI(items)
	if err != nil || res.MNI < 2 {
		return nil
	}
	var out []Repeat
	for _, c := range res.Counts {
		if c.Count < 2 {
			continue
		}
		r := Repeat{Element: c.Element, Side: c.Side}
		for _, s := range specimens {
			if strings.EqualFold(strings.TrimSpace(s.Element), c.Element) && strings.EqualFold(string(s.Side), c.Side) {
				r.Codes = append(r.Codes, s.Code)
			}
		}
		sort.Strings(r.Codes)
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out
}
