// Package authtest holds the behaviour every auth.FailureLog must show, for the in-process log
// and the stores' shared one alike.
package authtest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/homeward/homeward/auth"
)

// ThrottleWindow checks a throttle counting in f: the sliding window, the account and address
// limits, and that neither locks out someone else. newLog must return an empty log.
func ThrottleWindow(t *testing.T, newLog func() auth.FailureLog) {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)
	th := auth.NewThrottle()
	th.Failures = newLog()
	th.Now = func() time.Time { return now }
	check := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	for i := 0; i < 5; i++ {
		check("fail", th.Fail(ctx, "ana", "10.0.0.1"))
		now = now.Add(time.Minute)
	}
	wait := func(name, addr string) time.Duration {
		t.Helper()
		d, err := th.Wait(ctx, name, addr)
		check("wait", err)
		return d
	}
	if d := wait("ana", "10.0.0.1"); d != 10*time.Minute {
		t.Errorf("wait %v, want 10m (until the first failure leaves the 15-minute window)", d)
	}
	if d := wait("ANA", "10.0.0.1"); d == 0 {
		t.Error("the account name's case evades the throttle")
	}
	if d := wait("ana", "10.0.0.2"); d != 0 {
		t.Errorf("the same account from another address waits %v", d)
	}
	if d := wait("ben", "10.0.0.1"); d != 0 {
		t.Errorf("another account from the same address waits %v", d)
	}
	now = now.Add(10 * time.Minute)
	if d := wait("ana", "10.0.0.1"); d != 0 {
		t.Errorf("after the window: %v", d)
	}
	// One address trying many accounts meets the address limit.
	for i := 0; i < 50; i++ {
		check("fail", th.Fail(ctx, strings.Repeat("x", i+1), "10.9.9.9"))
	}
	if d := wait("someone-new", "10.9.9.9"); d == 0 {
		t.Error("50 failures from one address are not throttled")
	}
	// A success forgets the account's failures from that address.
	now = now.Add(time.Hour)
	for i := 0; i < 5; i++ {
		check("fail", th.Fail(ctx, "cho", "10.0.0.3"))
	}
	if d := wait("cho", "10.0.0.3"); d == 0 {
		t.Error("5 failures are not throttled")
	}
	check("succeed", th.Succeed(ctx, "cho", "10.0.0.3"))
	if d := wait("cho", "10.0.0.3"); d != 0 {
		t.Errorf("after a success: %v", d)
	}
}
