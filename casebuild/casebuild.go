// Package casebuild writes DVI case files (homeward/case/v1, DVI form) from stored profiles and
// reference families, so that stored data can be solved with `homeward dvi solve` and recomputed in
// other software. It reads through homeward.DNAService only.
package casebuild

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/dvi"
	"github.com/homeward/homeward/frequencies"
	"github.com/homeward/homeward/kinship"
	"github.com/homeward/homeward/labfmt/casejson"
	"github.com/homeward/homeward/labfmt/freqdb"
)

// Selection names what goes into the case: victim samples and family names, or the candidates of
// a screen (both sides of every candidate pair), or both.
type Selection struct {
	Name        string
	Victims     []string // sample names
	Families    []string // family names
	ScreenID    int64    // add the candidates of this screen
	FrequencyDB string   // default nist-all
	MinFreq     float64  // for alleles the database lacks (0: 5/(2N))
}

// Build reads the selected records and writes the case. Member ids are prefixed with their family's
// name ("FAM-1/FA") so that families never share a person; victims keep their sample names. A
// victim's sex comes from Amelogenin (X,X female; X,Y male; otherwise unknown, which pairs with
// anyone).
func Build(ctx context.Context, dna homeward.DNAService, sel Selection) (*dvi.CaseFile, dvi.PanelReport, error) {
	var rep dvi.PanelReport
	if sel.FrequencyDB == "" {
		sel.FrequencyDB = "nist-all"
	}
	db, label, minFreq, err := frequencies.Resolve(ctx, dna, sel.FrequencyDB)
	if err != nil {
		return nil, rep, err
	}
	if sel.MinFreq == 0 {
		sel.MinFreq = minFreq
	}
	sel.FrequencyDB = label
	victims := map[string]*homeward.Profile{}
	var vicOrder []string
	families := map[string]*homeward.ReferenceFamily{}
	var famOrder []string
	addVictim := func(p *homeward.Profile) error {
		if p.Role != homeward.ProfileVictim {
			return homeward.FieldErrorf("victims", "sample %s is a %s profile, not a victim", p.Sample, p.Role)
		}
		if victims[p.Sample] == nil {
			victims[p.Sample] = p
			vicOrder = append(vicOrder, p.Sample)
		}
		return nil
	}
	addFamily := func(f *homeward.ReferenceFamily) {
		if families[f.Name] == nil {
			families[f.Name] = f
			famOrder = append(famOrder, f.Name)
		}
	}
	for _, s := range sel.Victims {
		l, err := dna.ListProfiles(ctx, homeward.ProfileFilter{Sample: s, Page: homeward.Page{Limit: 1}})
		if err != nil {
			return nil, rep, err
		}
		i := slices.IndexFunc(l.Items, func(p homeward.Profile) bool { return p.Sample == s })
		if i < 0 {
			return nil, rep, homeward.Errorf(homeward.ENOTFOUND, "victim sample %s not found", s)
		}
		if err := addVictim(&l.Items[i]); err != nil {
			return nil, rep, err
		}
	}
	for _, name := range sel.Families {
		l, err := dna.ListReferenceFamilies(ctx, homeward.FamilyFilter{Name: name, Page: homeward.Page{Limit: 1}})
		if err != nil {
			return nil, rep, err
		}
		i := slices.IndexFunc(l.Items, func(f homeward.ReferenceFamily) bool { return f.Name == name })
		if i < 0 {
			return nil, rep, homeward.Errorf(homeward.ENOTFOUND, "reference family %s not found", name)
		}
		addFamily(&l.Items[i])
	}
	if sel.ScreenID != 0 {
		for c, err := range homeward.Walk(func(p homeward.Page) (homeward.List[homeward.Candidate], error) {
			return dna.ListCandidates(ctx, sel.ScreenID, p)
		}) {
			if err != nil {
				return nil, rep, err
			}
			p, err := dna.GetProfile(ctx, c.ProfileID)
			if err != nil {
				return nil, rep, err
			}
			if err := addVictim(p); err != nil {
				return nil, rep, err
			}
			f, err := dna.GetReferenceFamily(ctx, c.FamilyID)
			if err != nil {
				return nil, rep, err
			}
			addFamily(f)
		}
	}
	if len(victims) == 0 || len(families) == 0 {
		return nil, rep, homeward.FieldErrorf("selection", "a case needs victims and families (%d victims, %d families selected)", len(victims), len(families))
	}
	// Reference profiles of the families.
	refs := map[int64]*homeward.Profile{}
	var loci []map[string][]string
	for _, s := range vicOrder {
		loci = append(loci, victims[s].Loci)
	}
	for _, name := range famOrder {
		for _, m := range families[name].Members {
			if m.ProfileID == nil || refs[*m.ProfileID] != nil {
				continue
			}
			p, err := dna.GetProfile(ctx, *m.ProfileID)
			if err != nil {
				return nil, rep, fmt.Errorf("family %s member %s: %w", name, m.ID, err)
			}
			refs[p.ID] = p
			loci = append(loci, p.Loci)
		}
	}
	rule := freqdb.MissingAlleleRule{MinFreq: sel.MinFreq}
	markers, rep, err := dvi.BuildPanel(db, loci, rule)
	if err != nil {
		return nil, rep, err
	}
	genos := func(l map[string][]string) map[string][]string {
		out := map[string][]string{}
		byName := map[string][]string{}
		for k, v := range l {
			byName[freqdb.NormalizeName(k)] = v
		}
		for _, m := range markers {
			if al, ok := byName[freqdb.NormalizeName(m.Name)]; ok && len(al) > 0 {
				if len(al) == 1 {
					al = []string{al[0], al[0]}
				}
				out[m.Name] = al
			}
		}
		return out
	}
	c := &dvi.CaseFile{Schema: "homeward/case/v1", Type: "dvi", Name: sel.Name, Markers: markers,
		Description: fmt.Sprintf("Built by Homeward from %d victim profiles and %d reference families (frequencies: %s)", len(victims), len(families), sel.FrequencyDB),
		Genotypes:   map[string]map[string][]string{}}
	if c.Name == "" {
		c.Name = "homeward-case"
	}
	for _, s := range vicOrder {
		p := victims[s]
		c.Victims = append(c.Victims, dvi.Victim{ID: s, Sex: sexOf(p.Loci)})
		c.Genotypes[s] = genos(p.Loci)
	}
	for _, name := range famOrder {
		f := families[name]
		id := func(m string) string { return name + "/" + m }
		cf := dvi.CaseFamily{Name: name}
		for _, m := range f.Members {
			pj := casejson.PersonJSON{ID: id(m.ID)}
			if m.Father != "" {
				fa, mo := id(m.Father), id(m.Mother)
				pj.Father, pj.Mother = &fa, &mo
			}
			switch m.Sex {
			case homeward.SexMale:
				pj.Sex = 1
			case homeward.SexFemale:
				pj.Sex = 2
			}
			cf.Individuals = append(cf.Individuals, pj)
			if m.ProfileID != nil {
				c.References = append(c.References, id(m.ID))
				c.Genotypes[id(m.ID)] = genos(refs[*m.ProfileID].Loci)
			}
		}
		c.Families = append(c.Families, cf)
		c.Missing = append(c.Missing, id(f.Target))
	}
	return c, rep, nil
}

// sexOf reads sex from Amelogenin: 1 male (X,Y), 2 female (X,X), 0 unknown.
func sexOf(loci map[string][]string) int {
	for k, al := range loci {
		switch strings.ToUpper(strings.ReplaceAll(k, " ", "")) {
		case "AMEL", "AMELOGENIN", "AM":
			hasY := slices.ContainsFunc(al, func(a string) bool { return strings.EqualFold(a, "Y") })
			allX := len(al) > 0 && !slices.ContainsFunc(al, func(a string) bool { return !strings.EqualFold(a, "X") })
			switch {
			case hasY:
				return 1
			case allX:
				return 2
			}
		}
	}
	return 0
}

// Pedigree is a stored reference family as a kinship pedigree (member ids as stored), with the
// members who have a profile.
func Pedigree(f *homeward.ReferenceFamily) (*kinship.Pedigree, map[string]bool, error) {
	people := make([]kinship.Person, len(f.Members))
	typed := map[string]bool{}
	for i, m := range f.Members {
		sex := kinship.Unknown
		switch m.Sex {
		case homeward.SexMale:
			sex = kinship.Male
		case homeward.SexFemale:
			sex = kinship.Female
		}
		people[i] = kinship.Person{ID: m.ID, Father: m.Father, Mother: m.Mother, Sex: sex}
		if m.ProfileID != nil {
			typed[m.ID] = true
		}
	}
	ped, err := kinship.NewPedigree(people)
	if err != nil {
		return nil, nil, fmt.Errorf("family %s: %w", f.Name, err)
	}
	return ped, typed, nil
}
