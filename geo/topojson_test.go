package geo

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"
)

func decodeFile(t testing.TB, name string) *Topology {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	topo, err := DecodeTopology(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return topo
}

// testdata/small.topojson decoded by hand. The transform maps a quantized position (qx, qy) to
// (100 + qx/2, 30 + qy/2); each arc's positions after the first are deltas, so arc 1, written
// [2,0],[0,2], is at (2,0),(2,2) quantized, (101,30),(101,31) in degrees.
//
//	arc 0: (100,30) (101,30)
//	arc 1: (101,30) (101,31)
//	arc 2: (101,31) (100,31) (100,30)
//	arc 3: (101,30) (102,30) (102,31) (101,31)
//	arc 4: (103,33) (103.5,33) (103.5,33.5) (103,33)
//	arc 5: (100,35) (104,35) (104,39) (100,39) (100,35)
//	arc 6: (101,36) (101,37) (102,37) (102,36) (101,36)
//
// A ring joins its arcs, dropping the first position of each arc after the first (it repeats the
// last one of the arc before); ~1 (written -2) is arc 1 reversed: (101,31) (101,30).
func TestDecodeSmall(t *testing.T) {
	topo := decodeFile(t, "testdata/small.topojson")
	want := []Country{
		{ID: "1", Name: "Square A", Polygons: [][][]Point{
			{{{100, 30}, {101, 30}, {101, 31}, {100, 31}, {100, 30}}}, // arcs 0, 1, 2
		}},
		{ID: "002", Name: "B with an island", Polygons: [][][]Point{
			{{{101, 30}, {102, 30}, {102, 31}, {101, 31}, {101, 30}}}, // arc 3, then arc 1 reversed
			{{{103, 33}, {103.5, 33}, {103.5, 33.5}, {103, 33}}},      // arc 4
		}},
		{ID: "003", Name: "C with a hole", Polygons: [][][]Point{
			{
				{{100, 35}, {104, 35}, {104, 39}, {100, 39}, {100, 35}}, // arc 5
				{{101, 36}, {101, 37}, {102, 37}, {102, 36}, {101, 36}}, // arc 6, the hole
			},
		}},
	}
	for _, c := range []struct {
		name string
		ids  []string
		want []Country
	}{
		{"by id, numeric id as a string", []string{"1", "002", "003"}, want},
		{"in the order asked", []string{"003", "1"}, []Country{want[2], want[0]}},
		{"all polygons without ids", nil, want},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := topo.Countries("countries", c.ids...)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(c.want) {
				t.Fatalf("%d countries, want %d", len(got), len(c.want))
			}
			for i := range got {
				if g, w := sprint(got[i]), sprint(c.want[i]); g != w {
					t.Errorf("country %d:\n got %s\nwant %s", i, g, w)
				}
			}
		})
	}
	if _, err := topo.Countries("countries", "004"); err == nil || !strings.Contains(err.Error(), `"004"`) {
		t.Errorf("a Point geometry drawn: %v", err)
	}
	if land, err := topo.Countries("land"); err != nil || len(land) != 1 || land[0].ID != "" || len(land[0].Polygons[0][0]) != 5 {
		t.Errorf("land (a Polygon object, no id): %+v %v", land, err)
	}
}

func sprint(c Country) string { return fmt.Sprintf("%+v", c) }

// Contains, even-odd: inside A, not in B; in B's island; C's hole is outside C; on no country far
// away.
func TestContains(t *testing.T) {
	cs, err := decodeFile(t, "testdata/small.topojson").Countries("countries", "1", "002", "003")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		country int
		p       Point
		in      bool
	}{
		{0, Point{100.5, 30.5}, true},
		{0, Point{101.5, 30.5}, false},
		{1, Point{101.5, 30.5}, true},
		{1, Point{103.4, 33.1}, true},  // the island
		{1, Point{103.1, 33.4}, false}, // beside it
		{2, Point{100.5, 35.5}, true},
		{2, Point{101.5, 36.5}, false}, // the hole
		{2, Point{105, 36}, false},
		{2, Point{-100, -36}, false},
	} {
		if got := cs[c.country].Contains(c.p); got != c.in {
			t.Errorf("%s contains %v: %v, want %v", cs[c.country].Name, c.p, got, c.in)
		}
	}
	// An island in a lake is land again; an unclosed ring counts as closed.
	nested := Country{Polygons: [][][]Point{
		{{{0, 0}, {10, 0}, {10, 10}, {0, 10}}, {{2, 2}, {8, 2}, {8, 8}, {2, 8}}},
		{{{4, 4}, {6, 4}, {6, 6}, {4, 6}}},
	}}
	for p, want := range map[Point]bool{{1, 1}: true, {3, 3}: false, {5, 5}: true, {11, 5}: false} {
		if got := nested.Contains(p); got != want {
			t.Errorf("nested contains %v: %v", p, got)
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	const arcs = `"arcs": [[[0, 0], [1, 1]], [[1, 1], [0, 0]]]`
	obj := func(geoms string) string {
		return `{"type": "Topology", ` + arcs + `, "objects": {"land": {"type": "GeometryCollection", "geometries": []}, "countries": {"type": "GeometryCollection", "geometries": [` + geoms + `]}}}`
	}
	for _, c := range []struct{ name, in, want string }{
		{"not JSON", `not json`, "topojson: invalid character"},
		{"not a topology", `{"type": "FeatureCollection"}`, `type "FeatureCollection", want Topology`},
		{"short arc", `{"type": "Topology", "arcs": [[[0, 0], [1, 1]], [[0, 0]]]}`, "arc 1 has 1 positions"},
		{"short position", `{"type": "Topology", "arcs": [[[0], [1, 1]]]}`, "arc 0 position 0 has 1 coordinates"},
		{"position not numbers", `{"type": "Topology", "arcs": [[["a", 1], [1, 1]]]}`, "topojson: json"},
		{"zero scale", `{"type": "Topology", "transform": {"scale": [0, 1], "translate": [0, 0]}, "arcs": []}`, "has a zero"},
		{"short transform", `{"type": "Topology", "transform": {"scale": [1], "translate": [0, 0]}, "arcs": []}`, "two scale and two translate"},
		{"overflow", `{"type": "Topology", "transform": {"scale": [1e308, 1], "translate": [0, 0]}, "arcs": [[[1, 0], [1e308, 0]]]}`, "arc 0 position 1 is out of range"},
		{"null object", `{"type": "Topology", "arcs": [], "objects": {"x": null}}`, `object "x" is null`},
		{"null geometry", obj(`null`), `object "countries" geometry 0 is null`},
		{"arc out of range", obj(`{"type": "Polygon", "id": "9", "arcs": [[0, 2]]}`),
			`object "countries" geometry 0 (id "9"): polygon 0 ring 0 arc 1: index 2 refers to arc 2, but there are 2 arcs`},
		{"reversed arc out of range", obj(`{"type": "Polygon", "id": 7, "arcs": [[0, 1], [-3]]}`),
			`geometry 0 (id "7"): polygon 0 ring 1 arc 0: index -3 refers to arc 2`},
		{"multipolygon arc out of range", obj(`{"type": "Polygon", "arcs": [[0, -2]]}, {"type": "MultiPolygon", "id": "8", "arcs": [[[0, 1]], [[0, 99]]]}`),
			`geometry 1 (id "8"): polygon 1 ring 0 arc 1: index 99`},
		{"empty ring", obj(`{"type": "Polygon", "id": "6", "arcs": [[]]}`), `(id "6"): polygon 0 ring 0 has no arcs`},
		{"no arcs", obj(`{"type": "MultiPolygon", "id": "5"}`), `(id "5"): no arcs`},
		{"null arcs", obj(`{"type": "Polygon", "id": "5", "arcs": null}`), `(id "5"): no arcs`},
		{"arcs of the wrong shape", obj(`{"type": "Polygon", "id": "4", "arcs": [0, 1]}`), `(id "4"): arcs: json`},
		{"fractional arc index", obj(`{"type": "Polygon", "id": "3", "arcs": [[0.5]]}`), `(id "3"): arcs: json`},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, err := DecodeTopology(strings.NewReader(c.in)); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one with %q", err, c.want)
			}
		})
	}

	topo, err := DecodeTopology(strings.NewReader(obj(`{"type": "Point", "id": "8", "coordinates": [0, 0]}, {"type": "Polygon", "id": "9", "arcs": [[0, 1]]}`)))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ object, id, want string }{
		{"countries", "8", `object "countries" geometry "8": type "Point" is not a polygon`},
		{"countries", "6", `object "countries" has no geometry "6"`},
		{"rivers", "9", `no object "rivers"`},
	} {
		if _, err := topo.Countries(c.object, "9", c.id); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %s: error %v, want one with %q", c.object, c.id, err, c.want)
		}
	}
}

// Whatever decodes can be drawn, tested and clustered without a panic: every arc reference was
// checked when it was decoded.
func FuzzDecodeTopology(f *testing.F) {
	for _, name := range []string{"testdata/small.topojson"} {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"type": "Topology", "arcs": [[[0, 0], [1, 1]]], "objects": {"countries": {"type": "GeometryCollection", "geometries": [{"type": "Polygon", "id": "1", "arcs": [[-1]]}]}}}`))
	f.Add([]byte(`{"type": "Topology", "transform": {"scale": [0.01, 0.01], "translate": [124, 33]}, "arcs": [[[0, 0], [300, 0], [0, 300], [-300, -300]]], "objects": {"k": {"type": "MultiPolygon", "id": 410, "arcs": [[[0]], [[-1]]]}}}`))
	f.Add([]byte(`{"type": "Topology", "arcs": [[[0, 0], [1, 1]]], "objects": {"c": {"type": "Polygon", "arcs": [[1]]}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		topo, err := DecodeTopology(bytes.NewReader(data))
		if err != nil {
			if topo != nil {
				t.Fatal("a topology with an error")
			}
			return
		}
		for name, gs := range topo.objects {
			all, err := topo.Countries(name)
			if err != nil {
				t.Fatalf("object %q: %v", name, err)
			}
			seen := map[string]bool{}
			for _, g := range gs {
				// Where ids repeat the first geometry answers, polygon or not.
				if _, err := topo.Countries(name, g.id); err != nil && g.polys != nil && !seen[g.id] {
					t.Fatalf("object %q geometry %q: %v", name, g.id, err)
				}
				seen[g.id] = true
			}
			for _, c := range all {
				Korea(700).Path(c.Polygons)
				Frame{MinLon: -180, MinLat: -90, MaxLon: 180, MaxLat: 90, Width: 100}.Path(c.Polygons)
				c.Contains(Point{127, 37})
			}
		}
	})
}
