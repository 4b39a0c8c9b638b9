package golden

import (
	"os"
	"path/filepath"
	"testing"
)

// rec records a failure instead of failing the test running it.
type rec struct {
	*testing.T
	failed bool
}

func (r *rec) Errorf(string, ...any) { r.failed = true }
func (r *rec) Fatalf(string, ...any) { r.failed = true }

func TestCheck(t *testing.T) {
	path := filepath.Join(t.TempDir(), "g.json")
	os.WriteFile(path, []byte("{\"a\": 1}\n"), 0o600)
	for _, c := range []struct {
		got  string
		fail bool
	}{{"{\"a\": 1}", false}, {"{\"a\": 1}\n\n", false}, {"{\"a\": 2}", true}} {
		r := &rec{T: t}
		Check(r, path, []byte(c.got))
		if r.failed != c.fail {
			t.Errorf("%q: failed %v", c.got, r.failed)
		}
	}
	r := &rec{T: t}
	Check(r, filepath.Join(t.TempDir(), "missing.json"), []byte("x"))
	if !r.failed {
		t.Error("a missing golden file passed")
	}
}
