package remains

import (
	"cmp"
	"context"
	"fmt"
	"sort"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/lineage/mtdna"
	"github.com/homeward/homeward/lineage/ystr"
)

// lineageProfiles reads the stored profiles of a role that carry the kind of lineage data asked
// for (ystr or mtdna), leaving out those flagged for contamination.
func lineageProfiles(ctx context.Context, dna homeward.DNAService, kind string, role homeward.ProfileRole) ([]homeward.Profile, error) {
	if kind != "ystr" && kind != "mtdna" {
		return nil, homeward.FieldErrorf("kind", "%q is not ystr or mtdna", kind)
	}
	switch role {
	case "", homeward.ProfileVictim, homeward.ProfileReference, homeward.ProfileElimination:
	default:
		return nil, homeward.FieldErrorf("role", "%q is not victim, reference or elimination", role)
	}
	var out []homeward.Profile
	for p, err := range homeward.Profiles(ctx, dna, homeward.ProfileFilter{Role: role}) {
		if err != nil {
			return nil, err
		}
		if len(p.Contamination) > 0 {
			continue
		}
		if kind == "ystr" && p.YSTR != "" || kind == "mtdna" && p.MtDNA != nil {
			out = append(out, p)
		}
	}
	return out, nil
}

// StoredYSTR returns the stored haplotypes of a role (the reference set counted against).
func StoredYSTR(ctx context.Context, dna homeward.DNAService, role homeward.ProfileRole) ([]ystr.Haplotype, error) {
	ps, err := lineageProfiles(ctx, dna, "ystr", role)
	if err != nil {
		return nil, err
	}
	out := make([]ystr.Haplotype, 0, len(ps))
	for _, p := range ps {
		h, err := ystr.Parse(p.YSTR)
		if err != nil {
			return nil, fmt.Errorf("profile %s: %w", p.Sample, err)
		}
		out = append(out, h)
	}
	return out, nil
}

// StoredMtDNA returns the stored mtDNA profiles of a role.
func StoredMtDNA(ctx context.Context, dna homeward.DNAService, role homeward.ProfileRole) ([]mtdna.Profile, error) {
	ps, err := lineageProfiles(ctx, dna, "mtdna", role)
	if err != nil {
		return nil, err
	}
	out := make([]mtdna.Profile, 0, len(ps))
	for _, p := range ps {
		m, err := mtdna.Parse(p.MtDNA.Range, p.MtDNA.Variants)
		if err != nil {
			return nil, fmt.Errorf("profile %s: %w", p.Sample, err)
		}
		out = append(out, m)
	}
	return out, nil
}

// LineageMatch is a stored profile compared with another along a lineage marker system.
type LineageMatch struct {
	ProfileID int64  `json:"profile_id"`
	Sample    string `json:"sample"`
	Role      string `json:"role"`
	// Y-STR: the comparison and, when meioses and a haplotype frequency are given, the LR of "on
	// one paternal line, that many meioses apart" against "unrelated".
	YSTR *ystr.Comparison `json:"ystr,omitempty"`
	LR   *float64         `json:"lr,omitempty"`
	// mtDNA: the comparison with its SWGDAM verdict.
	MtDNA *mtdna.Comparison `json:"mtdna,omitempty"`
}

// LineageOptions tune LineageMatches.
type LineageOptions struct {
	Kind string               // ystr or mtdna
	Role homeward.ProfileRole // of the profiles compared with ("": every role)
	// MaxMismatches keeps Y-STR comparisons with at most this many mismatching loci (nil: 2; 0:
	// identical haplotypes only); mtDNA keeps what is not an exclusion.
	MaxMismatches *int
	Meioses       int     // with HapFreq: the paternal-line LR
	HapFreq       float64 // frequency of the profile's haplotype
	Page          homeward.Page
}

// DefaultMaxMismatches is the Y-STR mismatch limit of LineageMatches when none is given.
const DefaultMaxMismatches = 2

// LineageMatches compares one stored profile's Y-STR haplotype or mtDNA with every other stored
// profile of the role carrying one (leaving out those flagged for contamination), and lists those
// that may share its line, closest first: for Y-STRs fewest mismatching loci, then fewest steps,
// then most loci compared; for mtDNA fewest differences, then most positions compared. The list
// is paged (o.Page, normalised: 50 by default, at most 1000) with the total found.
func LineageMatches(ctx context.Context, dna homeward.DNAService, profileID int64, o LineageOptions) (homeward.List[LineageMatch], error) {
	out := homeward.List[LineageMatch]{Items: []LineageMatch{}}
	maxMis, err := o.check()
	if err != nil {
		return out, err
	}
	p, err := dna.GetProfile(ctx, profileID)
	if err != nil {
		return out, err
	}
	others, err := lineageProfiles(ctx, dna, o.Kind, o.Role)
	if err != nil {
		return out, err
	}
	var all []LineageMatch
	switch o.Kind {
	case "ystr":
		all, err = ystrMatches(p, others, maxMis, o)
	case "mtdna":
		all, err = mtdnaMatches(p, others)
	}
	if err != nil {
		return out, err
	}
	return pageMatches(all, o.Kind, o.Page)
}

// pageMatches is one page of the ranked matches: from an offset, or after a cursor naming the
// last match of the previous page by its rank key (keyset paging over the ranking, which is
// recomputed on every request: matches stored meanwhile neither repeat nor shift the pages).
func pageMatches(all []LineageMatch, kind string, p homeward.Page) (homeward.List[LineageMatch], error) {
	out := homeward.List[LineageMatch]{Items: []LineageMatch{}, Total: len(all)}
	p = p.Normalize()
	start := min(p.Offset, len(all))
	after, err := homeward.CursorOf(p, kind, -1)
	if err != nil {
		return out, err
	}
	if after != nil {
		start = sort.Search(len(all), func(i int) bool { return compareKeys(matchKey(all[i]), after) > 0 })
	}
	end := min(start+p.Limit, len(all))
	out.Items = append(out.Items, all[start:end]...)
	if end < len(all) && end > start {
		out.NextCursor = homeward.EncodeCursor(kind, matchKey(all[end-1]))
	}
	return out, nil
}

// matchKey is a match's place in the ranking, as numbers compared in order: Y-STR mismatches,
// steps, loci compared (more first), profile id; mtDNA differences, positions (more first), id.
func matchKey(m LineageMatch) []any {
	if m.YSTR != nil {
		return []any{int64(m.YSTR.Mismatches), int64(m.YSTR.Steps), -int64(m.YSTR.Compared), m.ProfileID}
	}
	if m.MtDNA != nil {
		return []any{int64(m.MtDNA.Differences), -int64(m.MtDNA.Positions), m.ProfileID}
	}
	return []any{m.ProfileID}
}

// compareKeys orders two rank keys of int64 values (a key from a cursor may hold another type:
// it then sorts after, so that a made-up cursor gives an empty page, never a panic).
func compareKeys(a, b []any) int {
	for i := range min(len(a), len(b)) {
		x, okx := a[i].(int64)
		y, oky := b[i].(int64)
		if !okx || !oky {
			if okx == oky {
				continue
			}
			if okx {
				return -1
			}
			return 1
		}
		if c := cmp.Compare(x, y); c != 0 {
			return c
		}
	}
	return cmp.Compare(len(a), len(b))
}

// check validates the options and returns the Y-STR mismatch limit.
func (o LineageOptions) check() (int, error) {
	maxMis := DefaultMaxMismatches
	if o.MaxMismatches != nil {
		if *o.MaxMismatches < 0 {
			return 0, homeward.FieldErrorf("max_mismatches", "%d is negative", *o.MaxMismatches)
		}
		maxMis = *o.MaxMismatches
	}
	withLR := o.Meioses != 0 || o.HapFreq != 0
	if withLR && o.Kind != "ystr" {
		return 0, homeward.FieldErrorf("meioses", "the LR over meioses is for Y-STRs (kind=ystr)")
	}
	if withLR && (o.Meioses < 1 || o.Meioses > ystr.MaxMeioses) {
		return 0, homeward.FieldErrorf("meioses", "%d meioses: give 1 to %d together with freq", o.Meioses, ystr.MaxMeioses)
	}
	if withLR && !(o.HapFreq > 0 && o.HapFreq <= 1) {
		return 0, homeward.FieldErrorf("freq", "haplotype frequency %v: give one in (0, 1] together with meioses", o.HapFreq)
	}
	return maxMis, nil
}

// ystrMatches compares p's Y-STR haplotype with the others', keeping those within maxMis
// mismatching loci (with the LR over o's meioses when asked), closest first.
func ystrMatches(p *homeward.Profile, others []homeward.Profile, maxMis int, o LineageOptions) ([]LineageMatch, error) {
	if p.YSTR == "" {
		return nil, homeward.FieldErrorf("kind", "profile %s has no Y-STR haplotype", p.Sample)
	}
	h, err := ystr.Parse(p.YSTR)
	if err != nil {
		return nil, fmt.Errorf("profile %s: %w", p.Sample, err)
	}
	withLR := o.Meioses != 0 || o.HapFreq != 0
	var all []LineageMatch
	for _, q := range others {
		if q.ID == p.ID {
			continue
		}
		qh, err := ystr.Parse(q.YSTR)
		if err != nil {
			return nil, fmt.Errorf("profile %s: %w", q.Sample, err)
		}
		c := ystr.Compare(h, qh)
		if c.Compared == 0 || c.Mismatches > maxMis {
			continue
		}
		m := LineageMatch{ProfileID: q.ID, Sample: q.Sample, Role: string(q.Role), YSTR: &c}
		if withLR {
			lr, err := ystr.LineageLR(c, o.Meioses, nil, o.HapFreq)
			if err != nil {
				return nil, err
			}
			m.LR = &lr
		}
		all = append(all, m)
	}
	sort.SliceStable(all, func(i, j int) bool { return compareKeys(matchKey(all[i]), matchKey(all[j])) < 0 })
	return all, nil
}

// mtdnaMatches compares p's mtDNA with the others', keeping those not excluded, closest first.
func mtdnaMatches(p *homeward.Profile, others []homeward.Profile) ([]LineageMatch, error) {
	if p.MtDNA == nil {
		return nil, homeward.FieldErrorf("kind", "profile %s has no mtDNA profile", p.Sample)
	}
	mp, err := mtdna.Parse(p.MtDNA.Range, p.MtDNA.Variants)
	if err != nil {
		return nil, fmt.Errorf("profile %s: %w", p.Sample, err)
	}
	var all []LineageMatch
	for _, q := range others {
		if q.ID == p.ID {
			continue
		}
		qp, err := mtdna.Parse(q.MtDNA.Range, q.MtDNA.Variants)
		if err != nil {
			return nil, fmt.Errorf("profile %s: %w", q.Sample, err)
		}
		c := mtdna.Compare(mp, qp, mtdna.Options{})
		if c.Positions == 0 || c.Verdict == mtdna.Exclusion {
			continue
		}
		all = append(all, LineageMatch{ProfileID: q.ID, Sample: q.Sample, Role: string(q.Role), MtDNA: &c})
	}
	sort.SliceStable(all, func(i, j int) bool { return compareKeys(matchKey(all[i]), matchKey(all[j])) < 0 })
	return all, nil
}
