package geo

import (
	"bytes"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/homeward/homeward/assets"
)

func load(t testing.TB, name string) *Topology {
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	topo, err := DecodeTopology(f)
	if err != nil {
		t.Fatal(err)
	}
	return topo
}

// The small topology decoded by hand: quantized deltas times 0.5 plus (100, 30); ring A joins arcs
// 0, 1, 2 dropping each joint's repeated position; B runs arc 3 then arc 1 reversed (~1 = -2).
func TestDecodeSmall(t *testing.T) {
	topo := load(t, "testdata/small.topojson")
	cs, err := topo.Countries("countries", "1", "002", "003")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][][]Point{
		"1":   {{{100, 30}, {101, 30}, {101, 31}, {100, 31}, {100, 30}}},
		"002": {{{101, 30}, {102, 30}, {102, 31}, {101, 31}, {101, 30}}, {{103, 33}, {103.5, 33}, {103.5, 33.5}, {103, 33}}},
	}
	for _, c := range cs[:2] {
		var got [][]Point
		for _, poly := range c.Polygons {
			got = append(got, poly...)
		}
		if len(got) != len(want[c.ID]) {
			t.Fatalf("%s: %v", c.ID, got)
		}
		for i := range got {
			if len(got[i]) != len(want[c.ID][i]) {
				t.Fatalf("%s ring %d: %v, want %v", c.ID, i, got[i], want[c.ID][i])
			}
			for k := range got[i] {
				if got[i][k] != want[c.ID][i][k] {
					t.Errorf("%s ring %d point %d: %v, want %v", c.ID, i, k, got[i][k], want[c.ID][i][k])
				}
			}
		}
	}
	if cs[0].Name != "Square A" || len(cs[1].Polygons) != 2 || len(cs[2].Polygons[0]) != 2 {
		t.Errorf("names/shapes: %+v", cs)
	}
	// Contains: inside A, not in B; C's hole is outside C.
	for _, c := range []struct {
		country int
		p       Point
		in      bool
	}{
		{0, Point{100.5, 30.5}, true}, {0, Point{101.5, 30.5}, false}, {1, Point{101.5, 30.5}, true},
		{1, Point{103.2, 33.1}, true}, {2, Point{100.5, 35.5}, true}, {2, Point{101.5, 36.5}, false}, {2, Point{105, 36}, false},
	} {
		if got := cs[c.country].Contains(c.p); got != c.in {
			t.Errorf("%s contains %v: %v", cs[c.country].Name, c.p, got)
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`{"type": "FeatureCollection"}`, "want Topology"},
		{`{"type": "Topology", "arcs": [[[0, 0]]]}`, "arc 0 has 1 positions"},
		{`{"type": "Topology", "arcs": [[[0], [1, 1]]]}`, "arc 0 position 0"},
		{`not json`, "topojson"},
	} {
		if _, err := DecodeTopology(strings.NewReader(c.in)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v", c.in, err)
		}
	}
	topo, err := DecodeTopology(strings.NewReader(`{"type": "Topology", "objects": {"c": {"type": "GeometryCollection", "geometries": [
		{"type": "Polygon", "id": "9", "arcs": [[7]]}, {"type": "Point", "id": "8"}, {"type": "Polygon", "id": "7", "arcs": [[]]}]}},
		"arcs": [[[0, 0], [1, 1]]]}`))
	if err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]string{"9": "arc 7 does not exist", "8": "not a polygon", "7": "empty ring", "6": "no geometry"} {
		if _, err := topo.Countries("c", id); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("geometry %s: %v", id, err)
		}
	}
	if _, err := topo.Countries("land", "9"); err == nil {
		t.Error("missing object accepted")
	}
}

// The frame: corners at the viewport's corners; height from the cosine of the middle latitude.
func TestFrame(t *testing.T) {
	f := Frame{MinLon: 124, MinLat: 33, MaxLon: 131, MaxLat: 43, Width: 700}
	kx := math.Cos(38 * math.Pi / 180)
	if h := f.Height(); math.Abs(h-700*10/(7*kx)) > 1e-9 {
		t.Errorf("height %v", h)
	}
	if x, y := f.Project(Point{124, 43}); x != 0 || y != 0 {
		t.Errorf("top left %v %v", x, y)
	}
	if x, y := f.Project(Point{131, 33}); math.Abs(x-700) > 1e-9 || math.Abs(y-f.Height()) > 1e-9 {
		t.Errorf("bottom right %v %v", x, y)
	}
	// Square A in a frame around it: 100 px a degree, cos(30.5°) for y; rings closed.
	g := Frame{MinLon: 100, MinLat: 30, MaxLon: 102, MaxLat: 31, Width: 200}
	cs, _ := load(t, "testdata/small.topojson").Countries("countries", "1", "003")
	ky := 100 / math.Cos(30.5*math.Pi/180)
	want := "M0," + trim1(ky) + "L100," + trim1(ky) + "L100,0L0,0L0," + trim1(ky) + "Z"
	if got := g.Path(cs[0].Polygons); got != want {
		t.Errorf("path %q, want %q", got, want)
	}
	// C lies wholly north of the frame: left out.
	if got := g.Path(cs[1].Polygons); got != "" {
		t.Errorf("C drawn: %q", got)
	}
}

func TestCluster(t *testing.T) {
	f := Korea(700)
	ms := []Marker{
		{ID: "b", Kind: "incident", Lon: 127.00, Lat: 37.50},
		{ID: "a", Kind: "incident", Lon: 127.01, Lat: 37.51},
		{ID: "c", Kind: "incident", Lon: 129.0, Lat: 35.1},
		{ID: "x", Kind: "incident", Lon: math.NaN(), Lat: 37},
		{ID: "y", Kind: "incident", Lon: 10, Lat: 50},
	}
	groups, outside := Cluster(ms, f, 12)
	if len(groups) != 2 || len(groups[0].Members) != 2 || groups[0].Members[0].ID != "a" || len(groups[1].Members) != 1 {
		t.Fatalf("groups %+v", groups)
	}
	if len(outside) != 2 || outside[0].ID != "x" || outside[1].ID != "y" {
		t.Errorf("outside %+v", outside)
	}
	ax, ay := f.Project(Point{127.01, 37.51})
	bx, by := f.Project(Point{127.00, 37.50})
	if math.Abs(groups[0].X-(ax+bx)/2) > 1e-9 || math.Abs(groups[0].Y-(ay+by)/2) > 1e-9 {
		t.Errorf("centre %v,%v", groups[0].X, groups[0].Y)
	}
	// The same markers in another order give the same groups.
	rev := []Marker{ms[4], ms[3], ms[2], ms[1], ms[0]}
	again, _ := Cluster(rev, f, 12)
	if len(again) != len(groups) || again[0].X != groups[0].X || again[1].Members[0].ID != "c" {
		t.Errorf("order changed the groups: %+v", again)
	}
	// A small radius keeps the near pair apart.
	if g, _ := Cluster(ms, f, 0.5); len(g) != 3 {
		t.Errorf("radius 0.5: %d groups", len(g))
	}
}

func FuzzDecodeTopology(f *testing.F) {
	b, _ := os.ReadFile("testdata/small.topojson")
	f.Add(b)
	f.Add([]byte(`{"type": "Topology", "arcs": [[[0, 0], [1, 1]]], "objects": {"countries": {"type": "GeometryCollection", "geometries": [{"type": "Polygon", "id": "1", "arcs": [[-1]]}]}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		topo, err := DecodeTopology(bytes.NewReader(data))
		if err != nil {
			return
		}
		for name, obj := range topo.objects {
			for _, g := range obj.Geometries {
				cs, err := topo.Countries(name, idString(g.ID))
				if err != nil {
					continue
				}
				// Whatever decodes projects without panicking.
				Korea(100).Path(cs[0].Polygons)
				cs[0].Contains(Point{127, 37})
			}
		}
	})
}

func atlas(t testing.TB) *Topology {
	b, err := assets.WorldAtlas()
	if err != nil {
		if os.Getenv("HOMEWARD_REQUIRE_ASSETS") == "1" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	topo, err := DecodeTopology(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return topo
}

// On Natural Earth's outlines (world-atlas 10m): Seoul is in South Korea and not in the North,
// Pyongyang the other way round.
func TestKoreaOutlines(t *testing.T) {
	cs, err := atlas(t).Countries("countries", "410", "408")
	if err != nil {
		t.Fatal(err)
	}
	seoul, pyongyang := Point{126.98, 37.57}, Point{125.75, 39.02}
	if !cs[0].Contains(seoul) || cs[0].Contains(pyongyang) || !cs[1].Contains(pyongyang) || cs[1].Contains(seoul) {
		t.Errorf("%s/%s: Seoul %v %v, Pyongyang %v %v", cs[0].Name, cs[1].Name, cs[0].Contains(seoul), cs[1].Contains(seoul), cs[0].Contains(pyongyang), cs[1].Contains(pyongyang))
	}
	f := Korea(700)
	if n := len(f.Path(cs[0].Polygons)) + len(f.Path(cs[1].Polygons)); n < 1000 || n > 200000 {
		t.Errorf("Korea path %d bytes", n)
	}
}

func BenchmarkKoreaPath(b *testing.B) {
	raw, err := assets.WorldAtlas()
	if err != nil {
		b.Skip(err)
	}
	f := Korea(700)
	for b.Loop() {
		topo, err := DecodeTopology(bytes.NewReader(raw))
		if err != nil {
			b.Fatal(err)
		}
		cs, err := topo.Countries("countries", "410", "408", "156", "392", "643")
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for _, c := range cs {
			n += len(f.Path(c.Polygons))
		}
		b.ReportMetric(float64(n), "path-bytes")
	}
}

// A ring much larger than the frame is pulled onto the 40 px margin: a few points, all on it.
func TestPathMargin(t *testing.T) {
	f := Frame{MinLon: 100, MinLat: 30, MaxLon: 102, MaxLat: 31, Width: 200}
	var ring []Point
	for lon := 50.0; lon <= 150; lon += 0.1 {
		ring = append(ring, Point{lon, 0})
	}
	for lon := 150.0; lon >= 50; lon -= 0.1 {
		ring = append(ring, Point{lon, 60})
	}
	got := f.Path([][][]Point{{ring}})
	h := trim1(f.Height() + 40)
	if strings.Count(got, "L") > 6 || !strings.Contains(got, "-40,"+h) || !strings.Contains(got, "240,-40") {
		t.Errorf("path %q", got)
	}
}
