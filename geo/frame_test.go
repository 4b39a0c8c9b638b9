package geo

import (
	"math"
	"strconv"
	"strings"
	"testing"
)

// parsePath reads back what Path writes (M x,y then l dx,dy ... Z per ring) as absolute points.
func parsePath(t testing.TB, d string) [][]xy {
	t.Helper()
	var rings [][]xy
	var cur xy
	for _, sub := range strings.Split(d, "Z") {
		if sub == "" {
			continue
		}
		if sub[0] != 'M' {
			t.Fatalf("subpath %q does not start with M", sub)
		}
		var ring []xy
		for i, seg := range strings.Split(sub[1:], "l") {
			x, y, ok := strings.Cut(seg, ",")
			fx, err1 := strconv.ParseFloat(x, 64)
			fy, err2 := strconv.ParseFloat(y, 64)
			if !ok || err1 != nil || err2 != nil {
				t.Fatalf("segment %q of %q", seg, sub)
			}
			if i == 0 {
				cur = xy{fx, fy}
			} else {
				cur = xy{cur.x + fx, cur.y + fy}
			}
			ring = append(ring, cur)
		}
		rings = append(rings, ring)
	}
	return rings
}

func TestFrame(t *testing.T) {
	f := Frame{MinLon: 124, MinLat: 33, MaxLon: 131, MaxLat: 43, Width: 700}
	kx := math.Cos(38 * math.Pi / 180)
	if h := f.Height(); math.Abs(h-700*10/(7*kx)) > 1e-9 {
		t.Errorf("height %v", h)
	}
	for _, c := range []struct {
		p    Point
		x, y float64
	}{
		{Point{124, 43}, 0, 0},                           // top left
		{Point{131, 33}, 700, 700 * 10 / (7 * kx)},       // bottom right
		{Point{127.5, 38}, 350, 700 * 10 / (7 * kx) / 2}, // the middle
		{Point{123, 44}, -100, -100 / kx},                // outside: beyond the viewport
	} {
		if x, y := f.Project(c.p); math.Abs(x-c.x) > 1e-9 || math.Abs(y-c.y) > 1e-9 {
			t.Errorf("%v at %v,%v, want %v,%v", c.p, x, y, c.x, c.y)
		}
	}
	k := Korea(600)
	if !k.Inside(Point{126.98, 37.57}) || k.Inside(Point{139.69, 35.69}) || k.Inside(Point{math.NaN(), 37}) {
		t.Error("Korea: Seoul not inside, or Tokyo or NaN inside")
	}
}

func TestAppendTenths(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 5: "0.5", -5: "-0.5", 12: "1.2", -30: "-3", 1161: "116.1", -1000: "-100"} {
		if got := string(appendTenths(nil, n)); got != want {
			t.Errorf("%d: %q, want %q", n, got, want)
		}
	}
}

// A frame around the small topology's squares: 100 px a degree of longitude, 100/cos(30.5°) =
// 116.06 px a degree of latitude, so a height of 116.06 px.
func TestPath(t *testing.T) {
	g := Frame{MinLon: 100, MinLat: 30, MaxLon: 102, MaxLat: 31, Width: 200}
	cs, err := decodeFile(t, "testdata/small.topojson").Countries("countries", "1", "002", "003")
	if err != nil {
		t.Fatal(err)
	}
	// pt gives the longitude and latitude of a pixel position in g.
	pt := func(x, y float64) Point { return Point{100 + x/100, 31 - y/(100/math.Cos(30.5*math.Pi/180))} }
	tiny := [][][]Point{{{pt(50, 50), pt(50.3, 50), pt(50.3, 50.3), pt(50, 50)}}}
	far := [][][]Point{{{{10, 10}, {11, 10}, {11, 11}, {10, 10}}}}
	// A triangle cutting past the top left corner: its box meets the frame, its edge from
	// (-500, 60) to (60, -500) stays beyond the margin; pulling its points onto the margin would
	// have cut the corner of the viewport.
	corner := [][][]Point{{{pt(-500, 60), pt(60, -500), pt(-500, -500), pt(-500, 60)}}}
	// A ring around the whole frame: clipped to the margin, four corners.
	around := [][][]Point{{{{90, 20}, {110, 20}, {110, 40}, {90, 40}, {90, 20}}}}
	hm := trimTenths(g.Height() + 2*PathMargin)
	for _, c := range []struct {
		name  string
		polys [][][]Point
		want  string
	}{
		// (100,30) (101,30) (101,31) (100,31), the closing point left to Z; y 116.06 → 116.1.
		{"square A", cs[0].Polygons, "M0,116.1l100,0l0,-116.1l-100,0Z"},
		// B's square, on the frame's right edge; its island is far north of the frame.
		{"B with an island", cs[1].Polygons, "M100,116.1l100,0l0,-116.1l-100,0Z"},
		{"C north of the frame", cs[2].Polygons, ""},
		{"under half a pixel", tiny, ""},
		{"far away", far, ""},
		{"past the corner", corner, ""},
		{"around the frame", around, "M-8,-8l0," + hm + "l216,0l0,-" + hm + "Z"},
		{"nothing", nil, ""},
	} {
		if got := g.Path(c.polys); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
	for _, bad := range []Frame{{}, {MinLon: 101, MaxLon: 100, MinLat: 30, MaxLat: 31, Width: 200}, {MinLon: 100, MaxLon: 102, MinLat: 30, MaxLat: 31, Width: math.NaN()}} {
		if got := bad.Path(cs[0].Polygons); got != "" {
			t.Errorf("frame %+v drew %q", bad, got)
		}
	}
	// Points that project to NaN are left out; the rest is drawn.
	withNaN := [][][]Point{{{{100, 30}, {math.NaN(), 30.5}, {101, 30}, {101, 31}, {100, 31}, {100, 30}}}}
	if got := g.Path(withNaN); got != "M0,116.1l100,0l0,-116.1l-100,0Z" {
		t.Errorf("with a NaN: %q", got)
	}
}

func trimTenths(v float64) string { return string(appendTenths(nil, int64(math.Round(v*10)))) }

// A ring much larger than the frame, dense where it lies beyond the frame, crossing it: clipped to
// the margin, every point inside the margin box, and few points.
func TestPathClipsDenseRing(t *testing.T) {
	f := Frame{MinLon: 100, MinLat: 30, MaxLon: 102, MaxLat: 31, Width: 200}
	var ring []Point
	ring = append(ring, Point{50, 30.5}, Point{150, 30.5}) // the south side crosses the frame at 30.5°N
	for lon := 150.0; lon >= 50; lon -= 0.01 {
		ring = append(ring, Point{lon, 60})
	}
	for lat := 60.0; lat >= 30.5; lat -= 0.01 {
		ring = append(ring, Point{50, lat})
	}
	d := f.Path([][][]Point{{ring}})
	rings := parsePath(t, d)
	if len(rings) != 1 || len(rings[0]) > 6 {
		t.Fatalf("%d rings, %q", len(rings), d)
	}
	w, h := f.Width, f.Height()
	for _, p := range rings[0] {
		if p.x < -PathMargin-0.05 || p.x > w+PathMargin+0.05 || p.y < -PathMargin-0.05 || p.y > h+PathMargin+0.05 {
			t.Errorf("point %v outside the margin box", p)
		}
	}
	// The fill's lower edge is the 30.5° line, at y = h/2.
	on := 0
	for _, p := range rings[0] {
		if math.Abs(p.y-h/2) <= 0.05 {
			on++
		}
	}
	if on != 2 {
		t.Errorf("%d points on the 30.5° line (y %.1f), want 2: %q", on, h/2, d)
	}
}

// The clip of a ring that enters and leaves the box several times still closes along the margin,
// and what lies in the viewport is unchanged: every vertex of the ring inside the viewport is in
// the path.
func TestPathKeepsInsideVertices(t *testing.T) {
	f := Korea(700)
	// A comb: teeth reaching from far south up into the frame.
	var ring []Point
	for i := 0; i < 6; i++ {
		lon := 123.0 + float64(i)*1.5
		ring = append(ring, Point{lon, 20}, Point{lon, 40}, Point{lon + 0.5, 40}, Point{lon + 0.5, 20})
	}
	ring = append(ring, ring[0])
	rings := parsePath(t, f.Path([][][]Point{{ring}}))
	if len(rings) != 1 {
		t.Fatalf("%d rings", len(rings))
	}
	for _, p := range ring {
		if !f.Inside(p) {
			continue
		}
		x, y := f.Project(p)
		found := false
		for _, q := range rings[0] {
			if math.Abs(q.x-x) <= 0.1 && math.Abs(q.y-y) <= 0.1 {
				found = true
			}
		}
		if !found {
			t.Errorf("vertex %v (%.1f, %.1f) lost", p, x, y)
		}
	}
}
