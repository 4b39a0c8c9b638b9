package geo

import (
	"bytes"
	"os"
	"testing"

	"github.com/homeward/homeward/assets"
)

// The world-atlas outlines scripts/assets puts in place: the 10m ones the assets package embeds
// (the map's; 50m is coarse once a group is zoomed into).
var atlases = []struct {
	name     string
	read     func() ([]byte, error)
	maxBytes int // of the path of both Koreas at 700 px
}{
	{"10m", assets.WorldAtlas, 100 << 10},
}

// atlasBytes reads an atlas, skipping the test when it is not in place unless
// HOMEWARD_REQUIRE_ASSETS=1.
func atlasBytes(tb testing.TB, name string, read func() ([]byte, error)) []byte {
	tb.Helper()
	b, err := read()
	if err != nil {
		if os.Getenv("HOMEWARD_REQUIRE_ASSETS") == "1" {
			tb.Fatalf("world-atlas countries-%s.json is not in place (scripts/assets puts it there): %v", name, err)
		}
		tb.Skipf("world-atlas countries-%s.json is not in place (scripts/assets puts it there): %v", name, err)
	}
	return b
}

// On Natural Earth's outlines: Seoul, Busan and Jeju (an island) are in South Korea and not in the
// North, Pyongyang and Wonsan the other way round; each Korea's path at 700 px is small and lies in
// the frame's margin box.
func TestKoreaOutlines(t *testing.T) {
	for _, a := range atlases {
		t.Run(a.name, func(t *testing.T) {
			topo, err := DecodeTopology(bytes.NewReader(atlasBytes(t, a.name, a.read)))
			if err != nil {
				t.Fatal(err)
			}
			cs, err := topo.Countries("countries", "410", "408", "392")
			if err != nil {
				t.Fatal(err)
			}
			south, north, japan := cs[0], cs[1], cs[2]
			if south.Name != "South Korea" || north.Name != "North Korea" || japan.Name != "Japan" {
				t.Errorf("names %q, %q, %q", south.Name, north.Name, japan.Name)
			}
			for _, c := range []struct {
				place string
				p     Point
				in    *Country
			}{
				{"Seoul", Point{126.98, 37.57}, &south},
				{"Busan", Point{129.08, 35.18}, &south},
				{"Jeju", Point{126.53, 33.50}, &south},
				{"Pyongyang", Point{125.75, 39.02}, &north},
				{"Wonsan", Point{127.44, 39.15}, &north},
				{"Tokyo", Point{139.69, 35.69}, &japan},
				{"the Sea of Japan", Point{131, 39}, nil},
				{"the Yellow Sea", Point{124, 36}, nil},
			} {
				for _, country := range []*Country{&south, &north, &japan} {
					if got, want := country.Contains(c.p), country == c.in; got != want {
						t.Errorf("%s contains %s %v: %v", country.Name, c.place, c.p, got)
					}
				}
			}
			f := Korea(700)
			n := 0
			for _, c := range cs[:2] {
				d := f.Path(c.Polygons)
				n += len(d)
				for _, ring := range parsePath(t, d) {
					for _, p := range ring {
						if p.x < -PathMargin-0.05 || p.x > f.Width+PathMargin+0.05 || p.y < -PathMargin-0.05 || p.y > f.Height()+PathMargin+0.05 {
							t.Fatalf("%s: point %v beyond the margin", c.Name, p)
						}
					}
				}
			}
			t.Logf("the Koreas' path at 700 px: %d bytes", n)
			if n < 1000 || n > a.maxBytes {
				t.Errorf("the Koreas' path at 700 px: %d bytes, want 1000 to %d", n, a.maxBytes)
			}
		})
	}
}

// Decoding the atlas, then the two Koreas' path at 700 px; path-bytes is its size.
func BenchmarkKoreaPath(b *testing.B) {
	for _, a := range atlases {
		b.Run(a.name, func(b *testing.B) {
			raw := atlasBytes(b, a.name, a.read)
			f := Korea(700)
			n := 0
			for b.Loop() {
				topo, err := DecodeTopology(bytes.NewReader(raw))
				if err != nil {
					b.Fatal(err)
				}
				cs, err := topo.Countries("countries", "410", "408")
				if err != nil {
					b.Fatal(err)
				}
				n = len(f.Path(cs[0].Polygons)) + len(f.Path(cs[1].Polygons))
			}
			b.ReportMetric(float64(n), "path-bytes")
		})
	}
}

// The paths alone of the five countries the map draws, from outlines decoded once (as the web
// package keeps them): what one map page costs.
func BenchmarkMapPaths(b *testing.B) {
	for _, a := range atlases {
		b.Run(a.name, func(b *testing.B) {
			topo, err := DecodeTopology(bytes.NewReader(atlasBytes(b, a.name, a.read)))
			if err != nil {
				b.Fatal(err)
			}
			cs, err := topo.Countries("countries", "410", "408", "156", "392", "643")
			if err != nil {
				b.Fatal(err)
			}
			f := Korea(700)
			n := 0
			for b.Loop() {
				n = 0
				for _, c := range cs {
					n += len(f.Path(c.Polygons))
				}
			}
			b.ReportMetric(float64(n), "path-bytes")
		})
	}
}
