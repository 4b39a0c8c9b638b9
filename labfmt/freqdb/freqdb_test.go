package freqdb

import (
	"math"
	"strings"
	"testing"
)

func TestShippedDatabases(t *testing.T) {
	names, err := Shipped()
	if err != nil {
		t.Fatal(err)
	}
	if len(names) < 20 {
		t.Fatalf("only %d shipped databases: %v", len(names), names)
	}
	for _, n := range names {
		d, err := Load(n)
		if err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		if len(d.Markers) == 0 {
			t.Errorf("%s: no markers", n)
		}
		for _, m := range d.Markers {
			if s := m.Sum(); math.Abs(s-1) > 0.02 {
				t.Errorf("%s %s: frequencies sum to %v", n, m.Name, s)
			}
		}
	}
	nist, _ := Load("nist-all")
	th01 := nist.Marker("th01")
	if th01 == nil || th01.N != 1036 || len(nist.Markers) != 29 {
		t.Fatalf("NIST: %d markers, TH01 %+v", len(nist.Markers), th01)
	}
	if pe := nist.Marker("PENTA_E"); pe == nil || pe.Name != "Penta_E" {
		t.Errorf("Penta E lookup: %+v", pe)
	}
	// Values as printed in the source table.
	found := false
	for i, a := range th01.Alleles {
		if a == "9.3" {
			found = th01.Freqs[i] > 0.2 && th01.Freqs[i] < 0.4
		}
	}
	if !found {
		t.Errorf("TH01 9.3 not read: %+v", th01)
	}
	eu, _ := Load("EuropaDB_v2023")
	if d1 := eu.Marker("D1S1656"); d1 == nil || d1.Alleles[0] != "9" || d1.Freqs[0] != 0.001 {
		t.Errorf("norSTR D1S1656: %+v", d1)
	}
	at, err := Load("strider-AUSTRIA")
	if err != nil || at.Marker("VWA") == nil || at.Marker("VWA").N != 222 || at.Marker("VWA").Alleles[0] != "14" {
		t.Errorf("STRidER Austria: %v %+v", err, at)
	}
	if _, err := Load("nonesuch"); err == nil {
		t.Error("unknown database loaded")
	}
}

func TestMissingAlleleRule(t *testing.T) {
	m := Marker{Name: "TH01", Alleles: []string{"6", "7"}, Freqs: []float64{0.4, 0.6}, N: 100}
	got, adds, err := m.WithAlleles([]string{"7", "10.3", "6"}, MissingAlleleRule{})
	if err != nil {
		t.Fatal(err)
	}
	if len(adds) != 1 || adds[0].Allele != "10.3" || adds[0].Freq != 0.025 || !strings.Contains(adds[0].Reason, "5/(2N)") {
		t.Errorf("additions %+v", adds)
	}
	if len(got.Alleles) != 3 || len(m.Alleles) != 2 {
		t.Error("the database marker was changed in place")
	}
	got, adds, _ = m.WithAlleles([]string{"8"}, MissingAlleleRule{MinFreq: 0.01, Renormalize: true})
	if math.Abs(got.Sum()-1) > 1e-15 || math.Abs(adds[0].Freq-0.01/1.01) > 1e-15 {
		t.Errorf("renormalised %+v %+v", got, adds)
	}
	noN := Marker{Name: "X", Alleles: []string{"1"}, Freqs: []float64{1}}
	if _, _, err := noN.WithAlleles([]string{"2"}, MissingAlleleRule{}); err == nil || !strings.Contains(err.Error(), "marker X: allele 2") {
		t.Errorf("no rule: %v", err)
	}
}

func TestReadErrorsNameTheLine(t *testing.T) {
	_, err := ReadFamilias(strings.NewReader("TH01\n6\t0.5\n7\tabc\n"), "db")
	if err == nil || !strings.Contains(err.Error(), "line 3 marker TH01 allele 7") {
		t.Errorf("familias: %v", err)
	}
	_, err = ReadCSV(strings.NewReader("marker,allele,frequency\nTH01,6,0.5\nTH01,6,0.5\n"), "db")
	if err == nil || !strings.Contains(err.Error(), "allele 6 appears twice") {
		t.Errorf("csv duplicate: %v", err)
	}
	_, err = ReadNIST(strings.NewReader("STR;TH01\nN;10\n6;1.5\n"), "db")
	if err == nil || !strings.Contains(err.Error(), "line 3 marker TH01 allele 6") {
		t.Errorf("nist: %v", err)
	}
}

func FuzzReadFamilias(f *testing.F) {
	f.Add("TH01\n6\t0.5\n7\t0.5\n\nFGA\n20\t1\n")
	f.Fuzz(func(t *testing.T, s string) { ReadFamilias(strings.NewReader(s), "fuzz") })
}

func FuzzReadNIST(f *testing.F) {
	f.Add("\ufeffSTR;TH01;FGA\nN;10;10\nAllele;;\n6;0.5;\n20;;1\n")
	f.Fuzz(func(t *testing.T, s string) { ReadNIST(strings.NewReader(s), "fuzz") })
}

func FuzzReadCSV(f *testing.F) {
	f.Add("marker,allele,frequency\nTH01,6,0.5\n")
	f.Fuzz(func(t *testing.T, s string) { ReadCSV(strings.NewReader(s), "fuzz") })
}

func FuzzReadSTRidER(f *testing.F) {
	f.Add(`<frequencies><marker><name>VWA</name><origin name="X" n="2"><frequency allele="14">0.5</frequency></origin></marker></frequencies>`)
	f.Fuzz(func(t *testing.T, s string) { ReadSTRidER(strings.NewReader(s)) })
}

// The X and SNP databases ship marked: Argus X-12 and XFORCE as X, FORCE autosomal; a CSV's
// chrom column is checked row by row.
func TestXAndSNPDatabases(t *testing.T) {
	for name, want := range map[string]struct {
		markers int
		chrom   string
	}{"argus-x12-argentina": {12, "X"}, "forrel_XFORCE": {246, "X"}, "forrel_FORCE": {3930, ""}} {
		d, err := Load(name)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Markers) != want.markers {
			t.Errorf("%s: %d markers, want %d", name, len(d.Markers), want.markers)
		}
		for _, m := range d.Markers {
			if m.Chrom != want.chrom {
				t.Fatalf("%s %s: chrom %q, want %q", name, m.Name, m.Chrom, want.chrom)
			}
		}
	}
	if hp := mustLoad(t, "argus-x12-argentina").Marker("HPRTB"); hp == nil || hp.Chrom != "X" {
		t.Errorf("HPRTB: %+v", hp)
	}
	for in, want := range map[string]string{
		"marker,allele,frequency,chrom\nA,1,0.5,X\nA,2,0.5,\n": "differs from the marker's earlier rows",
		"marker,allele,frequency,chrom\nA,1,0.5,Y\n":           `chrom "Y" must be X or empty`,
		"marker,allele,frequency,chrom\nA,1,0.5\n":             "line 2: 3 fields, the header has 4",
	} {
		if _, err := ReadCSV(strings.NewReader(in), "t"); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", in, err, want)
		}
	}
}

func mustLoad(t *testing.T, name string) *Database {
	d, err := Load(name)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
