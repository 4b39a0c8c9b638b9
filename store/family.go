package store

import (
	"context"
	"database/sql"

	"github.com/homeward/homeward"
)

var notifications = &record[homeward.Notification]{
	table: "notifications", entity: "notification",
	columns: func(n *homeward.Notification) ([]string, []any) {
		return []string{"identification_id", "family_member_id"}, []any{n.IdentificationID, n.FamilyMemberID}
	},
	id:   func(n *homeward.Notification) *int64 { return &n.ID },
	meta: func(n *homeward.Notification) *homeward.Meta { return &n.Meta },
}

var dispositions = &record[homeward.Disposition]{
	table: "dispositions", entity: "disposition", field: "disposition.identification_id",
	columns: func(d *homeward.Disposition) ([]string, []any) {
		return []string{"identification_id"}, []any{d.IdentificationID}
	},
	id:   func(d *homeward.Disposition) *int64 { return &d.ID },
	meta: func(d *homeward.Disposition) *homeward.Meta { return &d.Meta },
}

// approvedIdentification reads an identification that must be approved.
func approvedIdentification(ctx context.Context, tx *sql.Tx, id int64) (*homeward.Identification, error) {
	x, err := identifications.get(ctx, tx, "id = $1", id)
	if err != nil {
		return nil, homeward.Errorf(homeward.ENOTFOUND, "identification %d not found", id)
	}
	if x.Status != homeward.IdentApproved {
		return nil, homeward.Errorf(homeward.ECONFLICT, "identification %d is %s: families are told, and remains returned, after approval", id, x.Status)
	}
	return x, nil
}

func (s *DB) AddNotification(ctx context.Context, n *homeward.Notification) error {
	u, err := homeward.RequireUser(ctx)
	if err != nil {
		return err
	}
	if err := homeward.Require(ctx, homeward.PermFamilyWrite); err != nil {
		return err
	}
	if err := n.Validate(); err != nil {
		return err
	}
	n.By = u.Username
	return s.tx(ctx, func(tx *sql.Tx) error {
		x, err := approvedIdentification(ctx, tx, n.IdentificationID)
		if err != nil {
			return err
		}
		fm, err := familyMembers.get(ctx, tx, "id = $1", n.FamilyMemberID)
		if err != nil {
			return homeward.FieldErrorf("notification.family_member_id", "family member %d does not exist", n.FamilyMemberID)
		}
		if fm.MissingPersonID != x.MissingPersonID {
			return homeward.FieldErrorf("notification.family_member_id", "family member %d is a relative of missing person %d, not of %d", fm.ID, fm.MissingPersonID, x.MissingPersonID)
		}
		return notifications.insert(ctx, s, tx, n)
	})
}

func (s *DB) ListNotifications(ctx context.Context, identificationID int64) ([]homeward.Notification, error) {
	if err := homeward.Require(ctx, homeward.PermRead); err != nil {
		return nil, err
	}
	l, err := notifications.list(ctx, s, "identification_id = $1", []any{identificationID}, "id", homeward.Page{Limit: 1000})
	return l.Items, err
}

// SetDisposition records the disposition, or replaces the recorded one (version-checked).
func (s *DB) SetDisposition(ctx context.Context, d *homeward.Disposition) error {
	if err := homeward.Require(ctx, homeward.PermFamilyWrite); err != nil {
		return err
	}
	if err := d.Validate(); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := approvedIdentification(ctx, tx, d.IdentificationID); err != nil {
			return err
		}
		if d.CeremonyID != nil {
			var n int
			if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM ceremonies WHERE id = $1", *d.CeremonyID).Scan(&n); err != nil || n == 0 {
				return homeward.FieldErrorf("disposition.ceremony_id", "ceremony %d does not exist", *d.CeremonyID)
			}
		}
		old, err := dispositions.get(ctx, tx, "identification_id = $1", d.IdentificationID)
		if homeward.ErrorCode(err) == homeward.ENOTFOUND {
			return dispositions.insert(ctx, s, tx, d)
		}
		if err != nil {
			return err
		}
		d.ID = old.ID
		if d.Version == 0 {
			d.Version = old.Version
		}
		return dispositions.updateIn(ctx, s, tx, d, "update", "")
	})
}

func (s *DB) GetDisposition(ctx context.Context, identificationID int64) (*homeward.Disposition, error) {
	if err := homeward.Require(ctx, homeward.PermRead); err != nil {
		return nil, err
	}
	d, err := dispositions.get(ctx, s.db, "identification_id = $1", identificationID)
	if homeward.ErrorCode(err) == homeward.ENOTFOUND {
		return nil, homeward.Errorf(homeward.ENOTFOUND, "identification %d has no disposition recorded", identificationID)
	}
	return d, err
}
