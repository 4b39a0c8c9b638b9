// The CLI tests of DNA imports, lineage (Y-STR, mtDNA), reference families and exports.

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Genotype files through the CLI: import, re-import, a refused file, a dry run.
func TestCLIDNAImport(t *testing.T) {
	dir := t.TempDir()
	vars := map[string]string{"HOMEWARD_DATA_DIR": dir}
	if _, err := runCLI(t, vars, "", "migrate"); err != nil {
		t.Fatal(err)
	}
	ref := "../../labfmt/genemapper/testdata/ref3.txt"
	set := "../../labfmt/genemapper/testdata/set3.txt"
	if out, err := runCLI(t, vars, "", "dna", "import", "-role", "reference", ref); err != nil || !strings.Contains(out, "stored 3 new profiles, 0 already") {
		t.Fatalf("import: %v %s", err, out)
	}
	if out, err := runCLI(t, vars, "", "dna", "import", "-role", "reference", ref); err != nil || !strings.Contains(out, "stored 0 new profiles, 3 already") {
		t.Errorf("re-import: %v %s", err, out)
	}
	out, err := runCLI(t, vars, "", "dna", "import", set)
	if err == nil || !strings.Contains(err.Error(), "nothing stored") || !strings.Contains(out, "rejected line 3 01-Pos.ktr.__ D3S1358") {
		t.Errorf("set3: %v %s", err, out)
	}
	if out, err := runCLI(t, vars, "", "dna", "import", "-dry-run", "-json", set); err != nil || !strings.Contains(out, `"dry_run": true`) {
		t.Errorf("dry run: %v", err)
	}
	aliases := filepath.Join(dir, "aliases.csv")
	os.WriteFile(aliases, []byte("alias,canonical\nMYLOCUS,D3S1358\n"), 0o600)
	file := filepath.Join(dir, "x.txt")
	os.WriteFile(file, []byte("Sample Name\tMarker\tAllele 1\tAllele 2\nQ1\tMYLOCUS\t15\t16\n"), 0o600)
	if out, err := runCLI(t, vars, "", "dna", "import", "-markers", aliases, "-json", file); err != nil || !strings.Contains(out, `"created": 1`) || strings.Contains(out, "unknown_markers") {
		t.Errorf("aliases: %v %s", err, out)
	}
}

func TestCLIMtDNA(t *testing.T) {
	out, err := runCLI(t, nil, "", "mtdna", "compare", "-a-range", "16024-16569;1-576", "-a", "16519C 73G 263G 315.1C",
		"-b-range", "16024-16569;1-576", "-b", "16519C 73G 263G 309.1C 315.1C")
	if err != nil || !strings.Contains(out, `"verdict": "cannot exclude"`) {
		t.Errorf("compare: %v %s", err, out)
	}
	if _, err := runCLI(t, nil, "", "mtdna", "compare", "-a-range", "1-576", "-a", "16519C", "-b-range", "1-576"); err == nil || !strings.Contains(err.Error(), "profile a") {
		t.Errorf("variant outside the range: %v", err)
	}
	refs := filepath.Join(t.TempDir(), "refs.csv")
	os.WriteFile(refs, []byte("id,range,variants\nR1,16024-16569,16519C\nR2,16024-16569,16519C 16311C\nR3,16100-16400,16311C\n"), 0o600)
	out, err = runCLI(t, nil, "", "mtdna", "count", "-range", "16024-16569", "-variants", "16519C", "-reference", refs)
	if err != nil || !strings.Contains(out, `"matches": 1`) || !strings.Contains(out, `"skipped": 1`) {
		t.Errorf("count: %v %s", err, out)
	}
	os.WriteFile(refs, []byte("R1,16024-16569,99999C\n"), 0o600)
	if _, err := runCLI(t, nil, "", "mtdna", "count", "-range", "16024-16569", "-reference", refs); err == nil || !strings.Contains(err.Error(), "line 1 (R1)") {
		t.Errorf("bad reference: %v", err)
	}
}

func TestCLIYSTR(t *testing.T) {
	out, err := runCLI(t, nil, "", "ystr", "compare", "-a", "DYS19=14; DYS390=24; DYS385a/b=11,14", "-b", "DYS19=15; DYS390=24; DYS385=14,11", "-meioses", "2", "-freq", "0.001")
	if err != nil || !strings.Contains(out, `"mismatches": 1`) || !strings.Contains(out, `"lr":`) {
		t.Errorf("compare: %v %s", err, out)
	}
	if _, err := runCLI(t, nil, "", "ystr", "compare", "-a", "DYS19", "-b", "DYS19=14"); err == nil || !strings.Contains(err.Error(), "haplotype a") {
		t.Errorf("bad haplotype: %v", err)
	}
	refs := filepath.Join(t.TempDir(), "refs.txt")
	os.WriteFile(refs, []byte("R1\tDYS19=14; DYS390=24\nR2\tDYS19=15; DYS390=24\n"), 0o600)
	if out, err := runCLI(t, nil, "", "ystr", "count", "-haplotype", "DYS19=14; DYS390=24", "-reference", refs); err != nil || !strings.Contains(out, `"matches": 1`) || !strings.Contains(out, `"n": 2`) {
		t.Errorf("count: %v %s", err, out)
	}
}

func TestCLIDNAFamily(t *testing.T) {
	dir := t.TempDir()
	vars := map[string]string{"HOMEWARD_DATA_DIR": dir}
	if _, err := runCLI(t, vars, "", "migrate"); err != nil {
		t.Fatal(err)
	}
	ped := filepath.Join(dir, "fam.ped")
	os.WriteFile(ped, []byte("id fid mid sex TH01 vWA\nFA 0 0 1 6/7 15/16\nMO 0 0 2 9/9.3 17/17\nMP FA MO 1 -/- -/-\n"), 0o600)
	if out, err := runCLI(t, vars, "", "dna", "family", "-name", "F-9", "-target", "MP", ped); err != nil || !strings.Contains(out, "3 members, 2 typed") {
		t.Errorf("dna family: %v %s", err, out)
	}
	if _, err := runCLI(t, vars, "", "dna", "family", "-name", "F-9", "-target", "MP", ped); err == nil {
		t.Error("the same family name twice was accepted")
	}
	// MP's mtDNA is his mother's (typed); his Y his father's (typed).
	if out, err := runCLI(t, vars, "", "dna", "lines", "1"); err != nil || !strings.Contains(out, `"maternal_line_typed": [
    "MO"`) || !strings.Contains(out, `"paternal_line_typed": [
    "FA"`) {
		t.Errorf("dna lines: %v %s", err, out)
	}
}

// Lineage results from laboratory files: a dry run stores nothing, a file with a rejected row
// stores nothing, a clean file stores; then counting and matching against the stored references.
func TestCLIStoredLineage(t *testing.T) {
	vars := map[string]string{"HOMEWARD_DATA_DIR": t.TempDir()}
	if _, err := runCLI(t, vars, "", "migrate"); err != nil {
		t.Fatal(err)
	}
	out, err := runCLI(t, vars, "", "dna", "import-lineage", "-kind", "ystr", "-dry-run", "../../labfmt/lineagefile/testdata/yfiler.txt")
	if err != nil || !strings.Contains(out, "dry run: nothing stored") || !strings.Contains(out, "rejected: line 18 PM-103 DYS19") {
		t.Errorf("dry run: %v %s", err, out)
	}
	if _, err := runCLI(t, vars, "", "dna", "import-lineage", "-kind", "ystr", "../../labfmt/lineagefile/testdata/yfiler.txt"); err == nil || !strings.Contains(err.Error(), "nothing imported") {
		t.Errorf("rejected file stored: %v", err)
	}
	refs := filepath.Join(t.TempDir(), "refs.tsv")
	os.WriteFile(refs, []byte("Sample Name\tDYS19\tDYS390\tDYS391\nREF-A\t14\t24\t11\nREF-B\t14\t25\t11\nREF-C\t16\t22\t10\n"), 0o600)
	if out, err := runCLI(t, vars, "", "dna", "import-lineage", "-kind", "ystr", refs); err != nil || !strings.Contains(out, "stored: 3 new profiles") {
		t.Errorf("import: %v %s", err, out)
	}
	if out, err := runCLI(t, vars, "", "dna", "import-lineage", "-kind", "ystr", refs); err != nil || !strings.Contains(out, "3 unchanged") {
		t.Errorf("again: %v %s", err, out)
	}
	// 1 of 3 stored references carries the haplotype.
	if out, err := runCLI(t, vars, "", "ystr", "count-stored", "-haplotype", "DYS19=14; DYS390=24; DYS391=11"); err != nil || !strings.Contains(out, `"matches": 1`) || !strings.Contains(out, `"n": 3`) {
		t.Errorf("count-stored: %v %s", err, out)
	}
	if out, err := runCLI(t, vars, "", "ystr", "matches", "1", "-max-mismatches", "1"); err != nil || !strings.Contains(out, "REF-B") || strings.Contains(out, "REF-C") {
		t.Errorf("matches: %v %s", err, out)
	}
}

// Lineage data leave as they came in: exported, then imported into another store, unchanged.
func TestCLILineageExportRoundTrip(t *testing.T) {
	a := map[string]string{"HOMEWARD_DATA_DIR": t.TempDir()}
	b := map[string]string{"HOMEWARD_DATA_DIR": t.TempDir()}
	for _, v := range []map[string]string{a, b} {
		if _, err := runCLI(t, v, "", "migrate"); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	for _, c := range []struct{ kind, file string }{{"ystr", "yhrd.tsv"}, {"mtdna", "mtdna.csv"}} {
		// The test files have rejected rows; a dry run shows the clean samples, so write only those.
		src := "../../labfmt/lineagefile/testdata/" + c.file
		clean := filepath.Join(dir, c.file)
		data, _ := os.ReadFile(src)
		var keep []string
		for i, line := range strings.Split(strings.TrimRight(string(data), "\n"), "\n") {
			if i == 0 || strings.HasPrefix(line, "REF-302") || strings.HasPrefix(line, "REF-303") || strings.HasPrefix(line, "PM-101") || strings.HasPrefix(line, "PM-102") {
				keep = append(keep, line)
			}
		}
		os.WriteFile(clean, []byte(strings.Join(keep, "\n")+"\n"), 0o600)
		if out, err := runCLI(t, a, "", "dna", "import-lineage", "-kind", c.kind, clean); err != nil || !strings.Contains(out, "stored: 2 new profiles") {
			t.Fatalf("%s import: %v %s", c.kind, err, out)
		}
		out, err := runCLI(t, a, "", "dna", "export", "-format", c.kind)
		if err != nil {
			t.Fatalf("%s export: %v", c.kind, err)
		}
		// runCLI gives standard error too: the count line is not part of the file.
		out = strings.Replace(out, "exported 2 profiles\n", "", 1)
		exported := filepath.Join(dir, "out-"+c.file)
		os.WriteFile(exported, []byte(out), 0o600)
		if out, err := runCLI(t, b, "", "dna", "import-lineage", "-kind", c.kind, exported); err != nil || !strings.Contains(out, "stored: 2 new profiles") {
			t.Fatalf("%s import of the export: %v %s", c.kind, err, out)
		}
		// The second store exports the same text.
		if again, err := runCLI(t, b, "", "dna", "export", "-format", c.kind); err != nil || strings.Replace(again, "exported 2 profiles\n", "", 1) != out {
			t.Errorf("%s: second export differs:\n%s\n%s", c.kind, out, again)
		}
	}
}

// Files Homeward writes are files it reads: profiles exported as CSV import into another store
// as the same profiles (format table), and a wide SNP table (a FORCE-panel export) imports too.
func TestCLITableImport(t *testing.T) {
	dir, other := t.TempDir(), t.TempDir()
	vars := map[string]string{"HOMEWARD_DATA_DIR": dir}
	if _, err := runCLI(t, vars, "", "migrate"); err != nil {
		t.Fatal(err)
	}
	if out, err := runCLI(t, vars, "", "dna", "import", "-role", "reference", "../../labfmt/genemapper/testdata/ref3.txt"); err != nil || !strings.Contains(out, "stored 3 new") {
		t.Fatalf("import: %v %s", err, out)
	}
	exported, err := runCLI(t, vars, "", "dna", "export", "-format", "csv")
	if err != nil {
		t.Fatal(err)
	}
	exported = strings.TrimSuffix(exported, "exported 3 profiles\n") // runCLI adds stderr after stdout
	file := filepath.Join(other, "profiles.csv")
	os.WriteFile(file, []byte(exported), 0o600)
	ovars := map[string]string{"HOMEWARD_DATA_DIR": filepath.Join(other, "data")}
	if _, err := runCLI(t, ovars, "", "migrate"); err != nil {
		t.Fatal(err)
	}
	if out, err := runCLI(t, ovars, "", "dna", "import", "-format", "table", file); err != nil || !strings.Contains(out, "stored 3 new") {
		t.Fatalf("re-import of the export: %v %s", err, out)
	}
	again, err := runCLI(t, ovars, "", "dna", "export", "-format", "csv")
	if again = strings.TrimSuffix(again, "exported 3 profiles\n"); err != nil || again != exported {
		t.Errorf("export after the round trip differs: %v\n%s\nwas\n%s", err, again, exported)
	}
	out, err := runCLI(t, ovars, "", "dna", "import", "-format", "table", "-json", "../../labfmt/gtable/testdata/force-wide.tsv")
	if err != nil || !strings.Contains(out, `"created": 2`) {
		t.Errorf("SNP table: %v %s", err, out)
	}
}
