// Package storetest opens fresh, migrated stores for tests: a temporary SQLite file, and a fresh
// schema in the PostgreSQL named by HOMEWARD_TEST_POSTGRES (dropped when the test ends). Tests never
// share tables. Without HOMEWARD_TEST_POSTGRES the PostgreSQL runs are skipped, unless
// HOMEWARD_REQUIRE_POSTGRES=1 (as in scripts/test and CI), where they fail.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/store"
	"github.com/jackc/pgx/v5"
)

// Key is the custody key of test stores.
var Key = []byte("storetest custody key 0123456789")

// Dialects lists the dialects to run: sqlite always, postgres when configured or required.
func Dialects(t testing.TB) []string {
	if os.Getenv("HOMEWARD_TEST_POSTGRES") != "" {
		return []string{"sqlite", "postgres"}
	}
	if os.Getenv("HOMEWARD_REQUIRE_POSTGRES") == "1" {
		t.Fatal("HOMEWARD_REQUIRE_POSTGRES=1 but HOMEWARD_TEST_POSTGRES is not set")
	}
	return []string{"sqlite"}
}

// URL returns a fresh database URL for dialect: a new SQLite file or a new PostgreSQL schema.
func URL(t testing.TB, dialect string) string {
	t.Helper()
	if dialect == "sqlite" {
		return filepath.Join(t.TempDir(), "homeward.db")
	}
	base := os.Getenv("HOMEWARD_TEST_POSTGRES")
	if base == "" {
		t.Fatal("HOMEWARD_TEST_POSTGRES is not set")
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("connect to PostgreSQL %s: %v", base, err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), base)
		if err != nil {
			return
		}
		defer c.Close(context.Background())
		c.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
	})
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return base + sep + "search_path=" + schema
}

// Open returns a fresh migrated store of the dialect, closed at cleanup.
func Open(t testing.TB, dialect string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), store.Options{URL: URL(t, dialect), CustodyKey: Key})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db
}

// Admin creates an administrator in db and returns a context acting as it.
func Admin(t testing.TB, db *store.DB) context.Context {
	return User(t, db, "admin", homeward.RoleAdmin)
}

// User creates a user with the roles and returns a context acting as it.
func User(t testing.TB, db *store.DB, name string, roles ...homeward.Role) context.Context {
	t.Helper()
	boot := homeward.NewContextWithUser(context.Background(), &homeward.User{Username: "system", Roles: []homeward.Role{homeward.RoleAdmin}})
	u := &homeward.User{Username: name, Roles: roles, PasswordHash: "x"}
	if err := db.CreateUser(boot, u); err != nil {
		t.Fatal(err)
	}
	return homeward.NewContextWithUser(context.Background(), u)
}
