package store_test

import (
	"errors"
	"testing"
	"time"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/store"
	"github.com/homeward/homeward/store/storetest"
)

// A user's e-mail address is kept and read back by every way a user is read (by id, by name, by
// session); an address that cannot be one is refused naming user.email.
func TestUserEmail(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		ctx := storetest.Admin(t, db)
		u := &homeward.User{Username: "lee", Roles: []homeward.Role{homeward.RoleReviewer}, Email: "lee@example.org", PasswordHash: "x"}
		if err := db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateSession(ctx, &homeward.Session{TokenHash: "h1", UserID: u.ID, CreatedAt: time.Now(), ExpiresAt: time.Now().Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		byID, err1 := db.GetUser(ctx, u.ID)
		byName, err2 := db.GetUserByUsername(ctx, "lee")
		bySession, err3 := db.UserBySession(ctx, "h1")
		if err := errors.Join(err1, err2, err3); err != nil {
			t.Fatal(err)
		}
		for how, got := range map[string]*homeward.User{"id": byID, "name": byName, "session": bySession} {
			if got.Email != "lee@example.org" {
				t.Errorf("by %s: email %q", how, got.Email)
			}
		}
		for _, bad := range []string{"lee", "Lee <lee@example.org>", "lee@localhost", "lee@example.org\r\nBcc: x@example.org"} {
			u.Email = bad
			var he *homeward.Error
			if err := db.UpdateUser(ctx, u); !errors.As(err, &he) || he.Field != "user.email" {
				t.Errorf("%q: %v", bad, err)
			}
		}
	})
}
