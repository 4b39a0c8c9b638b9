package kinship

import (
	"fmt"
	"html"
	"sort"
	"strings"
)

// Drawing is a pedigree laid out as a standard pedigree chart, in abstract units (a symbol has
// radius DrawRadius): founders on top and each generation below its parents, spouses side by side.
// Renderers (SVG here, PDF in reports) draw the same layout.
type Drawing struct {
	Width, Height float64
	Nodes         []DrawNode
	// Lines are polylines: a line joining each couple, and from its middle down to each child.
	Lines [][][2]float64
}

// DrawNode is one person's symbol: its centre and sex (square, circle or diamond).
type DrawNode struct {
	ID   string
	Sex  int
	X, Y float64
}

// DrawRadius is the half-size of a symbol in a Drawing.
const DrawRadius = 16.0

// Layout places the pedigree's members and the lines between them.
func (p *Pedigree) Layout() Drawing {
	gen := p.generations()
	rows := map[int][]int{}
	maxGen := 0
	for i := range p.People {
		rows[gen[i]] = append(rows[gen[i]], i)
		maxGen = max(maxGen, gen[i])
	}
	pos := p.rowPositions(rows, maxGen)
	const dx, dy, r = 90.0, 90.0, DrawRadius
	width := 0
	for _, row := range rows {
		width = max(width, len(row))
	}
	xy := func(i int) (float64, float64) {
		row := rows[gen[i]]
		off := float64(width-len(row)) * dx / 2
		return 50 + off + pos[i]*dx, 40 + float64(gen[i])*dy
	}
	// Room below the last row for its labels.
	d := Drawing{Width: 100 + float64(width)*dx, Height: 40 + float64(maxGen)*dy + r + 24}
	d.Lines = p.familyLines(xy)
	for i, pe := range p.People {
		x, y := xy(i)
		d.Nodes = append(d.Nodes, DrawNode{ID: pe.ID, Sex: pe.Sex, X: x, Y: y})
	}
	return d
}

// generations is each member's generation (0 for founders, one below their lower parent), with
// founders married into a later generation pulled down to their spouse's.
func (p *Pedigree) generations() []int {
	gen := make([]int, len(p.People))
	for _, i := range p.order {
		if f := p.father[i]; f >= 0 {
			gen[i] = max(gen[f], gen[p.mother[i]]) + 1
		}
	}
	for changed := true; changed; {
		changed = false
		for i := range p.People {
			if f, m := p.father[i], p.mother[i]; f >= 0 {
				g := max(gen[f], gen[m])
				for _, x := range []int{f, m} {
					if p.IsFounder(x) && gen[x] < g {
						gen[x], changed = g, true
					}
				}
			}
		}
	}
	return gen
}

// rowPositions orders each row: children by their parents' positions, spouses side by side; it
// returns each member's place in its row.
func (p *Pedigree) rowPositions(rows map[int][]int, maxGen int) []float64 {
	pos := make([]float64, len(p.People))
	key := func(i int) float64 {
		if f := p.father[i]; f >= 0 {
			return (pos[f] + pos[p.mother[i]]) / 2
		}
		// A founder sits next to a spouse who has parents.
		for c := range p.People {
			if p.father[c] == i && p.mother[c] >= 0 && !p.IsFounder(p.mother[c]) {
				return pos[p.mother[c]] + 0.5
			}
			if p.mother[c] == i && p.father[c] >= 0 && !p.IsFounder(p.father[c]) {
				return pos[p.father[c]] + 0.5
			}
		}
		return float64(i) * 1e-3
	}
	for g := 0; g <= maxGen; g++ {
		row := rows[g]
		sort.SliceStable(row, func(a, b int) bool { return key(row[a]) < key(row[b]) })
		for k, i := range row {
			pos[i] = float64(k)
		}
	}
	return pos
}

// familyLines draws each couple's line and the lines down to their children.
func (p *Pedigree) familyLines(xy func(int) (float64, float64)) [][][2]float64 {
	type couple struct{ f, m int }
	kids := map[couple][]int{}
	var couples []couple
	for _, i := range p.order {
		if f := p.father[i]; f >= 0 {
			c := couple{f, p.mother[i]}
			if _, ok := kids[c]; !ok {
				couples = append(couples, c)
			}
			kids[c] = append(kids[c], i)
		}
	}
	var lines [][][2]float64
	for _, c := range couples {
		fx, fy := xy(c.f)
		mx, my := xy(c.m)
		lines = append(lines, [][2]float64{{fx, fy}, {mx, my}})
		cx, cy := (fx+mx)/2, (fy+my)/2
		for _, k := range kids[c] {
			kx, ky := xy(k)
			mid := (cy + ky) / 2
			lines = append(lines, [][2]float64{{cx, cy}, {cx, mid}, {kx, mid}, {kx, ky - DrawRadius}})
		}
	}
	return lines
}

// SVG draws the pedigree's Layout. Members in typed are filled (typed references) and members in
// missing are drawn with a heavy outline and a question mark. Ids are escaped.
func (p *Pedigree) SVG(typed, missing map[string]bool) string {
	d := p.Layout()
	const r = DrawRadius
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="pedigree" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" font-family="sans-serif" font-size="12">`,
		d.Width, d.Height, d.Width, d.Height)
	for _, l := range d.Lines {
		if len(l) == 2 {
			fmt.Fprintf(&b, `<line x1="%.0f" y1="%.0f" x2="%.0f" y2="%.0f" stroke="black"/>`, l[0][0], l[0][1], l[1][0], l[1][1])
			continue
		}
		pts := make([]string, len(l))
		for i, pt := range l {
			pts[i] = fmt.Sprintf("%.0f,%.0f", pt[0], pt[1])
		}
		fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="black"/>`, strings.Join(pts, " "))
	}
	for _, nd := range d.Nodes {
		x, y := nd.X, nd.Y
		fill, stroke, width := "white", "black", 1.5
		if typed[nd.ID] {
			fill = "#8fb3d9"
		}
		if missing[nd.ID] {
			stroke, width = "#b3261e", 3.5
		}
		switch nd.Sex {
		case Male:
			fmt.Fprintf(&b, `<rect x="%.0f" y="%.0f" width="%.0f" height="%.0f" fill="%s" stroke="%s" stroke-width="%.1f"/>`, x-r, y-r, 2*r, 2*r, fill, stroke, width)
		case Female:
			fmt.Fprintf(&b, `<circle cx="%.0f" cy="%.0f" r="%.0f" fill="%s" stroke="%s" stroke-width="%.1f"/>`, x, y, r, fill, stroke, width)
		default:
			fmt.Fprintf(&b, `<polygon points="%.0f,%.0f %.0f,%.0f %.0f,%.0f %.0f,%.0f" fill="%s" stroke="%s" stroke-width="%.1f"/>`, x, y-r, x+r, y, x, y+r, x-r, y, fill, stroke, width)
		}
		if missing[nd.ID] {
			fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" text-anchor="middle" font-weight="bold" fill="#b3261e">?</text>`, x, y+4)
		}
		fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" text-anchor="middle">%s</text>`, x, y+r+14, html.EscapeString(nd.ID))
	}
	b.WriteString(`</svg>`)
	return b.String()
}
