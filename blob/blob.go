// Package blob keeps evidence content (photos, documents) addressed by its SHA-256: in a local
// folder by default, or in an S3-compatible bucket. Content is never altered or overwritten once
// stored, and reads verify that what comes back still has the hash it is stored under.
package blob

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"net/url"
	"strings"

	"github.com/homeward/homeward"
)

// Open returns the blob store named by rawURL:
//
//	/var/lib/homeward/blobs            a local folder (created if missing)
//	file:///var/lib/homeward/blobs     the same, as a URL
//	s3://bucket/prefix?endpoint=host:port&region=us-east-1&insecure=1
//	                                   an S3-compatible bucket (AWS, MinIO); credentials from
//	                                   AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN)
//
// Both keep content under <prefix>/<sha[0:2]>/<sha>.
func Open(ctx context.Context, rawURL string) (homeward.BlobStore, error) {
	if strings.TrimSpace(rawURL) == "" {
		return nil, homeward.FieldErrorf("blob_url", "is empty: give a folder path, file:// or s3:// URL")
	}
	switch {
	case strings.HasPrefix(rawURL, "s3://"):
		cfg, err := ParseS3URL(rawURL)
		if err != nil {
			return nil, err
		}
		return OpenS3(ctx, cfg)
	case strings.HasPrefix(rawURL, "file://"):
		u, err := url.Parse(rawURL)
		if err != nil {
			return nil, homeward.FieldErrorf("blob_url", "%q: %v", rawURL, err)
		}
		if u.Host != "" && u.Host != "localhost" {
			return nil, homeward.FieldErrorf("blob_url", "%q: file URLs must name a local path (file:///path)", rawURL)
		}
		if u.Path == "" {
			return nil, homeward.FieldErrorf("blob_url", "%q has no path", rawURL)
		}
		return OpenDir(u.Path)
	case strings.Contains(rawURL, "://"):
		return nil, homeward.FieldErrorf("blob_url", "%q: unsupported scheme (use a folder path, file:// or s3://)", rawURL)
	default:
		return OpenDir(rawURL)
	}
}

// ValidSHA reports whether s is 64 lower-case hex digits.
func ValidSHA(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

func checkSHA(sha string) error {
	if !ValidSHA(sha) {
		return homeward.FieldErrorf("sha256", "%q is not a SHA-256 (64 lower-case hex digits)", sha)
	}
	return nil
}

// key is where content with the given hash lives under a prefix.
func key(prefix, sha string) string {
	k := sha[:2] + "/" + sha
	if prefix != "" {
		return strings.TrimSuffix(prefix, "/") + "/" + k
	}
	return k
}

// HashMismatchError reports stored content that no longer has the hash it is stored under.
type HashMismatchError struct {
	Want, Got string
}

func (e *HashMismatchError) Error() string {
	return fmt.Sprintf("blob %s is corrupt: its content now hashes to %s", e.Want, e.Got)
}

// verifyingReader passes content through and, at EOF, fails if it does not hash to want.
type verifyingReader struct {
	rc   io.ReadCloser
	h    hash.Hash
	want string
	done bool
}

func newVerifyingReader(rc io.ReadCloser, want string) *verifyingReader {
	return &verifyingReader{rc: rc, h: sha256.New(), want: want}
}

func (v *verifyingReader) Read(p []byte) (int, error) {
	n, err := v.rc.Read(p)
	v.h.Write(p[:n])
	if err == io.EOF && !v.done {
		v.done = true
		if got := hex.EncodeToString(v.h.Sum(nil)); got != v.want {
			return n, &HashMismatchError{Want: v.want, Got: got}
		}
	}
	return n, err
}

func (v *verifyingReader) Close() error { return v.rc.Close() }
