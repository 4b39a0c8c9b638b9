package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/homeward/homeward"
)

// record describes a table that holds a domain record as JSON plus key columns.
type record[T any] struct {
	table  string
	entity string // audit entity and error text, e.g. "missing_person"
	// columns returns the key columns written alongside data (in a fixed order).
	columns func(*T) ([]string, []any)
	id      func(*T) *int64
	meta    func(*T) *homeward.Meta // nil: the table has no version/timestamps
	field   string                  // the field a unique violation is about
}

func (r *record[T]) insert(ctx context.Context, s *DB, tx *sql.Tx, v *T) error {
	names, vals := r.columns(v)
	*r.id(v) = 0
	now := s.now()
	if r.meta != nil {
		m := r.meta(v)
		m.CreatedAt, m.UpdatedAt, m.Version = now, now, 1
	}
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	names = append(names, "data")
	vals = append(vals, string(data))
	if r.meta != nil {
		names = append(names, "created_at", "updated_at", "version")
		vals = append(vals, now, now, 1)
	}
	ph := make([]string, len(names))
	for i := range ph {
		ph[i] = fmt.Sprintf("$%d", i+1)
	}
	q := fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s) RETURNING id", r.table, strings.Join(names, ", "), strings.Join(ph, ", "))
	var id int64
	if err := tx.QueryRowContext(ctx, q, vals...).Scan(&id); err != nil {
		return mapErr(err, r.entity, r.field)
	}
	*r.id(v) = id
	return s.audit(ctx, tx, "create", r.entity, id, "", nil, v)
}

func (r *record[T]) selectCols() string {
	if r.meta != nil {
		return "id, data, created_at, updated_at, version"
	}
	return "id, data"
}

// scanKeyed scans a row of selectCols followed by n keyset key values.
func (r *record[T]) scanKeyed(sc interface{ Scan(...any) error }, n int) (*T, []any, error) {
	keys := make([]any, n)
	dst := make([]any, n)
	for i := range keys {
		dst[i] = &keys[i]
	}
	v, err := r.scan(sc, dst...)
	return v, keys, err
}

// scan scans a row of selectCols, and extra destinations for the columns after them.
func (r *record[T]) scan(sc interface{ Scan(...any) error }, extra ...any) (*T, error) {
	var v T
	var id int64
	var data []byte
	var err error
	if r.meta != nil {
		var m homeward.Meta
		err = sc.Scan(append([]any{&id, &data, &m.CreatedAt, &m.UpdatedAt, &m.Version}, extra...)...)
		if err == nil {
			err = json.Unmarshal(data, &v)
			*r.meta(&v) = homeward.Meta{CreatedAt: m.CreatedAt.UTC(), UpdatedAt: m.UpdatedAt.UTC(), Version: m.Version}
		}
	} else {
		err = sc.Scan(append([]any{&id, &data}, extra...)...)
		if err == nil {
			err = json.Unmarshal(data, &v)
		}
	}
	if err != nil {
		return nil, err
	}
	*r.id(&v) = id
	return &v, nil
}

func (r *record[T]) get(ctx context.Context, q querier, where string, args ...any) (*T, error) {
	row := q.QueryRowContext(ctx, fmt.Sprintf("SELECT %s FROM %s WHERE %s", r.selectCols(), r.table, where), args...)
	v, err := r.scan(row)
	if err != nil {
		return nil, mapErr(err, r.entity, "")
	}
	return v, nil
}

// update replaces the record when v's version matches the stored one.
func (r *record[T]) update(ctx context.Context, s *DB, v *T) error {
	return s.tx(ctx, func(tx *sql.Tx) error { return r.updateIn(ctx, s, tx, v, "update", "") })
}

// updateIn is update inside a transaction, audited as action with summary.
func (r *record[T]) updateIn(ctx context.Context, s *DB, tx *sql.Tx, v *T, action, summary string) error {
	id := *r.id(v)
	before, err := r.get(ctx, tx, "id = $1", id)
	if err != nil {
		return err
	}
	m := r.meta(v)
	bm := r.meta(before)
	if m.Version != bm.Version {
		return homeward.CodeFieldErrorf(homeward.ECONFLICT, "version", "%s %d was changed by someone else (version %d, you sent %d): reload and retry", r.entity, id, bm.Version, m.Version)
	}
	m.CreatedAt, m.UpdatedAt, m.Version = bm.CreatedAt, s.now(), bm.Version+1
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	names, vals := r.columns(v)
	set := make([]string, 0, len(names)+3)
	for i, n := range names {
		set = append(set, fmt.Sprintf("%s = $%d", n, i+1))
	}
	n := len(names)
	set = append(set, fmt.Sprintf("data = $%d", n+1), fmt.Sprintf("updated_at = $%d", n+2), fmt.Sprintf("version = $%d", n+3))
	vals = append(vals, string(data), m.UpdatedAt, m.Version, id, bm.Version)
	q := fmt.Sprintf("UPDATE %s SET %s WHERE id = $%d AND version = $%d", r.table, strings.Join(set, ", "), n+4, n+5)
	res, err := tx.ExecContext(ctx, q, vals...)
	if err != nil {
		return mapErr(err, r.entity, r.field)
	}
	if k, _ := res.RowsAffected(); k != 1 {
		return homeward.CodeFieldErrorf(homeward.ECONFLICT, "version", "%s %d was changed by someone else: reload and retry", r.entity, id)
	}
	return s.audit(ctx, tx, action, r.entity, id, summary, before, v)
}

// list returns one page of records matching where (with args) ordered by order, with id as the
// last key (the page's cursor, when it has one, is a keyset over those keys).
func (r *record[T]) list(ctx context.Context, s *DB, where string, args []any, order string, p homeward.Page) (homeward.List[T], error) {
	p = p.Normalize()
	out := homeward.List[T]{Items: []T{}}
	if where == "" {
		where = "1=1"
	}
	ks := newKeyset(withID(order))
	after, err := ks.page(p)
	if err != nil {
		return out, err
	}
	if err := s.db.QueryRowContext(ctx, fmt.Sprintf("SELECT COUNT(*) FROM %s WHERE %s", r.table, where), args...).Scan(&out.Total); err != nil {
		return out, mapErr(err, r.entity, "")
	}
	cond := where
	if after != nil {
		c, a := ks.after(after, len(args)+1)
		cond, args = "("+where+") AND "+c, append(slices.Clip(args), a...)
	}
	n := len(args)
	q := fmt.Sprintf("SELECT %s, %s FROM %s WHERE %s ORDER BY %s LIMIT $%d OFFSET $%d", r.selectCols(), ks.exprs(), r.table, cond, withID(order), n+1, n+2)
	rows, err := s.db.QueryContext(ctx, q, append(args, p.Limit+1, p.Offset)...)
	if err != nil {
		return out, mapErr(err, r.entity, "")
	}
	defer rows.Close()
	var last []any
	for rows.Next() {
		if len(out.Items) == p.Limit {
			out.NextCursor = ks.encode(last)
			break
		}
		v, keys, err := r.scanKeyed(rows, len(ks.keys))
		if err != nil {
			return out, mapErr(err, r.entity, "")
		}
		out.Items, last = append(out.Items, *v), keys
	}
	return out, mapErr(rows.Err(), r.entity, "")
}

type querier interface {
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

// where builds a WHERE clause with numbered placeholders.
type where struct {
	parts []string
	args  []any
}

func (w *where) add(cond string, args ...any) {
	for range args {
		w.args = append(w.args, nil)
	}
	n := len(w.args) - len(args)
	for i, a := range args {
		w.args[n+i] = a
		cond = strings.Replace(cond, "?", fmt.Sprintf("$%d", n+i+1), 1)
	}
	w.parts = append(w.parts, cond)
}

func (w *where) String() string { return strings.Join(w.parts, " AND ") }
