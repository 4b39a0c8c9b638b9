package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/homeward/homeward"
)

const userCols = "id, username, display_name, roles, disabled, password_hash, created_at, language, email"

// userColsOf is userCols of a table named in a join ("u.id, u.username, ...").
func userColsOf(alias string) string {
	return alias + strings.ReplaceAll(userCols, ", ", ", "+alias)
}

func scanUser(sc interface{ Scan(...any) error }) (*homeward.User, error) {
	var u homeward.User
	var roles string
	if err := sc.Scan(&u.ID, &u.Username, &u.DisplayName, &roles, &u.Disabled, &u.PasswordHash, &u.CreatedAt, &u.Language, &u.Email); err != nil {
		return nil, err
	}
	u.CreatedAt = u.CreatedAt.UTC()
	for _, r := range strings.Split(roles, ",") {
		if r != "" {
			u.Roles = append(u.Roles, homeward.Role(r))
		}
	}
	return &u, nil
}

func joinRoles(rs []homeward.Role) string {
	s := make([]string, len(rs))
	for i, r := range rs {
		s[i] = string(r)
	}
	return strings.Join(s, ",")
}

// CreateUser stores u. The first user may be created by the process itself (bootstrap); later
// users need an administrator.
func (s *DB) CreateUser(ctx context.Context, u *homeward.User) error {
	if err := homeward.Require(ctx, homeward.PermUserAdmin); err != nil {
		return err
	}
	if err := u.Validate(); err != nil {
		return err
	}
	u.CreatedAt = s.now()
	return s.tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO users (username, display_name, roles, disabled, password_hash, created_at, language, email)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING id`, u.Username, u.DisplayName, joinRoles(u.Roles), u.Disabled, u.PasswordHash, u.CreatedAt, string(u.Language), u.Email).Scan(&u.ID)
		if err != nil {
			return mapErr(err, "user "+u.Username, "user.username")
		}
		return s.audit(ctx, tx, "create", "user", u.ID, u.Username, nil, u)
	})
}

func (s *DB) GetUser(ctx context.Context, id int64) (*homeward.User, error) {
	u, err := scanUser(s.db.QueryRowContext(ctx, "SELECT "+userCols+" FROM users WHERE id = $1", id))
	if err != nil {
		return nil, mapErr(err, "user", "")
	}
	return u, nil
}

func (s *DB) GetUserByUsername(ctx context.Context, username string) (*homeward.User, error) {
	u, err := scanUser(s.db.QueryRowContext(ctx, "SELECT "+userCols+" FROM users WHERE username = $1", username))
	if err != nil {
		if err == sql.ErrNoRows {
			return nil, homeward.Errorf(homeward.ENOTFOUND, "user %q not found", username)
		}
		return nil, mapErr(err, "user", "")
	}
	return u, nil
}

// UpdateUser changes display name, roles, disabled flag and password hash. Users may change their
// own password; everything else needs an administrator.
func (s *DB) UpdateUser(ctx context.Context, u *homeward.User) error {
	actor, err := homeward.RequireUser(ctx)
	if err != nil {
		return err
	}
	before, err := s.GetUser(ctx, u.ID)
	if err != nil {
		return err
	}
	self := actor.ID == u.ID && joinRoles(before.Roles) == joinRoles(u.Roles) && before.Disabled == u.Disabled
	if !self {
		if err := homeward.Require(ctx, homeward.PermUserAdmin); err != nil {
			return err
		}
	}
	if err := u.Validate(); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.keepAnAdministrator(ctx, tx, before, u); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, "UPDATE users SET display_name = $1, roles = $2, disabled = $3, password_hash = $4, language = $5, email = $6 WHERE id = $7",
			u.DisplayName, joinRoles(u.Roles), u.Disabled, u.PasswordHash, string(u.Language), u.Email, u.ID)
		if err != nil {
			return mapErr(err, "user", "")
		}
		var summary []string
		if before.PasswordHash != u.PasswordHash {
			summary = append(summary, "password changed")
		}
		// A new password, a disabled account or a role taken away ends every session and API token
		// of the user: whoever held them must sign in again under the new terms.
		if before.PasswordHash != u.PasswordHash || u.Disabled || lostRole(before.Roles, u.Roles) {
			if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = $1", u.ID); err != nil {
				return mapErr(err, "session", "")
			}
			if _, err := tx.ExecContext(ctx, "UPDATE api_tokens SET revoked = TRUE WHERE user_id = $1", u.ID); err != nil {
				return mapErr(err, "api_token", "")
			}
			summary = append(summary, "sessions and API tokens ended")
		}
		return s.audit(ctx, tx, "update", "user", u.ID, strings.Join(summary, "; "), before, u)
	})
}

// lostRole reports whether after lacks a role before had.
func lostRole(before, after []homeward.Role) bool {
	for _, r := range before {
		if !slices.Contains(after, r) {
			return true
		}
	}
	return false
}

// keepAnAdministrator refuses a change that leaves no enabled administrator.
func (s *DB) keepAnAdministrator(ctx context.Context, tx *sql.Tx, before, after *homeward.User) error {
	wasAdmin := slices.Contains(before.Roles, homeward.RoleAdmin) && !before.Disabled
	staysAdmin := slices.Contains(after.Roles, homeward.RoleAdmin) && !after.Disabled
	if !wasAdmin || staysAdmin {
		return nil
	}
	rows, err := tx.QueryContext(ctx, "SELECT roles FROM users WHERE id <> $1 AND disabled = FALSE", before.ID)
	if err != nil {
		return mapErr(err, "user", "")
	}
	defer rows.Close()
	for rows.Next() {
		var roles string
		if err := rows.Scan(&roles); err != nil {
			return mapErr(err, "user", "")
		}
		if slices.Contains(strings.Split(roles, ","), string(homeward.RoleAdmin)) {
			return nil
		}
	}
	return homeward.CodeFieldErrorf(homeward.ECONFLICT, "user.roles", "%s is the last enabled administrator: make another administrator first", before.Username)
}

func (s *DB) ListUsers(ctx context.Context) ([]homeward.User, error) {
	if err := homeward.Require(ctx, homeward.PermUserAdmin); err != nil {
		return nil, err
	}
	return queryUsers(ctx, s.db, "ORDER BY username")
}

// queryUsers reads the users a query's tail ("WHERE ... ORDER BY ...") selects, through q (the
// store, or a transaction).
func queryUsers(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, tail string, args ...any) ([]homeward.User, error) {
	rows, err := q.QueryContext(ctx, "SELECT "+userCols+" FROM users "+tail, args...)
	if err != nil {
		return nil, mapErr(err, "user", "")
	}
	defer rows.Close()
	out := []homeward.User{}
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, mapErr(err, "user", "")
		}
		out = append(out, *u)
	}
	return out, mapErr(rows.Err(), "user", "")
}

func (s *DB) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM users").Scan(&n)
	return n, err
}

func (s *DB) CreateSession(ctx context.Context, se *homeward.Session) error {
	se.CreatedAt = s.now()
	err := s.exec(ctx, "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1,$2,$3,$4)",
		se.TokenHash, se.UserID, se.CreatedAt, se.ExpiresAt.UTC())
	return mapErr(err, "session", "")
}

func (s *DB) UserBySession(ctx context.Context, tokenHash string) (*homeward.User, error) {
	u, err := scanUser(s.db.QueryRowContext(ctx, "SELECT "+userColsOf("u.")+" FROM sessions se JOIN users u ON u.id = se.user_id WHERE se.token_hash = $1 AND se.expires_at > $2 AND NOT u.disabled",
		tokenHash, s.now()))
	if err == sql.ErrNoRows {
		return nil, homeward.Errorf(homeward.EUNAUTHORIZED, "session expired or unknown: log in again")
	}
	return u, mapErr(err, "session", "")
}

func (s *DB) DeleteSession(ctx context.Context, tokenHash string) error {
	err := s.exec(ctx, "DELETE FROM sessions WHERE token_hash = $1", tokenHash)
	return mapErr(err, "session", "")
}

// CreateAPIToken stores a token for t.UserID: one's own, or anyone's for an administrator.
func (s *DB) CreateAPIToken(ctx context.Context, t *homeward.APIToken) error {
	actor, err := homeward.RequireUser(ctx)
	if err != nil {
		return err
	}
	if actor.ID != t.UserID {
		if err := homeward.Require(ctx, homeward.PermUserAdmin); err != nil {
			return err
		}
	}
	t.CreatedAt = s.now()
	return s.tx(ctx, func(tx *sql.Tx) error {
		var exp any
		if t.ExpiresAt != nil {
			exp = t.ExpiresAt.UTC()
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO api_tokens (user_id, name, prefix, token_hash, created_at, expires_at)
			VALUES ($1,$2,$3,$4,$5,$6) RETURNING id`, t.UserID, t.Name, t.Prefix, t.TokenHash, t.CreatedAt, exp).Scan(&t.ID)
		if err != nil {
			return mapErr(err, "api_token", "api_token.user_id")
		}
		return s.audit(ctx, tx, "create", "api_token", t.ID, t.Name+" ("+t.Prefix+"...)", nil, t)
	})
}

func (s *DB) UserByAPIToken(ctx context.Context, tokenHash string) (*homeward.User, *homeward.APIToken, error) {
	var t homeward.APIToken
	var exp, used sql.NullTime
	err := s.db.QueryRowContext(ctx, "SELECT id, user_id, name, prefix, created_at, expires_at, last_used_at FROM api_tokens WHERE token_hash = $1 AND NOT revoked", tokenHash).
		Scan(&t.ID, &t.UserID, &t.Name, &t.Prefix, &t.CreatedAt, &exp, &used)
	if err == sql.ErrNoRows {
		return nil, nil, homeward.Errorf(homeward.EUNAUTHORIZED, "unknown or revoked API token")
	}
	if err != nil {
		return nil, nil, mapErr(err, "api_token", "")
	}
	if exp.Valid {
		e := exp.Time.UTC()
		t.ExpiresAt = &e
		if s.now().After(e) {
			return nil, nil, homeward.Errorf(homeward.EUNAUTHORIZED, "API token %s... expired", t.Prefix)
		}
	}
	u, err := s.GetUser(ctx, t.UserID)
	if err != nil {
		return nil, nil, err
	}
	if u.Disabled {
		return nil, nil, homeward.Errorf(homeward.EUNAUTHORIZED, "user %q is disabled", u.Username)
	}
	// When a token was last used is kept to the minute: a write per request would queue every
	// request of a busy script behind the store's writer.
	now := s.now().Truncate(time.Microsecond) // as both stores keep it
	if !used.Valid || now.Sub(used.Time) >= time.Minute {
		if err := s.exec(ctx, "UPDATE api_tokens SET last_used_at = $1 WHERE id = $2", now, t.ID); err != nil {
			return nil, nil, mapErr(err, "api_token", "")
		}
		used.Time = now
	}
	last := used.Time.UTC()
	t.LastUsedAt = &last
	return u, &t, nil
}

func (s *DB) ListAPITokens(ctx context.Context, userID int64) ([]homeward.APIToken, error) {
	actor, err := homeward.RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	if actor.ID != userID {
		if err := homeward.Require(ctx, homeward.PermUserAdmin); err != nil {
			return nil, err
		}
	}
	rows, err := s.db.QueryContext(ctx, "SELECT id, user_id, name, prefix, created_at, expires_at, last_used_at FROM api_tokens WHERE user_id = $1 AND NOT revoked ORDER BY id", userID)
	if err != nil {
		return nil, mapErr(err, "api_token", "")
	}
	defer rows.Close()
	out := []homeward.APIToken{}
	for rows.Next() {
		var t homeward.APIToken
		var exp, used sql.NullTime
		if err := rows.Scan(&t.ID, &t.UserID, &t.Name, &t.Prefix, &t.CreatedAt, &exp, &used); err != nil {
			return nil, err
		}
		if exp.Valid {
			t.ExpiresAt = &exp.Time
		}
		if used.Valid {
			t.LastUsedAt = &used.Time
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

func (s *DB) RevokeAPIToken(ctx context.Context, id int64) error {
	actor, err := homeward.RequireUser(ctx)
	if err != nil {
		return err
	}
	var owner int64
	if err := s.db.QueryRowContext(ctx, "SELECT user_id FROM api_tokens WHERE id = $1", id).Scan(&owner); err != nil {
		if err == sql.ErrNoRows {
			return homeward.Errorf(homeward.ENOTFOUND, "API token %d not found", id)
		}
		return mapErr(err, "api_token", "")
	}
	if owner != actor.ID {
		if err := homeward.Require(ctx, homeward.PermUserAdmin); err != nil {
			return err
		}
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "UPDATE api_tokens SET revoked = TRUE WHERE id = $1", id); err != nil {
			return mapErr(err, "api_token", "")
		}
		return s.audit(ctx, tx, "revoke", "api_token", id, "", nil, nil)
	})
}

// ListAudit lists audit entries, newest first.
func (s *DB) ListAudit(ctx context.Context, f homeward.AuditFilter) (homeward.List[homeward.AuditEntry], error) {
	out := homeward.List[homeward.AuditEntry]{Items: []homeward.AuditEntry{}}
	if err := homeward.Require(ctx, homeward.PermAuditRead); err != nil {
		return out, err
	}
	var w where
	w.add("1 = ?", 1)
	if f.Username != "" {
		w.add("username = ?", f.Username)
	}
	if f.Entity != "" {
		w.add("entity = ?", f.Entity)
	}
	if f.EntityID != 0 {
		w.add("entity_id = ?", f.EntityID)
	}
	if f.Action != "" {
		w.add("action = ?", f.Action)
	}
	if f.Since != nil {
		w.add("at >= ?", f.Since.UTC())
	}
	if f.Until != nil {
		w.add("at < ?", f.Until.UTC())
	}
	if err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM audit_log WHERE "+w.String(), w.args...).Scan(&out.Total); err != nil {
		return out, mapErr(err, "audit", "")
	}
	p := f.Page.Normalize()
	ks := newKeyset("id DESC")
	after, err := ks.page(p)
	if err != nil {
		return out, err
	}
	if after != nil {
		w.add("id < ?", after[0])
	}
	n := len(w.args)
	rows, err := s.db.QueryContext(ctx, "SELECT id, at, user_id, username, action, entity, entity_id, summary, before_data, after_data, COALESCE(operator, '') FROM audit_log WHERE "+
		w.String()+" ORDER BY id DESC LIMIT $"+strconv.Itoa(n+1)+" OFFSET $"+strconv.Itoa(n+2), append(w.args, p.Limit+1, p.Offset)...)
	if err != nil {
		return out, mapErr(err, "audit", "")
	}
	defer rows.Close()
	for rows.Next() {
		if len(out.Items) == p.Limit {
			out.NextCursor = ks.encode([]any{out.Items[p.Limit-1].ID})
			break
		}
		var e homeward.AuditEntry
		var b, a sql.NullString
		if err := rows.Scan(&e.ID, &e.At, &e.UserID, &e.Username, &e.Action, &e.Entity, &e.EntityID, &e.Summary, &b, &a, &e.Operator); err != nil {
			return out, err
		}
		e.At = e.At.UTC()
		if b.Valid {
			e.Before = json.RawMessage(b.String)
		}
		if a.Valid {
			e.After = json.RawMessage(a.String)
		}
		out.Items = append(out.Items, e)
	}
	return out, rows.Err()
}
