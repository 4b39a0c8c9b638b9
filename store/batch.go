package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/homeward/homeward"
)

// batchRows bounds the rows of one multi-row statement (SQLite allows 32,766 parameters, PostgreSQL
// 65,535; a profile row has 7).
const batchRows = 500

// placeholders writes "($1, $2, ...), (...)" for rows of n values each; on SQLite plain "?" (it
// looks "$n" names up one by one, which is quadratic in a statement of thousands).
func (s *DB) placeholders(rows, n int) string {
	var b strings.Builder
	k := 1
	for r := 0; r < rows; r++ {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c := 0; c < n; c++ {
			if c > 0 {
				b.WriteString(", ")
			}
			if s.dialect == "sqlite" {
				b.WriteByte('?')
			} else {
				fmt.Fprintf(&b, "$%d", k)
			}
			k++
		}
		b.WriteByte(')')
	}
	return b.String()
}

// getMany reads the records whose keyCol is one of keys, by key.
func (r *record[T]) getMany(ctx context.Context, s *DB, tx *sql.Tx, keyCol string, keys []string, key func(*T) string) (map[string]*T, error) {
	out := map[string]*T{}
	for start := 0; start < len(keys); start += batchRows {
		chunk := keys[start:min(start+batchRows, len(keys))]
		args := make([]any, len(chunk))
		for i, k := range chunk {
			args[i] = k
		}
		q := fmt.Sprintf("SELECT %s FROM %s WHERE %s IN %s", r.selectCols(), r.table, keyCol, s.placeholders(1, len(chunk)))
		rows, err := tx.QueryContext(ctx, q, args...)
		if err != nil {
			return nil, mapErr(err, r.entity, "")
		}
		for rows.Next() {
			v, err := r.scan(rows)
			if err != nil {
				rows.Close()
				return nil, mapErr(err, r.entity, "")
			}
			out[key(v)] = v
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, mapErr(err, r.entity, "")
		}
	}
	return out, nil
}

// insertMany inserts new records in multi-row statements, sets their ids (matched by keyCol, a
// unique column: RETURNING gives rows in no set order) and writes one audit entry each, as insert
// does one at a time.
func (r *record[T]) insertMany(ctx context.Context, s *DB, tx *sql.Tx, vs []*T, keyCol string, key func(*T) string) error {
	u := homeward.UserFromContext(ctx)
	if u == nil {
		return homeward.Errorf(homeward.EUNAUTHORIZED, "no acting user: every change must be attributable")
	}
	now := s.now()
	for start := 0; start < len(vs); start += batchRows {
		chunk := vs[start:min(start+batchRows, len(vs))]
		var names []string
		var args []any
		byKey := map[string]*T{}
		datas := make([]string, len(chunk))
		for i, v := range chunk {
			cols, vals := r.columns(v)
			*r.id(v) = 0
			if r.meta != nil {
				m := r.meta(v)
				m.CreatedAt, m.UpdatedAt, m.Version = now, now, 1
			}
			data, err := json.Marshal(v)
			if err != nil {
				return err
			}
			datas[i] = string(data)
			cols = append(cols, "data")
			vals = append(vals, datas[i])
			if r.meta != nil {
				cols = append(cols, "created_at", "updated_at", "version")
				vals = append(vals, now, now, 1)
			}
			names = cols
			args = append(args, vals...)
			byKey[key(v)] = v
		}
		q := fmt.Sprintf("INSERT INTO %s (%s) VALUES %s RETURNING id, %s", r.table, strings.Join(names, ", "), s.placeholders(len(chunk), len(names)), keyCol)
		rows, err := tx.QueryContext(ctx, q, args...)
		if err != nil {
			return mapErr(err, r.entity, r.field)
		}
		for rows.Next() {
			var id int64
			var k string
			if err := rows.Scan(&id, &k); err != nil {
				rows.Close()
				return mapErr(err, r.entity, r.field)
			}
			if v := byKey[k]; v != nil {
				*r.id(v) = id
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return mapErr(err, r.entity, r.field)
		}
		// The audit entries: the record as stored, id included (as insert writes it).
		var aargs []any
		operator := nullStr(homeward.OperatorFromContext(ctx))
		for _, v := range chunk {
			if *r.id(v) == 0 {
				return fmt.Errorf("store: %s %s: no id returned", r.entity, key(v))
			}
			after, err := json.Marshal(v)
			if err != nil {
				return err
			}
			aargs = append(aargs, now, u.ID, u.Username, "create", r.entity, *r.id(v), "", nil, string(after), operator)
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO audit_log (at, user_id, username, action, entity, entity_id, summary, before_data, after_data, operator) VALUES "+s.placeholders(len(chunk), 10), aargs...); err != nil {
			return fmt.Errorf("store: audit: %w", err)
		}
	}
	return nil
}
