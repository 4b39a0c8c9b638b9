package store

import (
	"context"
	"database/sql"

	"github.com/homeward/homeward"
)

var attachments = &record[homeward.Attachment]{
	table: "attachments", entity: "attachment",
	columns: func(a *homeward.Attachment) ([]string, []any) {
		return []string{"sha256", "subject_type", "subject_id", "created_at"}, []any{a.SHA256, a.Type, a.Subject.ID, a.UploadedAt}
	},
	id: func(a *homeward.Attachment) *int64 { return &a.ID },
}

var claims = &record[homeward.Claim]{
	table: "claims", entity: "claim",
	columns: func(c *homeward.Claim) ([]string, []any) {
		return []string{"subject_type", "subject_id"}, []any{c.Type, c.Subject.ID}
	},
	id:   func(c *homeward.Claim) *int64 { return &c.ID },
	meta: func(c *homeward.Claim) *homeward.Meta { return &c.Meta },
}

// subjectTables maps subject types to their tables, to check that a subject exists.
var subjectTables = map[string]string{
	"missing_person": "missing_persons", "incident": "incidents", "operation": "operations", "container": "containers",
	"specimen": "specimens", "custody_event": "custody_events", "family_member": "family_members",
}

func checkSubject(ctx context.Context, tx *sql.Tx, field string, sub homeward.Subject) error {
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+subjectTables[sub.Type]+" WHERE id = $1", sub.ID).Scan(&n); err != nil {
		return mapErr(err, field, "")
	}
	if n == 0 {
		return homeward.FieldErrorf(field+".subject_id", "%s %d does not exist", sub.Type, sub.ID)
	}
	return nil
}

func (s *DB) CreateAttachment(ctx context.Context, a *homeward.Attachment) error {
	if err := homeward.Require(ctx, homeward.PermEvidenceWrite); err != nil {
		return err
	}
	u := homeward.UserFromContext(ctx)
	a.UploadedBy, a.UploadedAt = u.Username, s.now()
	if err := a.Validate(); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := checkSubject(ctx, tx, "attachment", a.Subject); err != nil {
			return err
		}
		return attachments.insert(ctx, s, tx, a)
	})
}

func (s *DB) GetAttachment(ctx context.Context, id int64) (*homeward.Attachment, error) {
	return get(ctx, s, attachments, id)
}

func (s *DB) ListAttachments(ctx context.Context, sub homeward.Subject) ([]homeward.Attachment, error) {
	if err := homeward.Require(ctx, homeward.PermRead); err != nil {
		return nil, err
	}
	l, err := attachments.list(ctx, s, "subject_type = $1 AND subject_id = $2", []any{sub.Type, sub.ID}, "id", homeward.Page{Limit: 1000})
	return l.Items, err
}

func (s *DB) CreateClaim(ctx context.Context, c *homeward.Claim) error {
	if err := homeward.Require(ctx, homeward.PermClaimWrite); err != nil {
		return err
	}
	if err := c.Validate(); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := checkSubject(ctx, tx, "claim", c.Subject); err != nil {
			return err
		}
		return claims.insert(ctx, s, tx, c)
	})
}

func (s *DB) UpdateClaim(ctx context.Context, c *homeward.Claim) error {
	return update(ctx, s, claims, homeward.PermClaimWrite, c, c.Validate)
}

func (s *DB) ListClaims(ctx context.Context, sub homeward.Subject) ([]homeward.Claim, error) {
	if err := homeward.Require(ctx, homeward.PermRead); err != nil {
		return nil, err
	}
	l, err := claims.list(ctx, s, "subject_type = $1 AND subject_id = $2", []any{sub.Type, sub.ID}, "id", homeward.Page{Limit: 1000})
	return l.Items, err
}
