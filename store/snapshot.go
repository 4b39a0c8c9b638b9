package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/homeward/homeward"
)

// Snapshot runs fn in one read transaction: every register it reads is the same moment's, however
// long the reading takes and whatever is written meanwhile.
func (s *DB) Snapshot(ctx context.Context, fn func(homeward.RegistrySnapshot) error) error {
	if err := homeward.Require(ctx, homeward.PermRead); err != nil {
		return err
	}
	snap := &snapshot{s: s, ctx: ctx}
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		snap.tx = tx
		return fn(snap)
	})
	if err != nil {
		return err
	}
	return s.auditContactReads(ctx, snap.contactsShown)
}

type snapshot struct {
	s             *DB
	ctx           context.Context
	tx            *sql.Tx
	contactsShown []int64
}

// eachRow streams a record table in order, one row at a time.
func eachRow[T any](ss *snapshot, r *record[T], order string, fn func(*T) error) error {
	rows, err := ss.tx.QueryContext(ss.ctx, fmt.Sprintf("SELECT %s FROM %s ORDER BY %s", r.selectCols(), r.table, order))
	if err != nil {
		return mapErr(err, r.entity, "")
	}
	defer rows.Close()
	for rows.Next() {
		v, err := r.scan(rows)
		if err != nil {
			return mapErr(err, r.entity, "")
		}
		if err := fn(v); err != nil {
			return err
		}
	}
	return mapErr(rows.Err(), r.entity, "")
}

func (ss *snapshot) EachIncident(fn func(*homeward.Incident) error) error {
	return eachRow(ss, incidents, "code", fn)
}

func (ss *snapshot) EachMissingPerson(fn func(*homeward.MissingPerson) error) error {
	return eachRow(ss, missingPersons, "id", fn)
}

func (ss *snapshot) EachFamilyMember(fn func(*homeward.FamilyMember) error) error {
	u := homeward.UserFromContext(ss.ctx)
	mayRead := u != nil && u.Can(homeward.PermContactRead)
	return eachRow(ss, familyMembers, "id", func(f *homeward.FamilyMember) error {
		switch {
		case f.Contact == "":
		case mayRead:
			ss.contactsShown = append(ss.contactsShown, f.ID)
		default:
			f.Contact, f.ContactRedacted = "", true
		}
		return fn(f)
	})
}

func (ss *snapshot) ServiceNumbers(fn func(int64, string) error) error {
	rows, err := ss.tx.QueryContext(ss.ctx, "SELECT id, COALESCE(service_number, '') FROM missing_persons")
	if err != nil {
		return mapErr(err, "missing_person", "")
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var sn string
		if err := rows.Scan(&id, &sn); err != nil {
			return mapErr(err, "missing_person", "")
		}
		if err := fn(id, sn); err != nil {
			return err
		}
	}
	return mapErr(rows.Err(), "missing_person", "")
}
