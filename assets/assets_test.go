package assets

import (
	"bytes"
	"os"
	"testing"
)

func require(t *testing.T, err error) {
	if err == nil {
		return
	}
	if os.Getenv("HOMEWARD_REQUIRE_ASSETS") == "1" {
		t.Fatal(err)
	}
	if err != ErrMissing {
		t.Fatalf("error %v", err)
	}
	t.Skip(err)
}

// Both faces are TrueType (version 1.0 tag) and differ.
func TestReport(t *testing.T) {
	reg, bold, err := Report()
	require(t, err)
	for _, f := range [][]byte{reg, bold} {
		if !bytes.HasPrefix(f, []byte{0, 1, 0, 0}) {
			t.Errorf("not a TrueType font: % x", f[:4])
		}
	}
	if bytes.Equal(reg, bold) {
		t.Error("regular and bold are the same file")
	}
}

func TestWorldAtlas(t *testing.T) {
	b, err := WorldAtlas()
	require(t, err)
	if !bytes.HasPrefix(b, []byte(`{"type":"Topology"`)) {
		t.Errorf("not world-atlas TopoJSON: %q", b[:min(len(b), 40)])
	}
}
