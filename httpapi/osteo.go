package httpapi

import (
	"context"
	"errors"
	"net/http"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/osteo"
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
	var fe *osteo.FieldError
	if errors.As(err, &fe) {
		return homeward.FieldErrorf(prefix+fe.Field, "%s", fe.Msg)
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return homeward.Errorf(homeward.ETOOLARGE, "the sorting ran too long and was stopped; run it with homeward osteo sort")
	}
	return err
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
