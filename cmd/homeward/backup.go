package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	flag "github.com/spf13/pflag"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/blob"
	"github.com/homeward/homeward/store"
)

func init() {
	register(spec{use: "backup DIR", short: "a consistent online backup of the store (SQLite copy or pg_dump), its photos and documents, with a manifest of hashes",
		example: "  homeward backup /backups/homeward-2026-12-06", args: cobra.ExactArgs(1), define: runBackup})
	register(spec{use: "restore DIR", short: "check a backup's manifest, restore it into an empty data directory and verify it whole",
		example: "  homeward restore --data-dir /var/lib/homeward-restored /backups/homeward-2026-12-06", args: cobra.ExactArgs(1), define: runRestore})
}

// manifest describes a backup: what it holds, each file's SHA-256, and the custody log it carries.
type manifest struct {
	Format    string      `json:"format"`
	CreatedAt time.Time   `json:"created_at"`
	Dialect   string      `json:"dialect"`
	Files     []fileEntry `json:"files"`
	Custody   struct {
		LogSize    int64  `json:"log_size"`
		Root       string `json:"root"`
		Checkpoint string `json:"checkpoint"`
	} `json:"custody"`
}

type fileEntry struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
}

const manifestFormat = "homeward-backup/v1"

func runBackup(fs *flag.FlagSet, env *cliEnv) action {
	return withStore(fs, env, nil, func(ctx context.Context, a *app, args []string) error {
		if len(args) != 1 {
			return usageError{"usage: homeward backup DIR   (DIR must not exist)"}
		}
		dir := args[0]
		if err := os.MkdirAll(filepath.Dir(dir), 0o700); err != nil {
			return fmt.Errorf("backup: %w", err)
		}
		if err := os.Mkdir(dir, 0o700); err != nil {
			return fmt.Errorf("backup: %w (the folder must not exist yet)", err)
		}
		m := manifest{Format: manifestFormat, CreatedAt: time.Now().UTC(), Dialect: a.db.Dialect()}
		if a.cfg.isPostgres() {
			if err := backupPostgres(ctx, a, dir, &m); err != nil {
				return err
			}
		} else {
			if err := a.db.BackupSQLite(ctx, filepath.Join(dir, "homeward.db")); err != nil {
				return err
			}
			if err := verifyBackupDB(ctx, a, filepath.Join(dir, "homeward.db"), &m); err != nil {
				return err
			}
		}
		bs, err := blob.Open(ctx, a.cfg.blobURL())
		if err != nil {
			return err
		}
		if src, ok := bs.(*blob.Dir); ok {
			err = copyTree(src.Root(), filepath.Join(dir, "blobs"))
		} else {
			err = copyReferencedBlobs(ctx, a, bs, filepath.Join(dir, "blobs"))
		}
		if err != nil {
			return err
		}
		if m.Files, err = hashTree(dir); err != nil {
			return err
		}
		b, _ := json.MarshalIndent(m, "", "  ")
		if err := os.WriteFile(filepath.Join(dir, "manifest.json"), b, 0o600); err != nil {
			return err
		}
		if a.cfg.isPostgres() {
			fmt.Fprintf(env.stdout, "backup %s: %d files (pg_dump of the database, photos and documents) with the newest custody checkpoint; the custody key is not in it: keep it apart\n", dir, len(m.Files))
			return nil
		}
		fmt.Fprintf(env.stdout, "backup %s: %d files, custody log of %d entries (root %s) verified; the custody key is not in it: keep it apart\n",
			dir, len(m.Files), m.Custody.LogSize, m.Custody.Root)
		return nil
	})
}

// verifyBackupDB opens the copy as a store with the running store's keys and verifies it whole, so
// that a backup is known good when it is made; its custody state goes into the manifest.
func verifyBackupDB(ctx context.Context, a *app, path string, m *manifest) error {
	db, err := store.Open(ctx, store.Options{URL: path, Keys: a.db.Keys()})
	if err != nil {
		return err
	}
	defer db.Close()
	sys := homeward.NewContextWithUser(ctx, systemUser)
	rep, err := db.VerifyCustodyLog(sys, nil)
	if err != nil {
		return err
	}
	if !rep.OK() {
		return verificationError{fmt.Sprintf("backup: the copy does not verify: %v", rep.Problems[0].Error())}
	}
	m.Custody.LogSize, m.Custody.Root = rep.LogSize, rep.Root
	if cp, err := db.NewestCheckpoint(sys); err == nil {
		m.Custody.Checkpoint = string(cp)
	}
	return nil
}

func runRestore(fs *flag.FlagSet, env *cliEnv) action {
	cfg := bindConfig(fs, env)
	return func(ctx context.Context, args []string) error {
		if len(args) != 1 {
			return usageError{"usage: homeward restore DIR   (into an empty --data-dir)"}
		}
		dir := args[0]
		m, err := checkBackup(dir)
		if err != nil {
			return err
		}
		if (m.Dialect == "postgres") != cfg.isPostgres() {
			return fmt.Errorf("restore: this backup is of a %s store; restore it into the same kind (moving between engines is not supported yet)", m.Dialect)
		}
		if cfg.isPostgres() {
			return restorePostgresBackup(ctx, env, cfg, dir, m)
		}
		if _, err := os.Stat(cfg.databaseURL()); err == nil {
			return fmt.Errorf("restore: %s already holds a database; restore into an empty data directory", cfg.DataDir)
		}
		if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
			return err
		}
		if err := copyFile(filepath.Join(dir, "homeward.db"), cfg.databaseURL()); err != nil {
			return err
		}
		if err := restoreBlobs(ctx, filepath.Join(dir, "blobs"), cfg.blobURL()); err != nil {
			return err
		}
		rep, err := verifyRestored(ctx, cfg, nil)
		if err != nil || !rep.OK() {
			// Never leave a store that does not verify where a server would start on it.
			aside := strings.TrimSuffix(cfg.DataDir, "/") + ".unverified"
			os.Rename(cfg.DataDir, aside)
			if err != nil {
				return fmt.Errorf("restore: verification failed, restored data moved to %s: %w", aside, err)
			}
			return verificationError{fmt.Sprintf("restore: verification found %d problem(s) (first: %s); restored data moved to %s", len(rep.Problems), rep.Problems[0].Error(), aside)}
		}
		fmt.Fprintf(env.stdout, "restored %s into %s: %d containers, %d custody events, log of %d entries (root %s, as in the manifest), %d photo/document references, all verified\n",
			dir, cfg.DataDir, rep.Containers, rep.Events, rep.LogSize, rep.Root, rep.Blobs)
		if rep.Root != m.Custody.Root {
			return verificationError{fmt.Sprintf("restore: the restored log's root %s differs from the manifest's %s", rep.Root, m.Custody.Root)}
		}
		return nil
	}
}

// restorePostgresBackup restores a pg_dump backup and its blobs, then verifies everything and
// proves the restored custody log consistent with the checkpoint the backup recorded.
func restorePostgresBackup(ctx context.Context, env *cliEnv, cfg *config, dir string, m *manifest) error {
	if err := restorePostgres(ctx, cfg, dir); err != nil {
		return err
	}
	if err := restoreBlobs(ctx, filepath.Join(dir, "blobs"), cfg.blobURL()); err != nil {
		return err
	}
	var earlier [][]byte
	if m.Custody.Checkpoint != "" {
		earlier = append(earlier, []byte(m.Custody.Checkpoint))
	}
	rep, err := verifyRestored(ctx, cfg, earlier)
	if err != nil {
		return fmt.Errorf("restore: verification failed: %w; do not serve this database: drop it and restore again", err)
	}
	if !rep.OK() {
		return verificationError{fmt.Sprintf("restore: verification found %d problem(s) (first: %s); do not serve this database: drop it and restore again", len(rep.Problems), rep.Problems[0].Error())}
	}
	fmt.Fprintf(env.stdout, "restored %s into %s: %d containers, %d custody events, log of %d entries (consistent with the backup's checkpoint), %d photo/document references, all verified\n",
		dir, redactURL(cfg.databaseURL()), rep.Containers, rep.Events, rep.LogSize, rep.Blobs)
	return nil
}

// verifyRestored opens a restored or copied store (its key must match the one it records) and
// verifies every chain, the log (consistent with the earlier checkpoints given) and every blob.
func verifyRestored(ctx context.Context, cfg *config, earlier [][]byte) (*homeward.CustodyLogReport, error) {
	a, err := openApp(ctx, cfg, appOptions{needBlob: true})
	if err != nil {
		return nil, err
	}
	defer a.Close()
	sys := homeward.NewContextWithUser(ctx, systemUser)
	rep, err := a.db.VerifyCustodyLog(sys, earlier)
	if err != nil {
		return nil, err
	}
	return rep, verifyBlobs(sys, a.db, a.blob, rep)
}

// checkBackup reads the manifest and checks every file against it, naming the first that differs.
func checkBackup(dir string) (*manifest, error) {
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return nil, fmt.Errorf("restore: %w (not a Homeward backup?)", err)
	}
	var m manifest
	if err := json.Unmarshal(b, &m); err != nil || m.Format != manifestFormat {
		return nil, fmt.Errorf("restore: %s/manifest.json is not a %s manifest", dir, manifestFormat)
	}
	for _, f := range m.Files {
		if strings.Contains(f.Path, "..") || filepath.IsAbs(f.Path) {
			return nil, fmt.Errorf("restore: manifest names %q outside the backup", f.Path)
		}
		sum, size, err := hashFile(filepath.Join(dir, f.Path))
		if err != nil {
			return nil, fmt.Errorf("restore: %s: %w", f.Path, err)
		}
		if sum != f.SHA256 || size != f.Size {
			return nil, verificationError{fmt.Sprintf("restore: %s is damaged: its SHA-256 or size differs from the manifest; refusing to restore", f.Path)}
		}
	}
	return &m, nil
}

func restoreBlobs(ctx context.Context, from, to string) error {
	bs, err := blob.Open(ctx, to)
	if err != nil {
		return err
	}
	return filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		sha, _, err := bs.Put(ctx, f)
		if err == nil && sha != filepath.Base(p) {
			err = fmt.Errorf("blob %s holds content of %s", filepath.Base(p), sha)
		}
		return err
	})
}

// copyReferencedBlobs copies every photo and document the records refer to out of a blob store
// that is not a folder (S3), each checked against its name as it is read.
func copyReferencedBlobs(ctx context.Context, a *app, bs homeward.BlobStore, to string) error {
	refs, err := a.db.BlobRefs(homeward.NewContextWithUser(ctx, systemUser))
	if err != nil {
		return err
	}
	if err := os.MkdirAll(to, 0o700); err != nil {
		return err
	}
	done := map[string]bool{}
	for _, r := range refs {
		if done[r.SHA256] {
			continue
		}
		done[r.SHA256] = true
		if err := copyBlob(ctx, bs, r.SHA256, filepath.Join(to, r.SHA256)); err != nil {
			return fmt.Errorf("backup: %s (%s): %w", r.SHA256, r.Where, err)
		}
	}
	return nil
}

func copyBlob(ctx context.Context, bs homeward.BlobStore, sha, path string) error {
	rc, err := bs.Get(ctx, sha)
	if err != nil {
		return err
	}
	defer rc.Close()
	out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	h := sha256.New()
	if _, err := io.Copy(io.MultiWriter(out, h), rc); err != nil {
		out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	if hex.EncodeToString(h.Sum(nil)) != sha {
		return fmt.Errorf("the stored content does not hash to its name")
	}
	return nil
}

func copyTree(from, to string) error {
	return filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if d.IsDir() {
			if rel == "tmp" {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(to, rel), 0o700)
		}
		return copyFile(p, filepath.Join(to, rel))
	})
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func hashTree(dir string) ([]fileEntry, error) {
	var out []fileEntry
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		sum, size, err := hashFile(p)
		out = append(out, fileEntry{Path: filepath.ToSlash(rel), SHA256: sum, Size: size})
		return err
	})
	return out, err
}

func hashFile(p string) (string, int64, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	return hex.EncodeToString(h.Sum(nil)), n, err
}
