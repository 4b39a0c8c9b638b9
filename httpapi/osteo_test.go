package httpapi_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/labfmt/osteometric"
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

// The stored side over the API: a reference sample and measurements uploaded as CSV, and the
// stored container sorted against the sample.
func TestStoredOsteometryOverAPI(t *testing.T) {
	e := newEnv(t, "sqlite")
	m := synth.NewModel(11)
	sample := m.Sample("synthetic", 40)
	bones, _ := m.Box(5, "B", 0, 0)
	var ref, box bytes.Buffer
	refRows, boxRows := []osteometric.Row{}, []osteometric.Row{}
	for _, b := range sample.Bones {
		refRows = append(refRows, osteometric.Row{Bone: b})
	}
	for _, b := range bones {
		boxRows = append(boxRows, osteometric.Row{Bone: b, Container: "K55-2018-002"})
	}
	codes := append(append(synth.Codes("femur"), synth.Codes("humerus")...), synth.Codes("tibia")...)
	osteometric.Write(&ref, "individual", refRows, codes)
	osteometric.Write(&box, "id", boxRows, codes)
	var rs homeward.OsteoReferenceSample
	if st := e.do("analyst", "POST", "/api/v1/osteo/reference-samples?name=synthetic&source=test", ref.String(), &rs); st != 201 || rs.Version != 1 || rs.Individuals != 40 {
		t.Fatalf("import reference: %d %+v", st, rs)
	}
	if st := e.do("analyst", "POST", "/api/v1/containers", map[string]string{"accession": "K55-2018-002", "kind": "box"}, nil); st != 201 {
		t.Fatalf("container: %d", st)
	}
	var rep homeward.MeasurementImport
	if st := e.do("analyst", "POST", "/api/v1/osteo/measurements", box.String(), &rep); st != 200 || rep.Created != len(bones) {
		t.Fatalf("measurements: %d %+v", st, rep)
	}
	var res struct {
		Sorting    *osteo.Sorting `json:"sorting"`
		Unmeasured int            `json:"unmeasured_specimens"`
	}
	body := map[string]any{"containers": []string{"K55-2018-002"}, "reference_sample": "synthetic@1", "settings": map[string]any{"options": map[string]any{"alpha": 0.05}}}
	if st := e.do("reviewer", "POST", "/api/v1/osteo/sort-stored", body, &res); st != 200 || res.Sorting == nil || res.Sorting.Bones != len(bones) || res.Sorting.Tests[0].Options.Alpha != 0.05 || res.Sorting.Tests[0].Options.Tails != 2 {
		t.Fatalf("sort-stored: %d %+v", st, res.Sorting)
	}
	var ae apiError
	body["reference_sample"] = "nothing"
	if st := e.do("reviewer", "POST", "/api/v1/osteo/sort-stored", body, &ae); st != 404 {
		t.Errorf("unknown sample: %d %+v", st, ae)
	}
	if st := e.do("analyst", "POST", "/api/v1/osteo/measurements", "id,container,element,side,Hum_01\nX,K55-2018-002,humerus,left,-5\n", &ae); st != 422 || ae.Error.Field != "file" {
		t.Errorf("bad measurement file: %d %+v", st, ae)
	}
}
