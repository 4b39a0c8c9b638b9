package store_test

import (
	"testing"

	"github.com/homeward/homeward/auth"
	"github.com/homeward/homeward/auth/authtest"
	"github.com/homeward/homeward/store"
)

// Failed sign-ins counted in the store throttle as the in-process count does, so that servers
// sharing a database share the count.
func TestSignInFailuresShared(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		authtest.ThrottleWindow(t, func() auth.FailureLog { return db })
	})
}
