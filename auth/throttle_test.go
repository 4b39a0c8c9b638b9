package auth_test

import (
	"testing"

	"github.com/homeward/homeward/auth"
	"github.com/homeward/homeward/auth/authtest"
)

func TestThrottleWindowInProcess(t *testing.T) {
	authtest.ThrottleWindow(t, func() auth.FailureLog { return &auth.MemoryFailures{} })
}
