package homeward

import (
	"encoding/base64"
	"strconv"
	"strings"
)

// A cursor names the last item of a page by its sort-key values, so that the next page is the
// items after it (keyset paging). It is opaque to clients: base64url of a tag (which list, in
// which order) and the values, each marked with its type. It is not secret (it holds values of an
// item the client was shown) and so not signed; one made for another tag, or altered, is refused.

// EncodeCursor is the cursor of tag after the item with key values vals (int64, float64, string or
// []byte); "" when a value has another type (a NULL key: the caller then pages by offset).
func EncodeCursor(tag string, vals []any) string {
	parts := []string{tag}
	for _, v := range vals {
		switch x := v.(type) {
		case int64:
			parts = append(parts, "i"+strconv.FormatInt(x, 10))
		case float64:
			parts = append(parts, "f"+strconv.FormatFloat(x, 'g', -1, 64))
		case string:
			parts = append(parts, "s"+base64.RawURLEncoding.EncodeToString([]byte(x)))
		case []byte:
			parts = append(parts, "s"+base64.RawURLEncoding.EncodeToString(x))
		default:
			return ""
		}
	}
	return base64.RawURLEncoding.EncodeToString([]byte(strings.Join(parts, ",")))
}

// DecodeCursor reads a cursor EncodeCursor made for tag with n values (n < 0: any number).
func DecodeCursor(tag, cursor string, n int) ([]any, error) {
	bad := FieldErrorf("cursor", "is not a cursor of this list in this order: take it from the next link of the same query")
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return nil, bad
	}
	parts := strings.Split(string(raw), ",")
	if parts[0] != tag || len(parts) < 2 || (n >= 0 && len(parts) != n+1) {
		return nil, bad
	}
	vals := make([]any, len(parts)-1)
	for i, p := range parts[1:] {
		if p == "" {
			return nil, bad
		}
		switch p[0] {
		case 'i':
			vals[i], err = strconv.ParseInt(p[1:], 10, 64)
		case 'f':
			vals[i], err = strconv.ParseFloat(p[1:], 64)
		case 's':
			var b []byte
			b, err = base64.RawURLEncoding.DecodeString(p[1:])
			vals[i] = string(b)
		default:
			err = bad
		}
		if err != nil {
			return nil, bad
		}
	}
	return vals, nil
}

// CursorOf checks a page's cursor: its key values for tag (n of them, n < 0: any number), nil
// without a cursor; a cursor with an offset is refused.
func CursorOf(p Page, tag string, n int) ([]any, error) {
	if p.Cursor == "" {
		return nil, nil
	}
	if p.Offset != 0 {
		return nil, FieldErrorf("cursor", "goes with no offset: a cursor already says where the page starts")
	}
	return DecodeCursor(tag, p.Cursor, n)
}
