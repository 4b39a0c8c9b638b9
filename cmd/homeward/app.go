package main

import (
	"context"
	"fmt"
	"net/url"
	"os"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/blob"
	"github.com/homeward/homeward/store"
)

// app is an opened Homeward: the store (migrated), the blob store and the configuration.
type app struct {
	cfg  *config
	db   *store.DB
	blob homeward.BlobStore
}

type appOptions struct {
	needBlob bool
}

// openApp opens and migrates the store named by cfg.
func openApp(ctx context.Context, cfg *config, o appOptions) (*app, error) {
	if !cfg.isPostgres() {
		if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
			return nil, fmt.Errorf("create data directory %s: %w", cfg.DataDir, err)
		}
	}
	key, err := cfg.custodyKey()
	if err != nil {
		return nil, err
	}
	db, err := store.Open(ctx, store.Options{URL: cfg.databaseURL(), CustodyKey: key, AccessionPattern: cfg.AccessionPattern})
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", redactURL(cfg.databaseURL()), err)
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate store: %w", err)
	}
	a := &app{cfg: cfg, db: db}
	if o.needBlob {
		b, err := blob.Open(ctx, cfg.blobURL())
		if err != nil {
			db.Close()
			return nil, fmt.Errorf("open blob store %s: %w", redactURL(cfg.blobURL()), err)
		}
		a.blob = b
	}
	return a, nil
}

func (a *app) Close() error { return a.db.Close() }

// asUser returns ctx acting as the configured CLI user, which must exist.
func (a *app) asUser(ctx context.Context) (context.Context, error) {
	ctx = homeward.NewContextWithUser(ctx, systemUser)
	u, err := a.db.GetUserByUsername(ctx, a.cfg.User)
	if err != nil {
		return nil, fmt.Errorf("acting user %q (set --as or HOMEWARD_USER): %w", a.cfg.User, err)
	}
	return homeward.NewContextWithUser(ctx, u), nil
}

// systemUser reads on behalf of the process itself (looking up the acting user, bootstrapping).
var systemUser = &homeward.User{Username: "system", Roles: []homeward.Role{homeward.RoleAdmin}}

// redactURL hides a password in a database URL before it is printed.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	return u.Redacted()
}
