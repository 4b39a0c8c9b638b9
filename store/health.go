package store

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
)

// Counters of what an operator watches, kept by the process since it started.
type Counters struct {
	appends  atomic.Int64
	problems atomic.Int64
}

// CustodyAppends is the number of custody events this process appended.
func (s *DB) CustodyAppends() int64 { return s.counters.appends.Load() }

// VerificationProblems is the number of problems this process's custody verifications found.
func (s *DB) VerificationProblems() int64 { return s.counters.problems.Load() }

// Ping checks that the database answers.
func (s *DB) Ping(ctx context.Context) error {
	if err := s.db.PingContext(ctx); err != nil {
		return fmt.Errorf("database unreachable: %w", err)
	}
	return nil
}

// MigrationsCurrent checks that the schema is the one this build expects.
func (s *DB) MigrationsCurrent(ctx context.Context) error {
	p, err := s.migrations()
	if err != nil {
		return err
	}
	pending, err := p.HasPending(ctx)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if pending {
		return errors.New("migrations pending: run homeward migrate")
	}
	return nil
}

// KeyBound checks that the custody keys are in place.
func (s *DB) KeyBound(context.Context) error {
	if s.keys == nil {
		return errors.New("no custody key bound")
	}
	return nil
}

// QueueDepth counts background jobs waiting to run (River's available, scheduled and retryable
// jobs); an error when the queue's table cannot be read.
func (s *DB) QueueDepth(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM river_job WHERE state IN ('available', 'scheduled', 'retryable')").Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("job queue unreadable: %w", err)
	}
	return n, nil
}

// ScreenComparisons is the number of victim–family comparisons every finished shard of every
// screen made, by all workers: its rate is the screens' throughput.
func (s *DB) ScreenComparisons(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.QueryRowContext(ctx, "SELECT COALESCE(SUM(comparisons), 0) FROM screen_shards WHERE done_at IS NOT NULL").Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("screen comparisons: %w", err)
	}
	return n, nil
}
