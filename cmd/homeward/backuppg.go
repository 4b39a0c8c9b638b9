package main

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/homeward/homeward"
)

// A PostgreSQL store is backed up with pg_dump in its custom format: one consistent snapshot of
// the database (or of the schema the URL's search_path names). The manifest keeps the newest
// signed checkpoint read before the dump; a restore must prove the restored log consistent with it
// (the dump's snapshot holds that checkpoint's entries and perhaps a few more).

const pgDumpFile = "homeward.pgdump"

// libpqTarget turns a store URL into what pg_dump and pg_restore take: the URL without the
// search_path parameter (libpq does not know it), and the schema it names, if any.
func libpqTarget(raw string) (conn, schema string, err error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", "", fmt.Errorf("database URL: %w", err)
	}
	q := u.Query()
	schema = q.Get("search_path")
	q.Del("search_path")
	u.RawQuery = q.Encode()
	return u.String(), schema, nil
}

// runPG runs a PostgreSQL client program, its error output in the error.
func runPG(ctx context.Context, name string, args ...string) error {
	cmd := exec.CommandContext(ctx, name, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %w: %s", name, err, strings.TrimSpace(stderr.String()))
	}
	return nil
}

// backupPostgres dumps the store into dir and records the newest checkpoint in the manifest.
func backupPostgres(ctx context.Context, a *app, dir string, m *manifest) error {
	sys := homeward.NewContextWithUser(ctx, systemUser)
	cp, err := a.db.NewestCheckpoint(sys)
	if err != nil {
		return fmt.Errorf("backup: newest checkpoint: %w", err)
	}
	m.Custody.Checkpoint = string(cp)
	conn, schema, err := libpqTarget(a.cfg.databaseURL())
	if err != nil {
		return err
	}
	args := []string{"--format=custom", "--no-owner", "--no-acl", "--file", filepath.Join(dir, pgDumpFile), "--dbname", conn}
	if schema != "" {
		args = append(args, "--schema", schema)
	}
	return runPG(ctx, "pg_dump", args...)
}

// restorePostgres loads a dump into the configured database, which must hold no table of
// Homeward's yet (in the schema the URL names, or in any schema but the system ones).
func restorePostgres(ctx context.Context, cfg *config, dir string) error {
	conn, schema, err := libpqTarget(cfg.databaseURL())
	if err != nil {
		return err
	}
	c, err := pgx.Connect(ctx, conn)
	if err != nil {
		return fmt.Errorf("restore: connect: %w", err)
	}
	defer c.Close(ctx)
	var tables int
	q := "SELECT count(*) FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"
	args := []any{}
	if schema != "" {
		q += " AND table_schema = $1"
		args = append(args, schema)
	}
	if err := c.QueryRow(ctx, q, args...).Scan(&tables); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if tables > 0 {
		return fmt.Errorf("restore: the database already holds %d table(s); restore into an empty database", tables)
	}
	return runPG(ctx, "pg_restore", "--no-owner", "--no-acl", "--exit-on-error", "--single-transaction", "--dbname", conn, filepath.Join(dir, pgDumpFile))
}
