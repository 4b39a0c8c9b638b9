package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/homeward/homeward"
)

// Typo-tolerant name search. A name typed with a letter wrong ("Kim Chulmim") shares most of its
// three-letter pieces (trigrams) with the name meant. The candidates are the records whose search
// keys hold at least one of the query's trigrams, found through the store's text index (SQLite
// FTS5 trigram; PostgreSQL LIKE, served by a pg_trgm index where the extension is installed); the
// store scores each by how many of the query's trigrams its keys hold, in SQL, and keeps those
// holding at least half, best first. Missing persons and their relatives are searched so.

// fuzzyCandidates bounds the candidates scored.
const fuzzyCandidates = 200

// fuzzyTable is a table searched by close names: its search_names column, the FTS5 table that
// indexes it on SQLite, and the order of candidates that score the same.
type fuzzyTable struct {
	table, fts, ties, entity string
}

var (
	fuzzyPersonsTable = fuzzyTable{table: "missing_persons", fts: "missing_persons_search", ties: "family_name, given_names, id", entity: "missing_person"}
	fuzzyFamilyTable  = fuzzyTable{table: "family_members", fts: "family_members_search", ties: "id", entity: "family_member"}
)

// trigrams are the distinct three-character pieces of a search key.
func trigrams(key string) []string {
	r := []rune(key)
	var out []string
	for i := 0; i+3 <= len(r); i++ {
		if g := string(r[i : i+3]); !slices.Contains(out, g) {
			out = append(out, g)
		}
	}
	return out
}

// fuzzyIDs is the ids of the table's records whose names are close to query, best first.
func (s *DB) fuzzyIDs(ctx context.Context, t fuzzyTable, query string) ([]int64, error) {
	key := homeward.NameSearchKey(query)
	grams := trigrams(key)
	if utf8.RuneCountInString(key) < 4 || len(grams) > 40 {
		return nil, homeward.FieldErrorf("q", "a close-name search needs 4 to 42 letters")
	}
	var score, match []string
	var args []any
	for _, g := range grams {
		score = append(score, fmt.Sprintf("CASE WHEN search_names LIKE $%d ESCAPE '\\' THEN 1 ELSE 0 END", len(args)+1))
		args = append(args, likePattern(g))
	}
	where := ""
	if s.dialect == "sqlite" {
		for _, g := range grams {
			match = append(match, ftsPhrase(g))
		}
		where = fmt.Sprintf("id IN (SELECT rowid FROM %s WHERE %s MATCH $%d)", t.fts, t.fts, len(args)+1)
		args = append(args, "search_names : ("+strings.Join(match, " OR ")+")")
	} else {
		for i := range grams {
			match = append(match, fmt.Sprintf("search_names LIKE $%d ESCAPE '\\'", i+1))
		}
		where = "(" + strings.Join(match, " OR ") + ")"
	}
	q := fmt.Sprintf("SELECT id, %s AS score FROM %s WHERE %s ORDER BY score DESC, %s LIMIT %d",
		strings.Join(score, " + "), t.table, where, t.ties, fuzzyCandidates)
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, mapErr(err, t.entity, "")
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, mapErr(err, t.entity, "")
		}
		if 2*n >= len(grams) {
			ids = append(ids, id)
		}
	}
	return ids, mapErr(rows.Err(), t.entity, "")
}

// fuzzyPage is a page of the records whose names are close to query, best first, read in one
// query.
func fuzzyPage[T any](ctx context.Context, s *DB, r *record[T], t fuzzyTable, query string, p homeward.Page) (homeward.List[T], error) {
	out := homeward.List[T]{Items: []T{}}
	ids, err := s.fuzzyIDs(ctx, t, query)
	if err != nil {
		return out, err
	}
	p = p.Normalize()
	total := len(ids)
	ids = ids[min(p.Offset, len(ids)):]
	ids = ids[:min(p.Limit, len(ids))]
	if len(ids) == 0 {
		out.Total = total
		return out, nil
	}
	marks := make([]string, len(ids))
	args := make([]any, len(ids))
	for i, id := range ids {
		marks[i], args[i] = fmt.Sprintf("$%d", i+1), id
	}
	l, err := r.list(ctx, s, "id IN ("+strings.Join(marks, ", ")+")", args, "id", homeward.Page{Limit: len(ids)})
	if err != nil {
		return out, err
	}
	// Back into the order of the scores.
	byID := map[int64]T{}
	for i := range l.Items {
		byID[*r.id(&l.Items[i])] = l.Items[i]
	}
	for _, id := range ids {
		if x, ok := byID[id]; ok {
			out.Items = append(out.Items, x)
		}
	}
	out.Total = total
	return out, nil
}

// fuzzyMissingPersons is a page of the persons whose names are close to the filter's query, best
// first (the filter's other fields and order do not apply).
func (s *DB) fuzzyMissingPersons(ctx context.Context, f homeward.MissingPersonFilter) (homeward.List[homeward.MissingPerson], error) {
	return fuzzyPage(ctx, s, missingPersons, fuzzyPersonsTable, f.Query, f.Page)
}
