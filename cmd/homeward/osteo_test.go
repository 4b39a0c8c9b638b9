package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The commands of docs/osteometric.md, as written: an example, a sorting, with DNA, the links as
// CSV, and one OsteoSort case.
func TestCLIOsteo(t *testing.T) {
	oracle, err := filepath.Abs("../../osteo/testdata/oracle/pm_humerus_synth_default.input.json")
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir())
	vars := map[string]string{}
	if out, err := runCLI(t, vars, "", "osteo", "example", "osteo-example"); err != nil || !strings.Contains(out, "105 bones of 20 people") {
		t.Fatalf("example: %v %s", err, out)
	}
	out, err := runCLI(t, vars, "", "osteo", "sort", "-reference", "osteo-example/reference.csv", "osteo-example/box.csv")
	if err != nil || !strings.Contains(out, "MNI 20") || !strings.Contains(out, "humerus  20    19") || !strings.Contains(out, "sample K55-") {
		t.Errorf("sort: %v\n%s", err, out)
	}
	out, err = runCLI(t, vars, "", "osteo", "sort", "-reference", "osteo-example/reference.csv", "-dna", "osteo-example/dna.csv", "-links", "links.csv", "osteo-example/box.csv")
	if err != nil || !strings.Contains(out, "with DNA: 20 individuals, 0 bones unresolved") || !strings.Contains(out, "conflict") {
		t.Errorf("sort with DNA: %v\n%s", err, out)
	}
	links, err := os.ReadFile("links.csv")
	if err != nil || !strings.HasPrefix(string(links), "a,b,method,side,comparable,excluded,p_value") || strings.Count(string(links), "\n") != 2088 {
		t.Errorf("links.csv: %v, %d lines", err, strings.Count(string(links), "\n"))
	}
	out, err = runCLI(t, vars, "", "osteo", "test", oracle)
	var res struct {
		Summary struct{ Comparisons, Excluded int }
	}
	if err != nil || json.Unmarshal([]byte(out), &res) != nil || res.Summary.Comparisons != 120 || res.Summary.Excluded != 96 {
		t.Errorf("test: %v %+v\n%.300s", err, res, out)
	}
	// The same bones kept in the store: a container, the reference sample, the measurements, and
	// the sorting of the stored container.
	vars["HOMEWARD_DATA_DIR"] = "data"
	if out, err := runCLI(t, vars, "", "migrate"); err != nil {
		t.Fatalf("migrate: %v %s", err, out)
	}
	if out, err := runCLI(t, vars, `{"accession":"K55-2018-001","kind":"box"}`, "create", "container"); err != nil {
		t.Fatalf("container: %v %s", err, out)
	}
	if out, err := runCLI(t, vars, "", "osteo", "import-reference", "-name", "synthetic", "-source", "homeward osteo example", "osteo-example/reference.csv"); err != nil || !strings.Contains(out, `"individuals": 150`) {
		t.Fatalf("import-reference: %v %s", err, out)
	}
	if out, err := runCLI(t, vars, "", "osteo", "import", "-dry-run", "osteo-example/box.csv"); err != nil || !strings.Contains(out, `"specimens_created": 105`) || !strings.Contains(out, `"dry_run": true`) {
		t.Fatalf("import -dry-run: %v %s", err, out)
	}
	if out, err := runCLI(t, vars, "", "osteo", "import", "osteo-example/box.csv"); err != nil || !strings.Contains(out, `"specimens_created": 105`) {
		t.Fatalf("import: %v %s", err, out)
	}
	if out, err := runCLI(t, vars, "", "osteo", "references"); err != nil || !strings.Contains(out, `"name": "synthetic"`) {
		t.Errorf("references: %v %s", err, out)
	}
	out, err = runCLI(t, vars, "", "osteo", "sort-stored", "-reference-sample", "synthetic", "K55-2018-001")
	if err != nil || !strings.Contains(out, "reference sample synthetic version 1") || !strings.Contains(out, "105 bones, 2087 comparisons, MNI 20") {
		t.Errorf("sort-stored: %v\n%s", err, out)
	}
	for _, bad := range [][]string{
		{"osteo", "sort", "-reference", "osteo-example/reference.csv", "-alpha", "2", "osteo-example/box.csv"},
		{"osteo", "sort", "-reference", "osteo-example/reference.csv", "-articulate", "femur=tibia", "osteo-example/box.csv"},
		{"osteo", "sort", "-reference", "osteo-example/box.csv", "osteo-example/box.csv"},
	} {
		if _, err := runCLI(t, vars, "", bad...); err == nil {
			t.Errorf("%v: no error", bad)
		}
	}
}
