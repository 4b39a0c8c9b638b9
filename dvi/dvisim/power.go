package dvisim

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/homeward/homeward/dvi"
	"github.com/homeward/homeward/kinship"
)

// Degrade returns what a degraded sample of a person with these genotypes shows at a dropout
// level d (relMix's model, without drop-in): each allele of a heterozygote is lost with
// probability d, a homozygote's allele with d^2 (both copies must go). A marker that loses
// everything is kept as analysed with nothing seen (an empty list).
func Degrade(rng *rand.Rand, loci map[string][]string, markers []string, d float64) map[string][]string {
	out := make(map[string][]string, len(loci))
	for _, name := range markers { // a fixed order, so that a seed gives the same profile
		al, ok := loci[name]
		if !ok {
			continue
		}
		if len(al) == 1 || len(al) == 2 && al[0] == al[1] {
			if rng.Float64() < d*d {
				out[name] = []string{}
			} else {
				out[name] = []string{al[0]}
			}
			continue
		}
		seen := []string{}
		for _, a := range al {
			if rng.Float64() >= d {
				seen = append(seen, a)
			}
		}
		out[name] = seen
	}
	return out
}

// PowerStudy is a screen of known truth repeated on degraded victim profiles.
type PowerStudy struct {
	Panel    []*kinship.Marker
	Families []dvi.ScreenFamily
	// Victims are the victims' true genotypes (marker -> alleles).
	Victims []map[string][]string
	// IsTrue says whether victim v is family f's missing person.
	IsTrue    func(v, f int) bool
	Threshold float64
	Seed      uint64
}

// PowerRow is one dropout level: the true pairs, and how many true pairs and false candidates
// reach the threshold when profiles are read as genotypes and under the dropout model.
type PowerRow struct {
	Dropout            float64 `json:"dropout"`
	TruePairs          int     `json:"true_pairs"`
	FoundGenotypes     int     `json:"found_as_genotypes"`
	FalseGenotypes     int     `json:"false_candidates_as_genotypes"`
	FoundDropoutModel  int     `json:"found_with_dropout_model"`
	FalseDropoutModel  int     `json:"false_candidates_with_dropout_model"`
	AllelesLostPercent float64 `json:"alleles_lost_percent"`
}

// Run degrades every victim at each level and screens them both ways (the model given the true
// level, no drop-in; exclusions rule pairs out). It stops when ctx is done.
func (s PowerStudy) Run(ctx context.Context, levels []float64) ([]PowerRow, error) {
	var tabs []*dvi.FamilyTable
	for _, f := range s.Families {
		t, err := dvi.NewFamilyTable(s.Panel, f, 0)
		if err != nil {
			return nil, err
		}
		tabs = append(tabs, t)
	}
	names := make([]string, len(s.Panel))
	for i, m := range s.Panel {
		names[i] = m.Name
	}
	enc := dvi.NewEncoder(s.Panel)
	var rows []PowerRow
	for li, d := range levels {
		if !(d >= 0 && d < 1) {
			return nil, fmt.Errorf("dropout level %g: must be in [0, 1)", d)
		}
		rng := rand.New(rand.NewPCG(s.Seed, uint64(li)))
		row := PowerRow{Dropout: d}
		var profs []dvi.EncodedProfile
		kept, total := 0, 0
		for vi, loci := range s.Victims {
			deg := Degrade(rng, loci, names, d)
			for _, name := range names {
				total += len(distinct(loci[name]))
				kept += len(deg[name])
			}
			p, err := enc.Encode(int64(vi), fmt.Sprint("victim ", vi), deg)
			if err != nil {
				return nil, err
			}
			profs = append(profs, p)
		}
		if total > 0 {
			row.AllelesLostPercent = 100 * float64(total-kept) / float64(total)
		}
		for f := range s.Families {
			for v := range s.Victims {
				if s.IsTrue(v, f) {
					row.TruePairs++
				}
			}
		}
		hits, _, err := dvi.Screen(ctx, s.Panel, tabs, profs, s.Threshold, nil, nil)
		if err != nil {
			return nil, err
		}
		row.FoundGenotypes, row.FalseGenotypes = s.count(hits)
		model := kinship.Dropout{DHet: d, DHom: d * d}
		if hits, _, err = dvi.Screen(ctx, s.Panel, tabs, profs, s.Threshold, &model, nil); err != nil {
			return nil, err
		}
		row.FoundDropoutModel, row.FalseDropoutModel = s.count(hits)
		rows = append(rows, row)
	}
	return rows, nil
}

func (s PowerStudy) count(hits []dvi.Hit) (found, false_ int) {
	for _, h := range hits {
		if s.IsTrue(h.Profile, h.Family) {
			found++
		} else {
			false_++
		}
	}
	return found, false_
}

func distinct(al []string) []string {
	if len(al) == 2 && al[0] == al[1] {
		return al[:1]
	}
	return al
}
