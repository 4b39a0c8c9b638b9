// Package assets carries third-party files the binary serves or uses, embedded at build time so
// that Homeward runs without network access and renders the same everywhere. The files are not in
// git: scripts/assets puts them in this directory before the build:
//
//   - NanumGothic.ttf, NanumGothicBold.ttf: the report font (Hangul and Latin), from Debian's
//     fonts-nanum package (SIL Open Font License 1.1);
//   - countries-10m.json: Natural Earth 1:10m country outlines as TopoJSON (public domain), from the
//     npm package world-atlas 2.0.2 (ISC licence), for the offline map.
//
// A build without them works; what needs them fails with a message naming scripts/assets.
package assets

import (
	"embed"
	"errors"
	"io/fs"
)

//go:embed *
var files embed.FS

// ErrMissing says a file was not in place when the binary was built.
var ErrMissing = errors.New("assets: not embedded at build time (run scripts/assets, then rebuild)")

// Report returns the regular and bold faces for reports.
func Report() (regular, bold []byte, err error) {
	regular, err1 := fs.ReadFile(files, "NanumGothic.ttf")
	bold, err2 := fs.ReadFile(files, "NanumGothicBold.ttf")
	if err1 != nil || err2 != nil {
		return nil, nil, ErrMissing
	}
	return regular, bold, nil
}

// WorldAtlas returns world-atlas's countries-10m.json (TopoJSON).
func WorldAtlas() ([]byte, error) {
	b, err := fs.ReadFile(files, "countries-10m.json")
	if err != nil {
		return nil, ErrMissing
	}
	return b, nil
}
