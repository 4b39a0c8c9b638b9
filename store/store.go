// Package store keeps Homeward's records in SQLite (embedded, the default) or PostgreSQL, through
// database/sql with one migration set per dialect. *DB implements the service interfaces of the
// homeward package: every change checks the acting user's permission, validates, and is written
// together with its audit entry in one transaction.
package store

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"sync"
	"time"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/custodylog"
	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver "pgx"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	_ "modernc.org/sqlite" // SQLite driver "sqlite"
)

//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrations embed.FS

// Options configure Open.
type Options struct {
	// URL is postgres://... for PostgreSQL; otherwise a SQLite file path (optionally sqlite://path).
	URL string
	// Keys are the custody log's keys (custodylog.Keyring). When nil, CustodyKey (a bare MAC key)
	// makes them; when both are missing, the store opens without keys and BindKeys must follow
	// before custody is written or verified.
	Keys *custodylog.Keyring
	// CustodyKey is a bare custody MAC key (the signing key derived from it).
	CustodyKey []byte
	// Witness is a file outside the database that keeps the newest checkpoint (optional).
	Witness string
	// AccessionPattern is the container accession scheme (homeward.AccessionScheme).
	AccessionPattern string
}

// DB is the store.
type DB struct {
	db             *sql.DB
	ro             *sql.DB // SQLite: deferred transactions for consistent reads that do not block writers
	dialect        string
	key            []byte // the custody MAC key (keys.MAC)
	keys           *custodylog.Keyring
	witness        string
	witnessMu      sync.Mutex
	witnessSize    int64             // size of the checkpoint last written to the witness file
	witnessAt      time.Time         // when it was written
	witnessPending *signedCheckpoint // the newest checkpoint not yet written
	writeMu        sync.Mutex        // SQLite: one write transaction at a time in this process
	counters       Counters
	stmtMu         sync.Mutex
	stmts          map[string]*sql.Stmt // prepared statements of the hot write paths
	// The newest checkpoint this process verified or signed (and committed), so that the next
	// append need not check the same signature again.
	lastMu         sync.Mutex
	lastNote       string
	lastCheckpoint custodylog.Checkpoint
	lastKeys       *custodylog.Keyring
	accession      homeward.AccessionScheme
	now            func() time.Time
}

// Open connects to the database named by o.URL. Call Migrate before use.
func Open(ctx context.Context, o Options) (*DB, error) {
	if o.Keys == nil && o.CustodyKey != nil {
		k, err := custodylog.KeyringFromMAC(o.CustodyKey)
		if err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
		o.Keys = k
	}
	scheme := homeward.AccessionScheme{Pattern: o.AccessionPattern}
	if err := scheme.Validate(); err != nil {
		return nil, err
	}
	s := &DB{keys: o.Keys, witness: o.Witness, accession: scheme, now: func() time.Time { return time.Now().UTC() }}
	if o.Keys != nil {
		s.key = o.Keys.MAC
	}
	var err error
	lower := strings.ToLower(o.URL)
	if strings.HasPrefix(lower, "postgres://") || strings.HasPrefix(lower, "postgresql://") {
		s.dialect = "postgres"
		s.db, err = sql.Open("pgx", o.URL)
		if err == nil {
			// Few connections: on a small machine more backends than cores only queue inside
			// PostgreSQL. 40 gave p99 254 ms under the 32-client load test, 12 gave 130 ms
			// (docs/operations.md).
			s.db.SetMaxOpenConns(12)
			s.db.SetMaxIdleConns(12)
		}
	} else {
		if o.URL == "" {
			return nil, fmt.Errorf("store: no database URL or file")
		}
		s.dialect = "sqlite"
		s.db, err = sql.Open("sqlite", SQLiteDSN(o.URL))
		if err == nil {
			// One writer at a time is SQLite's nature; a few connections let reads proceed.
			s.db.SetMaxOpenConns(4)
			s.ro, err = sql.Open("sqlite", strings.Replace(SQLiteDSN(o.URL), "_txlock=immediate", "_txlock=deferred", 1))
		}
		if err == nil {
			s.ro.SetMaxOpenConns(2)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", s.dialect, err)
	}
	if err := s.db.PingContext(ctx); err != nil {
		s.db.Close()
		return nil, fmt.Errorf("store: connect to %s: %w", s.dialect, err)
	}
	return s, nil
}

// SQLiteDSN returns the modernc DSN for path with the settings every pooled connection needs:
// busy timeout first, WAL, NORMAL sync, foreign keys, immediate transactions (without which
// concurrent read-then-write transactions fail with "database is locked").
func SQLiteDSN(path string) string {
	path = strings.TrimPrefix(path, "sqlite://")
	return "file:" + path + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(1)&_txlock=immediate&_time_format=sqlite"
}

// Migrate applies the dialect's migrations.
func (s *DB) Migrate(ctx context.Context) error {
	p, err := s.migrations()
	if err != nil {
		return err
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	if err := s.backfillSearchNames(ctx); err != nil {
		return err
	}
	if s.keys != nil {
		return s.BindKeys(ctx, s.keys)
	}
	return nil
}

func (s *DB) migrations() (*goose.Provider, error) {
	sub, err := fs.Sub(migrations, "migrations/"+s.dialect)
	if err != nil {
		return nil, err
	}
	d := goose.DialectSQLite3
	var opts []goose.ProviderOption
	if s.dialect == "postgres" {
		d = goose.DialectPostgres
		// Several processes may start at once against one database: an advisory lock
		// serialises their migrations.
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(d, s.db, sub, opts...)
	if err != nil {
		return nil, fmt.Errorf("store: migrations: %w", err)
	}
	return p, nil
}

// Close closes the pool.
func (s *DB) Close() error {
	s.SyncWitness()
	s.stmtMu.Lock()
	for _, st := range s.stmts {
		st.Close()
	}
	s.stmts = nil
	s.stmtMu.Unlock()
	if s.ro != nil {
		s.ro.Close()
	}
	return s.db.Close()
}

// prepared returns query as a statement of tx, prepared once per pool connection and kept for
// the store's life (the hot path of custody appends runs the same statements thousands of times;
// preparing each was a tenth of an append's cost on SQLite). tx must come from s.tx.
func (s *DB) prepared(ctx context.Context, tx *sql.Tx, query string) (*sql.Stmt, error) {
	s.stmtMu.Lock()
	st, ok := s.stmts[query]
	if !ok {
		var err error
		if st, err = s.db.PrepareContext(ctx, query); err != nil {
			s.stmtMu.Unlock()
			return nil, mapErr(err, "statement", "")
		}
		if s.stmts == nil {
			s.stmts = map[string]*sql.Stmt{}
		}
		s.stmts[query] = st
	}
	s.stmtMu.Unlock()
	return tx.StmtContext(ctx, st), nil
}

// readTx runs fn in a read-only transaction: one consistent snapshot of the store (SQLite's WAL
// snapshot in a deferred transaction, which does not hold the write lock; PostgreSQL's repeatable
// read).
func (s *DB) readTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	pool, opts := s.db, &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead}
	if s.ro != nil {
		pool, opts = s.ro, nil
	}
	tx, err := pool.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("store: begin read: %w", err)
	}
	defer tx.Rollback()
	return fn(tx)
}

// SQL exposes the pool (for River, tests and maintenance).
func (s *DB) SQL() *sql.DB { return s.db }

// Dialect is "sqlite" or "postgres".
func (s *DB) Dialect() string { return s.dialect }

// tx runs fn in a transaction, committing when it returns nil.
func (s *DB) tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if s.dialect == "sqlite" {
		// SQLite admits one writer; queueing writers here hands the lock over at once and in
		// order, where SQLite's busy handler would have them sleep and retry (a long tail of
		// waits under concurrent appends).
		s.writeMu.Lock()
		defer s.writeMu.Unlock()
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return mapErr(err, "commit", "")
	}
	return nil
}

// exec runs one writing statement as a transaction of its own: on SQLite behind the one writer
// (s.tx), so that a write outside a transaction never holds a pool connection while it waits for
// SQLite's write lock (with a busy pool that starves the writer, which needs a connection).
func (s *DB) exec(ctx context.Context, query string, args ...any) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, query, args...)
		return err
	})
}

// mapErr turns driver errors into domain errors: unique violations into ECONFLICT naming the
// record and field, foreign-key violations into EINVALID, sql.ErrNoRows into ENOTFOUND.
func mapErr(err error, record, field string) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return homeward.Errorf(homeward.ENOTFOUND, "%s not found", record)
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505":
			return homeward.CodeFieldErrorf(homeward.ECONFLICT, field, "%s: %s already exists (%s)", record, field, pe.Detail)
		case "23503":
			return homeward.CodeFieldErrorf(homeward.EINVALID, field, "%s refers to a record that does not exist", record)
		}
	}
	msg := err.Error()
	switch {
	case strings.Contains(msg, "UNIQUE constraint failed"):
		return homeward.CodeFieldErrorf(homeward.ECONFLICT, field, "%s: %s already exists (%s)", record, field, msg[strings.Index(msg, "UNIQUE"):])
	case strings.Contains(msg, "FOREIGN KEY constraint failed"):
		return homeward.CodeFieldErrorf(homeward.EINVALID, field, "%s refers to a record that does not exist", record)
	}
	var he *homeward.Error
	if errors.As(err, &he) {
		return err
	}
	return fmt.Errorf("store: %s: %w", record, err)
}

// audit writes an audit entry inside tx.
func (s *DB) audit(ctx context.Context, tx *sql.Tx, action, entity string, id int64, summary string, before, after any) error {
	u := homeward.UserFromContext(ctx)
	if u == nil {
		return homeward.Errorf(homeward.EUNAUTHORIZED, "no acting user: every change must be attributable")
	}
	var b, a sql.NullString
	if before != nil {
		j, _ := json.Marshal(before)
		b = sql.NullString{String: string(j), Valid: true}
	}
	if after != nil {
		j, _ := json.Marshal(after)
		a = sql.NullString{String: string(j), Valid: true}
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO audit_log (at, user_id, username, action, entity, entity_id, summary, before_data, after_data, operator)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)`, s.now(), u.ID, u.Username, action, entity, id, summary, b, a, nullStr(homeward.OperatorFromContext(ctx)))
	if err != nil {
		return fmt.Errorf("store: audit: %w", err)
	}
	return nil
}

func nullInt(p *int64) any {
	if p == nil || *p == 0 {
		return nil
	}
	return *p
}

func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func likePattern(q string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + strings.ToLower(r.Replace(q)) + "%"
}
