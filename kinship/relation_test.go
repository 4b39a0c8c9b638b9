package kinship

import (
	"strings"
	"testing"
)

func TestDescribe(t *testing.T) {
	ped, err := NewPedigree([]Person{
		{ID: "GF", Sex: Male}, {ID: "GM", Sex: Female},
		{ID: "F", Father: "GF", Mother: "GM", Sex: Male}, {ID: "U", Father: "GF", Mother: "GM", Sex: Male},
		{ID: "M", Sex: Female}, {ID: "M2", Sex: Female}, {ID: "W", Sex: Female},
		{ID: "A", Father: "F", Mother: "M", Sex: Male}, {ID: "B", Father: "F", Mother: "M", Sex: Female},
		{ID: "H", Father: "F", Mother: "M2", Sex: Male},
		{ID: "C", Father: "U", Mother: "W", Sex: Male},
		{ID: "X", Sex: Male},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ a, b, want string }{
		{"A", "B", "full siblings"},
		{"A", "H", "half siblings"},
		{"F", "A", "parent-child"},
		{"A", "GF", "grandparent-grandchild"},
		{"U", "A", "avuncular"},
		{"A", "C", "first cousins"},
		{"A", "X", "unrelated"},
		{"M", "F", "unrelated"},
		{"A", "A", "the same person"},
	} {
		got, err := ped.Describe(c.a, c.b)
		if err != nil || got != c.want {
			t.Errorf("%s-%s: %q %v, want %q", c.a, c.b, got, err, c.want)
		}
		if rel := ped.Related(c.a, c.b); rel != (c.want != "unrelated") {
			t.Errorf("%s-%s: Related %v", c.a, c.b, rel)
		}
	}
	if _, err := ped.Describe("A", "nobody"); err == nil {
		t.Error("unknown id accepted")
	}
}

func TestLines(t *testing.T) {
	ped, err := NewPedigree([]Person{
		{ID: "GF", Sex: Male}, {ID: "GM", Sex: Female},
		{ID: "F", Father: "GF", Mother: "GM", Sex: Male}, {ID: "AUNT", Father: "GF", Mother: "GM", Sex: Female},
		{ID: "M", Sex: Female}, {ID: "UNC", Sex: Male},
		{ID: "MP", Father: "F", Mother: "M", Sex: Male}, {ID: "SIS", Father: "F", Mother: "M", Sex: Female},
		{ID: "COUS", Father: "UNC", Mother: "AUNT", Sex: Male},
	})
	if err != nil {
		t.Fatal(err)
	}
	// MP's mtDNA is his mother's: M, MP, SIS. His Y is his father's line: GF, F, MP (not COUS, whose
	// father is UNC).
	if got := strings.Join(ped.MaternalLine("MP"), ","); got != "M,MP,SIS" {
		t.Errorf("maternal line %s", got)
	}
	if got := strings.Join(ped.PaternalLine("MP"), ","); got != "GF,F,MP" {
		t.Errorf("paternal line %s", got)
	}
	// The father's maternal line runs through his mother GM to his sister and her son.
	if got := strings.Join(ped.MaternalLine("F"), ","); got != "GM,F,AUNT,COUS" {
		t.Errorf("F's maternal line %s", got)
	}
	if ped.MaternalLine("nobody") != nil {
		t.Error("unknown id")
	}
}

func TestSVG(t *testing.T) {
	ped, err := NewPedigree([]Person{
		{ID: "GF", Sex: Male}, {ID: "GM", Sex: Female},
		{ID: "F", Father: "GF", Mother: "GM", Sex: Male}, {ID: "M", Sex: Female},
		{ID: "MP", Father: "F", Mother: "M", Sex: Male}, {ID: "<script>", Father: "F", Mother: "M"},
	})
	if err != nil {
		t.Fatal(err)
	}
	svg := ped.SVG(map[string]bool{"M": true}, map[string]bool{"MP": true})
	if !strings.HasPrefix(svg, "<svg") || strings.Count(svg, "<rect") != 3 || strings.Count(svg, "<circle") != 2 || strings.Count(svg, "<polygon") != 1 {
		t.Errorf("shapes: %s", svg)
	}
	if strings.Contains(svg, "<script>") || !strings.Contains(svg, "&lt;script&gt;") {
		t.Error("ids are not escaped")
	}
	if !strings.Contains(svg, `fill="#8fb3d9"`) || !strings.Contains(svg, ">?</text>") {
		t.Error("typed or missing marks absent")
	}
	// Three generations: the missing person is drawn two rows below the grandparents.
	if strings.Count(svg, "<polyline") != 3 {
		t.Errorf("child lines: %d", strings.Count(svg, "<polyline"))
	}
	// The layout: generations 90 units apart, the married-in mother beside the father.
	y := map[string]float64{}
	for _, n := range ped.Layout().Nodes {
		y[n.ID] = n.Y
	}
	if y["GF"] != y["GM"] || y["F"]-y["GF"] != 90 || y["M"] != y["F"] || y["MP"]-y["GF"] != 180 {
		t.Errorf("rows: %v", y)
	}
}
