package homeward

import (
	"context"
	"math"
	"strings"

	"github.com/homeward/homeward/lineage/mtdna"
	"github.com/homeward/homeward/lineage/ystr"
)

// ProfileRole says what a DNA profile is for.
type ProfileRole string

const (
	// ProfileVictim is a post-mortem profile (remains).
	ProfileVictim ProfileRole = "victim"
	// ProfileReference is a family reference (a relative of a missing person, or a direct reference
	// from the person's belongings).
	ProfileReference ProfileRole = "reference"
	// ProfileElimination is a profile of laboratory staff or recovery teams (contamination checks).
	ProfileElimination ProfileRole = "elimination"
)

// Profile is a DNA profile: the alleles called at each marker for one sample.
type Profile struct {
	ID     int64       `json:"id"`
	Sample string      `json:"sample"` // the laboratory's sample name, unique
	Role   ProfileRole `json:"role"`
	// SpecimenID links a victim profile to the specimen typed; FamilyMemberID a reference profile
	// to the relative who gave it.
	SpecimenID     *int64 `json:"specimen_id,omitempty"`
	FamilyMemberID *int64 `json:"family_member_id,omitempty"`
	Kit            string `json:"kit,omitempty"`
	// Loci maps a marker name to the alleles called (one for a homozygote is accepted and
	// doubled; "X"/"Y" at Amelogenin).
	Loci map[string][]string `json:"loci"`
	// YSTR is the Y-STR haplotype in the notation of package ystr ("DYS19=14; DYS385=11,14"),
	// stored in canonical form; MtDNA the mitochondrial profile (EMPOP notation against rCRS).
	YSTR   string `json:"ystr,omitempty"`
	MtDNA  *MtDNA `json:"mtdna,omitempty"`
	Source string `json:"source,omitempty"` // file and line it came from
	// Contamination names the elimination profiles this profile matches (checked when it is
	// stored); a flagged victim profile is left out of screens.
	Contamination []string `json:"contamination,omitempty"`
	// IdentifiedAs is the missing person an approved identification says these remains are.
	IdentifiedAs *int64 `json:"identified_as,omitempty"`
	Meta
}

// LineageRecord is one sample's Y-STR haplotype or mtDNA profile as read from a file.
type LineageRecord struct {
	Sample string
	YSTR   string
	MtDNA  *MtDNA
	Source string // file and line
}

// MtDNA is a mitochondrial profile: the range sequenced and the variants against the rCRS.
type MtDNA struct {
	Range    string `json:"range"`    // e.g. "16024-16569;1-576"
	Variants string `json:"variants"` // e.g. "16519C 263G 315.1C"
}

// Validate checks the record: a sample name, a known role, some DNA (autosomal markers, a Y-STR
// haplotype or an mtDNA profile), one or two alleles per autosomal marker (a single allele is a
// homozygote and is doubled), no empty allele, lineage data in their notations (rewritten in
// canonical form). Errors name the sample and marker.
func (p *Profile) Validate() error {
	if err := required("profile.sample", p.Sample); err != nil {
		return err
	}
	if err := validateEnum("profile.role", p.Role, ProfileRoles...); err != nil {
		return err
	}
	if strings.TrimSpace(p.YSTR) != "" {
		h, err := ystr.Parse(p.YSTR)
		if err != nil {
			return FieldErrorf("profile.ystr", "sample %s: %v", p.Sample, err)
		}
		p.YSTR = h.String()
	} else {
		p.YSTR = ""
	}
	if p.MtDNA != nil {
		m, err := mtdna.Parse(p.MtDNA.Range, p.MtDNA.Variants)
		if err != nil {
			return FieldErrorf("profile.mtdna", "sample %s: %v", p.Sample, err)
		}
		p.MtDNA = &MtDNA{Range: m.RangeString(), Variants: m.VariantString()}
	}
	if p.Loci == nil {
		p.Loci = map[string][]string{}
	}
	if len(p.Loci) == 0 && p.YSTR == "" && p.MtDNA == nil {
		return FieldErrorf("profile.loci", "sample %s has no markers", p.Sample)
	}
	for m, al := range p.Loci {
		if strings.TrimSpace(m) == "" {
			return FieldErrorf("profile.loci", "sample %s: a marker has no name", p.Sample)
		}
		if len(al) == 0 || len(al) > 2 {
			return FieldErrorf("profile.loci", "sample %s marker %s: %d alleles (want 1 or 2)", p.Sample, m, len(al))
		}
		for _, a := range al {
			if strings.TrimSpace(a) == "" {
				return FieldErrorf("profile.loci", "sample %s marker %s: empty allele", p.Sample, m)
			}
		}
		if len(al) == 1 {
			p.Loci[m] = []string{al[0], al[0]}
		}
	}
	return nil
}

// PedigreeMember is one person of a reference family's pedigree. Father and Mother are member ids
// ("" for founders). A typed member points at its profile.
type PedigreeMember struct {
	ID        string `json:"id"`
	Father    string `json:"father,omitempty"`
	Mother    string `json:"mother,omitempty"`
	Sex       Sex    `json:"sex,omitempty"`
	ProfileID *int64 `json:"profile_id,omitempty"`
}

// ReferenceFamily is the pedigree of one missing person with the relatives who gave references.
type ReferenceFamily struct {
	ID              int64  `json:"id"`
	Name            string `json:"name"` // unique, e.g. the case number
	MissingPersonID *int64 `json:"missing_person_id,omitempty"`
	// Target is the pedigree id of the missing person.
	Target  string           `json:"target"`
	Members []PedigreeMember `json:"members"`
	Meta
}

// Validate checks the pedigree's shape: unique ids, both parents or none and present, a male
// father and a female mother, the target a member without a profile, at least one typed member.
func (f *ReferenceFamily) Validate() error {
	if err := required("reference_family.name", f.Name); err != nil {
		return err
	}
	ids := map[string]PedigreeMember{}
	for _, m := range f.Members {
		if strings.TrimSpace(m.ID) == "" {
			return FieldErrorf("reference_family.members", "family %s: a member has no id", f.Name)
		}
		if _, dup := ids[m.ID]; dup {
			return FieldErrorf("reference_family.members", "family %s: member %s appears twice", f.Name, m.ID)
		}
		if err := validateEnum("reference_family.members.sex", m.Sex, Sexes...); err != nil {
			return err
		}
		ids[m.ID] = m
	}
	typed := 0
	for _, m := range f.Members {
		if (m.Father == "") != (m.Mother == "") {
			return FieldErrorf("reference_family.members", "family %s member %s: give both parents or neither", f.Name, m.ID)
		}
		if m.Father != "" {
			fa, ok := ids[m.Father]
			if !ok {
				return FieldErrorf("reference_family.members", "family %s member %s: father %s is not a member", f.Name, m.ID, m.Father)
			}
			mo, ok := ids[m.Mother]
			if !ok {
				return FieldErrorf("reference_family.members", "family %s member %s: mother %s is not a member", f.Name, m.ID, m.Mother)
			}
			if fa.Sex == SexFemale || mo.Sex == SexMale {
				return FieldErrorf("reference_family.members", "family %s member %s: father must not be female nor mother male", f.Name, m.ID)
			}
		}
		if m.ProfileID != nil {
			typed++
		}
	}
	t, ok := ids[f.Target]
	if !ok {
		return FieldErrorf("reference_family.target", "family %s: target %q is not a member", f.Name, f.Target)
	}
	if t.ProfileID != nil {
		return FieldErrorf("reference_family.target", "family %s: the missing person %s cannot have a reference profile", f.Name, f.Target)
	}
	if typed == 0 {
		return FieldErrorf("reference_family.members", "family %s: no member has a profile", f.Name)
	}
	return nil
}

type ProfileFilter struct {
	Role    ProfileRole
	Query   string // sample substring
	Sample  string // exactly this sample
	AfterID int64  // only ids above (for keyset paging through large sets)
	MaxID   int64  // only ids at or below, when > 0
	// ContainerID: only profiles of specimens in this container.
	ContainerID int64
	Page
}

// FamilyFilter selects reference families.
type FamilyFilter struct {
	Query string
	// Sort: one of FamilySorts, "-" first to reverse (default: registered, the order they were
	// stored in, which the screens' walks by AfterID rely on).
	Sort    string
	Name    string // exactly this family
	AfterID int64
	MaxID   int64
	// Shard/Shards select the families whose id modulo Shards equals Shard (Shards > 1).
	Shard, Shards int
	// MissingPersonID: only the families of this missing person.
	MissingPersonID int64
	Page
}

// DNAService keeps profiles, reference families, frequency databases and screens.
type DNAService interface {
	FrequencyService

	// CreateProfile stores a profile; a victim profile is checked against the elimination
	// profiles and flagged on a match.
	CreateProfile(ctx context.Context, p *Profile) error
	// ImportProfiles stores a batch in one transaction, all or none: a sample already stored with
	// the same role and alleles is counted unchanged (re-importing a file adds nothing), with other
	// alleles it is a conflict naming the sample and marker. Victim profiles are checked against
	// the elimination profiles, stored and in the batch.
	ImportProfiles(ctx context.Context, ps []Profile) (created, unchanged int, hits []ContaminationHit, err error)
	// ImportLineage stores Y-STR or mtDNA results, all or nothing: new samples become profiles of
	// the role, stored samples without such data get it, different data is a conflict.
	// Victims' lineage data are checked against the elimination profiles' (hits returned and
	// recorded in the profiles' Contamination).
	ImportLineage(ctx context.Context, recs []LineageRecord, role ProfileRole) (created, updated, unchanged int, hits []ContaminationHit, err error)
	GetProfile(ctx context.Context, id int64) (*Profile, error)
	// UpdateProfile replaces a profile (a corrected allele call); p.Version must be the stored one.
	// Evidence computed from the old profile becomes stale.
	UpdateProfile(ctx context.Context, p *Profile) error
	ListProfiles(ctx context.Context, f ProfileFilter) (List[Profile], error)

	CreateReferenceFamily(ctx context.Context, f *ReferenceFamily) error
	GetReferenceFamily(ctx context.Context, id int64) (*ReferenceFamily, error)
	ListReferenceFamilies(ctx context.Context, f FamilyFilter) (List[ReferenceFamily], error)

	// CreateScreen stores the screen with its shards pending.
	CreateScreen(ctx context.Context, s *Screen) error
	GetScreen(ctx context.Context, id int64) (*Screen, error)
	ListScreens(ctx context.Context, p Page) (List[Screen], error)
	// PendingShards lists the shards of a screen not yet finished.
	PendingShards(ctx context.Context, screenID int64) ([]int, error)
	// CompleteShard stores a shard's candidates and marks it finished, in one transaction; a
	// shard already finished is left as it is (a redone shard adds nothing twice).
	CompleteShard(ctx context.Context, r ShardResult) error
	ListCandidates(ctx context.Context, screenID int64, p Page) (List[Candidate], error)
	// CandidatesOfFamily lists one family's candidates across every screen, best first.
	CandidatesOfFamily(ctx context.Context, familyID int64, p Page) (List[Candidate], error)
}

// FrequencyMarker is one marker of a frequency database.
type FrequencyMarker struct {
	Name    string    `json:"name"`
	Alleles []string  `json:"alleles"`
	Freqs   []float64 `json:"frequencies"`
	N       int       `json:"n,omitempty"` // people the frequencies were estimated from
	// Chrom is "X" for an X-chromosomal marker (males hemizygous), empty for autosomal ones.
	Chrom string `json:"chrom,omitempty"`
}

// FrequencyDB is an allele-frequency database kept as a record: imported from a file, versioned
// (importing a name again makes the next version; earlier versions stay, so results computed with
// them can be recomputed), with the rule for alleles it lacks.
type FrequencyDB struct {
	ID      int64  `json:"id"`
	Name    string `json:"name"`
	Version int    `json:"version"`
	Source  string `json:"source"` // where the numbers come from
	Format  string `json:"format"` // the file format it was read from
	// MinFreq is the frequency given to an allele the database lacks (0: 5/(2N) per marker).
	MinFreq float64           `json:"min_freq"`
	Markers []FrequencyMarker `json:"markers"`
	Meta
}

// Validate checks the database: a name without "@", markers with frequencies in (0, 1].
func (f *FrequencyDB) Validate() error {
	if err := required("frequency_db.name", f.Name); err != nil {
		return err
	}
	if strings.Contains(f.Name, "@") {
		return FieldErrorf("frequency_db.name", "%q: a name cannot contain @ (it separates the version)", f.Name)
	}
	if len(f.Markers) == 0 {
		return FieldErrorf("frequency_db.markers", "database %s has no markers", f.Name)
	}
	if f.MinFreq < 0 || f.MinFreq >= 1 {
		return FieldErrorf("frequency_db.min_freq", "%g is outside [0, 1)", f.MinFreq)
	}
	for _, m := range f.Markers {
		if m.Chrom != "" && m.Chrom != "X" {
			return FieldErrorf("frequency_db.markers", "database %s marker %s: chrom %q is not X or empty (autosomal)", f.Name, m.Name, m.Chrom)
		}
		if len(m.Alleles) != len(m.Freqs) || len(m.Alleles) == 0 {
			return FieldErrorf("frequency_db.markers", "database %s marker %s: %d alleles, %d frequencies", f.Name, m.Name, len(m.Alleles), len(m.Freqs))
		}
		sum := 0.0
		for i, x := range m.Freqs {
			if !(x > 0 && x <= 1) {
				return FieldErrorf("frequency_db.markers", "database %s marker %s allele %s: frequency %v outside (0, 1]", f.Name, m.Name, m.Alleles[i], x)
			}
			sum += x
		}
		if math.Abs(sum-1) > 0.05 {
			return FieldErrorf("frequency_db.markers", "database %s marker %s: frequencies sum to %.4f, more than 0.05 from 1", f.Name, m.Name, sum)
		}
	}
	return nil
}

// FrequencyService keeps frequency databases.
type FrequencyService interface {
	// CreateFrequencyDB stores the database as the next version of its name.
	CreateFrequencyDB(ctx context.Context, f *FrequencyDB) error
	// GetFrequencyDB returns a version of a database (version 0: the latest).
	GetFrequencyDB(ctx context.Context, name string, version int) (*FrequencyDB, error)
	ListFrequencyDBs(ctx context.Context) ([]FrequencyDB, error)
}
