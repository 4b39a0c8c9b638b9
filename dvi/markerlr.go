package dvi

import (
	"fmt"
	"math"
	"slices"

	"github.com/homeward/homeward/kinship"
)

// MarkerLR is one marker's share of a pairing's likelihood ratio: the LR of "victim v is missing
// person m" against "v is unrelated to the family" at this marker alone, with the genotypes it
// rests on. The product over markers is the pairing's LR in PairwiseLR (markers are independent).
type MarkerLR struct {
	Marker string `json:"marker"`
	// Victim is the victim's genotype ("" when untyped at this marker); References the typed
	// relatives' genotypes by member id.
	Victim     string            `json:"victim"`
	References map[string]string `json:"references,omitempty"`
	LR         float64           `json:"lr"`
}

// MarkerLRs breaks the LR of one pairing down by marker. Untyped markers (the victim or every
// relative) have LR 1 and are listed all the same, so the table accounts for every marker of the
// case.
func (p *Problem) MarkerLRs(victim, missing string) ([]MarkerLR, error) {
	fi, ok := p.familyOf[missing]
	if !ok {
		return nil, fmt.Errorf("dvi: %s is not a missing person of the case", missing)
	}
	if !slices.Contains(p.victimIDs(), victim) {
		return nil, fmt.Errorf("dvi: %s is not a victim of the case", victim)
	}
	fam := p.Families[fi]
	alone := p.victimAlone(victim)
	out := make([]MarkerLR, len(p.Markers))
	for mi, m := range p.Markers {
		row := MarkerLR{Marker: m.Name}
		g := map[string]kinship.Genotype{}
		if x, ok := p.Genos[mi][victim]; ok {
			g[victim] = x
			row.Victim = genotypeString(m, x)
		}
		for _, pe := range fam.Ped.People {
			if x, ok := p.Genos[mi][pe.ID]; ok && !p.IsMissing(pe.ID) {
				if row.References == nil {
					row.References = map[string]string{}
				}
				row.References[pe.ID] = genotypeString(m, x)
			}
		}
		l, err := kinship.LikelihoodObserved(alone, m, g, p.observedAs(mi, map[string]string{victim: victim}), 0)
		lv := math.Log(l)
		if err != nil {
			return nil, fmt.Errorf("victim %s marker %s: %w", victim, m.Name, err)
		}
		with, err := p.familyMarkerLoglik(fi, mi, p.placedWith(fi, map[string]string{missing: victim}), true, p.noMutation[fi])
		if err != nil {
			return nil, err
		}
		without, err := p.familyMarkerLoglik(fi, mi, p.placedWith(fi, nil), true, p.noMutation[fi])
		if err != nil {
			return nil, err
		}
		row.LR = math.Exp(with - without - lv)
		out[mi] = row
	}
	return out, nil
}

// placedWith adds the identifications already fixed in family fi to placed, as familyLoglikWith
// does for reference data.
func (p *Problem) placedWith(fi int, placed map[string]string) map[string]string {
	all := map[string]string{}
	for m, v := range p.fixed {
		if p.familyOf[m] == fi {
			all[m] = v
		}
	}
	for m, v := range placed {
		all[m] = v
	}
	return all
}

// genotypeString writes a genotype as "a/b" in the marker's allele order ("-" for an allele not
// typed).
func genotypeString(m *kinship.Marker, g kinship.Genotype) string {
	i, j := g[0], g[1]
	if j >= 0 && (i < 0 || j < i) {
		i, j = j, i
	}
	name := func(k int) string {
		if k < 0 || k >= len(m.Alleles) {
			return "-"
		}
		return m.Alleles[k]
	}
	return name(i) + "/" + name(j)
}
