package kinship

import "fmt"

// ancestors returns every ancestor of person i with its distance in generations (1 = parent),
// the shortest when several paths lead to it; i itself is at distance 0.
func (p *Pedigree) ancestors(i int) map[int]int {
	out := map[int]int{i: 0}
	queue := []int{i}
	for len(queue) > 0 {
		x := queue[0]
		queue = queue[1:]
		for _, parent := range []int{p.father[x], p.mother[x]} {
			if parent < 0 {
				continue
			}
			if _, seen := out[parent]; !seen {
				out[parent] = out[x] + 1
				queue = append(queue, parent)
			}
		}
	}
	return out
}

// Related reports whether a and b share an ancestor (or one descends from the other), i.e. whether
// their kinship coefficient is above zero.
func (p *Pedigree) Related(a, b string) bool {
	ia, ib := p.Index(a), p.Index(b)
	if ia < 0 || ib < 0 {
		return false
	}
	anc := p.ancestors(ib)
	for x := range p.ancestors(ia) {
		if _, ok := anc[x]; ok {
			return true
		}
	}
	return false
}

// Describe names the relationship between a and b in words, for reports: "parent-child",
// "full siblings", "half siblings", "grandparent-grandchild", "avuncular" (uncle or aunt and nephew
// or niece), "first cousins", their half forms, "unrelated", or, for anything else, the
// generations from each to the nearest common ancestor. Ids not in the pedigree give an error.
func (p *Pedigree) Describe(a, b string) (string, error) {
	ia, ib := p.Index(a), p.Index(b)
	if ia < 0 {
		return "", fmt.Errorf("describe: %q is not in the pedigree", a)
	}
	if ib < 0 {
		return "", fmt.Errorf("describe: %q is not in the pedigree", b)
	}
	if ia == ib {
		return "the same person", nil
	}
	ancA, ancB := p.ancestors(ia), p.ancestors(ib)
	if g, ok := ancB[ia]; ok {
		return lineal(g), nil
	}
	if g, ok := ancA[ib]; ok {
		return lineal(g), nil
	}
	// Nearest common ancestors: the smallest total distance, and how many share it.
	best, da, db, n := -1, 0, 0, 0
	for x, ga := range ancA {
		gb, ok := ancB[x]
		if !ok {
			continue
		}
		switch d := ga + gb; {
		case best < 0 || d < best || (d == best && ga < da):
			best, da, db, n = d, ga, gb, 1
		case d == best && ga == da:
			n++
		}
	}
	if best < 0 {
		return "unrelated", nil
	}
	half := ""
	if n < 2 {
		half = "half "
	}
	switch {
	case da == 1 && db == 1 && half == "":
		return "full siblings", nil
	case da == 1 && db == 1:
		return "half siblings", nil
	case (da == 1 && db == 2) || (da == 2 && db == 1):
		return half + "avuncular", nil
	case da == 2 && db == 2:
		return half + "first cousins", nil
	}
	return fmt.Sprintf("%srelatives (%d and %d generations from the nearest common ancestor)", half, da, db), nil
}

func lineal(g int) string {
	switch g {
	case 1:
		return "parent-child"
	case 2:
		return "grandparent-grandchild"
	case 3:
		return "great-grandparent-great-grandchild"
	}
	return fmt.Sprintf("lineal relatives, %d generations apart", g)
}

// MaternalLine lists the members of the pedigree who carry the same mitochondrial DNA as id (barring
// mutation): id's mother, her mother and so on up, and everyone descending from any of them through
// mothers only. PaternalLine is the same for the Y chromosome through fathers, for males. Ids are in
// pedigree order; id itself is included. An unknown id gives nil.
func (p *Pedigree) MaternalLine(id string) []string { return p.line(id, true) }

// PaternalLine: see MaternalLine. Females are left out (they carry no Y chromosome).
func (p *Pedigree) PaternalLine(id string) []string { return p.line(id, false) }

func (p *Pedigree) line(id string, maternal bool) []string {
	i := p.Index(id)
	if i < 0 {
		return nil
	}
	parent := func(x int) int {
		if maternal {
			return p.mother[x]
		}
		return p.father[x]
	}
	// The line's founder: up through the line's parent.
	top := i
	for parent(top) >= 0 {
		top = parent(top)
	}
	// Everyone whose line-parent chain reaches top.
	in := make([]bool, len(p.People))
	reaches := func(x int) bool {
		for x >= 0 {
			if x == top {
				return true
			}
			x = parent(x)
		}
		return false
	}
	var out []string
	for k := range p.People {
		in[k] = reaches(k)
		if in[k] && (maternal || p.People[k].Sex != Female) {
			out = append(out, p.People[k].ID)
		}
	}
	return out
}
