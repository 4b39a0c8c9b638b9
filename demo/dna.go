package demo

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/labfmt/freqdb"
)

// DNASet is a synthetic set of DNA data for screens: reference families (a missing son with his
// typed father and mother, or his typed mother and sister), their reference profiles, and victim
// profiles of which the first True are the missing sons of the first True families (genotypes
// passed down by Mendel's law) and the rest unrelated people.
type DNASet struct {
	References []homeward.Profile
	Families   []homeward.ReferenceFamily // ProfileID fields index References until loaded
	Victims    []homeward.Profile
	True       int
}

// GenerateDNA draws a DNASet on the first nMarkers markers of the frequency database.
func GenerateDNA(seed int64, db *freqdb.Database, nMarkers, victims, families, truePairs int) (*DNASet, error) {
	if truePairs > victims || truePairs > families {
		return nil, fmt.Errorf("demo dna: %d true pairs need as many victims and families", truePairs)
	}
	if nMarkers > len(db.Markers) {
		nMarkers = len(db.Markers)
	}
	r := rand.New(rand.NewPCG(uint64(seed), 0x444e41))
	markers := db.Markers[:nMarkers]
	draw := func(m *freqdb.Marker) string {
		x := r.Float64() * m.Sum()
		for i, f := range m.Freqs {
			if x -= f; x <= 0 {
				return m.Alleles[i]
			}
		}
		return m.Alleles[len(m.Alleles)-1]
	}
	person := func() map[string][]string {
		l := map[string][]string{}
		for i := range markers {
			l[markers[i].Name] = []string{draw(&markers[i]), draw(&markers[i])}
		}
		return l
	}
	// Markers in database order, never map order, so that the same seed gives the same data.
	child := func(fa, mo map[string][]string) map[string][]string {
		l := map[string][]string{}
		for i := range markers {
			name := markers[i].Name
			l[name] = []string{fa[name][r.IntN(2)], mo[name][r.IntN(2)]}
		}
		return l
	}
	set := &DNASet{True: truePairs}
	ref := func(sample string, loci map[string][]string) *int64 {
		set.References = append(set.References, homeward.Profile{Sample: sample, Role: homeward.ProfileReference, Loci: loci, Source: "demo"})
		k := int64(len(set.References) - 1)
		return &k
	}
	sons := make([]map[string][]string, families)
	for f := 0; f < families; f++ {
		fa, mo := person(), person()
		sons[f] = child(fa, mo)
		name := fmt.Sprintf("DEMO-FAM-%05d", f+1)
		fam := homeward.ReferenceFamily{Name: name, Target: "MP"}
		if f%2 == 0 {
			fam.Members = []homeward.PedigreeMember{
				{ID: "FA", Sex: homeward.SexMale, ProfileID: ref(name+"-FA", fa)},
				{ID: "MO", Sex: homeward.SexFemale, ProfileID: ref(name+"-MO", mo)},
				{ID: "MP", Father: "FA", Mother: "MO", Sex: homeward.SexMale}}
		} else {
			fam.Members = []homeward.PedigreeMember{
				{ID: "FA", Sex: homeward.SexMale},
				{ID: "MO", Sex: homeward.SexFemale, ProfileID: ref(name+"-MO", mo)},
				{ID: "SIS", Father: "FA", Mother: "MO", Sex: homeward.SexFemale, ProfileID: ref(name+"-SIS", child(fa, mo))},
				{ID: "MP", Father: "FA", Mother: "MO", Sex: homeward.SexMale}}
		}
		set.Families = append(set.Families, fam)
	}
	for v := 0; v < victims; v++ {
		loci := person()
		if v < truePairs {
			loci = sons[v]
		}
		set.Victims = append(set.Victims, homeward.Profile{Sample: fmt.Sprintf("DEMO-PM-%05d", v+1), Role: homeward.ProfileVictim, Loci: loci, Source: "demo"})
	}
	return set, nil
}

// LoadDNA stores the set: reference profiles, families pointing at them, then victims. progress, if
// set, is called as records are written.
func LoadDNA(ctx context.Context, dna homeward.DNAService, set *DNASet, progress func(stage string, done, total int)) error {
	if progress == nil {
		progress = func(string, int, int) {}
	}
	ids := make([]int64, len(set.References))
	for i := range set.References {
		p := set.References[i]
		if err := dna.CreateProfile(ctx, &p); err != nil {
			return fmt.Errorf("demo dna: reference %s: %w", p.Sample, err)
		}
		ids[i] = p.ID
		if i%500 == 0 || i == len(set.References)-1 {
			progress("reference profiles", i+1, len(set.References))
		}
	}
	for i := range set.Families {
		f := set.Families[i]
		f.Members = append([]homeward.PedigreeMember{}, f.Members...)
		for k := range f.Members {
			if f.Members[k].ProfileID != nil {
				id := ids[*f.Members[k].ProfileID]
				f.Members[k].ProfileID = &id
			}
		}
		if err := dna.CreateReferenceFamily(ctx, &f); err != nil {
			return fmt.Errorf("demo dna: family %s: %w", f.Name, err)
		}
		if i%500 == 0 || i == len(set.Families)-1 {
			progress("reference families", i+1, len(set.Families))
		}
	}
	for i := range set.Victims {
		p := set.Victims[i]
		if err := dna.CreateProfile(ctx, &p); err != nil {
			return fmt.Errorf("demo dna: victim %s: %w", p.Sample, err)
		}
		if i%500 == 0 || i == len(set.Victims)-1 {
			progress("victim profiles", i+1, len(set.Victims))
		}
	}
	return nil
}

// Attach ties the set to the demo world before it is loaded: victim i was typed from specimen
// specimens[i] (while there are specimens), and family i gave references for missing person
// missing[i] (while there are missing persons), so that the laboratory view, the operation's
// progress and the person pages show the DNA. True pairs keep their meaning: victim i < True is
// family i's missing person, so their specimen and the family's missing person are matched as
// an identification would match them.
func (s *DNASet) Attach(specimens, missing []int64) {
	for i := range s.Victims {
		if i < len(specimens) {
			id := specimens[i]
			s.Victims[i].SpecimenID = &id
		}
	}
	for i := range s.Families {
		if i < len(missing) {
			id := missing[i]
			s.Families[i].MissingPersonID = &id
		}
	}
}
