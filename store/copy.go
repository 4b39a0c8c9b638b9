package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/homeward/homeward"
)

// CopyTo copies every record of this store into dst, an empty store of either engine that is
// already migrated to the same version: table by table, parents before children, in one
// transaction on dst, so that a failed copy leaves dst empty. Search indexes are rebuilt by dst's
// own triggers; River's job tables and goose's version table are not copied. progress, when not
// nil, is told each table and its row count.
func (s *DB) CopyTo(ctx context.Context, dst *DB, progress func(table string, rows int)) error {
	tables, err := s.copyTables(ctx)
	if err != nil {
		return err
	}
	types, err := dst.columnTypes(ctx, tables)
	if err != nil {
		return err
	}
	return dst.tx(ctx, func(tx *sql.Tx) error {
		for _, t := range tables {
			var n int
			if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM "+t).Scan(&n); err != nil {
				return fmt.Errorf("copy: target table %s: %w", t, err)
			}
			if n > 0 {
				return homeward.Errorf(homeward.ECONFLICT, "copy: the target store already holds %d row(s) in %s; copy into an empty store", n, t)
			}
		}
		for _, t := range tables {
			rows, err := s.copyTable(ctx, tx, dst, t, types[t])
			if err != nil {
				return fmt.Errorf("copy %s: %w", t, err)
			}
			if progress != nil {
				progress(t, rows)
			}
		}
		return dst.resetSequences(ctx, tx, types)
	})
}

// copyTables lists this store's tables in an order where every table comes after those it
// notCopied are the tables a copy leaves out: the engines' own, the job queue's, and the text
// indexes (SQLite FTS5 tables and their shadow tables), which the target's triggers refill.
var notCopied = []string{"sqlite_", "goose_", "river_", "missing_persons_search", "family_members_search"}

// refers to.
func (s *DB) copyTables(ctx context.Context) ([]string, error) {
	var q string
	if s.dialect == "postgres" {
		q = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
	} else {
		q = "SELECT name FROM sqlite_master WHERE type = 'table'"
	}
	names, err := s.strings(ctx, q)
	if err != nil {
		return nil, err
	}
	var tables []string
	for _, n := range names {
		if !slices.ContainsFunc(notCopied, func(prefix string) bool { return strings.HasPrefix(n, prefix) }) {
			tables = append(tables, n)
		}
	}
	sort.Strings(tables)
	deps := map[string][]string{}
	for _, t := range tables {
		if s.dialect == "postgres" {
			q = `SELECT DISTINCT ccu.table_name FROM information_schema.table_constraints tc
				JOIN information_schema.constraint_column_usage ccu ON tc.constraint_name = ccu.constraint_name AND tc.table_schema = ccu.table_schema
				WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = current_schema() AND tc.table_name = '` + t + `'`
		} else {
			q = `SELECT DISTINCT "table" FROM pragma_foreign_key_list('` + t + `')`
		}
		if deps[t], err = s.strings(ctx, q); err != nil {
			return nil, err
		}
	}
	var order []string
	done := map[string]bool{}
	var visit func(t string, depth int)
	visit = func(t string, depth int) {
		if done[t] || depth > len(tables) {
			return
		}
		for _, d := range deps[t] {
			if d != t {
				visit(d, depth+1)
			}
		}
		if !done[t] {
			done[t] = true
			order = append(order, t)
		}
	}
	for _, t := range tables {
		visit(t, 0)
	}
	return order, nil
}

func (s *DB) strings(ctx context.Context, q string) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("copy: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// columnTypes returns, per table, each column's declared type in this store (lower case).
func (s *DB) columnTypes(ctx context.Context, tables []string) (map[string]map[string]string, error) {
	out := map[string]map[string]string{}
	for _, t := range tables {
		q := "SELECT name, lower(type) FROM pragma_table_info('" + t + "')"
		if s.dialect == "postgres" {
			q = "SELECT column_name, lower(data_type) FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = '" + t + "'"
		}
		rows, err := s.db.QueryContext(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("copy: columns of %s: %w", t, err)
		}
		out[t] = map[string]string{}
		for rows.Next() {
			var name, typ string
			if err := rows.Scan(&name, &typ); err != nil {
				rows.Close()
				return nil, err
			}
			out[t][name] = typ
		}
		rows.Close()
		if len(out[t]) == 0 {
			return nil, fmt.Errorf("copy: the target store has no table %s (migrate it first)", t)
		}
	}
	return out, nil
}

// copyTable streams one table's rows into tx, converting values to the target's column types.
func (s *DB) copyTable(ctx context.Context, tx *sql.Tx, dst *DB, table string, types map[string]string) (int, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT * FROM "+table)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return 0, err
	}
	for _, c := range cols {
		if types[c] == "" {
			return 0, fmt.Errorf("the target's %s has no column %s", table, c)
		}
	}
	ph := make([]string, len(cols))
	for i := range ph {
		ph[i] = fmt.Sprintf("$%d", i+1)
	}
	ins, err := tx.PrepareContext(ctx, fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s)", table, strings.Join(quoted(cols), ", "), strings.Join(ph, ", ")))
	if err != nil {
		return 0, err
	}
	defer ins.Close()
	n := 0
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, err
		}
		for i, c := range cols {
			if vals[i], err = convertValue(vals[i], types[c]); err != nil {
				return n, fmt.Errorf("row %d column %s: %w", n+1, c, err)
			}
		}
		if _, err := ins.ExecContext(ctx, vals...); err != nil {
			return n, fmt.Errorf("row %d: %w", n+1, err)
		}
		n++
	}
	return n, rows.Err()
}

func quoted(cols []string) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = `"` + c + `"`
	}
	return out
}

// timeLayouts are the ways the stores write times.
var timeLayouts = []string{time.RFC3339Nano, "2006-01-02 15:04:05.999999999-07:00", "2006-01-02 15:04:05.999999999Z07:00", "2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999"}

// convertValue makes a value read from one engine fit a column of the other: times written as
// text become times, integers become booleans for boolean columns, bytes become text.
func convertValue(v any, typ string) (any, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case []byte:
		if !strings.Contains(typ, "bytea") && !strings.Contains(typ, "blob") {
			return string(x), nil
		}
	case string:
		if strings.HasPrefix(typ, "timestamp") {
			for _, l := range timeLayouts {
				if t, err := time.Parse(l, x); err == nil {
					return t.UTC(), nil
				}
			}
			return nil, fmt.Errorf("%q is not a time", x)
		}
	case int64:
		if typ == "boolean" {
			return x != 0, nil
		}
	case time.Time:
		return x.UTC(), nil
	}
	return v, nil
}

// resetSequences moves PostgreSQL's id sequences past the copied ids.
func (s *DB) resetSequences(ctx context.Context, tx *sql.Tx, types map[string]map[string]string) error {
	if s.dialect != "postgres" {
		return nil
	}
	for t, cols := range types {
		if cols["id"] == "" {
			continue // an error inside the transaction would abort it
		}
		var seq sql.NullString
		if err := tx.QueryRowContext(ctx, "SELECT pg_get_serial_sequence($1, 'id')", t).Scan(&seq); err != nil || !seq.Valid {
			continue
		}
		if _, err := tx.ExecContext(ctx, "SELECT setval($1, COALESCE((SELECT MAX(id) FROM "+t+"), 0) + 1, false)", seq.String); err != nil {
			return fmt.Errorf("copy: sequence of %s: %w", t, err)
		}
	}
	return nil
}

// TableCounts returns the number of rows of every table CopyTo copies.
func (s *DB) TableCounts(ctx context.Context) (map[string]int, error) {
	tables, err := s.copyTables(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]int{}
	for _, t := range tables {
		var n int
		if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM "+t).Scan(&n); err != nil {
			return nil, fmt.Errorf("count %s: %w", t, err)
		}
		out[t] = n
	}
	return out, nil
}
