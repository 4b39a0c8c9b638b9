package homeward

import (
	"reflect"
	"testing"
)

// A cursor gives back its values with their types, for its own tag and count only; a made-up or
// altered one is refused naming cursor.
func TestCursorRoundTrip(t *testing.T) {
	vals := []any{int64(-3), 2.5, "Kim.Chul-min/김", int64(42)}
	c := EncodeCursor("t1", vals)
	got, err := DecodeCursor("t1", c, 4)
	if err != nil || !reflect.DeepEqual(got, vals) {
		t.Fatalf("round trip: %v %v", got, err)
	}
	if EncodeCursor("t1", []any{nil}) != "" {
		t.Error("a NULL key made a cursor")
	}
	for name, try := range map[string]func() error{
		"another tag":   func() error { _, err := DecodeCursor("t2", c, 4); return err },
		"another count": func() error { _, err := DecodeCursor("t1", c, 3); return err },
		"not base64":    func() error { _, err := DecodeCursor("t1", "%%", -1); return err },
		"altered":       func() error { _, err := DecodeCursor("t1", c[:len(c)-3]+"x", -1); return err },
		"with offset":   func() error { _, err := CursorOf(Page{Cursor: c, Offset: 5}, "t1", 4); return err },
	} {
		if e, ok := try().(*Error); !ok || e.Field != "cursor" {
			t.Errorf("%s: %v", name, try())
		}
	}
}
