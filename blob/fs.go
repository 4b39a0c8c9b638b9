package blob

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/homeward/homeward"
)

// Dir is a content-addressed folder: content with hash h is the read-only file <root>/h[0:2]/h.
// Writes go to a temporary file in <root>/tmp, are synced, then linked into place without ever
// replacing an existing file, so a crash leaves either nothing or the whole content.
type Dir struct {
	root string
}

// OpenDir opens (creating if needed) the folder at root.
func OpenDir(root string) (*Dir, error) {
	if root == "" {
		return nil, homeward.FieldErrorf("blob_url", "empty folder path")
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("blob folder %s: %w", root, err)
	}
	if err := os.MkdirAll(filepath.Join(abs, "tmp"), 0o755); err != nil {
		return nil, fmt.Errorf("blob folder %s: %w", abs, err)
	}
	return &Dir{root: abs}, nil
}

// Root returns the folder's absolute path.
func (d *Dir) Root() string { return d.root }

// Path returns where content with the given hash is (or would be) stored.
func (d *Dir) Path(sha string) string { return filepath.Join(d.root, sha[:2], sha) }

// Put stores the content of r and returns its hash and size. Content already stored is left as it
// is (the same hash means the same bytes), so Put is idempotent.
func (d *Dir) Put(ctx context.Context, r io.Reader) (string, int64, error) {
	tmp, err := os.CreateTemp(filepath.Join(d.root, "tmp"), "put-*")
	if err != nil {
		return "", 0, fmt.Errorf("blob put: %w", err)
	}
	tmpName := tmp.Name()
	defer os.Remove(tmpName) // after a successful link the name is just a second link; remove it
	h := sha256.New()
	size, err := io.Copy(io.MultiWriter(tmp, h), &ctxReader{ctx: ctx, r: r})
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", 0, fmt.Errorf("blob put: write %s: %w", tmpName, err)
	}
	sha := hex.EncodeToString(h.Sum(nil))
	final := d.Path(sha)
	if _, err := os.Stat(final); err == nil {
		return sha, size, nil
	}
	if err := os.Chmod(tmpName, 0o444); err != nil {
		return "", 0, fmt.Errorf("blob put %s: %w", sha, err)
	}
	dir := filepath.Dir(final)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", 0, fmt.Errorf("blob put %s: %w", sha, err)
	}
	// A hard link fails if the target exists, so it never replaces stored content, even when two
	// writers race. Where links are not supported, fall back to a rename after the check above.
	if err := os.Link(tmpName, final); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return sha, size, nil
		}
		if rerr := os.Rename(tmpName, final); rerr != nil {
			return "", 0, fmt.Errorf("blob put %s: %w", sha, rerr)
		}
	}
	if err := syncDir(dir); err != nil {
		return "", 0, fmt.Errorf("blob put %s: %w", sha, err)
	}
	return sha, size, nil
}

func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return err
	}
	return nil
}

// Get returns the content stored under sha after checking, by hashing it whole, that it is
// intact. A missing blob is ENOTFOUND; a damaged one is a *HashMismatchError.
func (d *Dir) Get(ctx context.Context, sha string) (io.ReadCloser, error) {
	if err := checkSHA(sha); err != nil {
		return nil, err
	}
	f, err := os.Open(d.Path(sha))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, homeward.Errorf(homeward.ENOTFOUND, "blob %s not found", sha)
	}
	if err != nil {
		return nil, fmt.Errorf("blob get %s: %w", sha, err)
	}
	h := sha256.New()
	if _, err := io.Copy(h, &ctxReader{ctx: ctx, r: f}); err != nil {
		f.Close()
		return nil, fmt.Errorf("blob get %s: %w", sha, err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != sha {
		f.Close()
		return nil, &HashMismatchError{Want: sha, Got: got}
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		f.Close()
		return nil, fmt.Errorf("blob get %s: %w", sha, err)
	}
	return f, nil
}

// Exists reports whether content with hash sha is stored.
func (d *Dir) Exists(ctx context.Context, sha string) (bool, error) {
	if err := checkSHA(sha); err != nil {
		return false, err
	}
	_, err := os.Stat(d.Path(sha))
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("blob exists %s: %w", sha, err)
	}
	return true, nil
}

// ctxReader stops a long copy when the context is cancelled.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
