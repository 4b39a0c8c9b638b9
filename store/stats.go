package store

import (
	"context"
	"sort"
	"time"

	"github.com/homeward/homeward"
)

// Progress counts month by month from the records' own dates (registration for containers,
// specimens and profiles; the approval transition for identifications).
func (s *DB) Progress(ctx context.Context, operationID *int64) (*homeward.Progress, error) {
	if err := homeward.Require(ctx, homeward.PermRead); err != nil {
		return nil, err
	}
	rows := map[string]*homeward.ProgressRow{}
	row := func(t time.Time) *homeward.ProgressRow {
		m := t.UTC().Format("2006-01")
		if rows[m] == nil {
			rows[m] = &homeward.ProgressRow{Month: m}
		}
		return rows[m]
	}
	scan := func(q string, args []any, f func(t time.Time, extra []byte)) error {
		rs, err := s.db.QueryContext(ctx, q, args...)
		if err != nil {
			return mapErr(err, "progress", "")
		}
		defer rs.Close()
		for rs.Next() {
			var t time.Time
			var extra []byte
			if err := rs.Scan(&t, &extra); err != nil {
				return mapErr(err, "progress", "")
			}
			f(t, extra)
		}
		return mapErr(rs.Err(), "progress", "")
	}
	opFilter, args := "", []any{}
	if operationID != nil {
		opFilter, args = " WHERE c.operation_id = $1", []any{*operationID}
	}
	if err := scan("SELECT c.created_at, c.accession FROM containers c"+opFilter, args, func(t time.Time, _ []byte) { row(t).Containers++ }); err != nil {
		return nil, err
	}
	if err := scan("SELECT sp.created_at, sp.code FROM specimens sp JOIN containers c ON c.id = sp.container_id"+opFilter, args, func(t time.Time, _ []byte) { row(t).Specimens++ }); err != nil {
		return nil, err
	}
	q := "SELECT p.created_at, p.sample FROM profiles p WHERE p.role = 'victim'"
	if operationID != nil {
		q = "SELECT p.created_at, p.sample FROM profiles p JOIN specimens sp ON sp.id = p.specimen_id JOIN containers c ON c.id = sp.container_id WHERE p.role = 'victim' AND c.operation_id = $1"
	}
	if err := scan(q, args, func(t time.Time, _ []byte) { row(t).VictimProfiles++ }); err != nil {
		return nil, err
	}
	// Approved identifications, dated by their approval; within an operation, those naming a
	// victim profile of its specimens.
	var approved []homeward.Identification
	for off := 0; ; off += statsPage {
		l, err := identifications.list(ctx, s, "status = $1", []any{string(homeward.IdentApproved)}, "id", homeward.Page{Limit: statsPage, Offset: off})
		if err != nil {
			return nil, err
		}
		approved = append(approved, l.Items...)
		if len(l.Items) < statsPage {
			break
		}
	}
	inOp := map[int64]bool{}
	if operationID != nil {
		if err := scan("SELECT p.created_at, CAST(p.id AS TEXT) FROM profiles p JOIN specimens sp ON sp.id = p.specimen_id JOIN containers c ON c.id = sp.container_id WHERE c.operation_id = $1", args,
			func(_ time.Time, id []byte) {
				var n int64
				for _, b := range id {
					n = n*10 + int64(b-'0')
				}
				inOp[n] = true
			}); err != nil {
			return nil, err
		}
	}
	for _, x := range approved {
		if operationID != nil && !anyIn(x.ProfileIDs, inOp) {
			continue
		}
		// Dated by the approval in force (the last one).
		for i := len(x.History) - 1; i >= 0; i-- {
			if x.History[i].To == homeward.IdentApproved {
				row(x.History[i].At).Identifications++
				break
			}
		}
	}
	out := &homeward.Progress{OperationID: operationID, Rows: []homeward.ProgressRow{}, Totals: homeward.ProgressRow{Month: "total"}}
	for _, r := range rows {
		out.Rows = append(out.Rows, *r)
		out.Totals.Containers += r.Containers
		out.Totals.Specimens += r.Specimens
		out.Totals.VictimProfiles += r.VictimProfiles
		out.Totals.Identifications += r.Identifications
	}
	sort.Slice(out.Rows, func(i, j int) bool { return out.Rows[i].Month < out.Rows[j].Month })
	return out, nil
}

// statsPage is how many identifications Progress reads at a time (a variable for the tests).
var statsPage = 1000

func anyIn(ids []int64, set map[int64]bool) bool {
	for _, id := range ids {
		if set[id] {
			return true
		}
	}
	return false
}

// Backlog counts specimens without a DNA profile and victim profiles not yet identified.
func (s *DB) Backlog(ctx context.Context) (*homeward.Backlog, error) {
	if err := homeward.Require(ctx, homeward.PermRead); err != nil {
		return nil, err
	}
	b := &homeward.Backlog{}
	for _, q := range []struct {
		sql string
		dst *int
	}{
		{"SELECT COUNT(*) FROM specimens", &b.Specimens},
		{"SELECT COUNT(*) FROM specimens sp WHERE NOT EXISTS (SELECT 1 FROM profiles p WHERE p.specimen_id = sp.id)", &b.SpecimensUntyped},
		{"SELECT COUNT(*) FROM reference_families", &b.ReferenceFamilies},
	} {
		if err := s.db.QueryRowContext(ctx, q.sql).Scan(q.dst); err != nil {
			return nil, mapErr(err, "backlog", "")
		}
	}
	// Identification and contamination live in the profile record's JSON: counted by the store's
	// own JSON functions, not by reading every profile.
	q := `SELECT COUNT(*),
		COALESCE(SUM(CASE WHEN json_extract(data, '$.identified_as') IS NULL THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN COALESCE(json_array_length(data, '$.contamination'), 0) > 0 THEN 1 ELSE 0 END), 0)
		FROM profiles WHERE role = $1`
	if s.dialect == "postgres" {
		q = `SELECT COUNT(*),
		COALESCE(SUM(CASE WHEN (data::jsonb) -> 'identified_as' IS NULL OR (data::jsonb) -> 'identified_as' = 'null'::jsonb THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN jsonb_typeof((data::jsonb) -> 'contamination') = 'array' AND jsonb_array_length((data::jsonb) -> 'contamination') > 0 THEN 1 ELSE 0 END), 0)
		FROM profiles WHERE role = $1`
	}
	if err := s.db.QueryRowContext(ctx, q, string(homeward.ProfileVictim)).Scan(&b.VictimProfiles, &b.Unidentified, &b.Contaminated); err != nil {
		return nil, mapErr(err, "backlog", "")
	}
	return b, nil
}
