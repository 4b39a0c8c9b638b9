package store

import (
	"encoding/base64"
	"fmt"
	"hash/crc32"
	"strconv"
	"strings"

	"github.com/homeward/homeward"
)

// keyset pages a query by the values of its ORDER BY keys rather than by an offset: the page
// after a cursor is the rows that sort after the last row the cursor names. Rows added or removed
// while a client pages through a list neither repeat nor skip rows, as offsets would, and a deep
// page costs what the first does.
//
// A cursor is opaque to clients: base64url of the order's checksum and the last row's key values,
// each tagged with its type. It is not secret (it holds values of a row the client has already
// read), so it is not signed; a cursor from another order, or one altered, is refused as a
// "cursor" field error.
type keyset struct {
	keys []orderKey
	sum  string // checksum of the order, so a cursor is used only with the order that made it
}

type orderKey struct {
	expr string
	desc bool
}

// newKeyset reads an ORDER BY list ("family_name DESC, COALESCE(a, ”), id"). The list must end in
// keys that together are unique, or rows that tie would be skipped.
func newKeyset(order string) keyset {
	var k keyset
	for _, part := range splitTopLevel(order) {
		part = strings.TrimSpace(part)
		key := orderKey{expr: part}
		if e, ok := strings.CutSuffix(part, " DESC"); ok {
			key = orderKey{expr: strings.TrimSpace(e), desc: true}
		} else if e, ok := strings.CutSuffix(part, " ASC"); ok {
			key.expr = strings.TrimSpace(e)
		}
		k.keys = append(k.keys, key)
	}
	k.sum = strconv.FormatUint(uint64(crc32.ChecksumIEEE([]byte(order))), 36)
	return k
}

// splitTopLevel splits s at the commas outside parentheses.
func splitTopLevel(s string) []string {
	var out []string
	depth, start := 0, 0
	for i, c := range s {
		switch c {
		case '(':
			depth++
		case ')':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}

// withID is the order with id appended as the last key, unless id is already a key.
func withID(order string) string {
	for _, part := range splitTopLevel(order) {
		p := strings.TrimSpace(part)
		if p == "id" || p == "id DESC" || p == "id ASC" {
			return order
		}
	}
	return order + ", id"
}

// exprs is the keys as a select list.
func (k keyset) exprs() string {
	e := make([]string, len(k.keys))
	for i, key := range k.keys {
		e[i] = key.expr
	}
	return strings.Join(e, ", ")
}

// after is the condition selecting the rows that sort after the row with key values vals, with
// placeholders numbered from first: (k0 > v0) OR (k0 = v0 AND k1 > v1) OR ... (< for a DESC key).
func (k keyset) after(vals []any, first int) (string, []any) {
	if k.sameDirection() {
		// One row comparison, (k0, k1) > ($1, $2): both stores compare row values in order, and
		// an index on the keys serves it.
		ph := make([]string, len(vals))
		for i := range vals {
			ph[i] = fmt.Sprintf("$%d", first+i)
		}
		op := ">"
		if k.keys[0].desc {
			op = "<"
		}
		return fmt.Sprintf("((%s) %s (%s))", k.exprs(), op, strings.Join(ph, ", ")), vals
	}
	var ors []string
	var args []any
	for i, key := range k.keys {
		var ands []string
		for j := range i {
			ands = append(ands, fmt.Sprintf("%s = $%d", k.keys[j].expr, first+len(args)))
			args = append(args, vals[j])
		}
		op := ">"
		if key.desc {
			op = "<"
		}
		ands = append(ands, fmt.Sprintf("%s %s $%d", key.expr, op, first+len(args)))
		args = append(args, vals[i])
		ors = append(ors, "("+strings.Join(ands, " AND ")+")")
	}
	return "(" + strings.Join(ors, " OR ") + ")", args
}

// sameDirection reports whether every key sorts the same way (and there is more than one).
func (k keyset) sameDirection() bool {
	for _, key := range k.keys[1:] {
		if key.desc != k.keys[0].desc {
			return false
		}
	}
	return len(k.keys) > 1
}

// encode is the cursor naming the row with key values vals, or "" when a value has a type a
// cursor cannot carry (a NULL key: the caller then pages by offset).
func (k keyset) encode(vals []any) string {
	parts := []string{k.sum}
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
	return base64.RawURLEncoding.EncodeToString([]byte(strings.Join(parts, ".")))
}

// decode reads a cursor this keyset made.
func (k keyset) decode(cursor string) ([]any, error) {
	bad := homeward.FieldErrorf("cursor", "is not a cursor of this list in this order: take it from the next link of the same query")
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return nil, bad
	}
	parts := strings.Split(string(raw), ".")
	if len(parts) != len(k.keys)+1 || parts[0] != k.sum {
		return nil, bad
	}
	vals := make([]any, len(k.keys))
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

// page checks a page's cursor against this keyset: its key values, or nil without a cursor.
func (k keyset) page(p homeward.Page) ([]any, error) {
	if p.Cursor == "" {
		return nil, nil
	}
	if p.Offset != 0 {
		return nil, homeward.FieldErrorf("cursor", "goes with no offset: a cursor already says where the page starts")
	}
	return k.decode(p.Cursor)
}
