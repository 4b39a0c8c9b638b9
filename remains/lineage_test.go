package remains_test

import (
	"errors"
	"math"
	"testing"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/lineage/ystr"
	"github.com/homeward/homeward/remains"
	"github.com/homeward/homeward/store/storetest"
)

// Stored lineage data: the family's lines name who carries Y-STR and mtDNA results; matches are
// found among stored references, closest first, with the paternal-line LR; the stored set counts.
func TestStoredLineage(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			db := storetest.Open(t, d)
			ctx := storetest.Admin(t, db)
			mk := func(sample string, role homeward.ProfileRole, y string, mt *homeward.MtDNA) *homeward.Profile {
				p := &homeward.Profile{Sample: sample, Role: role, YSTR: y, MtDNA: mt}
				if err := db.CreateProfile(ctx, p); err != nil {
					t.Fatal(err)
				}
				return p
			}
			vic := mk("PM-1", homeward.ProfileVictim, "DYS19=14; DYS390=24; DYS391=11", &homeward.MtDNA{Range: "16024-16569;1-576", Variants: "16519C 263G"})
			bro := mk("REF-BR", homeward.ProfileReference, "DYS19=14; DYS390=24; DYS391=11", nil)
			cousin := mk("REF-CO", homeward.ProfileReference, "DYS19=14; DYS390=25; DYS391=11", nil)
			mk("REF-FAR", homeward.ProfileReference, "DYS19=16; DYS390=22; DYS391=10", nil)
			sis := mk("REF-SI", homeward.ProfileReference, "", &homeward.MtDNA{Range: "16024-16569", Variants: "16519C"})
			mk("REF-OTHER", homeward.ProfileReference, "", &homeward.MtDNA{Range: "16024-16569", Variants: "16311C 16519C 16362C"})
			fam := &homeward.ReferenceFamily{Name: "FAM-1", Target: "MP", Members: []homeward.PedigreeMember{
				{ID: "FA", Sex: homeward.SexMale}, {ID: "MO", Sex: homeward.SexFemale},
				{ID: "MP", Father: "FA", Mother: "MO", Sex: homeward.SexMale},
				{ID: "BR", Father: "FA", Mother: "MO", Sex: homeward.SexMale, ProfileID: &bro.ID},
				{ID: "SI", Father: "FA", Mother: "MO", Sex: homeward.SexFemale, ProfileID: &sis.ID}}}
			if err := db.CreateReferenceFamily(ctx, fam); err != nil {
				t.Fatal(err)
			}
			lines, err := remains.Lines(ctx, db, fam.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(lines.PaternalYSTR) != 1 || lines.PaternalYSTR[0] != "BR" || len(lines.MaternalMtDNA) != 1 || lines.MaternalMtDNA[0] != "SI" {
				t.Errorf("lines %+v", lines)
			}
			// Y: the brother matches, the cousin is one step off, the stranger is out; with 2 meioses
			// (brothers) the brother's LR is, by hand, prod (1 - mu)^2 ... exactly: P(d=0 | 2 meioses)
			// = (1-mu)^2 + mu^2/2 per locus, over the haplotype frequency.
			ms, err := remains.LineageMatches(ctx, db, vic.ID, remains.LineageOptions{Kind: "ystr", Role: homeward.ProfileReference, Meioses: 2, HapFreq: 0.01})
			if err != nil {
				t.Fatal(err)
			}
			if ms.Total != 2 || len(ms.Items) != 2 || ms.Items[0].ProfileID != bro.ID || ms.Items[1].ProfileID != cousin.ID || ms.Items[1].YSTR.Mismatches != 1 {
				t.Fatalf("ystr matches %+v", ms)
			}
			want := 1 / 0.01
			for _, l := range []string{"DYS19", "DYS390", "DYS391"} {
				mu := ystr.DefaultRates[l]
				want *= (1-mu)*(1-mu) + mu*mu/2
			}
			if math.Abs(*ms.Items[0].LR/want-1) > 1e-12 {
				t.Errorf("brother LR %g, by hand %g", *ms.Items[0].LR, want)
			}
			// mtDNA: the sister cannot be excluded over her shorter range; the other is excluded.
			ms, err = remains.LineageMatches(ctx, db, vic.ID, remains.LineageOptions{Kind: "mtdna"})
			if err != nil || ms.Total != 1 || ms.Items[0].Sample != "REF-SI" || ms.Items[0].MtDNA.Verdict != "cannot exclude" {
				t.Errorf("mtdna matches %+v %v", ms, err)
			}
			set, err := remains.StoredYSTR(ctx, db, homeward.ProfileReference)
			if err != nil || len(set) != 3 {
				t.Fatalf("stored Y set %d %v", len(set), err)
			}
			h, _ := ystr.Parse(vic.YSTR)
			if f := ystr.CountFrequency(h, set); f.Matches != 1 || f.N != 3 {
				t.Errorf("count %+v", f)
			}
			if _, err := remains.LineageMatches(ctx, db, sis.ID, remains.LineageOptions{Kind: "ystr"}); homeward.ErrorCode(err) != homeward.EINVALID {
				t.Errorf("a profile without Y: %v", err)
			}
			// Mismatch limit 0 keeps identical haplotypes only (0 is not "the default"); a page of
			// one from the second gives the cousin, with the total of both.
			zero := 0
			if ms, err = remains.LineageMatches(ctx, db, vic.ID, remains.LineageOptions{Kind: "ystr", MaxMismatches: &zero}); err != nil || ms.Total != 1 || ms.Items[0].Sample != "REF-BR" {
				t.Errorf("exact matches only: %+v %v", ms, err)
			}
			if ms, err = remains.LineageMatches(ctx, db, vic.ID, remains.LineageOptions{Kind: "ystr", Role: homeward.ProfileReference, Page: homeward.Page{Limit: 1, Offset: 1}}); err != nil || ms.Total != 2 || len(ms.Items) != 1 || ms.Items[0].Sample != "REF-CO" {
				t.Errorf("second page: %+v %v", ms, err)
			}
			if ms, err = remains.LineageMatches(ctx, db, vic.ID, remains.LineageOptions{Kind: "ystr", Page: homeward.Page{Offset: 5}}); err != nil || ms.Total != 2 || ms.Items == nil || len(ms.Items) != 0 {
				t.Errorf("past the end: %+v %v", ms, err)
			}
			// Inputs that cannot give an answer are refused with the field named.
			for _, c := range []struct {
				o     remains.LineageOptions
				field string
			}{
				{remains.LineageOptions{Kind: "ystr", Meioses: 2}, "freq"},
				{remains.LineageOptions{Kind: "ystr", HapFreq: 0.01}, "meioses"},
				{remains.LineageOptions{Kind: "mtdna", Meioses: 2, HapFreq: 0.01}, "meioses"},
				{remains.LineageOptions{Kind: "ystr", Role: "family"}, "role"},
				{remains.LineageOptions{Kind: "ystr", MaxMismatches: new(-1)}, "max_mismatches"},
				{remains.LineageOptions{Kind: "xstr"}, "kind"},
			} {
				_, err := remains.LineageMatches(ctx, db, vic.ID, c.o)
				var he *homeward.Error
				if !errors.As(err, &he) || he.Code != homeward.EINVALID || he.Field != c.field {
					t.Errorf("%+v: %v, want an error on %s", c.o, err, c.field)
				}
			}
			// A victim flagged for contamination is left out of the stored sets: the staff member's
			// six markers equal the victim's (the store's contamination rule), so of the two
			// victims carrying a haplotype only PM-1 counts.
			six := map[string][]string{"TH01": {"6", "7"}, "FGA": {"20", "22"}, "TPOX": {"8", "8"}, "CSF1PO": {"10", "12"}, "D3S1358": {"15", "16"}, "vWA": {"17", "18"}}
			if _, _, _, err := db.ImportProfiles(ctx, []homeward.Profile{
				{Sample: "STAFF-1", Role: homeward.ProfileElimination, Loci: six},
				{Sample: "PM-2", Role: homeward.ProfileVictim, Loci: six, YSTR: "DYS19=14; DYS390=24; DYS391=11"},
			}); err != nil {
				t.Fatal(err)
			}
			if set, err := remains.StoredYSTR(ctx, db, homeward.ProfileVictim); err != nil || len(set) != 1 {
				t.Errorf("victims' Y set without the contaminated one: %d %v", len(set), err)
			}
		})
	}
}
