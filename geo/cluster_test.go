package geo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func ids(ms []Marker) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.ID
	}
	return out
}

// groupIDs shows groups as their members' ids: [[a b] [c]].
func groupIDs(gs []Group) string {
	out := make([][]string, len(gs))
	for i, g := range gs {
		out[i] = ids(g.Members)
	}
	return fmt.Sprint(out)
}

func TestCluster(t *testing.T) {
	f := Korea(700) // 100 px a degree of longitude
	seoul := Marker{ID: "b", Kind: "incident", Lon: 127.00, Lat: 37.50}
	near := Marker{ID: "a", Kind: "incident", Lon: 127.01, Lat: 37.51} // 1.8 px away
	busan := Marker{ID: "c", Kind: "site", Lon: 129.0, Lat: 35.1}
	for _, c := range []struct {
		name    string
		in      []Marker
		radius  float64
		groups  string
		outside []string
	}{
		{"two close merge", []Marker{seoul, near}, 12, "[[a b]]", nil},
		{"distant ones do not", []Marker{seoul, busan}, 12, "[[b] [c]]", nil},
		{"a small radius keeps the close ones apart", []Marker{seoul, near, busan}, 1, "[[a] [b] [c]]", nil},
		{"a large one takes all", []Marker{busan, seoul, near}, 1000, "[[a b c]]", nil},
		{"an infinite one too", []Marker{busan, seoul, near}, math.Inf(1), "[[a b c]]", nil},
		{"radius 0: only the same position", []Marker{seoul, near, {ID: "d", Lon: 127, Lat: 37.5}}, 0, "[[a] [b d]]", nil},
		{"negative radius: none", []Marker{seoul, {ID: "d", Lon: 127, Lat: 37.5}}, -1, "[[b] [d]]", nil},
		{"NaN radius: none", []Marker{seoul, {ID: "d", Lon: 127, Lat: 37.5}}, math.NaN(), "[[b] [d]]", nil},
		{"nothing", nil, 12, "[]", nil},
		{"bad coordinates apart, sorted by id", []Marker{
			seoul,
			{ID: "z", Lon: math.NaN(), Lat: 37},
			{ID: "y", Lon: 127, Lat: math.NaN()},
			{ID: "x", Lon: math.Inf(1), Lat: 37},
			{ID: "w", Lon: 487, Lat: 37.5}, // 127 + 360: the same place, but not a longitude
			{ID: "v", Lon: 127, Lat: -95},
			{ID: "u", Lon: 139.69, Lat: 35.69}, // Tokyo: outside the frame
			{ID: "t", Lon: 0, Lat: 0},
		}, 12, "[[b]]", []string{"t", "u", "v", "w", "x", "y", "z"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			groups, outside := Cluster(c.in, f, c.radius)
			if got := groupIDs(groups); got != c.groups {
				t.Errorf("groups %s, want %s", got, c.groups)
			}
			if got := ids(outside); !slices.Equal(got, c.outside) {
				t.Errorf("outside %v, want %v", got, c.outside)
			}
			checkGroups(t, f, groups)
		})
	}
}

// checkGroups: members sorted, counts right, each centre the mean of its members' positions.
func checkGroups(t *testing.T, f Frame, groups []Group) {
	t.Helper()
	for i, g := range groups {
		if g.Count() != len(g.Members) || g.Count() == 0 {
			t.Errorf("group %d: count %d, %d members", i, g.Count(), len(g.Members))
		}
		if !slices.IsSortedFunc(g.Members, compareMarkers) {
			t.Errorf("group %d: members not sorted: %v", i, ids(g.Members))
		}
		var sx, sy float64
		for _, m := range g.Members {
			x, y := f.Project(Point{m.Lon, m.Lat})
			sx, sy = sx+x, sy+y
		}
		n := float64(len(g.Members))
		if math.Abs(g.X-sx/n) > 1e-9 || math.Abs(g.Y-sy/n) > 1e-9 {
			t.Errorf("group %d: centre %v,%v, want %v,%v", i, g.X, g.Y, sx/n, sy/n)
		}
	}
}

func randomMarkers(r *rand.Rand, n int) []Marker {
	ms := make([]Marker, n)
	for i := range ms {
		ms[i] = Marker{
			ID:   fmt.Sprintf("m%03d", r.IntN(n)), // ids repeat, with other positions
			Kind: []string{"incident", "site"}[r.IntN(2)],
			Lon:  123.5 + r.Float64()*8, // a few fall outside the frame
			Lat:  33 + r.Float64()*10,
		}
	}
	return ms
}

// The same markers in any order give the same groups, and nothing is lost.
func TestClusterOrderIndependent(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	f := Korea(700)
	ms := randomMarkers(r, 300)
	want, wantOut := Cluster(ms, f, 20)
	checkGroups(t, f, want)
	n := len(wantOut)
	for _, g := range want {
		n += g.Count()
	}
	if n != len(ms) || len(want) < 10 || len(wantOut) == 0 {
		t.Fatalf("%d markers in %d groups and %d outside, of %d", n, len(want), len(wantOut), len(ms))
	}
	for range 20 {
		shuffled := slices.Clone(ms)
		r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		got, gotOut := Cluster(shuffled, f, 20)
		if fmt.Sprint(got) != fmt.Sprint(want) || fmt.Sprint(gotOut) != fmt.Sprint(wantOut) {
			t.Fatal("another order gave other groups")
		}
	}
}

// clusterByHand is Cluster without the grid: every group's centre is measured.
func clusterByHand(ms []Marker, f Frame, radius float64) []Group {
	ms = slices.Clone(ms)
	slices.SortFunc(ms, compareMarkers)
	var groups []Group
	var sums [][2]float64
	for _, m := range ms {
		if !f.Inside(Point{m.Lon, m.Lat}) {
			continue
		}
		x, y := f.Project(Point{m.Lon, m.Lat})
		best, bestDist := -1, math.Inf(1)
		for i, g := range groups {
			if d := math.Hypot(g.X-x, g.Y-y); d <= radius && d < bestDist {
				best, bestDist = i, d
			}
		}
		if best < 0 {
			groups = append(groups, Group{X: x, Y: y, Members: []Marker{m}})
			sums = append(sums, [2]float64{x, y})
			continue
		}
		g := &groups[best]
		g.Members = append(g.Members, m)
		sums[best][0] += x
		sums[best][1] += y
		g.X, g.Y = sums[best][0]/float64(len(g.Members)), sums[best][1]/float64(len(g.Members))
	}
	return groups
}

// The grid finds the group a brute-force search finds, at every radius, even when centres drift
// across cells as members join (a dense line of markers).
func TestClusterGridMatchesBruteForce(t *testing.T) {
	f := Korea(700)
	r := rand.New(rand.NewPCG(3, 4))
	sets := map[string][]Marker{"random": randomMarkers(r, 400)}
	var line []Marker
	for i := range 200 {
		line = append(line, Marker{ID: fmt.Sprintf("l%03d", i), Lon: 125 + float64(i)*0.004, Lat: 36 + float64(i)*0.003})
	}
	sets["line"] = line
	for name, ms := range sets {
		for _, radius := range []float64{0.5, 1, 3, 12, 40, 150} {
			got, _ := Cluster(ms, f, radius)
			want := clusterByHand(ms, f, radius)
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("%s, radius %v: %d groups, by hand %d", name, radius, len(got), len(want))
			}
		}
	}
}
