package dvi

import (
	"math"
	"strings"
	"testing"
)

var freqs = Frequencies{
	"D3":   {"14": 0.1, "15": 0.2, "16": 0.3, "17": 0.4},
	"TH01": {"6": 0.25, "7": 0.25, "9.3": 0.5},
}

func TestCompare(t *testing.T) {
	a := Profile{Sample: "S1", Alleles: map[string][]string{"D3": {"14", "16"}, "TH01": {"9.3", "9.3"}}}
	b := Profile{Sample: "S2", Alleles: map[string][]string{"D3": {"16", "14"}, "TH01": {"9.3", "9.3"}}}
	m, err := Compare(a, b, freqs, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	// 1/(2*0.1*0.3) * 1/(0.5^2) = 16.666... * 4
	want := 1 / (2 * 0.1 * 0.3) / (0.5 * 0.5)
	if m.Compared != 2 || math.Abs(m.LR-want)/want > 1e-12 || len(m.Mismatches) != 0 {
		t.Errorf("match %+v want LR %v", m, want)
	}
	// With theta, NRC II 4.10: homozygote [2t+(1-t)p][3t+(1-t)p]/[(1+t)(1+2t)].
	mt, _ := Compare(a, b, freqs, 0.01, 0)
	th := 0.01
	hom := (2*th + (1-th)*0.5) * (3*th + (1-th)*0.5) / ((1 + th) * (1 + 2*th))
	het := 2 * (th + (1-th)*0.1) * (th + (1-th)*0.3) / ((1 + th) * (1 + 2*th))
	if w := 1 / hom / het; math.Abs(mt.LR-w)/w > 1e-12 || mt.LR >= m.LR {
		t.Errorf("theta LR %v, want %v (and below %v)", mt.LR, w, m.LR)
	}
	c := Profile{Sample: "S3", Alleles: map[string][]string{"D3": {"14", "17"}, "TH01": {"9.3", "9.3"}}}
	m, _ = Compare(a, c, freqs, 0, 0)
	if m.LR != 0 || len(m.Mismatches) != 1 || m.Mismatches[0] != "D3" {
		t.Errorf("mismatch %+v", m)
	}
	m, _ = Compare(a, c, freqs, 0, 1)
	if math.Abs(m.LR-4)/4 > 1e-12 {
		t.Errorf("allowed mismatch LR %v, want 4 (TH01 only)", m.LR)
	}
	bad := Profile{Sample: "S4", Alleles: map[string][]string{"D3": {"14", "99"}}}
	if _, err := Compare(bad, bad, freqs, 0, 0); err == nil || !strings.Contains(err.Error(), "sample S4 marker D3: allele 99") {
		t.Errorf("unknown allele: %v", err)
	}
}

func TestGroup(t *testing.T) {
	ps := []Profile{
		{Sample: "femur-L", Alleles: map[string][]string{"D3": {"14", "16"}, "TH01": {"6", "7"}}},
		{Sample: "tooth", Alleles: map[string][]string{"D3": {"14", "16"}, "TH01": {"7", "6"}}},
		{Sample: "rib-partial", Alleles: map[string][]string{"D3": {"14"}, "TH01": {"6", "7"}}},
		{Sample: "cranium", Alleles: map[string][]string{"D3": {"15", "17"}, "TH01": {"9.3", "9.3"}}},
	}
	inds, links, err := Group(ps, freqs, 0, 5, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(inds) != 2 || strings.Join(inds[1].Samples, ",") != "femur-L,rib-partial,tooth" {
		t.Fatalf("individuals %+v", inds)
	}
	if g := inds[1].Consensus["D3"]; len(g) != 2 || g[0] != "14" || g[1] != "16" || len(inds[1].Conflicts) != 0 {
		t.Errorf("consensus %+v", inds[1])
	}
	if len(links) != 3 {
		t.Errorf("links %+v", links)
	}
	// A sample matching two people's halves is a conflict, reported.
	ps = append(ps, Profile{Sample: "odd", Alleles: map[string][]string{"D3": {"17", "16"}, "TH01": {"6", "7"}}})
	inds, _, err = Group(ps, freqs, 0, 5, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	conflicts := 0
	for _, in := range inds {
		conflicts += len(in.Conflicts)
	}
	if conflicts == 0 {
		t.Errorf("no conflict reported: %+v", inds)
	}
	if _, _, err := Group([]Profile{ps[0], ps[0]}, freqs, 0, 10, 0, 1); err == nil {
		t.Error("duplicate sample accepted")
	}
}
