package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/homeward/homeward"
)

// importRows stores rows all-or-nothing: every row is validated first (all problems collected),
// then all are inserted in one transaction; a failure while inserting rolls everything back and
// is reported against its row.
func importRows[T any](ctx context.Context, s *DB, r *record[T], kind string, rows []T, lines []int,
	validate func(*T) error, key func(*T) string) (homeward.ImportReport, error) {
	rep := homeward.ImportReport{Kind: kind, Read: len(rows), Rejected: []homeward.RowProblem{}}
	if err := homeward.Require(ctx, homeward.PermImport); err != nil {
		return rep, err
	}
	line := func(i int) int {
		if i < len(lines) {
			return lines[i]
		}
		return i + 2 // header is line 1
	}
	problem := func(i int, err error) homeward.RowProblem {
		p := homeward.RowProblem{Line: line(i), Record: key(&rows[i]), Message: err.Error()}
		var he *homeward.Error
		if errors.As(err, &he) {
			p.Field, p.Message = he.Field, he.Message
		}
		return p
	}
	for i := range rows {
		err := homeward.CheckText(r.entity, &rows[i])
		if err == nil {
			err = validate(&rows[i])
		}
		if err != nil {
			rep.Rejected = append(rep.Rejected, problem(i, err))
		}
	}
	if len(rep.Rejected) > 0 {
		return rep, nil
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		for i := range rows {
			if err := r.insert(ctx, s, tx, &rows[i]); err != nil {
				rep.Rejected = append(rep.Rejected, problem(i, err))
				return errRollback
			}
		}
		return s.audit(ctx, tx, "import", kind, 0, fmt.Sprintf("%d rows", len(rows)), nil, nil)
	})
	if errors.Is(err, errRollback) {
		for i := range rows {
			*r.id(&rows[i]) = 0
		}
		return rep, nil
	}
	if err != nil {
		return rep, err
	}
	rep.Created = len(rows)
	return rep, nil
}

var errRollback = errors.New("rollback")

func (s *DB) ImportMissingPersons(ctx context.Context, rows []homeward.MissingPerson, lines []int) (homeward.ImportReport, error) {
	return importRows(ctx, s, missingPersons, "missing_persons", rows, lines,
		func(m *homeward.MissingPerson) error { return m.Validate() },
		func(m *homeward.MissingPerson) string {
			if m.ServiceNumber != "" {
				return m.ServiceNumber
			}
			return m.FamilyName + ", " + m.GivenNames
		})
}

func (s *DB) ImportIncidents(ctx context.Context, rows []homeward.Incident, lines []int) (homeward.ImportReport, error) {
	return importRows(ctx, s, incidents, "incidents", rows, lines,
		func(i *homeward.Incident) error { return i.Validate() },
		func(i *homeward.Incident) string { return i.Code })
}

func (s *DB) ImportFamilyMembers(ctx context.Context, rows []homeward.FamilyMember, lines []int) (homeward.ImportReport, error) {
	return importRows(ctx, s, familyMembers, "family_members", rows, lines,
		func(f *homeward.FamilyMember) error { return f.Validate() },
		func(f *homeward.FamilyMember) string {
			return fmt.Sprintf("%s, %s (missing person %d)", f.FamilyName, f.GivenNames, f.MissingPersonID)
		})
}

// Interface checks.
var (
	_ homeward.RegistryService  = (*DB)(nil)
	_ homeward.OperationService = (*DB)(nil)
	_ homeward.ContainerService = (*DB)(nil)
	_ homeward.CustodyService   = (*DB)(nil)
	_ homeward.EvidenceService  = (*DB)(nil)
	_ homeward.UserService      = (*DB)(nil)
	_ homeward.ImportService    = (*DB)(nil)
)
