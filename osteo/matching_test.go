package osteo

import "testing"

func TestMaxMatching(t *testing.T) {
	for _, c := range []struct {
		name   string
		adj    [][]int
		nRight int
		want   int
	}{
		{"empty", nil, 0, 0},
		{"no edges", [][]int{{}, {}}, 2, 0},
		// Greedy on the first edge pairs 0-0 and leaves 1 alone; an augmenting path gives 2.
		{"needs augmenting", [][]int{{0, 1}, {0}}, 2, 2},
		{"more lefts", [][]int{{0}, {0}, {0}}, 1, 1},
		{"perfect 3", [][]int{{0, 1, 2}, {0}, {1}}, 3, 3},
		{"chain", [][]int{{0}, {0, 1}, {1, 2}, {2, 3}}, 4, 4},
	} {
		got := maxMatching(c.adj, c.nRight)
		n, usedR := 0, map[int]bool{}
		for u, v := range got {
			if v < 0 {
				continue
			}
			n++
			if usedR[v] {
				t.Errorf("%s: right %d matched twice", c.name, v)
			}
			usedR[v] = true
			ok := false
			for _, w := range c.adj[u] {
				ok = ok || w == v
			}
			if !ok {
				t.Errorf("%s: %d-%d is not an edge", c.name, u, v)
			}
		}
		if n != c.want {
			t.Errorf("%s: %d pairs, want %d", c.name, n, c.want)
		}
	}
}
