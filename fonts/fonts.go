// Package fonts carries the TrueType fonts reports are set in, embedded in the binary so that a
// report renders the same everywhere. The font files are not in git: scripts/assets copies Nanum
// Gothic (SIL Open Font License 1.1) from Debian's fonts-nanum package into this directory before
// the build.
package fonts

import (
	"embed"
	"errors"
	"io/fs"
)

//go:embed *
var files embed.FS

// ErrMissing says the fonts were not in place when the binary was built.
var ErrMissing = errors.New("fonts: Nanum Gothic was not embedded at build time (run scripts/assets, then rebuild)")

// Report returns the regular and bold faces for reports.
func Report() (regular, bold []byte, err error) {
	regular, err1 := fs.ReadFile(files, "NanumGothic.ttf")
	bold, err2 := fs.ReadFile(files, "NanumGothicBold.ttf")
	if err1 != nil || err2 != nil {
		return nil, nil, ErrMissing
	}
	return regular, bold, nil
}
