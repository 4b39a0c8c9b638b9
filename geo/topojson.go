// Package geo draws the offline map: it decodes TopoJSON outlines (Natural Earth's countries, as the
// npm package world-atlas ships them), projects them to an SVG frame, and clusters map markers. It
// imports nothing outside the standard library and never goes to the network.
package geo

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
)

// Point is a position in degrees.
type Point struct{ Lon, Lat float64 }

// Topology is a decoded TopoJSON topology (https://github.com/topojson/topojson-specification):
// its arcs in degrees, and its objects' geometries still as arc references.
type Topology struct {
	arcs    [][]Point
	objects map[string]rawObject
}

type rawTopology struct {
	Type      string               `json:"type"`
	Transform *rawTransform        `json:"transform"`
	Arcs      [][][]float64        `json:"arcs"`
	Objects   map[string]rawObject `json:"objects"`
}

type rawTransform struct {
	Scale     [2]float64 `json:"scale"`
	Translate [2]float64 `json:"translate"`
}

type rawObject struct {
	Type       string        `json:"type"`
	Geometries []rawGeometry `json:"geometries"`
}

type rawGeometry struct {
	Type       string          `json:"type"`
	ID         json.RawMessage `json:"id"`
	Arcs       json.RawMessage `json:"arcs"`
	Properties map[string]any  `json:"properties"`
}

// MaxTopologySize bounds the input DecodeTopology reads.
const MaxTopologySize = 64 << 20

// DecodeTopology reads a TopoJSON topology. Quantized arcs (with a transform) are delta-decoded.
// Errors name the arc; geometries are checked when they are read (Countries).
func DecodeTopology(r io.Reader) (*Topology, error) {
	var raw rawTopology
	dec := json.NewDecoder(io.LimitReader(r, MaxTopologySize))
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("topojson: %w", err)
	}
	if raw.Type != "Topology" {
		return nil, fmt.Errorf("topojson: type %q, want Topology", raw.Type)
	}
	t := &Topology{arcs: make([][]Point, len(raw.Arcs)), objects: raw.Objects}
	for i, arc := range raw.Arcs {
		pts := make([]Point, len(arc))
		var x, y float64
		for k, pos := range arc {
			if len(pos) < 2 {
				return nil, fmt.Errorf("topojson: arc %d position %d has %d coordinates", i, k, len(pos))
			}
			if raw.Transform != nil {
				x, y = x+pos[0], y+pos[1]
				pts[k] = Point{x*raw.Transform.Scale[0] + raw.Transform.Translate[0], y*raw.Transform.Scale[1] + raw.Transform.Translate[1]}
			} else {
				pts[k] = Point{pos[0], pos[1]}
			}
			if p := pts[k]; math.IsNaN(p.Lon) || math.IsNaN(p.Lat) || math.IsInf(p.Lon, 0) || math.IsInf(p.Lat, 0) {
				return nil, fmt.Errorf("topojson: arc %d position %d is not a number", i, k)
			}
		}
		if len(pts) < 2 {
			return nil, fmt.Errorf("topojson: arc %d has %d positions (2 at least)", i, len(pts))
		}
		t.arcs[i] = pts
	}
	return t, nil
}

// Country is one country's outline: polygons, each a list of rings (the first the outer boundary,
// the others holes).
type Country struct {
	ID       string
	Name     string
	Polygons [][][]Point
}

// Countries returns the geometries of an object (world-atlas: "countries") whose ids are given, in
// the order given. An id that is not there is an error.
func (t *Topology) Countries(object string, ids ...string) ([]Country, error) {
	obj, ok := t.objects[object]
	if !ok {
		return nil, fmt.Errorf("topojson: no object %q", object)
	}
	byID := map[string]rawGeometry{}
	for _, g := range obj.Geometries {
		byID[idString(g.ID)] = g
	}
	out := make([]Country, 0, len(ids))
	for _, id := range ids {
		g, ok := byID[id]
		if !ok {
			return nil, fmt.Errorf("topojson: object %q has no geometry %q", object, id)
		}
		c := Country{ID: id}
		if n, ok := g.Properties["name"].(string); ok {
			c.Name = n
		}
		var err error
		switch g.Type {
		case "Polygon":
			var rings [][]int
			if err = json.Unmarshal(g.Arcs, &rings); err == nil {
				var poly [][]Point
				if poly, err = t.polygon(rings); err == nil {
					c.Polygons = [][][]Point{poly}
				}
			}
		case "MultiPolygon":
			var polys [][][]int
			if err = json.Unmarshal(g.Arcs, &polys); err == nil {
				for _, rings := range polys {
					var poly [][]Point
					if poly, err = t.polygon(rings); err != nil {
						break
					}
					c.Polygons = append(c.Polygons, poly)
				}
			}
		default:
			err = fmt.Errorf("type %q is not a polygon", g.Type)
		}
		if err != nil {
			return nil, fmt.Errorf("topojson: geometry %q: %w", id, err)
		}
		out = append(out, c)
	}
	return out, nil
}

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

var errEmptyRing = errors.New("empty ring")

// polygon joins each ring's arcs: a negative index ~i is arc i reversed; each arc after the first
// starts where the previous ended, so its first position is dropped.
func (t *Topology) polygon(rings [][]int) ([][]Point, error) {
	out := make([][]Point, 0, len(rings))
	for _, ring := range rings {
		if len(ring) == 0 {
			return nil, errEmptyRing
		}
		var pts []Point
		for k, ai := range ring {
			idx, rev := ai, false
			if ai < 0 {
				idx, rev = ^ai, true
			}
			if idx < 0 || idx >= len(t.arcs) {
				return nil, fmt.Errorf("arc %d does not exist (%d arcs)", ai, len(t.arcs))
			}
			arc := t.arcs[idx]
			seg := make([]Point, len(arc))
			for i := range arc {
				if rev {
					seg[i] = arc[len(arc)-1-i]
				} else {
					seg[i] = arc[i]
				}
			}
			if k > 0 {
				seg = seg[1:]
			}
			pts = append(pts, seg...)
		}
		out = append(out, pts)
	}
	return out, nil
}

// Contains reports whether p is inside the country (even-odd rule over every ring, so holes are
// outside).
func (c Country) Contains(p Point) bool {
	in := false
	for _, poly := range c.Polygons {
		for _, ring := range poly {
			for i, j := 0, len(ring)-1; i < len(ring); j, i = i, i+1 {
				a, b := ring[i], ring[j]
				if (a.Lat > p.Lat) != (b.Lat > p.Lat) && p.Lon < (b.Lon-a.Lon)*(p.Lat-a.Lat)/(b.Lat-a.Lat)+a.Lon {
					in = !in
				}
			}
		}
	}
	return in
}
