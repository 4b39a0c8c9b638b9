package homeward

import (
	"strings"

	"github.com/homeward/homeward/lineage/mtdna"
	"github.com/homeward/homeward/lineage/ystr"
)

// What a genotype import reports, and the contamination checks against elimination profiles.

// ProfileImportReport is what an import of a genotype file found and did. A dry run fills
// everything but Created/Unchanged.
type ProfileImportReport struct {
	Format  string   `json:"format"`
	File    string   `json:"file"`
	DryRun  bool     `json:"dry_run"`
	Samples int      `json:"samples"`    // distinct samples read
	Markers int      `json:"markers"`    // distinct markers read
	Alleles int      `json:"alleles"`    // allele calls kept
	Lines   int      `json:"lines_read"` // data lines
	Ignored []string `json:"ignored_columns,omitempty"`
	// UnknownMarkers are names the marker table could not map; their calls are kept under the
	// name given.
	UnknownMarkers []string     `json:"unknown_markers,omitempty"`
	Warnings       []RowProblem `json:"warnings"`
	Rejected       []RowProblem `json:"rejected"`
	// LeftOut lists the samples not imported because a row of theirs was rejected (a sample is
	// stored whole or not at all).
	LeftOut []string `json:"left_out"`
	// Contamination lists imported victim profiles that match an elimination profile.
	Contamination []ContaminationHit `json:"contamination"`
	Created       int                `json:"created"`
	Unchanged     int                `json:"unchanged"` // already stored, identical (a re-import)
	// Refused says why nothing was stored, when rows were rejected (the API answers 422 with the
	// report).
	Refused string `json:"refused,omitempty"`
}

// ContaminationHit is a profile that matches an elimination profile (laboratory or recovery staff).
type ContaminationHit struct {
	Sample      string `json:"sample"`
	Elimination string `json:"elimination"`
	// Markers is the number of autosomal markers (or Y-STR loci, or mtDNA positions) compared;
	// System says which: "" for autosomal STRs, "ystr" or "mtdna".
	Markers int    `json:"markers_compared"`
	System  string `json:"system,omitempty"`
}

// MinEliminationMarkers is the number of markers two profiles must share, all identical, for a
// victim profile to be taken as contamination by the person of an elimination profile.
const MinEliminationMarkers = 6

// EliminationMatches returns the elimination profiles that p matches: at every autosomal marker
// typed in both the genotypes are identical, and at least MinEliminationMarkers are compared.
func EliminationMatches(p *Profile, elims []Profile) []ContaminationHit {
	var out []ContaminationHit
	for i := range elims {
		e := &elims[i]
		if e.Sample == p.Sample {
			continue
		}
		n, same := 0, true
		for m, a := range p.Loci {
			b, ok := e.Loci[m]
			if !ok || strings.EqualFold(m, "AMEL") {
				continue
			}
			n++
			if !sameGenotype(a, b) {
				same = false
				break
			}
		}
		if same && n >= MinEliminationMarkers {
			out = append(out, ContaminationHit{Sample: p.Sample, Elimination: e.Sample, Markers: n})
		}
	}
	return out
}

// MinEliminationYLoci and MinEliminationMtPositions are how much lineage data must be compared
// for a victim's haplotype to be flagged as an elimination profile's: a Y-STR haplotype identical
// at 8 or more loci, an mtDNA profile without a difference over 300 or more positions (HV1 at
// least). Such a match is also what a paternal or maternal relative of the staff member would
// give, so it is a flag for review, as the autosomal one is.
const (
	MinEliminationYLoci       = 8
	MinEliminationMtPositions = 300
)

// LineageEliminationMatches returns the elimination profiles whose Y-STR haplotype or mtDNA the
// lineage data of p match (see MinEliminationYLoci).
func LineageEliminationMatches(p *Profile, elims []Profile) []ContaminationHit {
	var out []ContaminationHit
	var py ystr.Haplotype
	var pm *mtdna.Profile
	if p.YSTR != "" {
		if h, err := ystr.Parse(p.YSTR); err == nil {
			py = h
		}
	}
	if p.MtDNA != nil {
		if m, err := mtdna.Parse(p.MtDNA.Range, p.MtDNA.Variants); err == nil {
			pm = &m
		}
	}
	for i := range elims {
		e := &elims[i]
		if e.Sample == p.Sample {
			continue
		}
		if py != nil && e.YSTR != "" {
			if eh, err := ystr.Parse(e.YSTR); err == nil {
				c := ystr.Compare(py, eh)
				if c.Mismatches == 0 && c.Compared >= MinEliminationYLoci {
					out = append(out, ContaminationHit{Sample: p.Sample, Elimination: e.Sample, Markers: c.Compared, System: "ystr"})
					continue
				}
			}
		}
		if pm != nil && e.MtDNA != nil {
			if em, err := mtdna.Parse(e.MtDNA.Range, e.MtDNA.Variants); err == nil {
				c := mtdna.Compare(*pm, em, mtdna.Options{})
				if c.Differences == 0 && c.Positions >= MinEliminationMtPositions {
					out = append(out, ContaminationHit{Sample: p.Sample, Elimination: e.Sample, Markers: c.Positions, System: "mtdna"})
				}
			}
		}
	}
	return out
}

func sameGenotype(a, b []string) bool {
	if len(a) == 1 {
		a = []string{a[0], a[0]}
	}
	if len(b) == 1 {
		b = []string{b[0], b[0]}
	}
	if len(a) != 2 || len(b) != 2 {
		return false
	}
	return (a[0] == b[0] && a[1] == b[1]) || (a[0] == b[1] && a[1] == b[0])
}
