package homeward

import (
	"context"
	"math"
	"regexp"
	"sort"
	"strings"
	"time"
)

// measurementCodeRE matches osteometric measurement codes as OsteoSort writes them (Hum_01,
// Fem_03, Os_01, ...); elementNameRE the names of elements as sorting compares them (humerus,
// os_coxae).
var (
	measurementCodeRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9]*_[0-9A-Za-z]+$`)
	elementNameRE     = regexp.MustCompile(`^[a-z][a-z_]{1,30}$`)
)

// IsMeasurementCode says whether s is an osteometric measurement code (at most 40 characters).
func IsMeasurementCode(s string) bool { return len(s) <= 40 && measurementCodeRE.MatchString(s) }

// IsElementName says whether s is an element's name as sorting compares them (lower case, "_"
// between words).
func IsElementName(s string) bool { return elementNameRE.MatchString(s) }

// MaxMeasurement is the largest osteometric measurement accepted (mm).
const MaxMeasurement = 1000

// ValidateMeasurements checks codes and values: each code like Hum_01, each value in mm above 0 and
// at most MaxMeasurement; at most 100 measurements.
func ValidateMeasurements(field string, m map[string]float64) error {
	if len(m) > 100 {
		return FieldErrorf(field, "%d measurements; at most 100", len(m))
	}
	codes := make([]string, 0, len(m))
	for c := range m {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for _, c := range codes {
		if !IsMeasurementCode(c) {
			return FieldErrorf(field, "%q is not a measurement code like Hum_01", c)
		}
		if v := m[c]; math.IsNaN(v) || v <= 0 || v > MaxMeasurement {
			return FieldErrorf(field+"."+c, "%v is not a measurement in mm (above 0, at most %d)", v, MaxMeasurement)
		}
	}
	return nil
}

// OsteoReferenceSample is a reference sample for osteometric sorting as the laboratory imported
// it: bones of individuals of known identity, with their source and population. Samples are
// versioned like frequency databases: importing a name again makes its next version, and a sorting
// names the version it used.
type OsteoReferenceSample struct {
	ID          int64     `json:"id"`
	Name        string    `json:"name"`
	Version     int       `json:"version"`
	Source      string    `json:"source"`
	Population  string    `json:"population,omitempty"`
	Individuals int       `json:"individuals"`
	Bones       int       `json:"bones"`
	SHA256      string    `json:"sha256"` // of the bones as stored, in order
	CreatedAt   time.Time `json:"created_at"`
	CreatedBy   string    `json:"created_by"`
}

// Validate checks the sample's description.
func (s *OsteoReferenceSample) Validate() error {
	if err := required("reference_sample.name", s.Name); err != nil {
		return err
	}
	if len(s.Name) > 100 {
		return FieldErrorf("reference_sample.name", "longer than 100 characters")
	}
	return required("reference_sample.source", s.Source)
}

// ReferenceBone is one bone of a reference individual.
type ReferenceBone struct {
	Individual   string             `json:"individual"`
	Element      string             `json:"element"`
	Side         Side               `json:"side"`
	Measurements map[string]float64 `json:"measurements"`
}

// OsteometryService keeps the reference samples.
type OsteometryService interface {
	ImportReferenceSample(ctx context.Context, s *OsteoReferenceSample, bones []ReferenceBone) error
	ListReferenceSamples(ctx context.Context) ([]OsteoReferenceSample, error)
	// GetReferenceSample returns a sample by id, or by name (the newest version, or "name@version").
	GetReferenceSample(ctx context.Context, ref string) (*OsteoReferenceSample, []ReferenceBone, error)
}

// ElementKey is an element's name as osteometric sorting compares it: lower case, words joined by
// "_" ("Os coxae" → "os_coxae").
func ElementKey(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(strings.ReplaceAll(s, "_", " "))), "_")
}

// MeasuredSpecimen is one row of a measurement import: a specimen by code, in a container by
// accession, with its element, side and measurements.
type MeasuredSpecimen struct {
	Line         int                `json:"line"`
	Container    string             `json:"container"`
	Code         string             `json:"code"`
	Element      string             `json:"element"`
	Side         Side               `json:"side"`
	Measurements map[string]float64 `json:"measurements"`
}

// MeasurementImport says what an import did: specimens created, specimens whose measurements
// were set, and the rows refused (when any is refused, nothing is stored).
type MeasurementImport struct {
	Read     int          `json:"rows_read"`
	Created  int          `json:"specimens_created"`
	Updated  int          `json:"specimens_updated"`
	Rejected []RowProblem `json:"rejected"`
	DryRun   bool         `json:"dry_run"`
}

// MeasurementService stores osteometric measurements with the specimens.
type MeasurementService interface {
	// ImportMeasurements sets the measurements of existing specimens and creates the others in the
	// named containers, all in one transaction: every row or none.
	ImportMeasurements(ctx context.Context, rows []MeasuredSpecimen, dryRun bool) (*MeasurementImport, error)
}
