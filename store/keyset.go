package store

import (
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
// The cursor (homeward.EncodeCursor) is tagged with a checksum of the order, so that it is used
// only with the order that made it.
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

// encode is the cursor naming the row with key values vals (homeward.EncodeCursor).
func (k keyset) encode(vals []any) string { return homeward.EncodeCursor(k.sum, vals) }

// page checks a page's cursor against this keyset: its key values, or nil without a cursor.
func (k keyset) page(p homeward.Page) ([]any, error) { return homeward.CursorOf(p, k.sum, len(k.keys)) }
