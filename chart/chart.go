// Package chart draws simple, accessible SVG charts on the server (no script, no external
// requests): a line chart of several series over labelled steps, with nice axis ticks, a legend and
// a title readers of assistive technology get.
package chart

import (
	"fmt"
	"html"
	"math"
	"strings"
)

// Series is one line: a name and a value per step.
type Series struct {
	Name   string
	Values []float64
}

// Lines is a line chart.
type Lines struct {
	Title  string
	Labels []string // one per step (x axis)
	Series []Series
	Width  float64 // default 720
	Height float64 // default 320
}

// palette is distinguishable in colour and in grey (print); each line also has its own dash.
var palette = []struct{ colour, dash string }{
	{"#1f5f99", ""}, {"#b3261e", "6 3"}, {"#2e7d32", "2 3"}, {"#6a1b9a", "10 3 2 3"}, {"#ef6c00", "1 2"},
}

// SVG renders the chart. Every series must have one value per label; values must be finite.
func (c Lines) SVG() (string, error) {
	w, h := c.Width, c.Height
	if w == 0 {
		w = 720
	}
	if h == 0 {
		h = 320
	}
	n := len(c.Labels)
	top := 0.0
	for _, s := range c.Series {
		if len(s.Values) != n {
			return "", fmt.Errorf("chart %q: series %q has %d values for %d labels", c.Title, s.Name, len(s.Values), n)
		}
		for i, v := range s.Values {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return "", fmt.Errorf("chart %q: series %q value %d is %v", c.Title, s.Name, i, v)
			}
			top = max(top, v)
		}
	}
	ticks := Ticks(top, 5)
	ymax := ticks[len(ticks)-1]
	const left, right, topPad, bottom = 56.0, 16.0, 16.0, 64.0
	pw, ph := w-left-right, h-topPad-bottom
	x := func(i int) float64 {
		if n <= 1 {
			return left + pw/2
		}
		return left + pw*float64(i)/float64(n-1)
	}
	y := func(v float64) float64 { return topPad + ph*(1-v/ymax) }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="chart-title" viewBox="0 0 %.0f %.0f" width="%.0f" height="%.0f" font-family="sans-serif" font-size="11">`, w, h, w, h)
	fmt.Fprintf(&b, `<title id="chart-title">%s</title>`, html.EscapeString(c.Title))
	for _, t := range ticks {
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#ddd"/>`, left, y(t), left+pw, y(t))
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="end">%s</text>`, left-6, y(t)+4, formatTick(t))
	}
	fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#333"/>`, left, topPad+ph, left+pw, topPad+ph)
	// Label at most about 12 steps so the labels never overlap.
	every := max(1, (n+11)/12)
	for i, l := range c.Labels {
		if i%every != 0 && i != n-1 {
			continue
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="end" transform="rotate(-45 %.1f %.1f)">%s</text>`, x(i), topPad+ph+14, x(i), topPad+ph+14, html.EscapeString(l))
	}
	for k, s := range c.Series {
		p := palette[k%len(palette)]
		pts := make([]string, n)
		for i, v := range s.Values {
			pts[i] = fmt.Sprintf("%.1f,%.1f", x(i), y(v))
		}
		dash := ""
		if p.dash != "" {
			dash = fmt.Sprintf(` stroke-dasharray="%s"`, p.dash)
		}
		fmt.Fprintf(&b, `<polyline class="series" data-name="%s" points="%s" fill="none" stroke="%s" stroke-width="2"%s/>`, html.EscapeString(s.Name), strings.Join(pts, " "), p.colour, dash)
		// Points with their values (a tooltip, and visible when there is a single step).
		if n <= 36 {
			for i, v := range s.Values {
				fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="3" fill="%s"><title>%s %s: %s</title></circle>`, x(i), y(v), p.colour, html.EscapeString(s.Name), html.EscapeString(c.Labels[i]), formatTick(v))
			}
		}
		lx := left + float64(k)*pw/float64(max(1, len(c.Series)))
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="2"%s/>`, lx, h-8, lx+18, h-8, p.colour, dash)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f">%s</text>`, lx+22, h-4, html.EscapeString(s.Name))
	}
	b.WriteString(`</svg>`)
	return b.String(), nil
}

// Ticks returns about n evenly spaced "nice" ticks (steps of 1, 2 or 5 times a power of ten) from 0
// to at least top. A top of 0 gives 0 and 1.
func Ticks(top float64, n int) []float64 {
	if top <= 0 {
		return []float64{0, 1}
	}
	raw := top / float64(max(1, n))
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag
	for _, m := range []float64{1, 2, 5, 10} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	step = max(step, 1) // counts: no fractional ticks
	var out []float64
	for t := 0.0; ; t += step {
		out = append(out, t)
		if t >= top {
			break
		}
	}
	return out
}

func formatTick(t float64) string {
	if t >= 1e6 {
		return fmt.Sprintf("%gM", t/1e6)
	}
	if t >= 1e4 {
		return fmt.Sprintf("%gk", t/1e3)
	}
	return fmt.Sprintf("%g", t)
}
