package remains

import (
	"context"
	"errors"
	"fmt"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/osteo"
)

// OsteoOptions choose what Osteometry sorts and how.
type OsteoOptions struct {
	Containers []string       `json:"containers"`       // accessions; their measured specimens are sorted together
	Reference  string         `json:"reference_sample"` // id, name (newest version) or name@version
	Settings   osteo.Settings `json:"settings"`
	// DNA reconciles the sorting with the DNA grouping of each container's victim profiles
	// (Group): specimens whose profiles DNA puts in one person.
	DNA         bool   `json:"dna"`
	FrequencyDB string `json:"frequency_db,omitempty"`
}

// OsteoResult is a stored assemblage sorted against a stored reference sample.
type OsteoResult struct {
	Reference  homeward.OsteoReferenceSample `json:"reference_sample"`
	Containers []string                      `json:"containers"`
	Sorting    *osteo.Sorting                `json:"sorting"`
	Skipped    []string                      `json:"skipped_tests"`
	Unmeasured int                           `json:"unmeasured_specimens"` // specimens with no measurement, not sorted
	// DNAIndividuals maps a specimen's code to the DNA individual its profile belongs to.
	DNAIndividuals map[string]string `json:"dna_individuals,omitempty"`
	Resolution     *osteo.Resolution `json:"resolution,omitempty"`
}

// maxSortContainers bounds one sorting (all 55 boxes of the 2018 turnover fit).
const maxSortContainers = 200

// Osteometry sorts the measured specimens of the given containers against a stored reference
// sample, and with o.DNA reconciles the sorting with what DNA says.
func Osteometry(ctx context.Context, cs homeward.ContainerService, om homeward.OsteometryService, dna homeward.DNAService, o OsteoOptions) (*OsteoResult, error) {
	if len(o.Containers) == 0 || len(o.Containers) > maxSortContainers {
		return nil, homeward.FieldErrorf("containers", "%d containers; give 1 to %d", len(o.Containers), maxSortContainers)
	}
	rs, refBones, err := om.GetReferenceSample(ctx, o.Reference)
	if err != nil {
		return nil, err
	}
	res := &OsteoResult{Reference: *rs, Containers: o.Containers}
	var bones []osteo.Bone
	var containers []homeward.Container
	for _, acc := range o.Containers {
		c, err := cs.GetContainerByAccession(ctx, acc)
		if err != nil {
			return nil, err
		}
		containers = append(containers, *c)
		specimens, err := allSpecimens(ctx, cs, c.ID)
		if err != nil {
			return nil, err
		}
		for _, sp := range specimens {
			if len(sp.Measurements) == 0 {
				res.Unmeasured++
				continue
			}
			bones = append(bones, osteo.Bone{ID: sp.Code, Element: homeward.ElementKey(sp.Element), Side: sideOf(sp.Side), Values: sp.Measurements})
		}
	}
	sample := &osteo.ReferenceSample{Name: fmt.Sprintf("%s version %d", rs.Name, rs.Version), Source: rs.Source, Population: rs.Population}
	for _, b := range refBones {
		sample.Bones = append(sample.Bones, osteo.Bone{ID: b.Individual, Element: b.Element, Side: sideOf(b.Side), Values: b.Measurements})
	}
	cfg, skipped, err := osteo.Configure(sample, bones, o.Settings)
	if err != nil {
		return nil, OsteoFieldError("settings.options.", err)
	}
	res.Skipped = append([]string{}, skipped...)
	if res.Sorting, err = osteo.Sort(ctx, bones, cfg); err != nil {
		return nil, OsteoFieldError("", err)
	}
	if o.DNA {
		if res.DNAIndividuals, err = dnaIndividuals(ctx, dna, cs, containers, o.FrequencyDB); err != nil {
			return nil, err
		}
		res.Resolution = osteo.Resolve(res.Sorting, res.DNAIndividuals, osteo.RuleOut)
	}
	return res, nil
}

func allSpecimens(ctx context.Context, cs homeward.ContainerService, containerID int64) ([]homeward.Specimen, error) {
	return homeward.Collect(homeward.Specimens(ctx, cs, containerID))
}

func sideOf(s homeward.Side) string {
	if s == homeward.SideLeft || s == homeward.SideRight {
		return string(s)
	}
	return ""
}

// OsteoFieldError turns an osteo field error, wrapped or not, into Homeward's (EINVALID naming
// the field, prefixed), so that it answers 422 and not 500; other errors pass unchanged.
func OsteoFieldError(prefix string, err error) error {
	var fe *osteo.FieldError
	if errors.As(err, &fe) {
		return homeward.FieldErrorf(prefix+fe.Field, "%s", fe.Msg)
	}
	return err
}

// dnaIndividuals groups each container's victim profiles into individuals (Group) and names, for
// every specimen typed, the individual it belongs to: "<accession> DNA <n>".
func dnaIndividuals(ctx context.Context, dna homeward.DNAService, cs homeward.ContainerService, containers []homeward.Container, freqDB string) (map[string]string, error) {
	out := map[string]string{}
	for _, c := range containers {
		g, err := Group(ctx, dna, cs, GroupOptions{Container: c.Accession, FrequencyDB: freqDB})
		if err != nil {
			return nil, fmt.Errorf("DNA grouping of %s: %w", c.Accession, err)
		}
		specimenOf, err := sampleSpecimens(ctx, dna, cs, c.ID)
		if err != nil {
			return nil, err
		}
		for i, ind := range g.Individuals {
			for _, sample := range ind.Samples {
				if code, ok := specimenOf[sample]; ok {
					out[code] = fmt.Sprintf("%s DNA %d", c.Accession, i+1)
				}
			}
		}
	}
	return out, nil
}

// sampleSpecimens maps the container's victim profiles' sample names to their specimens' codes.
func sampleSpecimens(ctx context.Context, dna homeward.DNAService, cs homeward.ContainerService, containerID int64) (map[string]string, error) {
	specimens, err := allSpecimens(ctx, cs, containerID)
	if err != nil {
		return nil, err
	}
	code := map[int64]string{}
	for _, sp := range specimens {
		code[sp.ID] = sp.Code
	}
	out := map[string]string{}
	for p, err := range homeward.Profiles(ctx, dna, homeward.ProfileFilter{Role: homeward.ProfileVictim, ContainerID: containerID}) {
		if err != nil {
			return nil, err
		}
		if p.SpecimenID != nil && code[*p.SpecimenID] != "" {
			out[p.Sample] = code[*p.SpecimenID]
		}
	}
	return out, nil
}
