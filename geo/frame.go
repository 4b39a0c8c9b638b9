package geo

import (
	"fmt"
	"math"
	"strings"
)

// Frame maps a longitude/latitude box onto an SVG viewport Width pixels wide: equirectangular, with
// longitudes shortened by the cosine of the box's middle latitude so that shapes keep their
// proportions near it (at 38°N a degree of longitude is 0.79 of a degree of latitude). Good for a
// region the size of the Korean peninsula; not for the world.
type Frame struct {
	MinLon, MinLat, MaxLon, MaxLat float64
	Width                          float64
}

// Korea is the frame of the Korean peninsula.
func Korea(width float64) Frame {
	return Frame{MinLon: 124.0, MinLat: 33.0, MaxLon: 131.0, MaxLat: 43.2, Width: width}
}

func (f Frame) kx() float64 { return math.Cos((f.MinLat + f.MaxLat) / 2 * math.Pi / 180) }

// Height is the viewport's height in pixels.
func (f Frame) Height() float64 {
	return f.Width * (f.MaxLat - f.MinLat) / ((f.MaxLon - f.MinLon) * f.kx())
}

// Project gives a position's pixel coordinates (y grows downwards).
func (f Frame) Project(p Point) (x, y float64) {
	s := f.Width / (f.MaxLon - f.MinLon)
	return (p.Lon - f.MinLon) * s, (f.MaxLat - p.Lat) * s / f.kx()
}

// Inside reports whether a position lies in the frame's box.
func (f Frame) Inside(p Point) bool {
	return p.Lon >= f.MinLon && p.Lon <= f.MaxLon && p.Lat >= f.MinLat && p.Lat <= f.MaxLat
}

// Path writes polygons as an SVG path's d attribute, to 0.1 px: rings closed with Z; points closer
// than half a pixel to the last one kept are left out; rings whose box misses the frame are left
// out; points beyond a 40 px margin around the viewport are pulled onto the margin, and runs along
// one side of it kept only by their ends, so that a neighbour's outline (China's, Russia's) costs a
// few bytes. Edges of the 10m outlines are short, so this changes nothing inside the viewport.
func (f Frame) Path(polys [][][]Point) string {
	const margin = 40.0
	w, h := f.Width, f.Height()
	var b strings.Builder
	type pt struct {
		x, y float64
		side int // 0 inside the margin box, else which side it was pulled to (1-4)
	}
	for _, poly := range polys {
		for _, ring := range poly {
			if len(ring) < 3 || !f.touches(ring) {
				continue
			}
			var out []pt
			for _, p := range ring {
				x, y := f.Project(p)
				side := 0
				switch {
				case x < -margin:
					x, side = -margin, 1
				case x > w+margin:
					x, side = w+margin, 2
				}
				switch {
				case y < -margin:
					y, side = -margin, side*10+3
				case y > h+margin:
					y, side = h+margin, side*10+4
				}
				if n := len(out); n > 0 {
					last := out[n-1]
					if math.Abs(x-last.x) < 0.5 && math.Abs(y-last.y) < 0.5 {
						continue
					}
					// Along one side of the margin: keep only the run's ends.
					if side != 0 && n > 1 && last.side == side && out[n-2].side == side {
						out[n-1] = pt{x, y, side}
						continue
					}
				}
				out = append(out, pt{x, y, side})
			}
			if len(out) < 3 {
				continue
			}
			for i, p := range out {
				if i == 0 {
					b.WriteByte('M')
				} else {
					b.WriteByte('L')
				}
				fmt.Fprintf(&b, "%s,%s", trim1(p.x), trim1(p.y))
			}
			b.WriteByte('Z')
		}
	}
	return b.String()
}

func (f Frame) touches(ring []Point) bool {
	minLon, minLat, maxLon, maxLat := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range ring {
		minLon, maxLon = min(minLon, p.Lon), max(maxLon, p.Lon)
		minLat, maxLat = min(minLat, p.Lat), max(maxLat, p.Lat)
	}
	return maxLon >= f.MinLon && minLon <= f.MaxLon && maxLat >= f.MinLat && minLat <= f.MaxLat
}

// trim1 writes x to one decimal, without a trailing ".0".
func trim1(x float64) string {
	s := fmt.Sprintf("%.1f", x)
	s = strings.TrimSuffix(s, ".0")
	if s == "-0" {
		s = "0"
	}
	return s
}
