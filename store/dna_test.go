package store_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/store"
	"github.com/homeward/homeward/store/storetest"
)

func TestProfilesFamiliesScreens(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		ctx := storetest.Admin(t, db)
		ref := &homeward.Profile{Sample: "REF-1", Role: homeward.ProfileReference, Loci: map[string][]string{"TH01": {"6", "9.3"}, "FGA": {"22"}}}
		if err := db.CreateProfile(ctx, ref); err != nil {
			t.Fatal(err)
		}
		if got, err := db.GetProfile(ctx, ref.ID); err != nil || len(got.Loci["FGA"]) != 2 || got.Loci["FGA"][1] != "22" {
			t.Errorf("homozygote stored as %v %v", got, err)
		}
		vic := &homeward.Profile{Sample: "PM-1", Role: homeward.ProfileVictim, Loci: map[string][]string{"TH01": {"6", "7"}}}
		if err := db.CreateProfile(ctx, vic); err != nil {
			t.Fatal(err)
		}
		// Bad input names the sample and marker; nothing is stored.
		bad := &homeward.Profile{Sample: "PM-2", Role: homeward.ProfileVictim, Loci: map[string][]string{"D3S1358": {"15", "16", "17"}}}
		if err := db.CreateProfile(ctx, bad); homeward.ErrorCode(err) != homeward.EINVALID || !strings.Contains(err.Error(), "PM-2 marker D3S1358") {
			t.Errorf("three alleles: %v", err)
		}
		if err := db.CreateProfile(ctx, &homeward.Profile{Sample: "REF-1", Role: homeward.ProfileReference, Loci: map[string][]string{"TH01": {"6"}}}); homeward.ErrorCode(err) != homeward.ECONFLICT {
			t.Errorf("duplicate sample: %v", err)
		}
		if l, err := db.ListProfiles(ctx, homeward.ProfileFilter{Role: homeward.ProfileVictim}); err != nil || l.Total != 1 || l.Items[0].Sample != "PM-1" {
			t.Errorf("victims: %+v %v", l, err)
		}
		fam := &homeward.ReferenceFamily{Name: "FAM-1", Target: "MP", Members: []homeward.PedigreeMember{
			{ID: "FA", Sex: homeward.SexMale, ProfileID: &ref.ID}, {ID: "MO", Sex: homeward.SexFemale}, {ID: "MP", Father: "FA", Mother: "MO", Sex: homeward.SexMale}}}
		if err := db.CreateReferenceFamily(ctx, fam); err != nil {
			t.Fatal(err)
		}
		wrong := &homeward.ReferenceFamily{Name: "FAM-2", Target: "MP", Members: []homeward.PedigreeMember{
			{ID: "FA", Sex: homeward.SexMale, ProfileID: &vic.ID}, {ID: "MO", Sex: homeward.SexFemale}, {ID: "MP", Father: "FA", Mother: "MO"}}}
		if err := db.CreateReferenceFamily(ctx, wrong); homeward.ErrorCode(err) != homeward.EINVALID || !strings.Contains(err.Error(), "not a reference") {
			t.Errorf("victim profile as reference: %v", err)
		}
		noParent := &homeward.ReferenceFamily{Name: "FAM-3", Target: "MP", Members: []homeward.PedigreeMember{
			{ID: "FA", Sex: homeward.SexMale, ProfileID: &ref.ID}, {ID: "MP", Father: "FA", Mother: "XX"}}}
		if err := db.CreateReferenceFamily(ctx, noParent); homeward.ErrorCode(err) != homeward.EINVALID || !strings.Contains(err.Error(), "mother XX") {
			t.Errorf("absent mother: %v", err)
		}

		sc := &homeward.Screen{Name: "first", FrequencyDB: "nist-all", Threshold: 100, Shards: 3, Panel: []byte(`[]`)}
		if err := db.CreateScreen(ctx, sc); err != nil {
			t.Fatal(err)
		}
		if sc.Profiles != 1 || sc.Families != 1 || sc.MaxProfileID != vic.ID || sc.MaxFamilyID != fam.ID {
			t.Errorf("screen scope: %+v", sc)
		}
		pend, err := db.PendingShards(ctx, sc.ID)
		if err != nil || len(pend) != 3 {
			t.Fatalf("pending %v %v", pend, err)
		}
		res := homeward.ShardResult{ScreenID: sc.ID, Shard: 1, Comparisons: 1, Worker: "w1",
			Candidates: []homeward.Candidate{{ProfileID: vic.ID, FamilyID: fam.ID, LR: 1e5, Log10LR: 5, Markers: 1}}}
		// Two workers finish the same shard at once (a rescued job whose first worker was only
		// slow): the candidate is stored once, the shard counted once.
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i := range 2 {
			wg.Add(1)
			go func() { defer wg.Done(); errs[i] = db.CompleteShard(ctx, res) }()
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		got, err := db.GetScreen(ctx, sc.ID)
		if err != nil || got.Progress.ShardsDone != 1 || got.Progress.Candidates != 1 || got.Status != homeward.ScreenQueued {
			t.Errorf("after one shard: %+v %v", got.Progress, err)
		}
		for _, k := range []int{0, 2} {
			if err := db.CompleteShard(ctx, homeward.ShardResult{ScreenID: sc.ID, Shard: k, Comparisons: 0}); err != nil {
				t.Fatal(err)
			}
		}
		got, _ = db.GetScreen(ctx, sc.ID)
		if got.Status != homeward.ScreenDone || got.Progress.Comparisons != 1 {
			t.Errorf("after all shards: %s %+v", got.Status, got.Progress)
		}
		cands, err := db.ListCandidates(ctx, sc.ID, homeward.Page{})
		if err != nil || cands.Total != 1 || cands.Items[0].Sample != "PM-1" || cands.Items[0].Family != "FAM-1" || cands.Items[0].LR != 1e5 {
			t.Errorf("candidates %+v %v", cands, err)
		}
		if l, err := db.CandidatesOfFamily(ctx, fam.ID, homeward.Page{}); err != nil || l.Total != 1 || l.Items[0].ScreenID != sc.ID || l.Items[0].Sample != "PM-1" {
			t.Errorf("candidates of the family %+v %v", l, err)
		}
		if l, err := db.ListReferenceFamilies(ctx, homeward.FamilyFilter{MissingPersonID: 999}); err != nil || l.Total != 0 {
			t.Errorf("families of another person %+v %v", l, err)
		}
		if l, err := db.CandidatesOfFamily(ctx, fam.ID+100, homeward.Page{}); err != nil || l.Total != 0 {
			t.Errorf("candidates of no family %+v %v", l, err)
		}
		if err := db.CompleteShard(ctx, homeward.ShardResult{ScreenID: sc.ID, Shard: 7}); homeward.ErrorCode(err) != homeward.ENOTFOUND {
			t.Errorf("unknown shard: %v", err)
		}
		viewer := storetest.User(t, db, "viewer2", homeward.RoleViewer)
		if err := db.CreateProfile(viewer, &homeward.Profile{Sample: "X", Role: homeward.ProfileVictim, Loci: map[string][]string{"TH01": {"6"}}}); homeward.ErrorCode(err) != homeward.EFORBIDDEN {
			t.Errorf("viewer created a profile: %v", err)
		}
		if l, err := db.ListReferenceFamilies(ctx, homeward.FamilyFilter{Shard: int(fam.ID % 4), Shards: 4}); err != nil || l.Total != 1 {
			t.Errorf("family shard: %+v %v", l, err)
		}
	})
}

// Lineage results: new samples become profiles, stored ones gain the data, the same file again
// changes nothing, a different haplotype for a stored sample stores nothing; autosomal markers
// imported later join a lineage-only profile.
func TestImportLineage(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		ctx := storetest.Admin(t, db)
		if err := db.CreateProfile(ctx, &homeward.Profile{Sample: "REF-1", Role: homeward.ProfileReference, Loci: map[string][]string{"TH01": {"6", "9"}}}); err != nil {
			t.Fatal(err)
		}
		recs := []homeward.LineageRecord{{Sample: "REF-1", YSTR: "DYS19=14; DYS391=11"}, {Sample: "REF-2", YSTR: "DYS391=10; DYS19=15"}}
		c, u, n, _, err := db.ImportLineage(ctx, recs, homeward.ProfileReference)
		if err != nil || c != 1 || u != 1 || n != 0 {
			t.Fatalf("first import: %d %d %d %v", c, u, n, err)
		}
		if c, u, n, _, err = db.ImportLineage(ctx, recs, homeward.ProfileReference); err != nil || c != 0 || u != 0 || n != 2 {
			t.Errorf("again: %d %d %d %v", c, u, n, err)
		}
		l, _ := db.ListProfiles(ctx, homeward.ProfileFilter{Query: "REF-2"})
		if len(l.Items) != 1 || l.Items[0].YSTR != "DYS19=15; DYS391=10" || len(l.Items[0].Loci) != 0 {
			t.Fatalf("REF-2: %+v", l.Items)
		}
		conflict := []homeward.LineageRecord{{Sample: "REF-3", MtDNA: &homeward.MtDNA{Range: "16024-16569", Variants: "16519C"}}, {Sample: "REF-2", YSTR: "DYS19=16"}}
		if _, _, _, _, err := db.ImportLineage(ctx, conflict, homeward.ProfileReference); homeward.ErrorCode(err) != homeward.ECONFLICT || !strings.Contains(err.Error(), "REF-2") {
			t.Errorf("conflict: %v", err)
		}
		if l, _ := db.ListProfiles(ctx, homeward.ProfileFilter{Query: "REF-3"}); l.Total != 0 {
			t.Error("REF-3 stored from a rejected batch")
		}
		if _, _, _, _, err := db.ImportLineage(ctx, []homeward.LineageRecord{{Sample: "REF-4", YSTR: "DYS19=fourteen"}}, homeward.ProfileReference); homeward.ErrorCode(err) != homeward.EINVALID || !strings.Contains(err.Error(), "REF-4") {
			t.Errorf("bad haplotype: %v", err)
		}
		// The autosomal profile of REF-2 arrives later and joins its haplotype.
		created, unchanged, _, err := db.ImportProfiles(ctx, []homeward.Profile{{Sample: "REF-2", Role: homeward.ProfileReference, Loci: map[string][]string{"TH01": {"7", "8"}}}})
		if err != nil || created != 1 || unchanged != 0 {
			t.Fatalf("autosomal after lineage: %d %d %v", created, unchanged, err)
		}
		l, _ = db.ListProfiles(ctx, homeward.ProfileFilter{Query: "REF-2"})
		if len(l.Items[0].Loci) != 1 || l.Items[0].YSTR == "" {
			t.Errorf("REF-2 after both: %+v", l.Items[0])
		}
	})
}

// ImportProfiles weighs the lineage fields in re-imports: a profile bringing a haplotype or mtDNA
// the stored one lacks joins it (one audited update, before without and after with it); the same
// batch again is unchanged; another haplotype or mtDNA for a stored sample is a conflict naming
// the field, and nothing of the batch is stored; a record without lineage data leaves the stored
// data alone; a lineage-only profile imported twice is stored once.
func TestImportProfilesLineageFields(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		ctx := storetest.Admin(t, db)
		th01 := map[string][]string{"TH01": {"6", "9"}}
		ref := &homeward.Profile{Sample: "REF-1", Role: homeward.ProfileReference, Loci: th01}
		if err := db.CreateProfile(ctx, ref); err != nil {
			t.Fatal(err)
		}
		// The haplotype is given out of order; it is stored canonical (loci sorted by name).
		batch := []homeward.Profile{{Sample: "REF-1", Role: homeward.ProfileReference, Loci: th01, YSTR: "DYS391=11; DYS19=14"}}
		created, unchanged, _, err := db.ImportProfiles(ctx, batch)
		if err != nil || created != 1 || unchanged != 0 {
			t.Fatalf("haplotype joins: %d %d %v", created, unchanged, err)
		}
		got, err := db.GetProfile(ctx, ref.ID)
		if err != nil || got.YSTR != "DYS19=14; DYS391=11" || got.Version != ref.Version+1 || len(got.Loci) != 1 {
			t.Fatalf("after the join: %+v %v", got, err)
		}
		a, err := db.ListAudit(ctx, homeward.AuditFilter{Entity: "profile", EntityID: ref.ID, Action: "update"})
		if err != nil || a.Total != 1 || a.Items[0].Summary != "Y-STR haplotype added" ||
			strings.Contains(string(a.Items[0].Before), "DYS19") || !strings.Contains(string(a.Items[0].After), `"ystr":"DYS19=14; DYS391=11"`) {
			t.Errorf("audit of the join: %+v %v", a.Items, err)
		}
		// Again, in another order: unchanged, no new version.
		batch[0].YSTR = "DYS19=14;DYS391=11"
		if created, unchanged, _, err = db.ImportProfiles(ctx, batch); err != nil || created != 0 || unchanged != 1 {
			t.Errorf("same haplotype again: %d %d %v", created, unchanged, err)
		}
		// The autosomal record alone leaves the haplotype stored.
		if created, unchanged, _, err = db.ImportProfiles(ctx, []homeward.Profile{{Sample: "REF-1", Role: homeward.ProfileReference, Loci: th01}}); err != nil || created != 0 || unchanged != 1 {
			t.Errorf("autosomal only: %d %d %v", created, unchanged, err)
		}
		// Another haplotype: a conflict, and the new sample of the batch is not stored.
		other := []homeward.Profile{
			{Sample: "REF-NEW", Role: homeward.ProfileReference, Loci: th01},
			{Sample: "REF-1", Role: homeward.ProfileReference, Loci: th01, YSTR: "DYS19=15; DYS391=11"},
		}
		if _, _, _, err := db.ImportProfiles(ctx, other); homeward.ErrorCode(err) != homeward.ECONFLICT || !strings.Contains(err.Error(), `Y-STR haplotype "DYS19=14; DYS391=11", not "DYS19=15; DYS391=11"`) {
			t.Errorf("other haplotype: %v", err)
		}
		if l, _ := db.ListProfiles(ctx, homeward.ProfileFilter{Query: "REF-NEW"}); l.Total != 0 {
			t.Error("REF-NEW stored from a rejected batch")
		}
		// A lineage-only profile, twice: stored once; then another mtDNA is a conflict.
		mt := []homeward.Profile{{Sample: "REF-MT", Role: homeward.ProfileReference, MtDNA: &homeward.MtDNA{Range: "16024-16569;1-576", Variants: "263G 16519C"}}}
		if created, unchanged, _, err = db.ImportProfiles(ctx, mt); err != nil || created != 1 || unchanged != 0 {
			t.Fatalf("lineage-only: %d %d %v", created, unchanged, err)
		}
		if created, unchanged, _, err = db.ImportProfiles(ctx, mt); err != nil || created != 0 || unchanged != 1 {
			t.Errorf("lineage-only again: %d %d %v", created, unchanged, err)
		}
		mt[0].MtDNA = &homeward.MtDNA{Range: "16024-16569;1-576", Variants: "263G 16519C 16093C"}
		if _, _, _, err := db.ImportProfiles(ctx, mt); homeward.ErrorCode(err) != homeward.ECONFLICT || !strings.Contains(err.Error(), "REF-MT") || !strings.Contains(err.Error(), "mtDNA") {
			t.Errorf("other mtDNA: %v", err)
		}
		// A profile with nothing at all is still refused.
		if _, _, _, err := db.ImportProfiles(ctx, []homeward.Profile{{Sample: "EMPTY", Role: homeward.ProfileReference}}); homeward.ErrorCode(err) != homeward.EINVALID || !strings.Contains(err.Error(), "EMPTY") {
			t.Errorf("empty profile: %v", err)
		}
	})
}

// A large import goes in multi-row statements: every profile gets its own id (read back by
// sample across three batches), one audit entry each, and a re-import finds them all.
func TestImportProfilesInBatches(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		ctx := storetest.Admin(t, db)
		const n = 1234
		ps := make([]homeward.Profile, n)
		for i := range ps {
			ps[i] = homeward.Profile{Sample: fmt.Sprintf("S%04d", i), Role: homeward.ProfileVictim, Loci: map[string][]string{"TH01": {fmt.Sprint(5 + i%6), "9.3"}, "FGA": {fmt.Sprint(18 + i%9)}}}
		}
		var steps []int
		pctx := homeward.WithProgress(ctx, func(stage string, done, total int) {
			if stage == "storing profiles" && total == n {
				steps = append(steps, done)
			}
		})
		created, unchanged, _, err := db.ImportProfiles(pctx, ps)
		if err != nil || created != n || unchanged != 0 {
			t.Fatalf("import: %d %d %v", created, unchanged, err)
		}
		// Three batches of at most 500, reported as they are stored.
		if len(steps) != 3 || steps[0] != 500 || steps[2] != n {
			t.Errorf("progress %v", steps)
		}
		for _, i := range []int{0, 499, 500, 1233} {
			got, err := db.GetProfile(ctx, ps[i].ID)
			if err != nil || got.Sample != ps[i].Sample || got.Loci["FGA"][0] != fmt.Sprint(18+i%9) {
				t.Errorf("profile %d: %+v %v", i, got, err)
			}
		}
		a, err := db.ListAudit(ctx, homeward.AuditFilter{Entity: "profile", Action: "create"})
		if err != nil || a.Total != n {
			t.Errorf("audit entries %d %v", a.Total, err)
		}
		created, unchanged, _, err = db.ImportProfiles(ctx, ps)
		if err != nil || created != 0 || unchanged != n {
			t.Errorf("re-import: %d %d %v", created, unchanged, err)
		}
	})
}

// A victim whose Y-STR haplotype (8 loci or more, identical) or mtDNA (300 positions or more, no
// difference) is an elimination profile's is flagged as contamination, and screens leave it out;
// fewer loci, or a difference, is no flag.
func TestLineageContamination(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		ctx := storetest.Admin(t, db)
		staffY := "DYS19=14; DYS389I=13; DYS389II=29; DYS390=24; DYS391=11; DYS392=13; DYS393=13; DYS385=11,14"
		staff := []homeward.LineageRecord{{Sample: "STAFF-1", YSTR: staffY, MtDNA: &homeward.MtDNA{Range: "16024-16569;1-576", Variants: "16519C 263G 315.1C"}}}
		if _, _, _, _, err := db.ImportLineage(ctx, staff, homeward.ProfileElimination); err != nil {
			t.Fatal(err)
		}
		vics := []homeward.LineageRecord{
			{Sample: "PM-Y", YSTR: staffY},
			{Sample: "PM-Y-SHORT", YSTR: "DYS19=14; DYS390=24; DYS391=11"},
			{Sample: "PM-Y-OFF", YSTR: strings.Replace(staffY, "DYS390=24", "DYS390=25", 1)},
			{Sample: "PM-MT", MtDNA: &homeward.MtDNA{Range: "16024-16569", Variants: "16519C"}},
			{Sample: "PM-MT-OFF", MtDNA: &homeward.MtDNA{Range: "16024-16569", Variants: "16519C 16311C"}},
		}
		_, _, _, hits, err := db.ImportLineage(ctx, vics, homeward.ProfileVictim)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, h := range hits {
			got[h.Sample] = h.System
		}
		if len(hits) != 2 || got["PM-Y"] != "ystr" || got["PM-MT"] != "mtdna" {
			t.Errorf("hits %+v", hits)
		}
		l, _ := db.ListProfiles(ctx, homeward.ProfileFilter{Query: "PM-Y"})
		for _, p := range l.Items {
			if flagged := len(p.Contamination) > 0; flagged != (p.Sample == "PM-Y") {
				t.Errorf("%s contamination %v", p.Sample, p.Contamination)
			}
		}
	})
}

// Exact lookups: a sample or family name that is a prefix of a thousand others is still found.
func TestExactSampleAndFamily(t *testing.T) {
	db := storetest.Open(t, "sqlite")
	ctx := storetest.Admin(t, db)
	ps := make([]homeward.Profile, 1100)
	for i := range ps {
		ps[i] = homeward.Profile{Sample: fmt.Sprintf("PM-1%04d", i), Role: homeward.ProfileVictim, Loci: map[string][]string{"TH01": {"6", "7"}}}
	}
	ps = append(ps, homeward.Profile{Sample: "PM-1", Role: homeward.ProfileVictim, Loci: map[string][]string{"TH01": {"8", "9"}}})
	if _, _, _, err := db.ImportProfiles(ctx, ps); err != nil {
		t.Fatal(err)
	}
	if l, err := db.ListProfiles(ctx, homeward.ProfileFilter{Query: "PM-1", Page: homeward.Page{Limit: 1000}}); err != nil || l.Total != 1101 {
		t.Fatalf("substring: %v %d", err, l.Total)
	}
	l, err := db.ListProfiles(ctx, homeward.ProfileFilter{Sample: "PM-1"})
	if err != nil || l.Total != 1 || l.Items[0].Loci["TH01"][0] != "8" {
		t.Errorf("exact: %v %+v", err, l)
	}
	if l, err := db.ListReferenceFamilies(ctx, homeward.FamilyFilter{Name: "none"}); err != nil || l.Total != 0 {
		t.Errorf("family: %v %+v", err, l)
	}
}
