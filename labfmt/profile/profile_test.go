package profile

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestGenotype(t *testing.T) {
	p := Profile{Sample: "S1", Loci: []Locus{
		{Marker: "TH01", Alleles: []string{"6", "9.3"}},
		{Marker: "FGA", Alleles: []string{"21"}},                // homozygote given once
		{Marker: "vWA", Alleles: []string{"16", "16"}},          // homozygote given twice
		{Marker: "D3S1358", Alleles: []string{"15", "OL"}},      // an off-ladder partner
		{Marker: "D8S1179", Alleles: []string{"OL"}},            // nothing designated
		{Marker: "DYS391", Alleles: []string{"10"}},             // Y: one copy
		{Marker: "DYS385", Alleles: []string{"13", "14"}},       // Y: duplicated locus
		{Marker: "AMEL", Alleles: []string{"X"}},                // female, X given once
		{Marker: "D21S11", Alleles: []string{"29", "30", "31"}}, // as called, not limited here
	}}
	for _, c := range []struct {
		marker string
		rule   OffLadderRule
		want   string // "" = no genotype
	}{
		{"TH01", OLUnknown, "6/9.3"}, {"FGA", OLUnknown, "21/21"}, {"vWA", OLUnknown, "16/16"},
		{"D3S1358", OLUnknown, ""}, {"D3S1358", OLIgnore, "15/15"},
		{"D8S1179", OLUnknown, ""}, {"D8S1179", OLIgnore, ""},
		{"DYS391", OLUnknown, "10"}, {"DYS385", OLUnknown, "13/14"}, {"AMEL", OLUnknown, "X/X"},
		{"D21S11", OLUnknown, "29/30/31"}, {"SE33", OLUnknown, ""},
	} {
		g, ok := p.GenotypeRule(c.marker, c.rule)
		if got := strings.Join(g, "/"); got != c.want || ok != (c.want != "") {
			t.Errorf("%s rule %d: %q %v, want %q", c.marker, c.rule, got, ok, c.want)
		}
	}
	if g, ok := p.Genotype("D3S1358"); ok || g != nil {
		t.Errorf("default rule must be OLUnknown: %v %v", g, ok)
	}
}

func TestValidate(t *testing.T) {
	ok := Profile{Sample: "R1", Role: RoleReference, Loci: []Locus{
		{Marker: "TH01", Alleles: []string{"6", "6"}, Sizes: []float64{160.1, 160.1}, Heights: []float64{900, 880}},
		{Marker: "AMEL", Alleles: []string{"X", "Y"}},
		{Marker: "DYS385", Alleles: []string{"13", "14"}},
		{Marker: "D3S1358", Alleles: []string{"15", "16", "OL"}}, // OL is not a third allele
	}}
	if err := ok.Validate(); err != nil {
		t.Errorf("valid reference: %v", err)
	}
	for _, c := range []struct {
		name string
		p    Profile
		want []string // every part must appear in the error
	}{
		{"three alleles in a reference", Profile{Sample: "R2", Role: RoleReference, Loci: []Locus{{Marker: "FGA", Alleles: []string{"20", "21", "22"}}}},
			[]string{`sample "R2" marker "FGA"`, "3 alleles"}},
		{"three alleles in an elimination sample", Profile{Sample: "E1", Role: RoleElimination, Loci: []Locus{{Marker: "FGA", Alleles: []string{"20", "21", "22"}}}},
			[]string{`sample "E1" marker "FGA"`}},
		{"amelogenin Z", Profile{Sample: "V1", Role: RoleVictim, Loci: []Locus{{Marker: "AMEL", Alleles: []string{"X", "Z"}}}},
			[]string{`sample "V1" marker "AMEL"`, `"Z"`}},
		{"sizes short", Profile{Sample: "V2", Loci: []Locus{{Marker: "TH01", Alleles: []string{"6", "7"}, Sizes: []float64{160}}}},
			[]string{`marker "TH01"`, "1 sizes for 2 alleles"}},
		{"marker twice", Profile{Sample: "V3", Loci: []Locus{{Marker: "TH01", Alleles: []string{"6"}}, {Marker: "TH01", Alleles: []string{"7"}}}},
			[]string{`marker "TH01": appears twice`}},
		{"no name, bad role", Profile{Role: "suspect", Loci: []Locus{{Marker: " ", Alleles: []string{"6"}}}},
			[]string{"empty sample name", `role "suspect"`, "without a marker name"}},
	} {
		err := c.p.Validate()
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: %q lacks %q", c.name, err, w)
			}
		}
	}
	// A victim sample may show more than two alleles (a mixture); it is kept as called.
	mix := Profile{Sample: "V4", Role: RoleVictim, Loci: []Locus{{Marker: "FGA", Alleles: []string{"20", "21", "22"}}}}
	if err := mix.Validate(); err != nil {
		t.Errorf("victim mixture: %v", err)
	}
}

func TestProblemAndReport(t *testing.T) {
	p := Problem{Line: 3, Sample: "S1", Marker: "TH01", Field: "Allele 2", Message: "bad"}
	if got := p.String(); got != `line 3 sample "S1" marker "TH01" Allele 2: bad` {
		t.Errorf("String: %q", got)
	}
	if got := (Problem{Message: "only"}).String(); got != "only" {
		t.Errorf("bare: %q", got)
	}
	r := NewReport()
	b, _ := json.Marshal(r)
	for _, k := range []string{`"warnings":[]`, `"rejected":[]`, `"left_out":[]`, `"unknown_markers":[]`} {
		if !strings.Contains(string(b), k) {
			t.Errorf("empty report JSON %s lacks %s", b, k)
		}
	}
	r.Warn(p)
	r.Reject(p)
	if len(r.Warnings) != 1 || len(r.Rejected) != 1 {
		t.Errorf("Warn/Reject: %+v", r)
	}
}
