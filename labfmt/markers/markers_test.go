package markers

import (
	"strings"
	"testing"
)

func TestCanonical(t *testing.T) {
	tab := Default()
	for _, c := range []struct{ in, want string }{
		{"vWA", "vWA"}, {"VWA", "vWA"}, {"vwa", "vWA"},
		{"Penta D", "Penta D"}, {"PentaD", "Penta D"}, {"PENTA_D", "Penta D"}, {"Penta_E", "Penta E"},
		{"Amelogenin", "AMEL"}, {"AMEL", "AMEL"}, {"AM", "AMEL"},
		{"DYS385a/b", "DYS385"}, {"DYS385 a/b", "DYS385"}, {"DYS385", "DYS385"},
		{"TH01", "TH01"}, {"THO1", "TH01"}, {"D3S1358", "D3S1358"}, {"d3s1358", "D3S1358"},
		{"D21S11", "D21S11"}, {"FIBRA", "FGA"}, {"Y GATA H4", "Y-GATA-H4"}, {"YGATAH4", "Y-GATA-H4"},
		{"DYS389 II", "DYS389II"}, {"DYF387S1a/b", "DYF387S1"},
	} {
		got, ok := tab.Canonical(c.in)
		if !ok || got != c.want {
			t.Errorf("%q: %q %v, want %q", c.in, got, ok, c.want)
		}
	}
	if got, ok := tab.Canonical(" D99S999 "); ok || got != "D99S999" {
		t.Errorf("unknown marker: %q %v", got, ok)
	}
	if !IsY("DYS391") || IsY("D3S1358") || !IsSex("AMEL") {
		t.Error("IsY/IsSex")
	}
}

func TestLoadCSV(t *testing.T) {
	tab := Default()
	err := tab.LoadCSV(strings.NewReader("alias,canonical\n# lab names\nD99,D99S999\nvW-A,vWA\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := tab.Canonical("d99"); !ok || got != "D99S999" {
		t.Errorf("added alias: %q %v", got, ok)
	}
	if got, _ := tab.Canonical("D99S999"); got != "D99S999" {
		t.Errorf("new canonical name: %q", got)
	}
	if err := tab.LoadCSV(strings.NewReader("VWA,FGA\n")); err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Errorf("conflicting alias: %v", err)
	}
	if err := tab.LoadCSV(strings.NewReader("a,b,c\n")); err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Errorf("three fields: %v", err)
	}
}

func FuzzLoadCSV(f *testing.F) {
	f.Add("alias,canonical\nD99,D99S999\n")
	f.Add("vWA,FGA\n\"x")
	f.Fuzz(func(t *testing.T, s string) {
		tab := Default()
		_ = tab.LoadCSV(strings.NewReader(s))
		// Whatever was loaded, the built-in names still resolve.
		if got, ok := tab.Canonical("D3S1358"); !ok || got != "D3S1358" {
			t.Fatalf("D3S1358 -> %q %v", got, ok)
		}
	})
}
