package remains

import (
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
	var out []homeward.Profile
	for after := int64(0); ; {
		l, err := dna.ListProfiles(ctx, homeward.ProfileFilter{Role: role, AfterID: after, Page: homeward.Page{Limit: 1000}})
		if err != nil {
			return nil, err
		}
		for _, p := range l.Items {
			after = p.ID
			if len(p.Contamination) > 0 {
				continue
			}
			if kind == "ystr" && p.YSTR != "" || kind == "mtdna" && p.MtDNA != nil {
				out = append(out, p)
			}
		}
		if len(l.Items) < 1000 {
			break
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
	// MaxMismatches keeps Y-STR comparisons with at most this many mismatching loci (default 2);
	// mtDNA keeps what is not an exclusion.
	MaxMismatches int
	Meioses       int     // with HapFreq: the paternal-line LR
	HapFreq       float64 // frequency of the profile's haplotype
	Limit         int     // default 50
}

// LineageMatches compares one stored profile's Y-STR haplotype or mtDNA with every other stored
// profile of the role carrying one, and lists those that may share its line, closest first.
func LineageMatches(ctx context.Context, dna homeward.DNAService, profileID int64, o LineageOptions) ([]LineageMatch, error) {
	if o.Limit <= 0 {
		o.Limit = 50
	}
	if o.MaxMismatches == 0 {
		o.MaxMismatches = 2
	}
	p, err := dna.GetProfile(ctx, profileID)
	if err != nil {
		return nil, err
	}
	others, err := lineageProfiles(ctx, dna, o.Kind, o.Role)
	if err != nil {
		return nil, err
	}
	out := []LineageMatch{}
	switch o.Kind {
	case "ystr":
		if p.YSTR == "" {
			return nil, homeward.FieldErrorf("kind", "profile %s has no Y-STR haplotype", p.Sample)
		}
		h, err := ystr.Parse(p.YSTR)
		if err != nil {
			return nil, err
		}
		for _, q := range others {
			if q.ID == p.ID {
				continue
			}
			qh, err := ystr.Parse(q.YSTR)
			if err != nil {
				return nil, fmt.Errorf("profile %s: %w", q.Sample, err)
			}
			c := ystr.Compare(h, qh)
			if c.Compared == 0 || c.Mismatches > o.MaxMismatches {
				continue
			}
			m := LineageMatch{ProfileID: q.ID, Sample: q.Sample, Role: string(q.Role), YSTR: &c}
			if o.Meioses > 0 {
				lr, err := ystr.LineageLR(c, o.Meioses, nil, o.HapFreq)
				if err != nil {
					return nil, err
				}
				m.LR = &lr
			}
			out = append(out, m)
		}
		sort.SliceStable(out, func(i, j int) bool {
			a, b := out[i].YSTR, out[j].YSTR
			if a.Mismatches != b.Mismatches {
				return a.Mismatches < b.Mismatches
			}
			if a.Steps != b.Steps {
				return a.Steps < b.Steps
			}
			return a.Compared > b.Compared
		})
	case "mtdna":
		if p.MtDNA == nil {
			return nil, homeward.FieldErrorf("kind", "profile %s has no mtDNA profile", p.Sample)
		}
		mp, err := mtdna.Parse(p.MtDNA.Range, p.MtDNA.Variants)
		if err != nil {
			return nil, err
		}
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
			out = append(out, LineageMatch{ProfileID: q.ID, Sample: q.Sample, Role: string(q.Role), MtDNA: &c})
		}
		sort.SliceStable(out, func(i, j int) bool {
			a, b := out[i].MtDNA, out[j].MtDNA
			if a.Differences != b.Differences {
				return a.Differences < b.Differences
			}
			return a.Positions > b.Positions
		})
	}
	if len(out) > o.Limit {
		out = out[:o.Limit]
	}
	return out, nil
}
