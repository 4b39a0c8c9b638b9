package markers

import (
	"strings"
	"testing"
)

// Every built-in alias, spelled as labs and kits spell it, with the canonical name written out by
// hand (NIST STRBase spelling; AMEL for amelogenin). TestEveryAliasListed fails when an alias is
// added to the table without a line here.
var aliasCases = []struct{ in, want string }{
	{"Amelogenin", "AMEL"}, {"AMELOGENIN", "AMEL"}, {"AM", "AMEL"}, {"Amel", "AMEL"},
	{"THO1", "TH01"}, {"tho1", "TH01"},
	{"FIBRA", "FGA"}, {"FGA (FIBRA)", "FGA"},
	{"PentaD", "Penta D"}, {"Penta_D", "Penta D"}, {"PENTA D", "Penta D"}, {"PD", "Penta D"},
	{"PentaE", "Penta E"}, {"PENTA_E", "Penta E"}, {"PE", "Penta E"},
	{"ACTBP2", "SE33"},
	{"DYS385a/b", "DYS385"}, {"DYS385 a/b", "DYS385"}, {"DYS385ab", "DYS385"}, {"DYS385a", "DYS385"}, {"DYS385b", "DYS385"},
	{"DYF387S1a/b", "DYF387S1"}, {"DYF387S1 ab", "DYF387S1"},
	{"DYS389I", "DYS389I"}, {"DYS389 1", "DYS389I"}, {"DYS389II", "DYS389II"}, {"DYS389 2", "DYS389II"},
	{"YGATAH4", "Y-GATA-H4"}, {"GATA H4", "Y-GATA-H4"}, {"GATA_H4.1", "Y-GATA-H4"},
	{"CSF1P0", "CSF1PO"}, {"TP0X", "TPOX"},
	{"D1", "D1S1656"}, {"D3", "D3S1358"}, {"D5", "D5S818"}, {"D6", "D6S1043"}, {"D7", "D7S820"},
	{"D8", "D8S1179"}, {"D10", "D10S1248"}, {"D12", "D12S391"}, {"D13", "D13S317"}, {"D16", "D16S539"},
	{"D18", "D18S51"}, {"D19", "D19S433"}, {"D21", "D21S11"}, {"D22", "D22S1045"},
	// Spellings that normalisation (case, spaces, _ - .) joins to a canonical name.
	{"vWA", "vWA"}, {"VWA", "vWA"}, {"vwa", "vWA"}, {"D21S11", "D21S11"}, {"d21s11", "D21S11"},
	{"TH01", "TH01"}, {"csf1po", "CSF1PO"}, {"D2S1338", "D2S1338"}, {"D2S441", "D2S441"},
	{"D19S433", "D19S433"}, {"D1S1656", "D1S1656"}, {"D10S1248", "D10S1248"}, {"D12S391", "D12S391"},
	{"D22S1045", "D22S1045"}, {"SE33", "SE33"}, {"DYS391", "DYS391"}, {"Y-GATA-H4", "Y-GATA-H4"},
}

func TestAliases(t *testing.T) {
	for _, c := range aliasCases {
		got, ok := Canonical(c.in)
		if !ok || got != c.want {
			t.Errorf("Canonical(%q) = %q %v, want %q", c.in, got, ok, c.want)
		}
	}
	// Unknown and ambiguous names are reported, never dropped or guessed.
	for _, in := range []string{"D2", "D99S999", "Penta F", "", "DYS999a/b"} {
		if got, ok := Canonical(in); ok || got != strings.TrimSpace(in) {
			t.Errorf("Canonical(%q) = %q %v, want unknown", in, got, ok)
		}
	}
}

func TestEveryAliasListed(t *testing.T) {
	listed := map[string]bool{}
	for _, c := range aliasCases {
		listed[fastKey(c.in)] = true
	}
	for a := range builtin {
		if !listed[fastKey(a)] {
			t.Errorf("built-in alias %q has no line in aliasCases", a)
		}
	}
	for _, c := range canonical {
		if got, ok := Canonical(c); !ok || got != c {
			t.Errorf("canonical %q maps to %q %v", c, got, ok)
		}
	}
}

func TestLoadTable(t *testing.T) {
	tab := Default()
	if err := tab.LoadTable(strings.NewReader("alias,canonical\nD2,D2S1338\n")); err != nil {
		t.Fatal(err)
	}
	if got, ok := tab.Canonical("d2"); !ok || got != "D2S1338" {
		t.Errorf("lab alias: %q %v", got, ok)
	}
	// The package-level table is not changed by a table built from Default.
	if _, ok := Canonical("D2"); ok {
		t.Error("Default() shares its map with the package table")
	}
	if err := tab.LoadTable(strings.NewReader("D2,D2S441\n")); err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Errorf("re-mapping an alias: %v", err)
	}
}
