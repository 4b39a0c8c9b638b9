package main

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// config is what every verb that touches the store needs. Flags override environment variables,
// which override the defaults.
type config struct {
	DataDir          string
	DatabaseURL      string
	BlobURL          string
	Addr             string
	AccessionPattern string
	CustodyKeyHex    string
	User             string // acting user for CLI changes
}

// bindConfig registers the shared flags on fs, with defaults taken from the environment.
func bindConfig(fs *flag.FlagSet, env *cliEnv) *config {
	c := &config{}
	get := func(name, def string) string {
		if v := env.getenv(name); v != "" {
			return v
		}
		return def
	}
	fs.StringVar(&c.DataDir, "data-dir", get("HOMEWARD_DATA_DIR", "homeward-data"), "data directory for the embedded database, photos and the custody key (env HOMEWARD_DATA_DIR)")
	fs.StringVar(&c.DatabaseURL, "database", get("HOMEWARD_DATABASE_URL", ""), "postgres://... URL; empty means the embedded SQLite file in the data directory (env HOMEWARD_DATABASE_URL)")
	fs.StringVar(&c.BlobURL, "blob", get("HOMEWARD_BLOB_URL", ""), "photo/document storage: a folder or s3://bucket/prefix?endpoint=...; empty means <data-dir>/blobs (env HOMEWARD_BLOB_URL)")
	fs.StringVar(&c.AccessionPattern, "accession-pattern", get("HOMEWARD_ACCESSION_PATTERN", ""), "container accession scheme, e.g. {op}-{seq:03} (env HOMEWARD_ACCESSION_PATTERN)")
	fs.StringVar(&c.User, "as", get("HOMEWARD_USER", "admin"), "user the CLI acts as; every change is attributed to it (env HOMEWARD_USER)")
	c.CustodyKeyHex = env.getenv("HOMEWARD_CUSTODY_KEY")
	return c
}

func (c *config) databaseURL() string {
	if c.DatabaseURL != "" {
		return c.DatabaseURL
	}
	return filepath.Join(c.DataDir, "homeward.db")
}

func (c *config) blobURL() string {
	if c.BlobURL != "" {
		return c.BlobURL
	}
	return filepath.Join(c.DataDir, "blobs")
}

func (c *config) isPostgres() bool {
	u := strings.ToLower(c.databaseURL())
	return strings.HasPrefix(u, "postgres://") || strings.HasPrefix(u, "postgresql://")
}

// custodyKey returns the key that signs custody events: HOMEWARD_CUSTODY_KEY (hex) when set, else
// the key file in the data directory, created at first use. Every process writing to one database
// must use the same key, so PostgreSQL deployments set HOMEWARD_CUSTODY_KEY.
func (c *config) custodyKey() ([]byte, error) {
	if c.CustodyKeyHex != "" {
		k, err := hex.DecodeString(strings.TrimSpace(c.CustodyKeyHex))
		if err != nil || len(k) < 16 {
			return nil, fmt.Errorf("HOMEWARD_CUSTODY_KEY must be at least 32 hex digits")
		}
		return k, nil
	}
	path := filepath.Join(c.DataDir, "custody.key")
	b, err := os.ReadFile(path)
	if err == nil {
		k, err := hex.DecodeString(strings.TrimSpace(string(b)))
		if err != nil || len(k) < 16 {
			return nil, fmt.Errorf("custody key %s is damaged: it must hold at least 32 hex digits", path)
		}
		return k, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("read custody key: %w", err)
	}
	if c.isPostgres() {
		return nil, fmt.Errorf("HOMEWARD_CUSTODY_KEY is not set and %s does not exist: every process sharing a PostgreSQL database needs the same key (generate one with: openssl rand -hex 32)", path)
	}
	if err := os.MkdirAll(c.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	k := make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("create custody key: %w", err)
	}
	defer f.Close()
	if _, err := f.WriteString(hex.EncodeToString(k) + "\n"); err != nil {
		return nil, fmt.Errorf("write custody key: %w", err)
	}
	return k, f.Sync()
}
