package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Counting against the stored lineage data (count -stored), alone and together with a file, by
// role; matches of a stored profile with the mismatch limit and paging; a family's lines naming
// the members whose profiles carry Y-STR or mtDNA results.
func TestCLILineageStored(t *testing.T) {
	dir := t.TempDir()
	vars := map[string]string{"HOMEWARD_DATA_DIR": dir}
	if _, err := runCLI(t, vars, "", "migrate"); err != nil {
		t.Fatal(err)
	}
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	type freq struct {
		Matches, N, Skipped int
		Upper95             float64 `json:"upper_95"`
	}
	count := func(args ...string) (freq, error) {
		t.Helper()
		var f freq
		out, err := runCLI(t, vars, "", args...)
		if err == nil {
			err = json.Unmarshal([]byte(out), &f)
		}
		return f, err
	}
	// Profiles 1-3, references by default.
	ys := write("y.tsv", "Sample Name\tDYS19\tDYS390\tDYS391\nREF-A\t14\t24\t11\nREF-B\t14\t25\t11\nREF-C\t16\t22\t10\n")
	if out, err := runCLI(t, vars, "", "dna", "import-lineage", "-kind", "ystr", ys); err != nil || !strings.Contains(out, "stored: 3 new profiles") {
		t.Fatalf("import: %v %s", err, out)
	}
	hap := "DYS391=11; DYS19=14; DYS390=24"
	// 1 of the 3 stored haplotypes; the bound solves (1-p)^3 + 3p(1-p)^2 = 0.05 (bisection in
	// Python: 0.86465).
	if f, err := count("ystr", "count", "-haplotype", hap, "-stored"); err != nil || f.Matches != 1 || f.N != 3 || math.Abs(f.Upper95-0.86465) > 1e-5 {
		t.Errorf("ystr count -stored: %+v %v", f, err)
	}
	// The file's two haplotypes join the stored three: 2 of 5 (bound 0.81074 likewise).
	refs := write("refs.txt", "F1\tDYS19=14; DYS390=24; DYS391=11\nF2\tDYS19=15; DYS390=24; DYS391=11\n")
	if f, err := count("ystr", "count", "-haplotype", hap, "-reference", refs, "-stored"); err != nil || f.Matches != 2 || f.N != 5 || math.Abs(f.Upper95-0.81074) > 1e-5 {
		t.Errorf("ystr count -reference -stored: %+v %v", f, err)
	}
	// No victim carries a haplotype; count-stored is count -stored.
	if f, err := count("ystr", "count-stored", "-haplotype", hap, "-role", "victim"); err != nil || f.N != 0 {
		t.Errorf("victims: %+v %v", f, err)
	}
	if _, err := runCLI(t, vars, "", "ystr", "count", "-haplotype", hap); err == nil || !strings.Contains(err.Error(), "usage") {
		t.Errorf("no reference set: %v", err)
	}
	if _, err := runCLI(t, vars, "", "ystr", "count", "-haplotype", hap, "-stored", "-role", "aunt"); err == nil || !strings.Contains(err.Error(), "role") {
		t.Errorf("unknown role: %v", err)
	}
	if _, err := runCLI(t, vars, "", "ystr", "count", "-haplotype", "DYS19=x", "-stored"); err == nil || !strings.Contains(err.Error(), "DYS19") {
		t.Errorf("bad haplotype: %v", err)
	}

	// mtDNA: REF-A gets its result (updated), REF-M is new. Over 16024-16569 REF-A (16519C there)
	// matches 16519C and REF-M (16311C 16519C) does not: 1 of 2, bound 0.95^(1/2) = 0.97468.
	mt := write("mt.csv", "sample,range,variants\nREF-A,16024-16569;1-576,16519C 263G\nREF-M,16024-16569,16311C 16519C\n")
	if out, err := runCLI(t, vars, "", "dna", "import-lineage", "-kind", "mtdna", mt); err != nil || !strings.Contains(out, "stored: 1 new profiles, 1 profiles given the data") {
		t.Fatalf("mtDNA import: %v %s", err, out)
	}
	if f, err := count("mtdna", "count", "-range", "16024-16569", "-variants", "16519C", "-stored"); err != nil || f.Matches != 1 || f.N != 2 || math.Abs(f.Upper95-0.97468) > 1e-5 {
		t.Errorf("mtdna count -stored: %+v %v", f, err)
	}
	// Over 1-576 REF-M does not cover the query: skipped; REF-A's 263G differs from 73G 263G.
	if f, err := count("mtdna", "count", "-range", "1-576", "-variants", "73G 263G", "-stored"); err != nil || f.Matches != 0 || f.N != 1 || f.Skipped != 1 {
		t.Errorf("mtdna count -stored over 1-576: %+v %v", f, err)
	}

	// Matches of REF-A (profile 1): REF-B is one locus off, REF-C three (by hand: 16/14, 22/24,
	// 10/11). A limit of 0 keeps identical haplotypes only; of the two within 3, the second page of
	// one is REF-C.
	type list struct {
		Items []struct{ Sample string }
		Total int
	}
	matches := func(args ...string) (list, error) {
		t.Helper()
		var l list
		out, err := runCLI(t, vars, "", append([]string{"ystr", "matches", "1"}, args...)...)
		if err == nil {
			err = json.Unmarshal([]byte(out), &l)
		}
		return l, err
	}
	if l, err := matches("-max-mismatches", "0"); err != nil || l.Total != 0 {
		t.Errorf("identical only: %+v %v", l, err)
	}
	if l, err := matches("-max-mismatches", "3", "-limit", "1", "-offset", "1"); err != nil || l.Total != 2 || len(l.Items) != 1 || l.Items[0].Sample != "REF-C" {
		t.Errorf("second page: %+v %v", l, err)
	}
	if _, err := matches("-meioses", "2"); err == nil || !strings.Contains(err.Error(), "freq") {
		t.Errorf("meioses without freq: %v", err)
	}

	// A family: REF-A the father (Y and mtDNA stored), REF-M the mother (mtDNA), REF-B an
	// uncle by marriage off both lines. The missing son's paternal line holds the father; his
	// maternal line the mother.
	fam := `{"name": "FAM-L", "target": "MP", "members": [
		{"id": "FA", "sex": "male", "profile_id": 1}, {"id": "MO", "sex": "female", "profile_id": 4},
		{"id": "MP", "father": "FA", "mother": "MO", "sex": "male"}, {"id": "UN", "sex": "male", "profile_id": 2}]}`
	out, err := runCLI(t, vars, fam, "create", "reference-family")
	if err != nil {
		t.Fatalf("family: %v %s", err, out)
	}
	var created struct{ ID int64 }
	if err := json.Unmarshal([]byte(out), &created); err != nil {
		t.Fatal(err)
	}
	out, err = runCLI(t, vars, "", "dna", "lines", "1")
	var lines struct {
		PaternalYSTR  []string `json:"paternal_line_ystr"`
		MaternalMtDNA []string `json:"maternal_line_mtdna"`
	}
	if err == nil {
		err = json.Unmarshal([]byte(out), &lines)
	}
	if err != nil || created.ID != 1 || strings.Join(lines.PaternalYSTR, ",") != "FA" || strings.Join(lines.MaternalMtDNA, ",") != "MO" {
		t.Errorf("lines: %v %+v %s", err, lines, out)
	}
}
