package fonts

import (
	"bytes"
	"os"
	"testing"
)

// With the files in place both faces are TrueType (version 1.0 tag); without, the error says what
// to run.
func TestReport(t *testing.T) {
	reg, bold, err := Report()
	if err != nil {
		if os.Getenv("HOMEWARD_REQUIRE_ASSETS") == "1" {
			t.Fatal(err)
		}
		if err != ErrMissing {
			t.Fatalf("error %v", err)
		}
		t.Skip(err)
	}
	for _, f := range [][]byte{reg, bold} {
		if !bytes.HasPrefix(f, []byte{0, 1, 0, 0}) {
			t.Errorf("not a TrueType font: % x", f[:4])
		}
	}
	if bytes.Equal(reg, bold) {
		t.Error("regular and bold are the same file")
	}
}
