package geo

import (
	"cmp"
	"math"
	"slices"
)

// Marker is something to place on the map.
type Marker struct {
	ID    string
	Kind  string // what it is (incident, recovery site, claim), for the legend and filters
	Label string
	Lon   float64
	Lat   float64
}

// Group is a cluster of markers drawn as one symbol at X, Y: pixels in the frame, the mean of its
// members' projected positions.
type Group struct {
	X, Y    float64
	Members []Marker // sorted by ID (then kind, label, position)
}

// Count is the number of markers in the group.
func (g Group) Count() int { return len(g.Members) }

// Cluster gathers markers whose projected positions are within radius pixels into groups, greedily:
// markers are taken in order of ID (then kind, label, position), and each joins the group whose
// centre is nearest to it if that is within radius (the first-made group on a tie), else starts a
// new one; a group's centre is the mean of its members so far. Groups come in the order they were
// started. So the same markers give the same groups, in whatever order they are passed.
//
// Markers without a position in the frame (a coordinate that is NaN, infinite, beyond ±180° or
// ±90°, or outside the frame's box) are returned in outside, sorted the same way: never dropped.
// A radius of 0 merges only markers at the same pixel position; a negative or NaN one merges none.
func Cluster(markers []Marker, f Frame, radius float64) (groups []Group, outside []Marker) {
	type placed struct {
		m    Marker
		x, y float64
	}
	var in []placed
	for _, m := range markers {
		p := Point{m.Lon, m.Lat}
		x, y := f.Project(p)
		if !finite(m.Lon) || !finite(m.Lat) || math.Abs(m.Lon) > 180 || math.Abs(m.Lat) > 90 || !f.Inside(p) || !finite(x) || !finite(y) {
			outside = append(outside, m)
			continue
		}
		in = append(in, placed{m, x, y})
	}
	slices.SortFunc(in, func(a, b placed) int { return compareMarkers(a.m, b.m) })
	slices.SortFunc(outside, compareMarkers)

	// A grid of cells at least radius wide, each listing the groups whose centre is in it now: a
	// centre within radius of a point is in the point's cell or one of the eight around it.
	cellSize := 1.0
	if radius > 1 {
		cellSize = radius // +Inf puts every point in cell 0, 0
	}
	type cell struct{ x, y int64 }
	cellOf := func(x, y float64) cell {
		return cell{int64(math.Floor(x / cellSize)), int64(math.Floor(y / cellSize))}
	}
	grid := map[cell][]int{}
	var sums [][2]float64
	for _, p := range in {
		c := cellOf(p.x, p.y)
		best, bestDist := -1, math.Inf(1)
		for dx := int64(-1); dx <= 1; dx++ {
			for dy := int64(-1); dy <= 1; dy++ {
				for _, gi := range grid[cell{c.x + dx, c.y + dy}] {
					d := math.Hypot(groups[gi].X-p.x, groups[gi].Y-p.y)
					if d <= radius && (d < bestDist || d == bestDist && gi < best) {
						best, bestDist = gi, d
					}
				}
			}
		}
		if best < 0 {
			groups = append(groups, Group{X: p.x, Y: p.y, Members: []Marker{p.m}})
			sums = append(sums, [2]float64{p.x, p.y})
			grid[c] = append(grid[c], len(groups)-1)
			continue
		}
		g := &groups[best]
		old := cellOf(g.X, g.Y)
		g.Members = append(g.Members, p.m)
		sums[best][0] += p.x
		sums[best][1] += p.y
		n := float64(len(g.Members))
		g.X, g.Y = sums[best][0]/n, sums[best][1]/n
		if now := cellOf(g.X, g.Y); now != old {
			grid[old] = slices.DeleteFunc(grid[old], func(gi int) bool { return gi == best })
			grid[now] = append(grid[now], best)
		}
	}
	return groups, outside
}

// compareMarkers orders markers by every field, so that sorting never depends on the input order.
func compareMarkers(a, b Marker) int {
	return cmp.Or(cmp.Compare(a.ID, b.ID), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Label, b.Label),
		cmp.Compare(a.Lon, b.Lon), cmp.Compare(a.Lat, b.Lat))
}
