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
// three-letter pieces (trigrams) with the name meant. The candidates are the persons whose search
// keys hold at least one of the query's trigrams, found through the store's text index (SQLite
// FTS5 trigram; PostgreSQL LIKE, served by a pg_trgm index where the extension is installed); the
// store scores each by how many of the query's trigrams its keys hold, in SQL, and keeps those
// holding at least half, best first.

// fuzzyCandidates bounds the candidates scored.
const fuzzyCandidates = 200

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

// fuzzyPersons is the ids of the persons whose names are close to query, best first.
func (s *DB) fuzzyPersons(ctx context.Context, query string) ([]int64, error) {
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
		where = fmt.Sprintf("id IN (SELECT rowid FROM missing_persons_search WHERE missing_persons_search MATCH $%d)", len(args)+1)
		args = append(args, "search_names : ("+strings.Join(match, " OR ")+")")
	} else {
		for i := range grams {
			match = append(match, fmt.Sprintf("search_names LIKE $%d ESCAPE '\\'", i+1))
		}
		where = "(" + strings.Join(match, " OR ") + ")"
	}
	q := fmt.Sprintf("SELECT id, %s AS score FROM missing_persons WHERE %s ORDER BY score DESC, family_name, given_names, id LIMIT %d",
		strings.Join(score, " + "), where, fuzzyCandidates)
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, mapErr(err, "missing_person", "")
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, mapErr(err, "missing_person", "")
		}
		if 2*n >= len(grams) {
			ids = append(ids, id)
		}
	}
	return ids, mapErr(rows.Err(), "missing_person", "")
}

// fuzzyMissingPersons is a page of the persons whose names are close to the filter's query, best
// first (the filter's other fields and order do not apply).
func (s *DB) fuzzyMissingPersons(ctx context.Context, f homeward.MissingPersonFilter) (homeward.List[homeward.MissingPerson], error) {
	out := homeward.List[homeward.MissingPerson]{Items: []homeward.MissingPerson{}}
	ids, err := s.fuzzyPersons(ctx, f.Query)
	if err != nil {
		return out, err
	}
	p := f.Page.Normalize()
	out.Total = len(ids)
	ids = ids[min(p.Offset, len(ids)):]
	ids = ids[:min(p.Limit, len(ids))]
	for _, id := range ids {
		m, err := get(ctx, s, missingPersons, id)
		if err != nil {
			return out, err
		}
		out.Items = append(out.Items, *m)
	}
	return out, nil
}
