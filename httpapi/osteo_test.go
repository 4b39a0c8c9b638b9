package httpapi_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/homeward/homeward/osteo"
	"github.com/homeward/homeward/osteo/synth"
)

// Osteometric sorting over the API: one OsteoSort case, a sorted box with DNA, the refusals
// naming the field, and the role check.
func TestOsteoOverAPI(t *testing.T) {
	e := newEnv(t, "sqlite")
	body, err := os.ReadFile(filepath.Join("..", "osteo", "testdata", "oracle", "art_femur_tibia_synth.input.json"))
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Summary struct{ Comparisons, Excluded, CannotExclude int } `json:"summary"`
	}
	if st := e.do("analyst", "POST", "/api/v1/osteo/test", string(body), &res); st != 200 || res.Summary.Comparisons != 49 || res.Summary.Excluded != 31 {
		t.Errorf("osteo test: %d %+v", st, res)
	}
	var ae apiError
	if st := e.do("analyst", "POST", "/api/v1/osteo/test", strings.Replace(string(body), `"alpha": 0.1`, `"alpha": 7`, 1), &ae); st != 422 || ae.Error.Field != "case.options.alpha" {
		t.Errorf("bad alpha: %d %+v", st, ae)
	}
	if st := e.do("custodian", "POST", "/api/v1/osteo/test", string(body), nil); st != 403 {
		t.Errorf("custodian sorting bones: %d", st)
	}

	m := synth.NewModel(7)
	sample := m.Sample("synthetic", 60)
	bones, truth := m.Box(6, "B", 0, 0)
	type request struct {
		Bones        []osteo.Bone          `json:"bones"`
		Reference    osteo.ReferenceSample `json:"reference"`
		DNA          map[string]string     `json:"dna"`
		IncludeLinks bool                  `json:"include_links"`
	}
	req := request{Bones: bones, Reference: *sample, DNA: map[string]string{}, IncludeLinks: true}
	for _, b := range bones[:10] {
		req.DNA[b.ID] = truth[b.ID]
	}
	var out struct {
		Sorting    *osteo.Sorting     `json:"sorting"`
		Resolution *osteo.Resolution  `json:"resolution"`
		Links      []osteo.LinkReport `json:"links"`
	}
	if st := e.do("dna-analyst", "POST", "/api/v1/osteo/sort", req, &out); st != 200 || out.Sorting == nil || out.Sorting.MNI < 3 || out.Sorting.MNI > len(bones) ||
		len(out.Links) == 0 || out.Resolution == nil || len(out.Sorting.Plan) != len(out.Sorting.Groups) {
		t.Fatalf("osteo sort: %d, MNI %d, %d links, %d groups, %d planned, resolution %v", st, out.Sorting.MNI, len(out.Links), len(out.Sorting.Groups), len(out.Sorting.Plan), out.Resolution != nil)
	}
	req.Bones[3].Side = "middle"
	if st := e.do("dna-analyst", "POST", "/api/v1/osteo/sort", req, &ae); st != 422 || ae.Error.Field != "bones[3].side" {
		t.Errorf("bad side: %d %+v", st, ae)
	}
}
