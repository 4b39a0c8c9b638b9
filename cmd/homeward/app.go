package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/user"
	"strconv"
	"strings"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/auth"
	"github.com/homeward/homeward/blob"
	"github.com/homeward/homeward/custodylog"
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
	if err := cfg.applyConfigFile(); err != nil {
		return nil, err
	}
	if !cfg.isPostgres() {
		if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
			return nil, fmt.Errorf("create data directory %s: %w", cfg.DataDir, err)
		}
	}
	keys, err := cfg.loadKeyring()
	if err != nil {
		return nil, err
	}
	db, err := store.Open(ctx, store.Options{URL: cfg.databaseURL(), Witness: cfg.witnessPath(), AccessionPattern: cfg.AccessionPattern})
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", redactURL(cfg.databaseURL()), err)
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate store: %w", err)
	}
	if err := bindKeys(ctx, cfg, db, keys); err != nil {
		db.Close()
		return nil, err
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

// openAsUser opens the store named by cfg and returns ctx acting as the CLI user (asUser); the
// caller closes the app.
func openAsUser(ctx context.Context, cfg *config) (*app, context.Context, error) {
	a, err := openApp(ctx, cfg, appOptions{})
	if err != nil {
		return nil, ctx, err
	}
	uctx, err := a.asUser(ctx)
	if err != nil {
		a.Close()
		return nil, ctx, err
	}
	return a, uctx, nil
}

// bindKeys gives the store its custody keys. Without a key, only a new store (no recorded key, no
// custody event) gets one, written to the key directory; an existing store stops with an error
// naming the key it is signed by, never a silent new key.
func bindKeys(ctx context.Context, cfg *config, db *store.DB, keys *custodylog.Keyring) error {
	if keys == nil {
		vkey, events, err := db.RecordedKey(ctx)
		if err != nil {
			return err
		}
		if vkey != "" || events > 0 {
			signedBy := vkey
			if signedBy == "" {
				signedBy = "the key its custody events were signed with"
			}
			return fmt.Errorf("custody key missing: %s does not exist and HOMEWARD_CUSTODY_KEY is not set, but this store holds %d custody events signed by %s; restore the key from its backup (a new key is never made for an existing store)",
				cfg.keyPath(), events, signedBy)
		}
		if cfg.isPostgres() {
			return fmt.Errorf("HOMEWARD_CUSTODY_KEY is not set and %s does not exist: every process sharing a PostgreSQL database needs the same key; make one with: homeward custody key new > FILE, then export HOMEWARD_CUSTODY_KEY=\"$(cat FILE)\"", cfg.keyPath())
		}
		if keys, err = custodylog.NewKeyring(); err != nil {
			return err
		}
		if err := cfg.writeKeyring(keys); err != nil {
			return err
		}
		if cfg.notices != nil {
			fmt.Fprintf(cfg.notices, "homeward: created the custody key %s; back it up apart from the database\n", cfg.keyPath())
		}
	}
	if err := db.BindKeys(ctx, keys); err != nil {
		return fmt.Errorf("custody key: %w", err)
	}
	return nil
}

// asUser returns ctx acting as the configured CLI user, which must exist.
func (a *app) asUser(ctx context.Context) (context.Context, error) {
	ctx = homeward.NewContextWithUser(ctx, systemUser)
	u, err := a.db.GetUserByUsername(ctx, a.cfg.User)
	if err != nil {
		return nil, fmt.Errorf("acting user %q (set --as or HOMEWARD_USER): %w", a.cfg.User, err)
	}
	return homeward.NewContextWithOperator(homeward.NewContextWithUser(ctx, u), localOperator()), nil
}

// localOperator names who runs this process: the operating-system account and host. A local CLI
// change is made with no credential, so the audit log records this beside the --as user.
func localOperator() string {
	name := os.Getenv("USER")
	if cur, err := user.Current(); err == nil {
		name = cur.Username
	} else if name == "" {
		name = "uid " + strconv.Itoa(os.Getuid())
	}
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "unknown-host"
	}
	return name + "@" + host
}

// asDecider returns ctx acting as the user whose API token the CLI was given (HOMEWARD_TOKEN).
// A decision — submitting or reviewing an identification, withdrawing one, a custody event that
// someone records and signs — is recorded only in the name of someone who proved to be that
// user: --as alone names a user, it proves nothing. When --as or HOMEWARD_USER is also given it
// must name the token's owner.
func (a *app) asDecider(ctx context.Context) (context.Context, error) {
	if a.cfg.Token == "" {
		return nil, fmt.Errorf("recording a decision needs the credential of the person it is recorded for: set HOMEWARD_TOKEN to one of their API tokens (homeward user token NAME -name cli), not only --as %s", a.cfg.User)
	}
	sys := homeward.NewContextWithUser(ctx, systemUser)
	u, _, err := a.db.UserByAPIToken(sys, auth.HashToken(strings.TrimSpace(a.cfg.Token)))
	if err != nil {
		return nil, fmt.Errorf("HOMEWARD_TOKEN: %w", err)
	}
	if a.cfg.UserSet && a.cfg.User != u.Username {
		return nil, fmt.Errorf("HOMEWARD_TOKEN belongs to %s, not to %s named by --as/HOMEWARD_USER", u.Username, a.cfg.User)
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
