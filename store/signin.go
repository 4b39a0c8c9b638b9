package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// The store is an auth.FailureLog: failed sign-ins counted in the database are seen by every
// server process sharing it. These rows are not records (no acting user, no audit entry); they
// hold hashes only and are forgotten once out of the throttle's window.

// AddSignInFailure records a failure under each key and forgets those keys' failures at or
// before forget.
func (s *DB) AddSignInFailure(ctx context.Context, keys []string, at, forget time.Time) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		for _, k := range keys {
			if _, err := tx.ExecContext(ctx, "DELETE FROM signin_failures WHERE key = $1 AND at <= $2", k, forget.UTC()); err != nil {
				return fmt.Errorf("store: sign-in failures: %w", err)
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO signin_failures (key, at) VALUES ($1, $2)", k, at.UTC()); err != nil {
				return fmt.Errorf("store: sign-in failures: %w", err)
			}
		}
		return nil
	})
}

// SignInFailures returns the newest failures (at most limit) under key after since, oldest first.
func (s *DB) SignInFailures(ctx context.Context, key string, since time.Time, limit int) ([]time.Time, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT at FROM signin_failures WHERE key = $1 AND at > $2 ORDER BY at DESC LIMIT $3", key, since.UTC(), limit)
	if err != nil {
		return nil, fmt.Errorf("store: sign-in failures: %w", err)
	}
	defer rows.Close()
	var out []time.Time
	for rows.Next() {
		var at time.Time
		if err := rows.Scan(&at); err != nil {
			return nil, fmt.Errorf("store: sign-in failures: %w", err)
		}
		out = append(out, at.UTC())
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, rows.Err()
}

// ClearSignInFailures forgets every failure under key.
func (s *DB) ClearSignInFailures(ctx context.Context, key string) error {
	if err := s.exec(ctx, "DELETE FROM signin_failures WHERE key = $1", key); err != nil {
		return fmt.Errorf("store: sign-in failures: %w", err)
	}
	return nil
}
