// Package dvisim simulates DVI cases: a reference family whose members' genotypes are dropped down
// the pedigree from allele frequencies (Mendelian transmission, no mutation), victims carrying the
// profiles of chosen missing persons or of unrelated people, and the missing persons' own data
// removed. It makes reproducible test and benchmark cases of a size the shared reference cases do
// not reach (one family with a dozen missing persons). It does no I/O.
package dvisim

import (
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/homeward/homeward/dvi"
	"github.com/homeward/homeward/kinship"
	"github.com/homeward/homeward/labfmt/casejson"
)

// Spec is a case to simulate.
type Spec struct {
	Name        string
	Description string
	// Family lists the reference family, parents before or after children.
	Family     []casejson.PersonJSON
	References []string
	Missing    []string
	Victims    []VictimSpec
	Markers    []casejson.MarkerJSON
	Seed       uint64
}

// VictimSpec is one victim: the missing person whose profile it carries, or "" for an unrelated
// person (profile drawn from the frequencies).
type VictimSpec struct {
	ID   string
	Sex  int
	From string
}

// Simulate drops genotypes through the family at every marker and builds the case file. Errors
// name the person or marker at fault.
func Simulate(s Spec) (*dvi.CaseFile, error) {
	order, err := parentsFirst(s.Family)
	if err != nil {
		return nil, fmt.Errorf("simulate %s: %w", s.Name, err)
	}
	for _, id := range slices.Concat(s.References, s.Missing) {
		if !slices.ContainsFunc(s.Family, func(p casejson.PersonJSON) bool { return p.ID == id }) {
			return nil, fmt.Errorf("simulate %s: %s is not in the family", s.Name, id)
		}
	}
	rng := rand.New(rand.NewPCG(s.Seed, 0x6877_646d))
	genos := map[string]map[string][]string{}
	for _, m := range s.Markers {
		if len(m.Alleles) == 0 || len(m.Alleles) != len(m.Frequencies) {
			return nil, fmt.Errorf("simulate %s: marker %s: %d alleles and %d frequencies", s.Name, m.Name, len(m.Alleles), len(m.Frequencies))
		}
		drawn := dropMarker(rng, m, s.Family, order)
		for _, id := range s.References {
			put(genos, id, m.Name, drawn[id])
		}
		for _, v := range s.Victims {
			g, ok := drawn[v.From]
			if v.From == "" {
				g, ok = [2]string{draw(rng, m), draw(rng, m)}, true
			}
			if !ok {
				return nil, fmt.Errorf("simulate %s: victim %s carries %s, who is not in the family", s.Name, v.ID, v.From)
			}
			put(genos, v.ID, m.Name, g)
		}
	}
	return caseFile(s, genos), nil
}

func put(genos map[string]map[string][]string, id, marker string, g [2]string) {
	if genos[id] == nil {
		genos[id] = map[string][]string{}
	}
	genos[id][marker] = []string{g[0], g[1]}
}

func caseFile(s Spec, genos map[string]map[string][]string) *dvi.CaseFile {
	cf := &dvi.CaseFile{Schema: "homeward/case/v1", Type: "dvi", Name: s.Name, Description: s.Description,
		Markers: s.Markers, Families: []dvi.CaseFamily{{Name: "F1", Individuals: s.Family}},
		Missing: s.Missing, References: s.References, Genotypes: genos}
	for _, v := range s.Victims {
		cf.Victims = append(cf.Victims, dvi.Victim{ID: v.ID, Sex: v.Sex})
	}
	return cf
}

// dropMarker gives every family member a genotype at m: founders draw two alleles from the
// frequencies, children one allele of each parent chosen with probability 1/2.
func dropMarker(rng *rand.Rand, m casejson.MarkerJSON, fam []casejson.PersonJSON, order []int) map[string][2]string {
	out := make(map[string][2]string, len(fam))
	for _, i := range order {
		p := fam[i]
		if p.Father == nil {
			out[p.ID] = [2]string{draw(rng, m), draw(rng, m)}
			continue
		}
		f, mo := out[*p.Father], out[*p.Mother]
		out[p.ID] = [2]string{f[rng.IntN(2)], mo[rng.IntN(2)]}
	}
	return out
}

// draw picks an allele with the marker's frequencies (scaled by their sum, so that a database
// summing to slightly more or less than 1 still draws every allele).
func draw(rng *rand.Rand, m casejson.MarkerJSON) string {
	sum := 0.0
	for _, f := range m.Frequencies {
		sum += f
	}
	u := rng.Float64() * sum
	for i, f := range m.Frequencies {
		if u < f {
			return m.Alleles[i]
		}
		u -= f
	}
	return m.Alleles[len(m.Alleles)-1]
}

// parentsFirst orders the family so that parents come before their children, with the
// pedigree's own checks (both parents or none, parents present and of the right sex, no cycle).
func parentsFirst(fam []casejson.PersonJSON) ([]int, error) {
	ped, err := kinship.NewPedigree(casejson.People(fam))
	if err != nil {
		return nil, err
	}
	return ped.ParentsFirst(), nil
}
