package demo

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"time"
)

// photo draws a small stand-in for an evidence photograph: a tinted field with the container
// number written as a row of bit blocks, a case outline and scattered light "bone" shapes. It has
// no text; it is recognisable by the pattern and is different for every container and shot.
func (g *gen) photo(n, shot int, name, caption string, taken time.Time) Photo {
	const wd, ht = 160, 120
	img := image.NewNRGBA(image.Rect(0, 0, wd, ht))
	bg := color.NRGBA{uint8(70 + 3*n%60), uint8(60 + shot*25), uint8(40 + 5*n%50), 255}
	draw.Draw(img, img.Bounds(), &image.Uniform{bg}, image.Point{}, draw.Src)
	// Case outline.
	box := color.NRGBA{120, 90, 50, 255}
	fill := func(r image.Rectangle, c color.Color) { draw.Draw(img, r, &image.Uniform{c}, image.Point{}, draw.Src) }
	fill(image.Rect(20, 30, 140, 34), box)
	fill(image.Rect(20, 100, 140, 104), box)
	fill(image.Rect(20, 30, 24, 104), box)
	fill(image.Rect(136, 30, 140, 104), box)
	// Bit blocks: container number (7 bits), then shot number (2 bits).
	for b := range 9 {
		var on bool
		if b < 7 {
			on = n>>(6-b)&1 == 1
		} else {
			on = shot>>(8-b)&1 == 1
		}
		c := color.NRGBA{30, 30, 30, 255}
		if on {
			c = color.NRGBA{240, 240, 230, 255}
		}
		fill(image.Rect(20+b*14, 8, 30+b*14, 20), c)
	}
	// Light elongated shapes inside the case.
	bone := color.NRGBA{225, 215, 190, 255}
	for range 4 + g.r.IntN(6) {
		x, y := 28+g.r.IntN(90), 40+g.r.IntN(50)
		if g.chance(0.5) {
			fill(image.Rect(x, y, x+10+g.r.IntN(20), y+3+g.r.IntN(3)), bone)
		} else {
			fill(image.Rect(x, y, x+3+g.r.IntN(3), y+8+g.r.IntN(12)), bone)
		}
	}
	var buf bytes.Buffer
	enc := png.Encoder{BufferPool: &g.pngPool}
	if err := enc.Encode(&buf, img); err != nil {
		panic(err) // writing to memory cannot fail
	}
	return Photo{Filename: name, Caption: caption, PNG: buf.Bytes(), TakenAt: taken}
}

// pngPool keeps one encoder buffer for all the photos of a generation.
type pngPool struct{ b *png.EncoderBuffer }

func (p *pngPool) Get() *png.EncoderBuffer  { return p.b }
func (p *pngPool) Put(b *png.EncoderBuffer) { p.b = b }
