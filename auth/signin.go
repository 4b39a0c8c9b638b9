package auth

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
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
	d, err := s.Throttle.Wait(ctx, name, addr)
	if err != nil {
		return nil, fmt.Errorf("sign-in throttle: %w", err)
	}
	if d > 0 {
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
		if err := s.Throttle.Fail(ctx, name, addr); err != nil {
			return nil, fmt.Errorf("sign-in throttle: %w", err)
		}
		return nil, homeward.Errorf(homeward.EUNAUTHORIZED, "unknown user or wrong password")
	}
	if err := s.Throttle.Succeed(ctx, name, addr); err != nil {
		return nil, fmt.Errorf("sign-in throttle: %w", err)
	}
	return u, nil
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
