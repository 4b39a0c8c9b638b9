package httpapi

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/labfmt/osteometric"
	"github.com/homeward/homeward/osteo"
	"github.com/homeward/homeward/remains"
)

// osteoSortRequest is the body of POST /osteo/sort: the bones, the reference sample, the tests
// and, optionally, DNA results to reconcile with.
type osteoSortRequest struct {
	Bones     []osteo.Bone          `json:"bones"`
	Reference osteo.ReferenceSample `json:"reference"`
	// Options of the t tests; absent: OsteoSort 1.4's defaults.
	Options *osteo.Options `json:"options,omitempty"`
	// Associations: element pairs tested by association; absent: adjoining long bones.
	Associations  *[][2]string         `json:"associations,omitempty"`
	Articulations []osteo.Articulation `json:"articulations,omitempty"`
	// DNA maps typed bones to the individual DNA says they are of.
	DNA map[string]string `json:"dna,omitempty"`
	// IncludeLinks adds every comparison to the answer (at most maxLinks).
	IncludeLinks bool `json:"include_links,omitempty"`
}

// osteoSortResult is the answer of POST /osteo/sort.
type osteoSortResult struct {
	Sorting      *osteo.Sorting     `json:"sorting"`
	SkippedTests []string           `json:"skipped_tests"`
	Resolution   *osteo.Resolution  `json:"resolution,omitempty"`
	Links        []osteo.LinkReport `json:"links,omitempty"`
}

// maxLinks bounds the comparisons one answer lists; the CLI writes any number to a file.
const maxLinks = 200000

// osteoError turns the library's field errors into Homeward's.
func osteoError(prefix string, err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return homeward.Errorf(homeward.ETOOLARGE, "the sorting ran too long and was stopped; run it with homeward osteo sort")
	}
	return remains.OsteoFieldError(prefix, err)
}

func (s *Server) osteoTest(w http.ResponseWriter, r *http.Request) error {
	c, err := osteo.ReadCase(http.MaxBytesReader(w, r.Body, maxCase))
	if err != nil {
		var fe *osteo.FieldError
		if errors.As(err, &fe) {
			return osteoError("case.", err)
		}
		return homeward.FieldErrorf("case", "%v", err)
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.ComputeTimeout)
	defer cancel()
	res, err := c.Run(ctx)
	if err != nil {
		return osteoError("case.", err)
	}
	return writeJSON(w, http.StatusOK, res)
}

func (s *Server) osteoSort(w http.ResponseWriter, r *http.Request) error {
	var req osteoSortRequest
	if err := decodeN(r, "osteo_sort", &req, maxCase); err != nil {
		return err
	}
	st := osteo.Settings{Options: osteo.DefaultOptions(), Associations: osteo.DefaultAssociations, Articulations: req.Articulations}
	if req.Options != nil {
		st.Options = *req.Options
	}
	if req.Associations != nil {
		st.Associations = *req.Associations
	}
	cfg, skipped, err := osteo.Configure(&req.Reference, req.Bones, st)
	if err != nil {
		return osteoError("options.", err)
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.ComputeTimeout)
	defer cancel()
	sorting, err := osteo.Sort(ctx, req.Bones, cfg)
	if err != nil {
		return osteoError("", err)
	}
	res := osteoSortResult{Sorting: sorting, SkippedTests: append([]string{}, skipped...)}
	if req.DNA != nil {
		res.Resolution = osteo.Resolve(sorting, req.DNA, osteo.RuleOut)
	}
	if req.IncludeLinks {
		if len(sorting.Links) > maxLinks {
			return homeward.FieldErrorf("include_links", "%d comparisons, more than %d in one answer; write them with homeward osteo sort -links FILE.csv", len(sorting.Links), maxLinks)
		}
		for i := range sorting.Links {
			res.Links = append(res.Links, sorting.Report(i))
		}
	}
	return writeJSON(w, http.StatusOK, res)
}

// referenceSampleBones is a reference sample with its bones.
type referenceSampleBones struct {
	Sample homeward.OsteoReferenceSample `json:"sample"`
	Bones  []homeward.ReferenceBone      `json:"bones"`
}

func (s *Server) osteometry() (Osteometry, error) {
	if s.cfg.Osteometry == nil {
		return nil, homeward.Errorf(homeward.EUNAVAILABLE, "this server keeps no osteometric data")
	}
	return s.cfg.Osteometry, nil
}

func (s *Server) listReferenceSamples(w http.ResponseWriter, r *http.Request) error {
	om, err := s.osteometry()
	if err != nil {
		return err
	}
	l, err := om.ListReferenceSamples(r.Context())
	return respond(w, l, err)
}

func (s *Server) getReferenceSample(w http.ResponseWriter, r *http.Request) error {
	om, err := s.osteometry()
	if err != nil {
		return err
	}
	rs, bones, err := om.GetReferenceSample(r.Context(), r.PathValue("ref"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, referenceSampleBones{Sample: *rs, Bones: bones})
}

// maxMeasurementFile bounds a measurement or reference CSV upload.
const maxMeasurementFile = 32 << 20

func (s *Server) importReferenceSample(w http.ResponseWriter, r *http.Request) error {
	om, err := s.osteometry()
	if err != nil {
		return err
	}
	rows, _, err := osteometric.Read(http.MaxBytesReader(w, r.Body, maxMeasurementFile), "individual")
	if err != nil {
		return homeward.FieldErrorf("file", "%v", err)
	}
	q := r.URL.Query()
	rs := &homeward.OsteoReferenceSample{Name: q.Get("name"), Source: q.Get("source"), Population: q.Get("population")}
	if err := om.ImportReferenceSample(r.Context(), rs, osteometric.ReferenceBones(rows)); err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/osteo/reference-samples/"+strconv.FormatInt(rs.ID, 10))
	return writeJSON(w, http.StatusCreated, rs)
}

func (s *Server) importMeasurements(w http.ResponseWriter, r *http.Request) error {
	om, err := s.osteometry()
	if err != nil {
		return err
	}
	dryRun := false
	if v := r.URL.Query().Get("dry_run"); v != "" {
		if dryRun, err = strconv.ParseBool(v); err != nil {
			return homeward.FieldErrorf("dry_run", "%q is not true or false", v)
		}
	}
	rows, _, err := osteometric.Read(http.MaxBytesReader(w, r.Body, maxMeasurementFile), "id")
	if err != nil {
		return homeward.FieldErrorf("file", "%v", err)
	}
	rep, err := om.ImportMeasurements(r.Context(), osteometric.MeasuredSpecimens(rows, ""), dryRun)
	return respond(w, rep, err)
}

func (s *Server) osteoSortStored(w http.ResponseWriter, r *http.Request) error {
	om, err := s.osteometry()
	if err != nil {
		return err
	}
	o := remains.OsteoOptions{Settings: osteo.Settings{Options: osteo.DefaultOptions(), Associations: osteo.DefaultAssociations}}
	if err := decode(r, "osteo_sort_stored", &o); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.ComputeTimeout)
	defer cancel()
	res, err := remains.Osteometry(ctx, s.cfg.Containers, om, s.cfg.DNA, o)
	if err != nil {
		return osteoError("", err)
	}
	return writeJSON(w, http.StatusOK, res)
}
