package osteo

// maxMatching returns a maximum matching of a bipartite graph (Hopcroft & Karp 1973): adj[u] lists
// the right-hand vertices that left vertex u may be paired with, best first. It returns, for
// each left vertex, its partner or −1. Trying each vertex's best edge first makes the matching
// prefer the better edges among the many maximum ones, without promising the best.
func maxMatching(adj [][]int, nRight int) []int {
	const free = -1
	pairL := make([]int, len(adj))
	pairR := make([]int, nRight)
	for i := range pairL {
		pairL[i] = free
	}
	for i := range pairR {
		pairR[i] = free
	}
	dist := make([]int, len(adj))
	queue := make([]int, 0, len(adj))
	const inf = int(^uint(0) >> 1)
	bfs := func() bool {
		queue = queue[:0]
		for u := range adj {
			if pairL[u] == free {
				dist[u] = 0
				queue = append(queue, u)
			} else {
				dist[u] = inf
			}
		}
		found := false
		for i := 0; i < len(queue); i++ {
			u := queue[i]
			for _, v := range adj[u] {
				w := pairR[v]
				if w == free {
					found = true
				} else if dist[w] == inf {
					dist[w] = dist[u] + 1
					queue = append(queue, w)
				}
			}
		}
		return found
	}
	var dfs func(u int) bool
	dfs = func(u int) bool {
		for _, v := range adj[u] {
			w := pairR[v]
			if w == free || dist[w] == dist[u]+1 && dfs(w) {
				pairL[u], pairR[v] = v, u
				return true
			}
		}
		dist[u] = inf
		return false
	}
	for bfs() {
		for u := range adj {
			if pairL[u] == free {
				dfs(u)
			}
		}
	}
	return pairL
}
