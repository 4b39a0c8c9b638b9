// Package casejson reads Homeward's case files (schema homeward/case/v1, docs in
// docs/formats/case-json.md of the shared brief, summarised in docs/kinship.md) and writes results
// with the field names of the reference `expected` files (homeward/expected/v1).
package casejson

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/homeward/homeward/kinship"
	"github.com/homeward/homeward/kinship/mutation"
)

// Case is the decoded JSON. Unknown keys are ignored.
type Case struct {
	Schema     string                         `json:"schema"`
	Name       string                         `json:"case"`
	Type       string                         `json:"type"`
	Markers    []MarkerJSON                   `json:"markers"`
	Genotypes  map[string]map[string][]string `json:"genotypes"`
	Theta      float64                        `json:"theta"`
	Hypotheses []HypothesisJSON               `json:"hypotheses"`
	Reference  string                         `json:"reference_hypothesis"`
	// Extensions names the capabilities beyond v1 the case needs (x_chromosome, snp_panel,
	// dropout); a case needing one Homeward lacks is refused, never computed as something else.
	Extensions []string `json:"extensions"`
	// AlleleObservations: donor -> marker -> the alleles seen in the donor's degraded sample (a
	// marker left out was not analysed; [] means nothing was seen).
	AlleleObservations map[string]map[string][]string `json:"allele_observations"`
	Dropout            *DropoutJSON                   `json:"dropout"`
}

// DropoutJSON is the dropout model of the observed donors (extension "dropout").
type DropoutJSON struct {
	Model   string                     `json:"model"`
	DropIn  float64                    `json:"drop_in"`
	Persons map[string]DropoutRateJSON `json:"persons"`
}

// DropoutRateJSON is one donor's dropout probabilities.
type DropoutRateJSON struct {
	DHet *float64 `json:"d_het"`
	DHom *float64 `json:"d_hom"`
}

// Extensions of the case format Homeward computes.
var supportedExtensions = map[string]bool{"dropout": true, "snp_panel": true, "x_chromosome": true}

// CheckExtensions refuses a case needing a capability Homeward lacks, and data of an extension the
// case does not declare.
func (c *Case) CheckExtensions() error {
	declared := map[string]bool{}
	for _, e := range c.Extensions {
		if !supportedExtensions[e] {
			return fmt.Errorf("case %s: extension %q is not supported (Homeward computes: dropout, snp_panel, x_chromosome)", c.Name, e)
		}
		declared[e] = true
	}
	for i, m := range c.Markers {
		switch {
		case m.Chrom == nil:
		case *m.Chrom == "X" && declared["x_chromosome"]:
		case *m.Chrom == "X":
			return fmt.Errorf("case %s: markers[%d] (%s): an X marker needs the extension \"x_chromosome\" in extensions", c.Name, i, m.Name)
		default:
			return fmt.Errorf("case %s: markers[%d] (%s): chrom %q is not supported (null for unlinked autosomal markers, \"X\")", c.Name, i, m.Name, *m.Chrom)
		}
	}
	if (len(c.AlleleObservations) > 0 || c.Dropout != nil) && !declared["dropout"] {
		return fmt.Errorf("case %s: allele_observations and dropout need the extension \"dropout\" in extensions", c.Name)
	}
	return nil
}

// MarkerJSON is one marker of a case.
type MarkerJSON struct {
	Name        string        `json:"name"`
	Chrom       *string       `json:"chrom"`
	Alleles     []string      `json:"alleles"`
	Frequencies []float64     `json:"frequencies"`
	Mutation    *MutationJSON `json:"mutation"`
}

// MutationJSON gives the female and male models.
type MutationJSON struct {
	SexEqual bool       `json:"sex_equal"`
	Female   *ModelJSON `json:"female"`
	Male     *ModelJSON `json:"male"`
}

// ModelJSON is one mutation model: a matrix, or parameters.
type ModelJSON struct {
	Model  string      `json:"model"`
	Rate   float64     `json:"rate"`
	Rate2  *float64    `json:"rate2"`
	Range  *float64    `json:"range"`
	Matrix [][]float64 `json:"matrix"`
}

// HypothesisJSON is one hypothesis.
type HypothesisJSON struct {
	Name        string          `json:"name"`
	Description string          `json:"description"`
	Components  []ComponentJSON `json:"components"`
}

// ComponentJSON is one connected part of a hypothesis's pedigree.
type ComponentJSON struct {
	Individuals       []PersonJSON       `json:"individuals"`
	FounderInbreeding map[string]float64 `json:"founder_inbreeding"`
}

// PersonJSON is one individual.
type PersonJSON struct {
	ID     string  `json:"id"`
	Father *string `json:"father"`
	Mother *string `json:"mother"`
	Sex    int     `json:"sex"`
}

// People converts a pedigree's individuals to the kinship engine's persons.
func People(ps []PersonJSON) []kinship.Person {
	out := make([]kinship.Person, len(ps))
	for i, p := range ps {
		out[i] = kinship.Person{ID: p.ID, Sex: p.Sex}
		if p.Father != nil {
			out[i].Father = *p.Father
		}
		if p.Mother != nil {
			out[i].Mother = *p.Mother
		}
	}
	return out
}

// Read decodes a case.
func Read(r io.Reader) (*Case, error) {
	var c Case
	dec := json.NewDecoder(r)
	if err := dec.Decode(&c); err != nil {
		var te *json.UnmarshalTypeError
		if ok := asTypeErr(err, &te); ok {
			return nil, fmt.Errorf("case: field %s: must be %s, not %s", te.Field, te.Type, te.Value)
		}
		return nil, fmt.Errorf("case: %w", err)
	}
	if c.Schema != "" && c.Schema != "homeward/case/v1" {
		return nil, fmt.Errorf("case: schema %q is not homeward/case/v1", c.Schema)
	}
	if err := c.CheckExtensions(); err != nil {
		return nil, err
	}
	return &c, nil
}

func asTypeErr(err error, te **json.UnmarshalTypeError) bool {
	t, ok := err.(*json.UnmarshalTypeError)
	if ok {
		*te = t
	}
	return ok
}

// KinshipMarkers converts the case's markers; a mutation model given by its parameters only is
// built as pedmut builds it.
func (c *Case) KinshipMarkers() ([]*kinship.Marker, error) {
	out := make([]*kinship.Marker, len(c.Markers))
	for i, mj := range c.Markers {
		if mj.Name == "" {
			return nil, fmt.Errorf("case: markers[%d]: name is required", i)
		}
		if mj.Chrom != nil && *mj.Chrom != "X" {
			return nil, fmt.Errorf("case: markers[%d] (%s): chrom %q is not supported (null for unlinked autosomal markers, \"X\")", i, mj.Name, *mj.Chrom)
		}
		if err := checkFrequencySum(mj); err != nil {
			return nil, err
		}
		m := &kinship.Marker{Name: mj.Name, Alleles: mj.Alleles, Freqs: mj.Frequencies, X: mj.Chrom != nil}
		if mj.Mutation != nil {
			var err error
			if m.MutFemale, err = matrixOf(mj, "female", mj.Mutation.Female); err != nil {
				return nil, err
			}
			if m.MutMale, err = matrixOf(mj, "male", mj.Mutation.Male); err != nil {
				return nil, err
			}
		}
		if err := m.Validate(); err != nil {
			return nil, fmt.Errorf("case: %w", err)
		}
		out[i] = m
	}
	return out, nil
}

// FrequencySumTolerance is how far a marker's allele frequencies may sum from 1. Databases are used
// as published (some do not sum to exactly 1, and alleles missing from a database are added with a
// small frequency), but a sum further off is a mistake in the file, not a population.
const FrequencySumTolerance = 0.05

func checkFrequencySum(mj MarkerJSON) error {
	sum := 0.0
	for _, f := range mj.Frequencies {
		sum += f
	}
	if math.IsNaN(sum) || math.Abs(sum-1) > FrequencySumTolerance {
		return fmt.Errorf("case: marker %s: frequencies sum to %v, more than %v from 1", mj.Name, sum, FrequencySumTolerance)
	}
	return nil
}

// matrixOf returns the model's matrix: as given, or built from its parameters as pedmut does.
func matrixOf(mk MarkerJSON, sex string, mj *ModelJSON) ([][]float64, error) {
	if mj == nil {
		return nil, nil
	}
	if mj.Matrix != nil {
		if err := mutation.Validate(mj.Matrix); err != nil {
			return nil, fmt.Errorf("case: marker %s: %s mutation matrix: %w (a mutation matrix is row-stochastic: every row sums to 1)", mk.Name, sex, err)
		}
		return mj.Matrix, nil
	}
	p := mutation.Params{Model: mj.Model, Rate: mj.Rate}
	if mj.Rate2 != nil {
		p.Rate2 = *mj.Rate2
	}
	if mj.Range != nil {
		p.Range = *mj.Range
	}
	M, err := mutation.Build(p, mk.Alleles, mk.Frequencies)
	if err != nil {
		return nil, fmt.Errorf("case: marker %s: %s mutation model: %w", mk.Name, sex, err)
	}
	return M, nil
}

// KinshipResult has the fields of the expected files.
type KinshipResult struct {
	Schema              string             `json:"schema"`
	Case                string             `json:"case"`
	Type                string             `json:"type"`
	Markers             []string           `json:"markers"`
	LoglikPerMarker     map[string][]Float `json:"loglik_per_marker"`
	LoglikTotal         map[string]Float   `json:"loglik_total"`
	LikelihoodPerMarker map[string][]Float `json:"likelihood_per_marker"`
	LRPerMarker         map[string][]Float `json:"LR_per_marker"`
	LRTotal             map[string]Float   `json:"LR_total"`
	Log10LRTotal        map[string]Float   `json:"log10_LR_total"`
	Inconsistencies     map[string][]int   `json:"mendelian_inconsistencies_per_marker"`
	Hypotheses          []string           `json:"hypotheses"`
	Reference           string             `json:"reference_hypothesis"`
	Theta               float64            `json:"theta"`
	// Notes say what the numbers cannot show, e.g. hypotheses no marker tells apart.
	Notes []string `json:"notes,omitempty"`
	// MutationModels reports, per marker with a mutation model, each model's properties.
	MutationModels map[string]MutationReport `json:"mutation_models,omitempty"`
}

// Float is a number written as JSON with non-finite values as strings ("Inf", "-Inf", "NaN").
type Float float64

func (f Float) MarshalJSON() ([]byte, error) {
	v := float64(f)
	switch {
	case math.IsInf(v, 1):
		return []byte(`"Inf"`), nil
	case math.IsInf(v, -1):
		return []byte(`"-Inf"`), nil
	case math.IsNaN(v):
		return []byte(`"NaN"`), nil
	}
	return []byte(strconv.FormatFloat(v, 'g', -1, 64)), nil
}

func (f *Float) UnmarshalJSON(b []byte) error {
	switch string(b) {
	case `"Inf"`:
		*f = Float(math.Inf(1))
	case `"-Inf"`, `null`:
		*f = Float(math.Inf(-1))
	case `"NaN"`:
		*f = Float(math.NaN())
	default:
		v, err := strconv.ParseFloat(string(b), 64)
		if err != nil {
			return err
		}
		*f = Float(v)
	}
	return nil
}

// MutationReport describes the mutation models of one marker.
type MutationReport struct {
	Female *ModelProperties `json:"female,omitempty"`
	Male   *ModelProperties `json:"male,omitempty"`
}

// ModelProperties are what matters about a mutation matrix for the computation: whether the
// database frequencies are stationary under it (mutation does not shift them over generations),
// and whether any set of alleles may be lumped (so untyped alleles can be merged for speed).
type ModelProperties struct {
	Model          string `json:"model"`
	Stationary     bool   `json:"stationary"`
	AlwaysLumpable bool   `json:"always_lumpable"`
}

func modelProperties(model string, M [][]float64, freqs []float64) *ModelProperties {
	if M == nil {
		return nil
	}
	return &ModelProperties{Model: model, Stationary: mutation.IsStationary(M, freqs, 1e-9), AlwaysLumpable: mutation.AlwaysLumpable(M)}
}
