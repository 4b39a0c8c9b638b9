package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/homeward/homeward"
)

var profiles = &record[homeward.Profile]{
	table: "profiles", entity: "profile", field: "profile.sample",
	columns: func(p *homeward.Profile) ([]string, []any) {
		return []string{"sample", "role", "specimen_id", "family_member_id"}, []any{p.Sample, string(p.Role), nullInt(p.SpecimenID), nullInt(p.FamilyMemberID)}
	},
	id:   func(p *homeward.Profile) *int64 { return &p.ID },
	meta: func(p *homeward.Profile) *homeward.Meta { return &p.Meta },
}

var referenceFamilies = &record[homeward.ReferenceFamily]{
	table: "reference_families", entity: "reference_family", field: "reference_family.name",
	columns: func(f *homeward.ReferenceFamily) ([]string, []any) {
		return []string{"name", "missing_person_id"}, []any{f.Name, nullInt(f.MissingPersonID)}
	},
	id:   func(f *homeward.ReferenceFamily) *int64 { return &f.ID },
	meta: func(f *homeward.ReferenceFamily) *homeward.Meta { return &f.Meta },
}

var screens = &record[homeward.Screen]{
	table: "screens", entity: "screen", field: "screen.name",
	columns: func(s *homeward.Screen) ([]string, []any) { return []string{"name"}, []any{s.Name} },
	id:      func(s *homeward.Screen) *int64 { return &s.ID },
	meta:    func(s *homeward.Screen) *homeward.Meta { return &s.Meta },
}

func (s *DB) CreateProfile(ctx context.Context, p *homeward.Profile) error {
	if err := homeward.Require(ctx, homeward.PermDNAWrite); err != nil {
		return err
	}
	if err := p.Validate(); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if p.Role == homeward.ProfileVictim {
			elims, err := s.eliminations(ctx, tx)
			if err != nil {
				return err
			}
			p.Contamination = nil
			for _, h := range homeward.EliminationMatches(p, elims) {
				p.Contamination = append(p.Contamination, h.Elimination)
			}
		}
		return profiles.insert(ctx, s, tx, p)
	})
}

// eliminations reads every elimination profile.
func (s *DB) eliminations(ctx context.Context, tx *sql.Tx) ([]homeward.Profile, error) {
	rows, err := tx.QueryContext(ctx, "SELECT "+profiles.selectCols()+" FROM profiles WHERE role = $1", string(homeward.ProfileElimination))
	if err != nil {
		return nil, mapErr(err, "profile", "")
	}
	defer rows.Close()
	var out []homeward.Profile
	for rows.Next() {
		p, err := profiles.scan(rows)
		if err != nil {
			return nil, mapErr(err, "profile", "")
		}
		out = append(out, *p)
	}
	return out, mapErr(rows.Err(), "profile", "")
}

func (s *DB) ImportProfiles(ctx context.Context, ps []homeward.Profile) (created, unchanged int, hits []homeward.ContaminationHit, err error) {
	if err := homeward.Require(ctx, homeward.PermDNAWrite); err != nil {
		return 0, 0, nil, err
	}
	if err := checkBatch(ps); err != nil {
		return 0, 0, nil, err
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		created, unchanged, hits = 0, 0, nil
		elims, err := s.eliminations(ctx, tx)
		if err != nil {
			return err
		}
		for _, p := range ps {
			if p.Role == homeward.ProfileElimination {
				elims = append(elims, p)
			}
		}
		samples := make([]string, len(ps))
		for i := range ps {
			samples[i] = ps[i].Sample
		}
		stored, err := profiles.getMany(ctx, s, tx, "sample", samples, func(p *homeward.Profile) string { return p.Sample })
		if err != nil {
			return err
		}
		var fresh []*homeward.Profile
		for i := range ps {
			p := &ps[i]
			if old := stored[p.Sample]; old != nil {
				if d := profileDifference(old, p); d != "" {
					return homeward.Errorf(homeward.ECONFLICT, "sample %s is already stored (profile %d) %s; nothing imported", p.Sample, old.ID, d)
				}
				added := profileAdditions(old, p)
				if len(added) == 0 {
					unchanged++
					p.ID = old.ID
					continue
				}
				// The stored profile lacked a kind of data the new one brings (autosomal
				// markers for a lineage-only profile, a haplotype or an mtDNA profile): it joins.
				if added[0] == "autosomal markers" && old.Role == homeward.ProfileVictim {
					hits = flagContamination(old, elims, hits)
				}
				if err := profiles.updateIn(ctx, s, tx, old, "update", strings.Join(added, ", ")+" added"); err != nil {
					return err
				}
				*p = *old
				created++
				continue
			}
			if p.Role == homeward.ProfileVictim {
				hits = flagContamination(p, elims, hits)
			}
			fresh = append(fresh, p)
		}
		created += len(fresh)
		return s.insertProfiles(ctx, tx, fresh)
	})
	return created, unchanged, hits, err
}

// checkBatch validates every profile of an import and refuses a sample given twice.
func checkBatch(ps []homeward.Profile) error {
	seen := map[string]bool{}
	for i := range ps {
		if err := ps[i].Validate(); err != nil {
			return err
		}
		if seen[ps[i].Sample] {
			return homeward.FieldErrorf("profile.sample", "sample %s appears twice in the batch", ps[i].Sample)
		}
		seen[ps[i].Sample] = true
	}
	return nil
}

// flagContamination sets a victim profile's contamination from the elimination profiles it
// matches, adding each match to hits.
func flagContamination(p *homeward.Profile, elims []homeward.Profile, hits []homeward.ContaminationHit) []homeward.ContaminationHit {
	p.Contamination = nil
	for _, h := range homeward.EliminationMatches(p, elims) {
		p.Contamination = append(p.Contamination, h.Elimination)
		hits = append(hits, h)
	}
	return hits
}

// insertProfiles stores new profiles in multi-row statements (one audit entry each), not a round
// trip apiece, a batch at a time so that the caller sees the progress.
func (s *DB) insertProfiles(ctx context.Context, tx *sql.Tx, fresh []*homeward.Profile) error {
	progress := homeward.ProgressFrom(ctx)
	for start := 0; start < len(fresh); start += batchRows {
		batch := fresh[start:min(start+batchRows, len(fresh))]
		if err := profiles.insertMany(ctx, s, tx, batch, "sample", func(p *homeward.Profile) string { return p.Sample }); err != nil {
			return err
		}
		progress("storing profiles", start+len(batch), len(fresh))
	}
	return nil
}

// profileDifference says how a stored profile differs from a new one of the same sample ("" when
// they agree): another role, other alleles or other markers (when both carry autosomal markers),
// another Y-STR haplotype or mtDNA profile (when both carry one). A kind of data only one of them
// carries is no difference: see profileAdditions.
func profileDifference(old, p *homeward.Profile) string {
	if old.Role != p.Role {
		return fmt.Sprintf("as a %s profile, not %s", old.Role, p.Role)
	}
	if len(old.Loci) > 0 && len(p.Loci) > 0 {
		for m, a := range p.Loci {
			b, ok := old.Loci[m]
			if !ok {
				return fmt.Sprintf("without marker %s", m)
			}
			if !((a[0] == b[0] && a[1] == b[1]) || (a[0] == b[1] && a[1] == b[0])) {
				return fmt.Sprintf("with %s at %s, not %s", strings.Join(b, "/"), m, strings.Join(a, "/"))
			}
		}
		for m := range old.Loci {
			if _, ok := p.Loci[m]; !ok {
				return fmt.Sprintf("with marker %s, which the new one lacks", m)
			}
		}
	}
	// Both are canonical (Validate rewrites them), so equal data are equal strings.
	if old.YSTR != "" && p.YSTR != "" && old.YSTR != p.YSTR {
		return fmt.Sprintf("with Y-STR haplotype %q, not %q", old.YSTR, p.YSTR)
	}
	if old.MtDNA != nil && p.MtDNA != nil && *old.MtDNA != *p.MtDNA {
		return fmt.Sprintf("with mtDNA %s / %s, not %s / %s", old.MtDNA.Range, old.MtDNA.Variants, p.MtDNA.Range, p.MtDNA.Variants)
	}
	return ""
}

// profileAdditions copies into old the kinds of data p carries and old lacks (autosomal markers
// with their kit and source, a Y-STR haplotype, an mtDNA profile) and names them, autosomal
// markers first; none when p brings nothing new. Call it after profileDifference found none.
func profileAdditions(old, p *homeward.Profile) []string {
	var added []string
	if len(old.Loci) == 0 && len(p.Loci) > 0 {
		old.Loci, old.Kit, old.Source = p.Loci, p.Kit, p.Source
		added = append(added, "autosomal markers")
	}
	if old.YSTR == "" && p.YSTR != "" {
		old.YSTR = p.YSTR
		added = append(added, "Y-STR haplotype")
	}
	if old.MtDNA == nil && p.MtDNA != nil {
		m := *p.MtDNA
		old.MtDNA = &m
		added = append(added, "mtDNA profile")
	}
	return added
}

func (s *DB) UpdateProfile(ctx context.Context, p *homeward.Profile) error {
	return update(ctx, s, profiles, homeward.PermDNAWrite, p, p.Validate)
}

func (s *DB) GetProfile(ctx context.Context, id int64) (*homeward.Profile, error) {
	return get(ctx, s, profiles, id)
}

// ListProfiles lists profiles in id order (keyset paging with AfterID for large sets).
func (s *DB) ListProfiles(ctx context.Context, f homeward.ProfileFilter) (homeward.List[homeward.Profile], error) {
	if err := homeward.Require(ctx, homeward.PermRead); err != nil {
		return homeward.List[homeward.Profile]{}, err
	}
	var w where
	if f.Role != "" {
		w.add("role = ?", string(f.Role))
	}
	if f.Query != "" {
		w.add(`LOWER(sample) LIKE ? ESCAPE '\'`, likePattern(f.Query))
	}
	if f.Sample != "" {
		w.add("sample = ?", f.Sample)
	}
	if f.AfterID > 0 {
		w.add("id > ?", f.AfterID)
	}
	if f.MaxID > 0 {
		w.add("id <= ?", f.MaxID)
	}
	if f.ContainerID > 0 {
		w.add("specimen_id IN (SELECT id FROM specimens WHERE container_id = ?)", f.ContainerID)
	}
	return profiles.list(ctx, s, w.String(), w.args, "id", f.Page)
}

// CreateReferenceFamily stores a family after checking that each member's profile exists and is a
// reference profile.
func (s *DB) CreateReferenceFamily(ctx context.Context, f *homeward.ReferenceFamily) error {
	if err := homeward.Require(ctx, homeward.PermDNAWrite); err != nil {
		return err
	}
	if err := f.Validate(); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		for _, m := range f.Members {
			if m.ProfileID == nil {
				continue
			}
			var role string
			err := tx.QueryRowContext(ctx, "SELECT role FROM profiles WHERE id = $1", *m.ProfileID).Scan(&role)
			if err == sql.ErrNoRows {
				return homeward.FieldErrorf("reference_family.members", "family %s member %s: profile %d does not exist", f.Name, m.ID, *m.ProfileID)
			}
			if err != nil {
				return mapErr(err, "reference_family", "")
			}
			if role != string(homeward.ProfileReference) {
				return homeward.FieldErrorf("reference_family.members", "family %s member %s: profile %d is a %s profile, not a reference", f.Name, m.ID, *m.ProfileID, role)
			}
		}
		return referenceFamilies.insert(ctx, s, tx, f)
	})
}

func (s *DB) GetReferenceFamily(ctx context.Context, id int64) (*homeward.ReferenceFamily, error) {
	return get(ctx, s, referenceFamilies, id)
}

func (s *DB) ListReferenceFamilies(ctx context.Context, f homeward.FamilyFilter) (homeward.List[homeward.ReferenceFamily], error) {
	if err := homeward.Require(ctx, homeward.PermRead); err != nil {
		return homeward.List[homeward.ReferenceFamily]{}, err
	}
	var w where
	if f.Query != "" {
		w.add(`LOWER(name) LIKE ? ESCAPE '\'`, likePattern(f.Query))
	}
	if f.Name != "" {
		w.add("name = ?", f.Name)
	}
	if f.AfterID > 0 {
		w.add("id > ?", f.AfterID)
	}
	if f.MaxID > 0 {
		w.add("id <= ?", f.MaxID)
	}
	if f.Shards > 1 {
		w.add("id % ? = ?", int64(f.Shards), int64(f.Shard))
	}
	if f.MissingPersonID > 0 {
		w.add("missing_person_id = ?", f.MissingPersonID)
	}
	order, err := listOrder(f.Sort, homeward.FamilySorts, map[string]string{"registered": "id", "name": "name"}, "id")
	if err != nil {
		return homeward.List[homeward.ReferenceFamily]{}, err
	}
	return referenceFamilies.list(ctx, s, w.String(), w.args, order, f.Page)
}

// ImportLineage stores Y-STR haplotypes or mtDNA profiles read from a file, all or nothing: a sample
// not stored yet becomes a profile of the role given; a stored sample without that kind of data
// gets it; the same data again changes nothing; different data for a stored sample is a conflict
// that stores nothing.
// addLineage gives a stored profile the Y-STR haplotype and mtDNA profile of p that it lacks
// (change says whether it gained any); a different one already stored is a conflict.
func addLineage(old, p *homeward.Profile) (change bool, err error) {
	if p.YSTR != "" {
		switch old.YSTR {
		case p.YSTR:
		case "":
			old.YSTR, change = p.YSTR, true
		default:
			return false, homeward.Errorf(homeward.ECONFLICT, "sample %s (profile %d) already has Y-STR haplotype %q, not %q; nothing imported", p.Sample, old.ID, old.YSTR, p.YSTR)
		}
	}
	if p.MtDNA != nil {
		switch {
		case old.MtDNA != nil && *old.MtDNA == *p.MtDNA:
		case old.MtDNA == nil:
			old.MtDNA, change = p.MtDNA, true
		default:
			return false, homeward.Errorf(homeward.ECONFLICT, "sample %s (profile %d) already has mtDNA %s %s, not %s %s; nothing imported", p.Sample, old.ID, old.MtDNA.Range, old.MtDNA.Variants, p.MtDNA.Range, p.MtDNA.Variants)
		}
	}
	return change, nil
}

func (s *DB) ImportLineage(ctx context.Context, recs []homeward.LineageRecord, role homeward.ProfileRole) (created, updated, unchanged int, hits []homeward.ContaminationHit, err error) {
	if err := homeward.Require(ctx, homeward.PermDNAWrite); err != nil {
		return 0, 0, 0, nil, err
	}
	ps := make([]homeward.Profile, len(recs))
	for i, r := range recs {
		ps[i] = homeward.Profile{Sample: r.Sample, Role: role, YSTR: r.YSTR, MtDNA: r.MtDNA, Source: r.Source}
	}
	if err := checkBatch(ps); err != nil {
		return 0, 0, 0, nil, err
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		created, updated, unchanged, hits = 0, 0, 0, nil
		elims, err := s.eliminations(ctx, tx)
		if err != nil {
			return err
		}
		if role == homeward.ProfileElimination {
			elims = append(elims, ps...)
		}
		// flag records a victim's lineage matches with elimination profiles, once each.
		flag := func(p *homeward.Profile) bool {
			if p.Role != homeward.ProfileVictim {
				return false
			}
			added := false
			for _, h := range homeward.LineageEliminationMatches(p, elims) {
				hits = append(hits, h)
				if !slices.Contains(p.Contamination, h.Elimination) {
					p.Contamination = append(p.Contamination, h.Elimination)
					added = true
				}
			}
			return added
		}
		for i := range ps {
			p := &ps[i]
			old, err := profiles.get(ctx, tx, "sample = $1", p.Sample)
			if homeward.ErrorCode(err) == homeward.ENOTFOUND {
				flag(p)
				if err := profiles.insert(ctx, s, tx, p); err != nil {
					return err
				}
				created++
				continue
			}
			if err != nil {
				return err
			}
			change, err := addLineage(old, p)
			if err != nil {
				return err
			}
			if change {
				flag(old)
			}
			if !change {
				unchanged++
				continue
			}
			if err := profiles.updateIn(ctx, s, tx, old, "update", "lineage data added"); err != nil {
				return err
			}
			updated++
		}
		return nil
	})
	return created, updated, unchanged, hits, err
}
