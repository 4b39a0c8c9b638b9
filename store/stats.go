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
	m := months{}
	opFilter, args := "", []any{}
	if operationID != nil {
		opFilter, args = " WHERE c.operation_id = $1", []any{*operationID}
	}
	victims := "SELECT p.created_at, p.sample FROM profiles p WHERE p.role = 'victim'"
	if operationID != nil {
		victims = "SELECT p.created_at, p.sample FROM profiles p JOIN specimens sp ON sp.id = p.specimen_id JOIN containers c ON c.id = sp.container_id WHERE p.role = 'victim' AND c.operation_id = $1"
	}
	for _, c := range []struct {
		q   string
		add func(*homeward.ProgressRow)
	}{
		{"SELECT c.created_at, c.accession FROM containers c" + opFilter, func(r *homeward.ProgressRow) { r.Containers++ }},
		{"SELECT sp.created_at, sp.code FROM specimens sp JOIN containers c ON c.id = sp.container_id" + opFilter, func(r *homeward.ProgressRow) { r.Specimens++ }},
		{victims, func(r *homeward.ProgressRow) { r.VictimProfiles++ }},
	} {
		if err := s.scanDated(ctx, c.q, args, func(t time.Time, _ []byte) { c.add(m.row(t)) }); err != nil {
			return nil, err
		}
	}
	if err := s.approvalsByMonth(ctx, m, operationID); err != nil {
		return nil, err
	}
	return m.progress(operationID), nil
}

// months are the rows of a Progress by month ("2006-01").
type months map[string]*homeward.ProgressRow

// row is the month of t, made when first asked for.
func (m months) row(t time.Time) *homeward.ProgressRow {
	k := t.UTC().Format("2006-01")
	if m[k] == nil {
		m[k] = &homeward.ProgressRow{Month: k}
	}
	return m[k]
}

// progress is the months in order, with their totals.
func (m months) progress(operationID *int64) *homeward.Progress {
	out := &homeward.Progress{OperationID: operationID, Rows: []homeward.ProgressRow{}, Totals: homeward.ProgressRow{Month: "total"}}
	for _, r := range m {
		out.Rows = append(out.Rows, *r)
		out.Totals.Containers += r.Containers
		out.Totals.Specimens += r.Specimens
		out.Totals.VictimProfiles += r.VictimProfiles
		out.Totals.Identifications += r.Identifications
	}
	sort.Slice(out.Rows, func(i, j int) bool { return out.Rows[i].Month < out.Rows[j].Month })
	return out
}

// scanDated runs a query of (time, text) rows and gives each to f.
func (s *DB) scanDated(ctx context.Context, q string, args []any, f func(t time.Time, extra []byte)) error {
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

// approvalsByMonth counts approved identifications by the month of the approval in force (the
// last one); within an operation, those naming a victim profile of its specimens.
func (s *DB) approvalsByMonth(ctx context.Context, m months, operationID *int64) error {
	inOp := map[int64]bool{}
	if operationID != nil {
		err := s.scanDated(ctx, "SELECT p.created_at, CAST(p.id AS TEXT) FROM profiles p JOIN specimens sp ON sp.id = p.specimen_id JOIN containers c ON c.id = sp.container_id WHERE c.operation_id = $1",
			[]any{*operationID}, func(_ time.Time, id []byte) {
				var n int64
				for _, b := range id {
					n = n*10 + int64(b-'0')
				}
				inOp[n] = true
			})
		if err != nil {
			return err
		}
	}
	approved := homeward.Walk(func(p homeward.Page) (homeward.List[homeward.Identification], error) {
		p.Limit = statsPage
		return identifications.list(ctx, s, "status = $1", []any{string(homeward.IdentApproved)}, "id", p)
	})
	for x, err := range approved {
		if err != nil {
			return err
		}
		if operationID != nil && !anyIn(x.ProfileIDs, inOp) {
			continue
		}
		for i := len(x.History) - 1; i >= 0; i-- {
			if x.History[i].To == homeward.IdentApproved {
				m.row(x.History[i].At).Identifications++
				break
			}
		}
	}
	return nil
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
