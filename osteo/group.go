package osteo

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
)

// Group is a candidate grouping: bones that no test that could compare them excluded from one
// person, assembled from the strongest links first. It is a possibility to test with DNA, never a
// match.
type Group struct {
	ID    string   `json:"id"`
	Bones []string `json:"bones"`
	// Alternatives lists, for bones that could as well belong to other groups, those groups.
	Alternatives map[string][]string `json:"alternatives,omitempty"`
}

// Sample is one bone to sample for DNA and why.
type Sample struct {
	Group  string `json:"group"`
	Bone   string `json:"bone"`
	Reason string `json:"reason"`
}

// dnaPreference orders elements by how well they keep DNA (dense cortical long bones first).
var dnaPreference = []string{"femur", "tibia", "humerus", "fibula", "ulna", "radius"}

// grouping is the state of assembling groups, bones numbered as given: each bone's group, each
// group's bones, and for each bone the bones that a test excluded it with (sorted) and those a
// test compared it with without exclusion.
type grouping struct {
	bones    []Bone
	of       []int
	members  map[int][]int
	excluded [][]int32
	near     [][]int32
	slots    map[int]uint64 // group → its elements and sides, one bit each (the first 64 kinds)
	slot     []uint64       // bone → its bit
}

// group assembles candidate groups from the links, then plans the sampling.
func group(s *Sorting) ([]Group, []Sample) {
	n := len(s.bones)
	links := s.Links
	g := &grouping{bones: s.bones, of: make([]int, n), members: map[int][]int{}, excluded: make([][]int32, n), near: make([][]int32, n)}
	g.slots, g.slot = map[int]uint64{}, make([]uint64, n)
	kinds := map[key]int{}
	for i, b := range s.bones {
		g.of[i] = i
		g.members[i] = []int{i}
		k := key{b.Element, b.Side}
		if _, ok := kinds[k]; !ok {
			kinds[k] = len(kinds)
		}
		if kinds[k] < 64 {
			g.slot[i] = 1 << kinds[k]
		}
		g.slots[i] = g.slot[i]
	}
	var open []ranked // links that did not exclude, strongest first
	for i, l := range links {
		a, b := l.A, l.B
		if l.Excluded {
			g.excluded[a], g.excluded[b] = append(g.excluded[a], b), append(g.excluded[b], a)
		} else if l.Comparable {
			g.near[a], g.near[b] = append(g.near[a], b), append(g.near[b], a)
			open = append(open, ranked{l.P, int32(i)})
		}
	}
	for _, e := range g.excluded {
		slices.Sort(e)
	}
	sortRanked(open)
	// Pairs first (the same element of both sides is the strongest evidence), then the rest.
	for _, m := range []Method{PairMatch, Articulate, Associate} {
		for _, r := range open {
			if l := links[r.i]; s.Tests[l.Test].Method == m {
				g.merge(g.of[l.A], g.of[l.B])
			}
		}
	}
	return g.result()
}

// ranked is a link's index with its p-value beside it, so that sorting reads no link.
type ranked struct {
	p float64
	i int32
}

// sortRanked orders links by p-value, largest first, then by index.
func sortRanked(r []ranked) {
	slices.SortFunc(r, func(a, b ranked) int { return cmp.Or(cmp.Compare(b.p, a.p), cmp.Compare(a.i, b.i)) })
}

func (g *grouping) isExcluded(a, b int) bool {
	_, found := slices.BinarySearch(g.excluded[a], int32(b))
	return found
}

// merge joins two groups when no bone of one excludes a bone of the other and they hold no
// element of the same side twice.
func (g *grouping) merge(x, y int) {
	if x == y || g.slots[x]&g.slots[y] != 0 || !g.compatible(g.members[x], g.members[y]) {
		return
	}
	g.slots[x] |= g.slots[y]
	delete(g.slots, y)
	g.members[x] = append(g.members[x], g.members[y]...)
	for _, b := range g.members[y] {
		g.of[b] = x
	}
	delete(g.members, y)
}

func (g *grouping) compatible(xs, ys []int) bool {
	for _, y := range ys {
		for _, x := range xs {
			if g.bones[x].Element == g.bones[y].Element && g.bones[x].Side == g.bones[y].Side || g.isExcluded(x, y) {
				return false
			}
		}
	}
	return true
}

// result numbers the groups (largest first), finds the bones that could belong elsewhere, and
// plans one sample per group, from the bone most likely to give DNA.
func (g *grouping) result() ([]Group, []Sample) {
	var ids []int
	for id := range g.members {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		a, b := g.members[ids[i]], g.members[ids[j]]
		if len(a) != len(b) {
			return len(a) > len(b)
		}
		return ids[i] < ids[j]
	})
	name := map[int]string{}
	for i, id := range ids {
		name[id] = fmt.Sprintf("G%d", i+1)
	}
	groups := make([]Group, len(ids))
	plan := make([]Sample, len(ids))
	for i, id := range ids {
		groups[i] = Group{ID: name[id]}
		for _, b := range g.members[id] {
			groups[i].Bones = append(groups[i].Bones, g.bones[b].ID)
			if alt := g.alternatives(b, name); len(alt) > 0 {
				if groups[i].Alternatives == nil {
					groups[i].Alternatives = map[string][]string{}
				}
				groups[i].Alternatives[g.bones[b].ID] = alt
			}
		}
		slices.Sort(groups[i].Bones)
		plan[i] = Sample{Group: groups[i].ID, Bone: g.representative(g.members[id]), Reason: "represents the group"}
	}
	return groups, plan
}

// alternatives names the other groups bone b could belong to: groups holding a bone it was
// compared with without exclusion, where its element and side are free and no member excludes it.
func (g *grouping) alternatives(b int, name map[int]string) []string {
	var out []string
	tried := map[int]bool{g.of[b]: true}
	for _, n := range g.near[b] {
		other := g.of[n]
		if !tried[other] && g.slots[other]&g.slot[b] == 0 && g.compatible(g.members[other], []int{b}) {
			out = append(out, name[other])
		}
		tried[other] = true
	}
	slices.Sort(out)
	return out
}

// representative picks the bone of a group most likely to give DNA.
func (g *grouping) representative(members []int) string {
	rank := func(b int) int {
		if i := slices.Index(dnaPreference, g.bones[b].Element); i >= 0 {
			return i
		}
		return len(dnaPreference)
	}
	best := members[0]
	for _, m := range members[1:] {
		if rank(m) < rank(best) || rank(m) == rank(best) && g.bones[m].ID < g.bones[best].ID {
			best = m
		}
	}
	return g.bones[best].ID
}
