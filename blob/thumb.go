package blob

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	_ "image/gif" // decoders for Thumbnail
	"image/jpeg"
	_ "image/png"
	"io"

	"github.com/homeward/homeward"
)

// Limits on what Thumbnail will decode, so that a hostile upload cannot exhaust memory.
const (
	MaxImageBytes  = 64 << 20
	MaxImagePixels = 100_000_000
)

// Thumbnail decodes a JPEG, PNG or GIF (first frame) and returns a JPEG whose longer side is at
// most maxSide pixels (images already that small are re-encoded at their size). Downscaling
// averages every source pixel that falls in a target pixel (area averaging), which keeps fine
// detail from aliasing.
func Thumbnail(r io.Reader, maxSide int) ([]byte, string, error) {
	if maxSide < 1 {
		return nil, "", homeward.FieldErrorf("thumbnail.max_side", "must be at least 1, not %d", maxSide)
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxImageBytes+1))
	if err != nil {
		return nil, "", fmt.Errorf("thumbnail: read: %w", err)
	}
	if len(data) > MaxImageBytes {
		return nil, "", homeward.Errorf(homeward.ETOOLARGE, "thumbnail: image larger than %d bytes", MaxImageBytes)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, "", homeward.Errorf(homeward.EINVALID, "thumbnail: not a JPEG, PNG or GIF image: %v", err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || int64(cfg.Width)*int64(cfg.Height) > MaxImagePixels {
		return nil, "", homeward.Errorf(homeward.ETOOLARGE, "thumbnail: %s image of %dx%d pixels is outside the limit of %d pixels", format, cfg.Width, cfg.Height, MaxImagePixels)
	}
	src, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, "", homeward.Errorf(homeward.EINVALID, "thumbnail: decode %s: %v", format, err)
	}
	dst := downscale(src, maxSide)
	var out bytes.Buffer
	if err := jpeg.Encode(&out, dst, &jpeg.Options{Quality: 82}); err != nil {
		return nil, "", fmt.Errorf("thumbnail: encode: %w", err)
	}
	return out.Bytes(), "image/jpeg", nil
}

// downscale returns src scaled so that its longer side is at most maxSide, by area averaging, on
// an opaque white background (JPEG has no transparency).
func downscale(src image.Image, maxSide int) *image.RGBA {
	b := src.Bounds()
	sw, sh := b.Dx(), b.Dy()
	dw, dh := sw, sh
	if sw > maxSide || sh > maxSide {
		if sw >= sh {
			dw, dh = maxSide, max(1, (sh*maxSide+sw/2)/sw)
		} else {
			dw, dh = max(1, (sw*maxSide+sh/2)/sh), maxSide
		}
	}
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	// Each target pixel (x, y) covers source columns [x*sw/dw, (x+1)*sw/dw) and rows likewise;
	// integer bounds keep the work exact and every source pixel counted once.
	for y := 0; y < dh; y++ {
		y0, y1 := y*sh/dh, (y+1)*sh/dh
		if y1 == y0 {
			y1 = y0 + 1
		}
		for x := 0; x < dw; x++ {
			x0, x1 := x*sw/dw, (x+1)*sw/dw
			if x1 == x0 {
				x1 = x0 + 1
			}
			var r, g, bl, n uint64
			for sy := y0; sy < y1; sy++ {
				for sx := x0; sx < x1; sx++ {
					cr, cg, cb, ca := src.At(b.Min.X+sx, b.Min.Y+sy).RGBA()
					// composite over white: c + (1-a)*white, in 16-bit premultiplied space
					r += uint64(cr + 0xffff - ca)
					g += uint64(cg + 0xffff - ca)
					bl += uint64(cb + 0xffff - ca)
					n++
				}
			}
			dst.SetRGBA(x, y, color.RGBA{R: uint8(r / n >> 8), G: uint8(g / n >> 8), B: uint8(bl / n >> 8), A: 0xff})
		}
	}
	return dst
}
