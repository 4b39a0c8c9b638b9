package dvisim

import (
	"bytes"
	"encoding/json"
	"flag"
	"math"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/homeward/homeward/dvi"
	"github.com/homeward/homeward/kinship"
	"github.com/homeward/homeward/labfmt/casejson"
)

var update = flag.Bool("update", false, "rewrite the golden case files")

// The shipped large-family cases are what the simulator makes (so they can be remade and
// varied), and they are valid DVI cases.
func TestLargeFamilyGolden(t *testing.T) {
	for _, c := range []struct {
		file             string
		missing, markers int
	}{{"../testdata/simulated/family12.input.json", 12, 23}, {"../testdata/simulated/family8.input.json", 8, 23}} {
		cf, err := LargeFamily(c.missing, c.markers, 42)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf) // as homeward dvi simulate writes it
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(cf); err != nil {
			t.Fatal(err)
		}
		got := buf.Bytes()
		if *update {
			if err := os.WriteFile(c.file, got, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(c.file)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from the simulation (go test ./dvi/dvisim -update rewrites it)", c.file)
		}
		if _, err := dvi.NewProblem(cf); err != nil {
			t.Errorf("%s: %v", c.file, err)
		}
	}
}

// Simulated genotypes follow Mendel: every typed child shares an allele with each typed parent,
// victims carry exactly their source's profile, and the missing persons' own data are gone.
func TestSimulationIsMendelian(t *testing.T) {
	cf, err := LargeFamily(12, 35, 7)
	if err != nil {
		t.Fatal(err)
	}
	truth, err := Simulate(Spec{Name: "all", Family: cf.Families[0].Individuals, References: allIDs(cf), Markers: cf.Markers, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	ped, err := kinship.NewPedigree(casejson.People(cf.Families[0].Individuals))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range cf.Markers {
		genos := map[string]kinship.Genotype{}
		for id, byMarker := range truth.Genotypes {
			al := byMarker[m.Name]
			genos[id] = kinship.Genotype{index(m.Alleles, al[0]), index(m.Alleles, al[1])}
		}
		h := kinship.Hypothesis{Name: "truth", Components: []*kinship.Pedigree{ped}}
		if n := kinship.MendelianInconsistencies(h, genos, false); n != 0 {
			t.Errorf("marker %s: %d Mendelian inconsistencies", m.Name, n)
		}
	}
	for v, from := range map[string]string{"V1": "M6", "V2": "M10", "V3": "M12", "V4": "M8", "V5": "M1"} {
		for _, m := range cf.Markers {
			got, want := cf.Genotypes[v][m.Name], truth.Genotypes[from][m.Name]
			if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
				t.Errorf("victim %s marker %s: %v, but %s has %v", v, m.Name, got, from, want)
			}
		}
	}
	for _, id := range cf.Missing {
		if _, ok := cf.Genotypes[id]; ok {
			t.Errorf("missing person %s is typed in the case", id)
		}
	}
	if len(cf.Victims) != 5 || len(cf.References) != 6 || len(cf.Missing) != 12 || len(cf.Markers) != 35 {
		t.Errorf("case shape: %d victims, %d references, %d missing, %d markers", len(cf.Victims), len(cf.References), len(cf.Missing), len(cf.Markers))
	}
}

func TestLargeFamilyRefusesBadSizes(t *testing.T) {
	for _, c := range [][2]int{{7, 23}, {12, 0}, {12, 36}} {
		if _, err := LargeFamily(c[0], c[1], 1); err == nil {
			t.Errorf("missing %d markers %d accepted", c[0], c[1])
		}
	}
}

func allIDs(cf *dvi.CaseFile) []string {
	var out []string
	for _, p := range cf.Families[0].Individuals {
		out = append(out, p.ID)
	}
	return out
}

func index(xs []string, x string) int {
	for i, y := range xs {
		if y == x {
			return i
		}
	}
	return -1
}

// Degrade loses each heterozygote allele with probability d and a homozygote with d^2, keeps
// a fully lost marker as analysed-with-nothing-seen, and loses nothing at d = 0.
func TestDegrade(t *testing.T) {
	loci := map[string][]string{"A": {"10", "12"}, "B": {"7", "7"}, "C": {"9"}}
	names := []string{"A", "B", "C", "D"}
	rng := rand.New(rand.NewPCG(1, 2))
	if got := Degrade(rng, loci, names, 0); len(got["A"]) != 2 || len(got["B"]) != 1 || len(got["C"]) != 1 || got["D"] != nil {
		t.Errorf("d = 0: %v", got)
	}
	const n = 20000
	lostHet, lostHom, empty := 0, 0, 0
	for range n {
		got := Degrade(rng, loci, names, 0.3)
		lostHet += 2 - len(got["A"])
		lostHom += 1 - len(got["B"])
		if got["B"] != nil && len(got["B"]) == 0 {
			empty++
		}
	}
	// Binomial standard errors: about 0.0023 and 0.002; 5 of them.
	if f := float64(lostHet) / (2 * n); math.Abs(f-0.3) > 0.012 {
		t.Errorf("heterozygote alleles lost %.4f, want 0.3", f)
	}
	if f := float64(lostHom) / n; math.Abs(f-0.09) > 0.01 || empty != lostHom {
		t.Errorf("homozygotes lost %.4f (want 0.09), kept as empty %d of %d", f, empty, lostHom)
	}
}
