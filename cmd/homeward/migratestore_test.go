package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/homeward/homeward/store"
)

// The demo world moves from the embedded store to PostgreSQL and back with one command each way:
// every table holds the same number of rows, and each copy verifies (chains, log, photos).
func TestMigrateStoreBothWays(t *testing.T) {
	base := os.Getenv("HOMEWARD_TEST_POSTGRES")
	if base == "" || testing.Short() {
		t.Skip("needs PostgreSQL and loads the demo world")
	}
	root := t.TempDir()
	key := strings.Repeat("7c", 32)
	sqliteVars := map[string]string{"HOMEWARD_DATA_DIR": filepath.Join(root, "data"), "HOMEWARD_CUSTODY_KEY": key}
	if out, err := runCLI(t, sqliteVars, "", "demo"); err != nil {
		t.Fatalf("demo: %v %s", err, out)
	}
	pg := freshDatabase(t, base)
	out, err := runCLI(t, sqliteVars, "", "migrate-store", "-to", pg)
	if err != nil || !strings.Contains(out, "copied sqlite store") || !strings.Contains(out, "verified") {
		t.Fatalf("to PostgreSQL: %v %s", err, out)
	}
	if _, err := runCLI(t, sqliteVars, "", "migrate-store", "-to", pg); err == nil || !strings.Contains(err.Error(), "empty store") {
		t.Errorf("a second copy into the same database: %v", err)
	}
	pgVars := map[string]string{"HOMEWARD_DATA_DIR": filepath.Join(root, "data"), "HOMEWARD_DATABASE_URL": pg, "HOMEWARD_CUSTODY_KEY": key}
	back := filepath.Join(root, "back")
	out, err = runCLI(t, pgVars, "", "migrate-store", "-to", back)
	if err != nil || !strings.Contains(out, "copied postgres store") {
		t.Fatalf("back to SQLite: %v %s", err, out)
	}
	counts := func(url string) map[string]int {
		db, err := store.Open(context.Background(), store.Options{URL: url})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		c, err := db.TableCounts(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	orig, viaPG, again := counts(filepath.Join(root, "data", "homeward.db")), counts(pg), counts(filepath.Join(back, "homeward.db"))
	if len(orig) < 20 || orig["custody_events"] == 0 || orig["profiles"] == 0 || orig["osteo_reference_bones"] == 0 {
		t.Fatalf("the demo store is thinner than expected: %v", orig)
	}
	for table, n := range orig {
		if viaPG[table] != n || again[table] != n {
			t.Errorf("%s: %d rows, %d on PostgreSQL, %d back on SQLite", table, n, viaPG[table], again[table])
		}
	}
	// The copy works as a store: the CLI lists from it.
	if out, err := runCLI(t, pgVars, "", "custody", "verify"); err != nil || !strings.Contains(out, "0 problem(s)") {
		t.Errorf("verify on the PostgreSQL copy: %v %s", err, out)
	}
}
