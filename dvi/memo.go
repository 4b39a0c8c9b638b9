package dvi

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/homeward/homeward/kinship"
)

// markerMemo remembers one marker's family terms.
type markerMemo struct {
	mu   sync.Mutex
	vals map[string]float64
}

// memoKey names what a family's term at marker mi depends on: the family, the options, and what
// sits at each missing person at that marker (a genotype, unordered, or a degraded victim's
// observation). Two placements whose victims share their genotypes at a marker share the term, as
// the joint enumeration meets often; a victim untyped at the marker is as nobody placed.
func (p *Problem) memoKey(fi, mi int, placed map[string]string, refs, noMut bool) string {
	slots := make([]string, 0, len(placed))
	for ms := range placed {
		slots = append(slots, ms)
	}
	sort.Strings(slots)
	var b strings.Builder
	m := p.Markers[mi]
	// Switching mutations off changes nothing at a marker without a model.
	fmt.Fprintf(&b, "%d|%t|%t", fi, refs, noMut && (m.MutFemale != nil || m.MutMale != nil))
	for _, ms := range slots {
		v := placed[ms]
		if _, seen := p.observed(mi, v); seen {
			fmt.Fprintf(&b, "|%s@%s", ms, v)
		} else if x, ok := p.Genos[mi][v]; ok {
			fmt.Fprintf(&b, "|%s=%d/%d", ms, min(x[0], x[1]), max(x[0], x[1]))
		}
	}
	return b.String()
}

// observed returns victim v's observation at marker mi, if it was seen through a degraded sample.
func (p *Problem) observed(mi int, v string) (kinship.Observation, bool) {
	if p.Obs == nil {
		return kinship.Observation{}, false
	}
	o, ok := p.Obs[mi][v]
	return o, ok
}
