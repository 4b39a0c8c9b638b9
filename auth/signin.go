package auth

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/homeward/homeward"
)

// UserLookup finds a user by name (the store).
type UserLookup interface {
	GetUserByUsername(ctx context.Context, username string) (*homeward.User, error)
}

// SignIn checks user names and passwords for the web pages and the API alike: one code path, the
// same work for known and unknown names (a password hash is always verified), and throttling of
// failures per account and address and per address.
type SignIn struct {
	Users    UserLookup
	Throttle *Throttle
}

// dummyHash is verified when the user does not exist or is disabled, so that the time taken does
// not tell whether a name is known. It is a well-formed hash that no password matches in practice.
const dummyHash = "$argon2id$v=19$m=65536,t=3,p=2$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"

// ThrottledError says to wait before the next attempt.
type ThrottledError struct {
	RetryAfter time.Duration
	err        *homeward.Error
}

func (e *ThrottledError) Error() string { return e.err.Error() }
func (e *ThrottledError) Unwrap() error { return e.err }

// RetryAfterSeconds is the value of a Retry-After header.
func (e *ThrottledError) RetryAfterSeconds() string {
	return fmt.Sprint(int((e.RetryAfter + time.Second - 1) / time.Second))
}

// Check returns the user whose name and password these are. ctx must allow reading users.
func (s *SignIn) Check(ctx context.Context, name, password, addr string) (*homeward.User, error) {
	name = strings.TrimSpace(name)
	if d := s.Throttle.wait(name, addr); d > 0 {
		return nil, &ThrottledError{RetryAfter: d, err: homeward.Errorf(homeward.ETOOMANY,
			"too many failed sign-ins: try again in %d seconds", int(d.Seconds())+1)}
	}
	u, err := s.Users.GetUserByUsername(ctx, name)
	if err != nil && homeward.ErrorCode(err) != homeward.ENOTFOUND {
		return nil, err
	}
	hash := dummyHash
	if u != nil && !u.Disabled {
		hash = u.PasswordHash
	}
	ok := VerifyPassword(hash, password)
	if u == nil || u.Disabled || !ok {
		s.Throttle.fail(name, addr)
		return nil, homeward.Errorf(homeward.EUNAUTHORIZED, "unknown user or wrong password")
	}
	s.Throttle.succeed(name, addr)
	return u, nil
}

// Throttle counts failed sign-ins in a sliding window: by account and address (so that someone
// guessing one account's password is slowed, while its owner elsewhere still signs in) and by
// address alone (so that one address cannot try many accounts). It lives in the process: each
// server of a deployment throttles on its own.
type Throttle struct {
	PerAccount int           // failures per account and address in Window
	PerAddress int           // failures per address in Window
	Window     time.Duration // sliding window
	Now        func() time.Time

	mu    sync.Mutex
	fails map[string][]time.Time
	calls int
}

// NewThrottle returns the defaults: 5 failures per account and address and 50 per address in
// 15 minutes.
func NewThrottle() *Throttle {
	return &Throttle{PerAccount: 5, PerAddress: 50, Window: 15 * time.Minute, Now: time.Now}
}

func (t *Throttle) keys(name, addr string) (account, address string) {
	return "a\x00" + strings.ToLower(name) + "\x00" + addr, "ip\x00" + addr
}

// wait returns how long to wait before the next attempt (0: go ahead).
func (t *Throttle) wait(name, addr string) time.Duration {
	if t == nil {
		return 0
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.Now()
	acc, ip := t.keys(name, addr)
	return max(t.over(acc, t.PerAccount, now), t.over(ip, t.PerAddress, now))
}

// over returns how long until key falls below limit failures.
func (t *Throttle) over(key string, limit int, now time.Time) time.Duration {
	list := t.recent(key, now)
	if len(list) < limit {
		return 0
	}
	return list[len(list)-limit].Add(t.Window).Sub(now)
}

// recent drops failures older than the window and returns the rest.
func (t *Throttle) recent(key string, now time.Time) []time.Time {
	list := t.fails[key]
	i := 0
	for i < len(list) && now.Sub(list[i]) >= t.Window {
		i++
	}
	list = list[i:]
	if len(list) == 0 {
		delete(t.fails, key)
	} else {
		t.fails[key] = list
	}
	return list
}

func (t *Throttle) fail(name, addr string) {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.fails == nil {
		t.fails = map[string][]time.Time{}
	}
	now := t.Now()
	acc, ip := t.keys(name, addr)
	for _, k := range []string{acc, ip} {
		list := append(t.recent(k, now), now)
		if len(list) > t.PerAddress {
			list = list[len(list)-t.PerAddress:] // enough to decide; bounded memory per key
		}
		t.fails[k] = list
	}
	if t.calls++; t.calls%1000 == 0 {
		for k := range t.fails {
			t.recent(k, now)
		}
	}
}

func (t *Throttle) succeed(name, addr string) {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	acc, _ := t.keys(name, addr)
	delete(t.fails, acc)
}

// ClientAddress is the address throttling counts a request under: the connection's host, or, when
// the server sits behind a proxy it trusts, the last address the proxy appended to
// X-Forwarded-For.
func ClientAddress(r *http.Request, behindProxy bool) string {
	if behindProxy {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			parts := strings.Split(xff, ",")
			return strings.TrimSpace(parts[len(parts)-1])
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// SecureRequest reports whether the request came over TLS, directly or (behind a trusted proxy)
// as the proxy says in X-Forwarded-Proto: cookies are then Secure.
func SecureRequest(r *http.Request, behindProxy bool) bool {
	return r.TLS != nil || behindProxy && strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

// SameSitePath returns next when it is a path of this site to go to after signing in, else "/":
// no scheme, no host, no "//" or "/\" (which browsers read as another host), no control characters.
func SameSitePath(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") ||
		strings.ContainsAny(next, "\\\r\n\t\x00") {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || !strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") {
		return "/"
	}
	return next
}
