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
	set := &selected{victims: map[string]*homeward.Profile{}, families: map[string]*homeward.ReferenceFamily{}, refs: map[int64]*homeward.Profile{}}
	if err := set.read(ctx, dna, sel); err != nil {
		return nil, rep, err
	}
	loci, err := set.readReferences(ctx, dna)
	if err != nil {
		return nil, rep, err
	}
	markers, rep, err := dvi.BuildPanel(db, loci, freqdb.MissingAlleleRule{MinFreq: sel.MinFreq})
	if err != nil {
		return nil, rep, err
	}
	return set.caseFile(sel, markers), rep, nil
}

// selected is what a case holds: victims and families in the order they were selected, and the
// families' reference profiles.
type selected struct {
	victims  map[string]*homeward.Profile
	vicOrder []string
	families map[string]*homeward.ReferenceFamily
	famOrder []string
	refs     map[int64]*homeward.Profile
}

// addVictim adds a victim's profile once, refusing a profile of any other role.
func (s *selected) addVictim(p *homeward.Profile) error {
	if p.Role != homeward.ProfileVictim {
		return homeward.FieldErrorf("victims", "sample %s is a %s profile, not a victim", p.Sample, p.Role)
	}
	if s.victims[p.Sample] == nil {
		s.victims[p.Sample] = p
		s.vicOrder = append(s.vicOrder, p.Sample)
	}
	return nil
}

// addFamily adds a reference family once, keeping the order of selection.
func (s *selected) addFamily(f *homeward.ReferenceFamily) {
	if s.families[f.Name] == nil {
		s.families[f.Name] = f
		s.famOrder = append(s.famOrder, f.Name)
	}
}

// read finds the selected victims and families, and both sides of a screen's candidates.
func (s *selected) read(ctx context.Context, dna homeward.DNAService, sel Selection) error {
	for _, name := range sel.Victims {
		l, err := dna.ListProfiles(ctx, homeward.ProfileFilter{Sample: name, Page: homeward.Page{Limit: 1}})
		if err != nil {
			return err
		}
		i := slices.IndexFunc(l.Items, func(p homeward.Profile) bool { return p.Sample == name })
		if i < 0 {
			return homeward.Errorf(homeward.ENOTFOUND, "victim sample %s not found", name)
		}
		if err := s.addVictim(&l.Items[i]); err != nil {
			return err
		}
	}
	for _, name := range sel.Families {
		l, err := dna.ListReferenceFamilies(ctx, homeward.FamilyFilter{Name: name, Page: homeward.Page{Limit: 1}})
		if err != nil {
			return err
		}
		i := slices.IndexFunc(l.Items, func(f homeward.ReferenceFamily) bool { return f.Name == name })
		if i < 0 {
			return homeward.Errorf(homeward.ENOTFOUND, "reference family %s not found", name)
		}
		s.addFamily(&l.Items[i])
	}
	if sel.ScreenID != 0 {
		if err := s.readCandidates(ctx, dna, sel.ScreenID); err != nil {
			return err
		}
	}
	if len(s.victims) == 0 || len(s.families) == 0 {
		return homeward.FieldErrorf("selection", "a case needs victims and families (%d victims, %d families selected)", len(s.victims), len(s.families))
	}
	return nil
}

// readCandidates adds the victim and the family of every candidate of a screen.
func (s *selected) readCandidates(ctx context.Context, dna homeward.DNAService, screenID int64) error {
	for c, err := range homeward.Walk(func(p homeward.Page) (homeward.List[homeward.Candidate], error) {
		return dna.ListCandidates(ctx, screenID, p)
	}) {
		if err != nil {
			return err
		}
		p, err := dna.GetProfile(ctx, c.ProfileID)
		if err != nil {
			return err
		}
		if err := s.addVictim(p); err != nil {
			return err
		}
		f, err := dna.GetReferenceFamily(ctx, c.FamilyID)
		if err != nil {
			return err
		}
		s.addFamily(f)
	}
	return nil
}

// readReferences reads the families' reference profiles and returns every profile's loci (the
// victims' first), for the panel.
func (s *selected) readReferences(ctx context.Context, dna homeward.DNAService) ([]map[string][]string, error) {
	var loci []map[string][]string
	for _, name := range s.vicOrder {
		loci = append(loci, s.victims[name].Loci)
	}
	for _, name := range s.famOrder {
		for _, m := range s.families[name].Members {
			if m.ProfileID == nil || s.refs[*m.ProfileID] != nil {
				continue
			}
			p, err := dna.GetProfile(ctx, *m.ProfileID)
			if err != nil {
				return nil, fmt.Errorf("family %s member %s: %w", name, m.ID, err)
			}
			s.refs[p.ID] = p
			loci = append(loci, p.Loci)
		}
	}
	return loci, nil
}

// caseFile writes the case: victims with their sexes, each family's members prefixed with its
// name, genotypes on the panel's markers.
func (s *selected) caseFile(sel Selection, markers []casejson.MarkerJSON) *dvi.CaseFile {
	c := &dvi.CaseFile{Schema: "homeward/case/v1", Type: "dvi", Name: sel.Name, Markers: markers,
		Description: fmt.Sprintf("Built by Homeward from %d victim profiles and %d reference families (frequencies: %s)", len(s.victims), len(s.families), sel.FrequencyDB),
		Genotypes:   map[string]map[string][]string{}}
	if c.Name == "" {
		c.Name = "homeward-case"
	}
	for _, name := range s.vicOrder {
		p := s.victims[name]
		c.Victims = append(c.Victims, dvi.Victim{ID: name, Sex: sexOf(p.Loci)})
		c.Genotypes[name] = onPanel(markers, p.Loci)
	}
	for _, name := range s.famOrder {
		f := s.families[name]
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
				c.Genotypes[id(m.ID)] = onPanel(markers, s.refs[*m.ProfileID].Loci)
			}
		}
		c.Families = append(c.Families, cf)
		c.Missing = append(c.Missing, id(f.Target))
	}
	return c
}

// onPanel is a profile's genotypes on the panel's markers (by their normalised names), a single
// allele read as a homozygote.
func onPanel(markers []casejson.MarkerJSON, l map[string][]string) map[string][]string {
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
