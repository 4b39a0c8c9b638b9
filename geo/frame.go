package geo

import (
	"math"
	"strconv"
)

// Frame maps a longitude/latitude box onto an SVG viewport Width pixels wide: equirectangular, with
// longitudes shortened by the cosine of the box's middle latitude so that shapes keep their
// proportions near it (at 38°N a degree of longitude is 0.79 of a degree of latitude). Good for a
// region the size of the Korean peninsula; not for the world.
type Frame struct {
	MinLon, MinLat, MaxLon, MaxLat float64
	Width                          float64
}

// Korea is the frame of the Korean peninsula: longitudes 124–131°E, latitudes 33–43.2°N.
func Korea(width float64) Frame {
	return Frame{MinLon: 124.0, MinLat: 33.0, MaxLon: 131.0, MaxLat: 43.2, Width: width}
}

func (f Frame) kx() float64 { return math.Cos((f.MinLat + f.MaxLat) / 2 * math.Pi / 180) }

// Height is the viewport's height in pixels.
func (f Frame) Height() float64 {
	return f.Width * (f.MaxLat - f.MinLat) / ((f.MaxLon - f.MinLon) * f.kx())
}

// Project gives a position's pixel coordinates: x from the left edge, y down from the top edge.
// Positions outside the box project outside the viewport.
func (f Frame) Project(p Point) (x, y float64) {
	s := f.Width / (f.MaxLon - f.MinLon)
	return (p.Lon - f.MinLon) * s, (f.MaxLat - p.Lat) * s / f.kx()
}

// Inside reports whether a position lies in the frame's box (edges included).
func (f Frame) Inside(p Point) bool {
	return p.Lon >= f.MinLon && p.Lon <= f.MaxLon && p.Lat >= f.MinLat && p.Lat <= f.MaxLat
}

// maxPixels bounds a frame's width and height for Path, so that coordinates in tenths of a pixel
// stay far inside an int64.
const maxPixels = 1e7

// PathMargin is how far, in pixels, Path keeps outlines beyond the viewport, so that their
// strokes end out of sight.
const PathMargin = 8.0

// Path writes polygons as an SVG path's d attribute: one subpath a ring, closed with Z, the first
// point absolute and the others relative, on a 0.1 px grid. To keep it small:
//   - rings whose longitude/latitude box misses the frame are left out (a neighbour's far-off
//     islands cost nothing);
//   - rings are clipped to the viewport grown by PathMargin on each side (Sutherland–Hodgman:
//     exact for a fill inside that box, any cut drawn along the margin, out of sight), so an
//     outline that runs on far outside the frame (China's, Russia's) costs a few points;
//   - a point closer than 0.5 px to the last one kept is left out, and so is a ring left with
//     fewer than three points.
//
// Points that do not project to finite coordinates are left out. A frame whose width or height is
// not a positive number below 10 million pixels draws nothing.
func (f Frame) Path(polys [][][]Point) string {
	w, h := f.Width, f.Height()
	if !(w > 0 && w < maxPixels && h > 0 && h < maxPixels) {
		return ""
	}
	box := [4]float64{-PathMargin, w + PathMargin, -PathMargin, h + PathMargin} // x ≥, x ≤, y ≥, y ≤
	var out []byte
	var proj, tmp, kept []xy
	for _, poly := range polys {
		for _, ring := range poly {
			if len(ring) < 3 || !f.touches(ring) {
				continue
			}
			proj = proj[:0]
			for _, p := range ring {
				if x, y := f.Project(p); finite(x) && finite(y) {
					proj = append(proj, xy{x, y})
				}
			}
			for e, v := range box {
				tmp = clipHalf(proj, tmp[:0], e, v)
				proj, tmp = tmp, proj
			}
			kept = simplify(proj, box, kept[:0])
			if len(kept) < 3 {
				continue
			}
			var lx, ly int64 // the last point written, in tenths of a pixel
			for i, p := range kept {
				x, y := int64(math.Round(p.x*10)), int64(math.Round(p.y*10))
				if i == 0 {
					out = append(out, 'M')
					out = appendTenths(out, x)
				} else {
					out = append(out, 'l')
					out = appendTenths(out, x-lx)
				}
				out = append(out, ',')
				if i == 0 {
					out = appendTenths(out, y)
				} else {
					out = appendTenths(out, y-ly)
				}
				lx, ly = x, y
			}
			out = append(out, 'Z')
		}
	}
	return string(out)
}

// xy is a projected point, in pixels.
type xy struct{ x, y float64 }

// clipHalf is one step of Sutherland–Hodgman: the ring cut to one side of a line of the box (e: 0
// x ≥ v, 1 x ≤ v, 2 y ≥ v, 3 y ≤ v), the ring taken as closed. Crossings lie exactly on the line.
func clipHalf(in, out []xy, e int, v float64) []xy {
	if len(in) == 0 {
		return out
	}
	prev := in[len(in)-1]
	prevIn := inHalf(prev, e, v)
	for _, cur := range in {
		curIn := inHalf(cur, e, v)
		if curIn != prevIn { // the two are on either side, so the divisions below are by non-zero
			if e < 2 {
				out = append(out, xy{v, prev.y + (v-prev.x)/(cur.x-prev.x)*(cur.y-prev.y)})
			} else {
				out = append(out, xy{prev.x + (v-prev.y)/(cur.y-prev.y)*(cur.x-prev.x), v})
			}
		}
		if curIn {
			out = append(out, cur)
		}
		prev, prevIn = cur, curIn
	}
	return out
}

func inHalf(p xy, e int, v float64) bool {
	switch e {
	case 0:
		return p.x >= v
	case 1:
		return p.x <= v
	case 2:
		return p.y >= v
	default:
		return p.y <= v
	}
}

// simplify keeps the points of a clipped ring at least 0.5 px from the last one kept, and of three
// in a row on one line of the box only the ends; the ring closes by itself, so a last point next to
// the first goes too.
func simplify(in []xy, box [4]float64, out []xy) []xy {
	for _, p := range in {
		if n := len(out); n > 0 {
			if near(p, out[n-1]) {
				continue
			}
			if n >= 2 && onOneLine(out[n-2], out[n-1], p, box) {
				out[n-1] = p
				continue
			}
		}
		out = append(out, p)
	}
	for len(out) > 1 && near(out[len(out)-1], out[0]) {
		out = out[:len(out)-1]
	}
	return out
}

func near(a, b xy) bool {
	dx, dy := a.x-b.x, a.y-b.y
	return dx*dx+dy*dy < 0.25
}

// onOneLine reports whether a, b and c all lie on the same line of the box (where clipping put
// them).
func onOneLine(a, b, c xy, box [4]float64) bool {
	for e, v := range box {
		if e < 2 {
			if a.x == v && b.x == v && c.x == v {
				return true
			}
		} else if a.y == v && b.y == v && c.y == v {
			return true
		}
	}
	return false
}

// appendTenths writes n tenths as a decimal: 12 → 1.2, -5 → -0.5, 30 → 3.
func appendTenths(b []byte, n int64) []byte {
	if n < 0 {
		b = append(b, '-')
		n = -n
	}
	b = strconv.AppendInt(b, n/10, 10)
	if d := n % 10; d != 0 {
		b = append(b, '.', byte('0'+d))
	}
	return b
}

// touches reports whether a ring's longitude/latitude box (of its finite points) meets the
// frame's.
func (f Frame) touches(ring []Point) bool {
	minLon, minLat, maxLon, maxLat := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range ring {
		if !finite(p.Lon) || !finite(p.Lat) {
			continue
		}
		minLon, maxLon = min(minLon, p.Lon), max(maxLon, p.Lon)
		minLat, maxLat = min(minLat, p.Lat), max(maxLat, p.Lat)
	}
	return maxLon >= f.MinLon && minLon <= f.MaxLon && maxLat >= f.MinLat && minLat <= f.MaxLat
}
