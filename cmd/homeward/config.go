package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	flag "github.com/spf13/pflag"

	"github.com/homeward/homeward/custodylog"
	"github.com/homeward/homeward/mailer"
)

// config is what every verb that touches the store needs. Flags override environment variables,
// which override the defaults.
type config struct {
	DataDir          string
	DatabaseURL      string
	BlobURL          string
	Addr             string
	AccessionPattern string
	CustodyKeyText   string // HOMEWARD_CUSTODY_KEY: a hex key or a key file's text
	KeyDir           string
	notices          io.Writer // where the CLI tells the operator what it did (created a key)
	User             string    // acting user for CLI changes
	UserSet          bool      // User was named (--as or HOMEWARD_USER), not the default
	Token            string    // HOMEWARD_TOKEN: an API token proving who records a decision
	File             string    // configuration file (--config or HOMEWARD_CONFIG)
	SMTPURL          string    // where the workflow's notices leave (empty: kept in the outbox)
	SMTPPassword     string    // HOMEWARD_SMTP_PASSWORD: never in a flag or file
	MailFrom         string
	PublicURL        string

	fs       *flag.FlagSet
	getenv   func(string) string
	applied  bool
	fromFile map[string]bool // flags the file set
}

// bindConfig registers the shared flags on fs, with defaults taken from the environment.
func bindConfig(fs *flag.FlagSet, env *cliEnv) *config {
	if env.cfg != nil {
		return env.cfg // bound on the root command, for every command
	}
	c := &config{notices: env.stderr, fs: fs, getenv: env.getenv, fromFile: map[string]bool{}}
	get := func(name, def string) string {
		if v := env.getenv(name); v != "" {
			return v
		}
		return def
	}
	fs.StringVar(&c.DataDir, "data-dir", get("HOMEWARD_DATA_DIR", "homeward-data"), "data directory for the embedded database and photos (env HOMEWARD_DATA_DIR)")
	fs.StringVar(&c.DatabaseURL, "database", get("HOMEWARD_DATABASE_URL", ""), "postgres://... URL; empty means the embedded SQLite file in the data directory (env HOMEWARD_DATABASE_URL)")
	fs.StringVar(&c.BlobURL, "blob", get("HOMEWARD_BLOB_URL", ""), "photo/document storage: a folder or s3://bucket/prefix?endpoint=...; empty means <data-dir>/blobs (env HOMEWARD_BLOB_URL)")
	fs.StringVar(&c.AccessionPattern, "accession-pattern", get("HOMEWARD_ACCESSION_PATTERN", ""), "container accession scheme, e.g. {op}-{seq:03} (env HOMEWARD_ACCESSION_PATTERN)")
	fs.Func("as", "user the CLI acts as; every change is attributed to it (env HOMEWARD_USER; default admin); decisions also need HOMEWARD_TOKEN", func(v string) error {
		c.User, c.UserSet = v, true
		return nil
	})
	c.User = get("HOMEWARD_USER", "admin")
	c.UserSet = env.getenv("HOMEWARD_USER") != ""
	c.Token = env.getenv("HOMEWARD_TOKEN")
	fs.StringVar(&c.KeyDir, "key-dir", get("HOMEWARD_KEY_DIR", ""), "directory of the custody key and the witness checkpoint; default: <data-dir>-keys beside the data directory (env HOMEWARD_KEY_DIR)")
	c.CustodyKeyText = env.getenv("HOMEWARD_CUSTODY_KEY")
	fs.StringVar(&c.SMTPURL, "smtp-url", get("HOMEWARD_SMTP_URL", ""), "SMTP server the review notices are e-mailed through: smtp://[user@]host[:port] or smtps://...; its password in HOMEWARD_SMTP_PASSWORD; empty: notices wait in the outbox (env HOMEWARD_SMTP_URL)")
	fs.StringVar(&c.MailFrom, "mail-from", get("HOMEWARD_MAIL_FROM", ""), "sender address of the notices (env HOMEWARD_MAIL_FROM)")
	fs.StringVar(&c.PublicURL, "public-url", get("HOMEWARD_PUBLIC_URL", ""), "address users reach Homeward at, for the links in notices, e.g. https://homeward.example.org (env HOMEWARD_PUBLIC_URL)")
	c.SMTPPassword = env.getenv("HOMEWARD_SMTP_PASSWORD")
	fs.StringVar(&c.File, "config", get("HOMEWARD_CONFIG", ""), "configuration file (TOML): flags by name, a verb's own in its [table]; flags and the environment override it (env HOMEWARD_CONFIG)")
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

// keyDir is where the custody key (and the witness copy of the newest checkpoint) live: the
// --key-dir flag or HOMEWARD_KEY_DIR, else a sibling of the data directory (homeward-data-keys for
// homeward-data), never inside it: a copy of the data directory must not carry its own key.
func (c *config) keyDir() string {
	if c.KeyDir != "" {
		return c.KeyDir
	}
	return filepath.Clean(c.DataDir) + "-keys"
}

func (c *config) keyPath() string { return filepath.Join(c.keyDir(), "custody.key") }

// witnessPath is the file outside the database that keeps the newest checkpoint: in the key
// directory, unless the key comes from the environment and no key directory was named.
func (c *config) witnessPath() string {
	if c.CustodyKeyText != "" && c.KeyDir == "" {
		return ""
	}
	return filepath.Join(c.keyDir(), "custody.checkpoint")
}

// loadKeyring reads the custody keys: HOMEWARD_CUSTODY_KEY (a hex MAC key, or the key file's
// text) when set, else the key file. It returns nil without error when there is no key at all;
// the caller decides whether the store may get a new one.
func (c *config) loadKeyring() (*custodylog.Keyring, error) {
	if c.CustodyKeyText != "" {
		k, err := custodylog.ParseKeyring(c.CustodyKeyText)
		if err != nil {
			return nil, fmt.Errorf("HOMEWARD_CUSTODY_KEY: %w", err)
		}
		return k, nil
	}
	b, err := os.ReadFile(c.keyPath())
	if err == nil {
		k, err := custodylog.ParseKeyring(string(b))
		if err != nil {
			return nil, fmt.Errorf("custody key %s: %w", c.keyPath(), err)
		}
		return k, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("read custody key: %w", err)
	}
	legacy := filepath.Join(c.DataDir, "custody.key")
	if _, err := os.Stat(legacy); err == nil && !c.isPostgres() {
		return nil, fmt.Errorf("the custody key %s sits inside the data directory, beside the database it protects; move it out (mkdir -p %s && mv %s %s) or set HOMEWARD_KEY_DIR",
			legacy, c.keyDir(), legacy, c.keyPath())
	}
	return nil, nil
}

// writeKeyring writes k to the key file (directory 0700, file 0600), replacing it atomically.
func (c *config) writeKeyring(k *custodylog.Keyring) error {
	if err := os.MkdirAll(c.keyDir(), 0o700); err != nil {
		return fmt.Errorf("create key directory: %w", err)
	}
	tmp := c.keyPath() + ".tmp"
	if err := os.WriteFile(tmp, []byte(k.Text()), 0o600); err != nil {
		return fmt.Errorf("write custody key: %w", err)
	}
	if err := os.Rename(tmp, c.keyPath()); err != nil {
		return fmt.Errorf("write custody key: %w", err)
	}
	return nil
}

// mailSender is the sender of the workflow's notices the configuration describes.
func (c *config) mailSender() (*mailer.Sender, error) {
	return mailer.New(mailer.Config{URL: c.SMTPURL, Password: c.SMTPPassword, From: c.MailFrom, PublicURL: c.PublicURL})
}
