package chart

import (
	"encoding/xml"
	"strings"
	"testing"

	"github.com/homeward/homeward"
)

func TestTicks(t *testing.T) {
	for _, c := range []struct {
		top  float64
		want []float64
	}{
		{0, []float64{0, 1}},
		{3, []float64{0, 1, 2, 3}},
		{7, []float64{0, 2, 4, 6, 8}},
		{95, []float64{0, 20, 40, 60, 80, 100}},
		{100, []float64{0, 20, 40, 60, 80, 100}},
		{1234, []float64{0, 500, 1000, 1500}},
	} {
		got := Ticks(c.top, 5)
		if len(got) != len(c.want) {
			t.Errorf("Ticks(%v) = %v, want %v", c.top, got, c.want)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("Ticks(%v) = %v, want %v", c.top, got, c.want)
				break
			}
		}
	}
}

// The chart is well-formed XML with a title, one polyline per series whose points climb as the
// values do, labels escaped; mismatched series are refused.
func TestLinesSVG(t *testing.T) {
	c := Lines{Title: "Progress <K55>", Labels: []string{"2018-07", "2018-08", "2018-09"}, Series: []Series{
		{Name: "containers", Values: []float64{10, 55, 55}}, {Name: "identifications", Values: []float64{0, 0, 3}}}}
	svg, err := c.SVG()
	if err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal([]byte(svg), new(struct{})); err != nil {
		t.Fatalf("not XML: %v", err)
	}
	if !strings.Contains(svg, "<title id=\"chart-title\">Progress &lt;K55&gt;</title>") || strings.Count(svg, `class="series"`) != 2 {
		t.Errorf("svg: %s", svg)
	}
	// x runs over the 648-wide plot from 56 to 704; ticks go to 60 over a 240-high plot from y=16:
	// 55 sits at 16 + 240*(1-55/60) = 36.0 and 10 at 216.0.
	if !strings.Contains(svg, `points="56.0,216.0 380.0,36.0 704.0,36.0"`) {
		t.Errorf("containers line: %s", svg)
	}
	c.Series[1].Values = c.Series[1].Values[:2]
	if _, err := c.SVG(); err == nil || !strings.Contains(err.Error(), "identifications") {
		t.Errorf("short series: %v", err)
	}
}

// Progress charts running totals: 2 then 3 containers, and the totals row is not a month.
func TestProgress(t *testing.T) {
	p := &homeward.Progress{Rows: []homeward.ProgressRow{{Month: "2018-07", Containers: 2, Specimens: 5}, {Month: "2018-08", Containers: 1, Identifications: 1}},
		Totals: homeward.ProgressRow{Month: "total", Containers: 3, Specimens: 5, Identifications: 1}}
	c := Progress(p, "K55")
	if len(c.Labels) != 2 || c.Series[0].Values[1] != 3 || c.Series[1].Values[1] != 5 || c.Series[3].Values[0] != 0 || c.Series[3].Values[1] != 1 {
		t.Errorf("%+v", c)
	}
	if _, err := c.SVG(); err != nil {
		t.Error(err)
	}
}
