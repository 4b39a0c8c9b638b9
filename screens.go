package homeward

import (
	"context"
	"encoding/json"
	"time"
)

// Screens: every victim profile against every reference family, as sharded jobs, and what they find.

// ScreenStatus is where a screen is.
type ScreenStatus string

const (
	ScreenQueued ScreenStatus = "queued"
	ScreenDone   ScreenStatus = "done"
)

// Screen compares every victim profile with every reference family. Its parameters and the marker
// panel (alleles and frequencies) are fixed when it is created, so every shard computes with the
// same numbers, and the profiles and families it covers are those that existed then.
type Screen struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	// FrequencyDB names the shipped database the panel was built from.
	FrequencyDB string `json:"frequency_db"`
	// Threshold: a comparison with LR at or above it is stored as a candidate match.
	Threshold float64 `json:"threshold"`
	// ExclusionAllowance is the factor a marker contributes where the victim's genotype is
	// impossible for the missing person: 0 rules the pair out; a small value (of the order of a
	// mutation rate) keeps a relative who differs by one mutation among the candidates.
	ExclusionAllowance float64 `json:"exclusion_allowance"`
	// Dropout, when set, reads victim profiles as what degraded samples showed: a single allele
	// may be a heterozygote whose other allele dropped out (relMix's model; see docs/screens.md).
	Dropout *DropoutModel `json:"dropout,omitempty"`
	Shards  int           `json:"shards"`
	// MaxProfileID / MaxFamilyID bound the records covered.
	MaxProfileID int64 `json:"max_profile_id"`
	MaxFamilyID  int64 `json:"max_family_id"`
	Profiles     int   `json:"profiles"`
	Families     int   `json:"families"`
	// Panel is the marker panel as JSON (labfmt/casejson markers), frozen at creation.
	Panel  []byte       `json:"panel,omitempty"`
	Status ScreenStatus `json:"status"`
	// Progress is filled on reads.
	Progress ScreenProgress `json:"progress"`
	Meta
}

// ScreenProgress counts finished shards and their work.
type ScreenProgress struct {
	ShardsDone  int   `json:"shards_done"`
	ShardsTotal int   `json:"shards_total"`
	Comparisons int64 `json:"comparisons"`
	Candidates  int64 `json:"candidates"`
}

// Validate checks the parameters.
func (s *Screen) Validate() error {
	if err := required("screen.name", s.Name); err != nil {
		return err
	}
	if s.Threshold <= 0 {
		return FieldErrorf("screen.threshold", "must be positive, not %g", s.Threshold)
	}
	if s.ExclusionAllowance < 0 || s.ExclusionAllowance >= 1 {
		return FieldErrorf("screen.exclusion_allowance", "must be in [0, 1), not %g", s.ExclusionAllowance)
	}
	if s.Shards < 1 || s.Shards > 10000 {
		return FieldErrorf("screen.shards", "must be between 1 and 10000, not %d", s.Shards)
	}
	if s.Dropout != nil {
		return s.Dropout.Validate("screen.dropout")
	}
	return nil
}

// DropoutModel is relMix's per-allele model of a degraded sample: an allele carried once is not
// seen with probability DHet, one carried twice with DHom, and any allele a appears with
// probability DropIn times its frequency (drop-in).
type DropoutModel struct {
	DHet   float64 `json:"d_het"`
	DHom   float64 `json:"d_hom"`
	DropIn float64 `json:"drop_in"`
}

// Validate refuses probabilities outside [0, 1) and a homozygote more likely to vanish than a
// heterozygote's allele, naming the field under prefix.
func (d *DropoutModel) Validate(prefix string) error {
	for _, f := range []struct {
		name string
		v    float64
	}{{"d_het", d.DHet}, {"d_hom", d.DHom}, {"drop_in", d.DropIn}} {
		if !(f.v >= 0 && f.v < 1) {
			return FieldErrorf(prefix+"."+f.name, "must be in [0, 1), not %g", f.v)
		}
	}
	if d.DHom > d.DHet {
		return FieldErrorf(prefix+".d_hom", "%g is above d_het %g: two copies cannot vanish more easily than one", d.DHom, d.DHet)
	}
	return nil
}

// Candidate is a comparison of a screen that reached the threshold.
type Candidate struct {
	ScreenID  int64   `json:"screen_id"`
	ProfileID int64   `json:"profile_id"`
	FamilyID  int64   `json:"family_id"`
	Sample    string  `json:"sample"`
	Family    string  `json:"family"`
	LR        float64 `json:"lr"`
	Log10LR   float64 `json:"log10_lr"`
	// Markers is the number of markers compared (typed in the victim and informative in the
	// family); Exclusions those where the victim's genotype is impossible for the missing person.
	Markers    int `json:"markers"`
	Exclusions int `json:"exclusions"`
}

// ShardResult is what one shard of a screen found.
type ShardResult struct {
	ScreenID    int64
	Shard       int
	Comparisons int64
	Candidates  []Candidate
	Worker      string
}

// ProfileFilter selects profiles.

// ShardOf is the shard a family belongs to.
func ShardOf(familyID int64, shards int) int {
	if shards <= 1 {
		return 0
	}
	return int(familyID % int64(shards))
}

// ScreenRequest is what a user asks for when starting a screen.
type ScreenRequest struct {
	Name               string  `json:"name"`
	FrequencyDB        string  `json:"frequency_db"` // a shipped database (default nist-all)
	Threshold          float64 `json:"threshold"`    // default 1e4
	Shards             int     `json:"shards"`       // default: one per 500 families
	ExclusionAllowance float64 `json:"exclusion_allowance"`
	// Dropout reads victim profiles as degraded samples (see Screen.Dropout); absent: genotypes.
	Dropout *DropoutModel `json:"dropout,omitempty"`
	// MinFreq is the frequency given to alleles the database lacks (default 5/(2N) when the
	// database's N is known, else 0.001).
	MinFreq float64 `json:"min_freq"`
}

// DVIResult is a screen's DVI analysis kept as a record, computed once (as a job, or in the
// request when no queue serves it) and shown from here: CaseHash names the case it was computed
// from, so a screen whose profiles or families changed since is computed again.
type DVIResult struct {
	ScreenID   int64           `json:"screen_id"`
	CaseHash   string          `json:"case_hash"`
	Status     string          `json:"status"` // queued, done or failed
	Result     json.RawMessage `json:"result,omitempty"`
	Error      string          `json:"error,omitempty"`
	ComputedAt time.Time       `json:"computed_at"`
}

// DVIResultService keeps screens' DVI analyses.
type DVIResultService interface {
	// GetDVIResult is the stored analysis of a screen (ENOTFOUND when there is none).
	GetDVIResult(ctx context.Context, screenID int64) (*DVIResult, error)
	// SaveDVIResult stores (or replaces) a screen's analysis.
	SaveDVIResult(ctx context.Context, r *DVIResult) error
}
