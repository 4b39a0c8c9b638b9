package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/notices"
)

// MaxNoticeAttempts is how many times a notice is tried before the outbox gives it up (it stays
// listed with its last error).
const MaxNoticeAttempts = 5

// enqueueNotices writes the notices of an identification's change, by actor, to the outbox in the
// change's transaction: a change is never recorded without its notices, nor a notice without it.
func (s *DB) enqueueNotices(ctx context.Context, tx *sql.Tx, x *homeward.Identification, actor string) error {
	users, err := queryUsers(ctx, tx, "WHERE email <> '' AND NOT disabled ORDER BY id")
	if err != nil {
		return err
	}
	for _, n := range notices.For(x, actor, users) {
		_, err := tx.ExecContext(ctx, `INSERT INTO mail_outbox (username, address, lang, event, identification_id, stage, actor, created_at)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`, n.Username, n.Address, string(n.Lang), string(n.Event), n.IdentificationID, n.Stage, n.Actor, s.now())
		if err != nil {
			return fmt.Errorf("store: queue a notice to %s: %w", n.Username, err)
		}
	}
	return nil
}

// noticeCols are a notice's columns, read into noticeFields.
const noticeCols = "id, username, address, lang, event, identification_id, stage, actor"

func noticeFields(n *notices.Notice) []any {
	return []any{&n.ID, &n.Username, &n.Address, &n.Lang, &n.Event, &n.IdentificationID, &n.Stage, &n.Actor}
}

// PendingNotices are the notices not yet sent nor given up, oldest first.
func (s *DB) PendingNotices(ctx context.Context, limit int) ([]notices.Notice, error) {
	if _, err := homeward.RequireUser(ctx); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, "SELECT "+noticeCols+` FROM mail_outbox
		WHERE sent_at IS NULL AND attempts < $1 ORDER BY id LIMIT $2`, MaxNoticeAttempts, limit)
	if err != nil {
		return nil, mapErr(err, "notice", "")
	}
	defer rows.Close()
	var out []notices.Notice
	for rows.Next() {
		var n notices.Notice
		if err := rows.Scan(noticeFields(&n)...); err != nil {
			return nil, mapErr(err, "notice", "")
		}
		out = append(out, n)
	}
	return out, mapErr(rows.Err(), "notice", "")
}

// NoticeSent records that a notice went out, with the subject it had.
func (s *DB) NoticeSent(ctx context.Context, id int64, subject string) error {
	return s.markNotice(ctx, "UPDATE mail_outbox SET sent_at = $1, subject = $2, attempts = attempts + 1, last_error = '' WHERE id = $3", s.now(), subject, id)
}

// NoticeFailed records a failed attempt and why; the notice is tried again until
// MaxNoticeAttempts.
func (s *DB) NoticeFailed(ctx context.Context, id int64, reason string) error {
	return s.markNotice(ctx, "UPDATE mail_outbox SET attempts = attempts + 1, last_error = $1 WHERE id = $2", reason, id)
}

func (s *DB) markNotice(ctx context.Context, q string, args ...any) error {
	if _, err := homeward.RequireUser(ctx); err != nil {
		return err
	}
	_, err := s.db.ExecContext(ctx, q, args...)
	return mapErr(err, "notice", "")
}

// ListOutbox is the outbox, newest first (administrators: it holds users' addresses).
func (s *DB) ListOutbox(ctx context.Context, limit int) ([]notices.Entry, error) {
	if err := homeward.Require(ctx, homeward.PermUserAdmin); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, "SELECT "+noticeCols+`, subject, created_at, sent_at, attempts, last_error
		FROM mail_outbox ORDER BY id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, mapErr(err, "notice", "")
	}
	defer rows.Close()
	out := []notices.Entry{}
	for rows.Next() {
		var e notices.Entry
		var sent sql.NullTime
		if err := rows.Scan(append(noticeFields(&e.Notice), &e.Subject, &e.CreatedAt, &sent, &e.Attempts, &e.LastError)...); err != nil {
			return nil, mapErr(err, "notice", "")
		}
		e.CreatedAt = e.CreatedAt.UTC()
		if sent.Valid {
			t := sent.Time.UTC()
			e.SentAt = &t
		}
		out = append(out, e)
	}
	return out, mapErr(rows.Err(), "notice", "")
}
