package geo

import (
	"math"
	"sort"
)

// Marker is something to place on the map.
type Marker struct {
	ID    string
	Kind  string // what it is (incident, recovery site, claim), for the legend and filters
	Label string
	Lon   float64
	Lat   float64
}

// Group is a cluster of markers drawn as one symbol at X, Y (pixels; the mean of its members'
// positions).
type Group struct {
	X, Y    float64
	Members []Marker // sorted by kind, then id
}

// Cluster gathers markers closer than radius pixels in the frame into groups: markers are taken in
// (kind, id) order, each joins the first group whose centre is within radius, else starts one, so
// the same markers give the same groups in whatever order they come. Markers without a valid
// position in the frame are returned apart (never dropped silently).
func Cluster(markers []Marker, f Frame, radius float64) (groups []Group, outside []Marker) {
	ms := append([]Marker(nil), markers...)
	sort.Slice(ms, func(i, j int) bool {
		if ms[i].Kind != ms[j].Kind {
			return ms[i].Kind < ms[j].Kind
		}
		return ms[i].ID < ms[j].ID
	})
	type cell struct{ x, y int }
	grid := map[cell][]int{} // cell -> group indexes whose first member fell there
	sum := [][2]float64{}
	for _, m := range ms {
		p := Point{m.Lon, m.Lat}
		if math.IsNaN(m.Lon) || math.IsNaN(m.Lat) || !f.Inside(p) {
			outside = append(outside, m)
			continue
		}
		x, y := f.Project(p)
		c := cell{int(math.Floor(x / radius)), int(math.Floor(y / radius))}
		best := -1
		for dx := -2; dx <= 2 && best < 0; dx++ {
			for dy := -2; dy <= 2 && best < 0; dy++ {
				for _, gi := range grid[cell{c.x + dx, c.y + dy}] {
					g := groups[gi]
					if math.Hypot(g.X-x, g.Y-y) <= radius {
						best = gi
						break
					}
				}
			}
		}
		if best < 0 {
			groups = append(groups, Group{X: x, Y: y})
			sum = append(sum, [2]float64{})
			best = len(groups) - 1
			grid[c] = append(grid[c], best)
		}
		g := &groups[best]
		g.Members = append(g.Members, m)
		sum[best][0] += x
		sum[best][1] += y
		g.X, g.Y = sum[best][0]/float64(len(g.Members)), sum[best][1]/float64(len(g.Members))
	}
	return groups, outside
}
