package auth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"sync"
	"time"
)

// Throttle counts failed sign-ins in a sliding window: by account and address (so that someone
// guessing one account's password is slowed, while its owner elsewhere still signs in) and by
// address alone (so that one address cannot try many accounts). The count lives in Failures: in
// the process by default, or in the shared store, so that every server of a deployment counts
// the same failures and several servers do not multiply an attacker's tries.
type Throttle struct {
	PerAccount int           // failures per account and address in Window
	PerAddress int           // failures per address in Window
	Window     time.Duration // sliding window
	Now        func() time.Time
	Failures   FailureLog
}

// FailureLog keeps failed sign-ins under opaque keys (hashes of the account and address).
type FailureLog interface {
	// AddSignInFailure records a failure at `at` under each key and may forget failures at or
	// before `forget`.
	AddSignInFailure(ctx context.Context, keys []string, at, forget time.Time) error
	// SignInFailures returns the times of the newest failures (at most limit) under key after
	// since, oldest first.
	SignInFailures(ctx context.Context, key string, since time.Time, limit int) ([]time.Time, error)
	// ClearSignInFailures forgets every failure under key.
	ClearSignInFailures(ctx context.Context, key string) error
}

// NewThrottle returns the defaults: 5 failures per account and address and 50 per address in
// 15 minutes, counted in this process.
func NewThrottle() *Throttle {
	return &Throttle{PerAccount: 5, PerAddress: 50, Window: 15 * time.Minute, Now: time.Now, Failures: &MemoryFailures{}}
}

// keys are hashes, so that a shared failure table holds no user names or addresses.
func (t *Throttle) keys(name, addr string) (account, address string) {
	h := func(s string) string { sum := sha256.Sum256([]byte(s)); return hex.EncodeToString(sum[:16]) }
	return h("a\x00" + strings.ToLower(name) + "\x00" + addr), h("ip\x00" + addr)
}

// Wait returns how long to wait before the next attempt (0: go ahead).
func (t *Throttle) Wait(ctx context.Context, name, addr string) (time.Duration, error) {
	if t == nil {
		return 0, nil
	}
	now := t.Now()
	acc, ip := t.keys(name, addr)
	a, err := t.over(ctx, acc, t.PerAccount, now)
	if err != nil {
		return 0, err
	}
	b, err := t.over(ctx, ip, t.PerAddress, now)
	return max(a, b), err
}

// over returns how long until key falls below limit failures.
func (t *Throttle) over(ctx context.Context, key string, limit int, now time.Time) (time.Duration, error) {
	list, err := t.Failures.SignInFailures(ctx, key, now.Add(-t.Window), limit)
	if err != nil || len(list) < limit {
		return 0, err
	}
	return list[len(list)-limit].Add(t.Window).Sub(now), nil
}

// Fail counts a failed sign-in.
func (t *Throttle) Fail(ctx context.Context, name, addr string) error {
	if t == nil {
		return nil
	}
	now := t.Now()
	acc, ip := t.keys(name, addr)
	return t.Failures.AddSignInFailure(ctx, []string{acc, ip}, now, now.Add(-t.Window))
}

// Succeed forgets the account's failures from that address.
func (t *Throttle) Succeed(ctx context.Context, name, addr string) error {
	if t == nil {
		return nil
	}
	acc, _ := t.keys(name, addr)
	return t.Failures.ClearSignInFailures(ctx, acc)
}

// MemoryFailures is a FailureLog in the process. It keeps at most 64 failures per key.
type MemoryFailures struct {
	mu    sync.Mutex
	fails map[string][]time.Time
	calls int
}

const memoryFailuresPerKey = 64

func (m *MemoryFailures) AddSignInFailure(_ context.Context, keys []string, at, forget time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fails == nil {
		m.fails = map[string][]time.Time{}
	}
	for _, k := range keys {
		list := append(m.recent(k, forget), at)
		if len(list) > memoryFailuresPerKey {
			list = list[len(list)-memoryFailuresPerKey:]
		}
		m.fails[k] = list
	}
	if m.calls++; m.calls%1000 == 0 {
		for k := range m.fails {
			m.recent(k, forget)
		}
	}
	return nil
}

func (m *MemoryFailures) SignInFailures(_ context.Context, key string, since time.Time, limit int) ([]time.Time, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	list := m.recent(key, since)
	if len(list) > limit {
		list = list[len(list)-limit:]
	}
	return append([]time.Time(nil), list...), nil
}

func (m *MemoryFailures) ClearSignInFailures(_ context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.fails, key)
	return nil
}

// recent drops failures at or before since and returns the rest.
func (m *MemoryFailures) recent(key string, since time.Time) []time.Time {
	list := m.fails[key]
	i := 0
	for i < len(list) && !list[i].After(since) {
		i++
	}
	list = list[i:]
	if len(list) == 0 {
		delete(m.fails, key)
	} else {
		m.fails[key] = list
	}
	return list
}
