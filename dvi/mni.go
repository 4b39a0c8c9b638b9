// Package dvi holds the science of disaster-victim identification that needs no database: how many
// people a set of commingled remains must hold, which samples come from one person, and (built on
// package kinship) which families they may belong to.
package dvi

import (
	"fmt"
	"sort"
	"strings"
)

// Element is one inventoried skeletal element or fragment.
type Element struct {
	Container string // accession number of the container it was found in
	Element   string // e.g. "femur", "cranium", "tooth 17"
	Side      string // left, right, axial, unknown
	Portion   string // complete, proximal, distal, shaft, fragment, ... ("" = complete)
}

// MNICount explains one element's contribution to a minimum number of individuals.
type MNICount struct {
	Element string `json:"element"`
	Side    string `json:"side"`
	Portion string `json:"portion"` // the portion that gave the count
	Count   int    `json:"count"`
}

// MNIResult is the minimum number of individuals of an inventory and the element that decides it.
type MNIResult struct {
	MNI      int        `json:"mni"`
	Deciding MNICount   `json:"deciding"`
	Counts   []MNICount `json:"counts"` // the count of every element and side, largest first
}

// MNI returns the minimum number of individuals an inventory must represent.
//
// The rule is the classic one of osteology: no person has two left femora, so the most repeated
// element, counted by side, bounds the number of people from below. Portions refine it: two
// proximal ends of left femora are two femora, but a proximal and a distal end may be one bone, so
// for each element and side the count is, over the portions, the largest number of pieces that
// include that portion (a complete bone includes every portion). Pieces of unknown side are not
// counted (they could pair with either side), except for axial elements, which have no side.
// Teeth and other elements are counted the same way under their own names.
func MNI(items []Element) (MNIResult, error) {
	type key struct{ element, side string }
	portions := map[key]map[string]int{}
	complete := map[key]int{}
	for i, it := range items {
		el := strings.ToLower(strings.TrimSpace(it.Element))
		if el == "" {
			return MNIResult{}, fmt.Errorf("inventory item %d (container %s): element is required", i+1, it.Container)
		}
		side := strings.ToLower(strings.TrimSpace(it.Side))
		switch side {
		case "left", "right", "axial":
		case "", "unknown":
			continue
		default:
			return MNIResult{}, fmt.Errorf("inventory item %d (container %s, %s): side %q is not left, right, axial or unknown", i+1, it.Container, el, it.Side)
		}
		k := key{el, side}
		p := strings.ToLower(strings.TrimSpace(it.Portion))
		if p == "" || p == "complete" {
			complete[k]++
			continue
		}
		if portions[k] == nil {
			portions[k] = map[string]int{}
		}
		portions[k][p]++
	}
	keys := map[key]bool{}
	for k := range complete {
		keys[k] = true
	}
	for k := range portions {
		keys[k] = true
	}
	var counts []MNICount
	for k := range keys {
		best := MNICount{Element: k.element, Side: k.side, Portion: "complete", Count: complete[k]}
		for p, n := range portions[k] {
			if n+complete[k] > best.Count || (n+complete[k] == best.Count && p < best.Portion && best.Portion != "complete") {
				best = MNICount{Element: k.element, Side: k.side, Portion: p, Count: n + complete[k]}
			}
		}
		counts = append(counts, best)
	}
	sort.Slice(counts, func(i, j int) bool {
		a, b := counts[i], counts[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		if a.Element != b.Element {
			return a.Element < b.Element
		}
		return a.Side < b.Side
	})
	res := MNIResult{Counts: counts}
	if len(counts) > 0 {
		res.MNI, res.Deciding = counts[0].Count, counts[0]
	}
	return res, nil
}

// ContainerMNI is the MNI of each container and of all of them together.
type ContainerMNI struct {
	PerContainer map[string]MNIResult `json:"per_container"`
	// Pooled treats all containers as one commingled assemblage (people may be spread across
	// containers): the lower bound for the whole.
	Pooled MNIResult `json:"pooled"`
	// SumOfContainers adds the per-container MNIs: the lower bound if no person's remains were
	// split between containers. The truth lies at or above Pooled; SumOfContainers - Pooled
	// measures how much consolidation across containers could reduce the count.
	SumOfContainers int `json:"sum_of_containers"`
}

// MNIByContainer computes the MNI per container and across containers.
func MNIByContainer(items []Element) (ContainerMNI, error) {
	out := ContainerMNI{PerContainer: map[string]MNIResult{}}
	by := map[string][]Element{}
	for _, it := range items {
		by[it.Container] = append(by[it.Container], it)
	}
	for c, its := range by {
		r, err := MNI(its)
		if err != nil {
			return out, err
		}
		out.PerContainer[c] = r
		out.SumOfContainers += r.MNI
	}
	var err error
	out.Pooled, err = MNI(items)
	return out, err
}
