// Package geo draws the offline map: it decodes TopoJSON outlines (Natural Earth's countries, as the
// npm package world-atlas ships them), projects them to an SVG frame, and clusters map markers. It
// imports nothing outside the standard library and never goes to the network.
package geo

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
)

// Point is a position in degrees.
type Point struct{ Lon, Lat float64 }

// Topology is a decoded TopoJSON topology (https://github.com/topojson/topojson-specification):
// its arcs in degrees, and its objects' polygon geometries as checked arc references.
type Topology struct {
	arcs    [][]Point
	objects map[string][]geometry
}

// geometry is one member of an object. Only Polygon and MultiPolygon carry polys (rings of arc
// indexes, checked against the arcs); other types are kept by type and id only.
type geometry struct {
	typ   string
	id    string
	name  string
	polys [][][]int
}

type rawTopology struct {
	Type      string                  `json:"type"`
	Transform *rawTransform           `json:"transform"`
	Arcs      [][][]float64           `json:"arcs"`
	Objects   map[string]*rawGeometry `json:"objects"`
}

type rawTransform struct {
	Scale     []float64 `json:"scale"`
	Translate []float64 `json:"translate"`
}

// rawGeometry is a TopoJSON geometry object; an object of the topology is one too (often a
// GeometryCollection).
type rawGeometry struct {
	Type       string                     `json:"type"`
	ID         json.RawMessage            `json:"id"`
	Arcs       json.RawMessage            `json:"arcs"`
	Properties map[string]json.RawMessage `json:"properties"`
	Geometries []*rawGeometry             `json:"geometries"`
}

// MaxTopologySize bounds the input DecodeTopology reads (world-atlas's countries-10m.json is
// 3.6 MB).
const MaxTopologySize = 64 << 20

// DecodeTopology reads a TopoJSON topology. Quantized arcs (with a transform) are delta-decoded to
// degrees. Every Polygon and MultiPolygon of every object is checked here: an arc index out of
// range, an empty ring or arcs of the wrong shape is an error naming the object, the geometry
// (index and id) and the arc. Geometries of other types are kept but cannot be drawn.
func DecodeTopology(r io.Reader) (*Topology, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxTopologySize+1))
	if err != nil {
		return nil, fmt.Errorf("topojson: %w", err)
	}
	if len(b) > MaxTopologySize {
		return nil, fmt.Errorf("topojson: input larger than %d bytes", MaxTopologySize)
	}
	var raw rawTopology
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("topojson: %w", err)
	}
	if raw.Type != "Topology" {
		return nil, fmt.Errorf("topojson: type %q, want Topology", raw.Type)
	}
	t := &Topology{arcs: make([][]Point, len(raw.Arcs)), objects: make(map[string][]geometry, len(raw.Objects))}
	if err := t.decodeArcs(raw.Arcs, raw.Transform); err != nil {
		return nil, err
	}
	names := make([]string, 0, len(raw.Objects))
	for name := range raw.Objects {
		names = append(names, name)
	}
	sort.Strings(names) // the first error is the same on every run
	for _, name := range names {
		obj := raw.Objects[name]
		if obj == nil {
			return nil, fmt.Errorf("topojson: object %q is null", name)
		}
		members := []*rawGeometry{obj}
		if obj.Type == "GeometryCollection" {
			members = obj.Geometries
		}
		gs := make([]geometry, len(members))
		for i, g := range members {
			if g == nil {
				return nil, fmt.Errorf("topojson: object %q geometry %d is null", name, i)
			}
			if gs[i], err = t.decodeGeometry(g); err != nil {
				return nil, fmt.Errorf("topojson: object %q geometry %d (id %q): %w", name, i, gs[i].id, err)
			}
		}
		t.objects[name] = gs
	}
	return t, nil
}

func (t *Topology) decodeArcs(arcs [][][]float64, tr *rawTransform) error {
	var scale, translate [2]float64
	if tr != nil {
		if len(tr.Scale) != 2 || len(tr.Translate) != 2 {
			return fmt.Errorf("topojson: transform needs two scale and two translate values, has %d and %d", len(tr.Scale), len(tr.Translate))
		}
		if tr.Scale[0] == 0 || tr.Scale[1] == 0 {
			return fmt.Errorf("topojson: transform scale %v has a zero", tr.Scale)
		}
		copy(scale[:], tr.Scale)
		copy(translate[:], tr.Translate)
	}
	for i, arc := range arcs {
		if len(arc) < 2 {
			return fmt.Errorf("topojson: arc %d has %d positions (2 at least)", i, len(arc))
		}
		pts := make([]Point, len(arc))
		var x, y float64 // the running sums of a quantized arc's deltas
		for k, pos := range arc {
			if len(pos) < 2 {
				return fmt.Errorf("topojson: arc %d position %d has %d coordinates (2 at least)", i, k, len(pos))
			}
			if tr != nil {
				x, y = x+pos[0], y+pos[1]
				pts[k] = Point{x*scale[0] + translate[0], y*scale[1] + translate[1]}
			} else {
				pts[k] = Point{pos[0], pos[1]}
			}
			if p := pts[k]; !finite(p.Lon) || !finite(p.Lat) {
				return fmt.Errorf("topojson: arc %d position %d is out of range", i, k)
			}
		}
		t.arcs[i] = pts
	}
	return nil
}

func (t *Topology) decodeGeometry(g *rawGeometry) (geometry, error) {
	out := geometry{typ: g.Type, id: idString(g.ID)}
	if n, ok := g.Properties["name"]; ok {
		var s string
		if json.Unmarshal(n, &s) == nil {
			out.name = s
		}
	}
	switch g.Type {
	case "Polygon":
		var rings [][]int
		if err := unmarshalArcs(g.Arcs, &rings); err != nil {
			return out, err
		}
		out.polys = [][][]int{rings}
	case "MultiPolygon":
		if err := unmarshalArcs(g.Arcs, &out.polys); err != nil {
			return out, err
		}
	default:
		return out, nil
	}
	for pi, rings := range out.polys {
		for ri, ring := range rings {
			if len(ring) == 0 {
				return out, fmt.Errorf("polygon %d ring %d has no arcs", pi, ri)
			}
			for k, ai := range ring {
				if idx := arcIndex(ai); idx >= len(t.arcs) {
					return out, fmt.Errorf("polygon %d ring %d arc %d: index %d refers to arc %d, but there are %d arcs", pi, ri, k, ai, idx, len(t.arcs))
				}
			}
		}
	}
	return out, nil
}

func unmarshalArcs(raw json.RawMessage, v any) error {
	if len(raw) == 0 || string(raw) == "null" {
		return fmt.Errorf("no arcs")
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("arcs: %w", err)
	}
	return nil
}

// arcIndex is the arc an index refers to: i itself, or for a negative index ~i (the arc reversed).
func arcIndex(i int) int {
	if i < 0 {
		return ^i
	}
	return i
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// idString is a geometry's id, a string or a number in TopoJSON; "" when there is none.
func idString(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	return ""
}

// Country is one country's outline: polygons, each a list of rings (the first the outer boundary,
// the others holes), each ring closed (its last point is its first).
type Country struct {
	ID       string
	Name     string
	Polygons [][][]Point
}

// Countries returns the Polygon and MultiPolygon geometries of an object (world-atlas:
// "countries") with the given ids (world-atlas: ISO 3166-1 numeric, "410" for South Korea), in the
// order given; without ids, every polygon geometry of the object in file order. An id the object
// lacks, or one whose geometry is not a polygon, is an error. Where ids repeat, the first wins.
func (t *Topology) Countries(object string, ids ...string) ([]Country, error) {
	gs, ok := t.objects[object]
	if !ok {
		return nil, fmt.Errorf("topojson: no object %q", object)
	}
	if len(ids) == 0 {
		var out []Country
		for _, g := range gs {
			if g.polys != nil {
				out = append(out, t.country(g))
			}
		}
		return out, nil
	}
	byID := make(map[string]int, len(gs))
	for i := len(gs) - 1; i >= 0; i-- {
		byID[gs[i].id] = i
	}
	out := make([]Country, 0, len(ids))
	for _, id := range ids {
		i, ok := byID[id]
		if !ok {
			return nil, fmt.Errorf("topojson: object %q has no geometry %q", object, id)
		}
		if gs[i].polys == nil {
			return nil, fmt.Errorf("topojson: object %q geometry %q: type %q is not a polygon", object, id, gs[i].typ)
		}
		out = append(out, t.country(gs[i]))
	}
	return out, nil
}

// country joins each ring's arcs (indexes checked by DecodeTopology): ~i is arc i reversed, and
// each arc after the first starts where the previous one ended, so its first position is dropped.
func (t *Topology) country(g geometry) Country {
	c := Country{ID: g.id, Name: g.name, Polygons: make([][][]Point, 0, len(g.polys))}
	for _, rings := range g.polys {
		poly := make([][]Point, 0, len(rings))
		for _, ring := range rings {
			n := 1
			for _, ai := range ring {
				n += len(t.arcs[arcIndex(ai)]) - 1
			}
			pts := make([]Point, 0, n)
			for k, ai := range ring {
				arc := t.arcs[arcIndex(ai)]
				start := 0
				if k > 0 {
					start = 1
				}
				for i := start; i < len(arc); i++ {
					if ai < 0 {
						pts = append(pts, arc[len(arc)-1-i])
					} else {
						pts = append(pts, arc[i])
					}
				}
			}
			poly = append(poly, pts)
		}
		c.Polygons = append(c.Polygons, poly)
	}
	return c
}

// Contains reports whether p is inside the country: even-odd over every ring of every polygon, so
// a point in a hole is outside (and in an island within a hole, inside again). Rings are taken as
// closed whether or not their last point repeats the first.
func (c Country) Contains(p Point) bool {
	in := false
	for _, poly := range c.Polygons {
		for _, ring := range poly {
			if ringCrossings(ring, p) {
				in = !in
			}
		}
	}
	return in
}

// ringCrossings reports whether a ray from p towards the east crosses the ring an odd number of
// times.
func ringCrossings(ring []Point, p Point) bool {
	odd := false
	for i, j := 0, len(ring)-1; i < len(ring); j, i = i, i+1 {
		a, b := ring[i], ring[j]
		if (a.Lat > p.Lat) != (b.Lat > p.Lat) && p.Lon < (b.Lon-a.Lon)*(p.Lat-a.Lat)/(b.Lat-a.Lat)+a.Lon {
			odd = !odd
		}
	}
	return odd
}
