package blob

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/homeward/homeward"
)

// S3Config is a parsed s3:// URL.
type S3Config struct {
	Bucket   string
	Prefix   string // object key prefix, without leading or trailing slash
	Endpoint string // host[:port]; default s3.amazonaws.com
	Region   string // default us-east-1 (also what MinIO expects by default)
	Insecure bool   // plain HTTP (a MinIO on a private network)
	// PathStyle forces bucket-in-path requests (default for non-AWS endpoints in minio-go).
	PathStyle bool
}

// ParseS3URL reads s3://bucket/prefix?endpoint=host:port&region=...&insecure=1&path_style=1.
// Unknown query parameters are refused so that a typo does not silently change where evidence goes.
func ParseS3URL(raw string) (S3Config, error) {
	var c S3Config
	u, err := url.Parse(raw)
	if err != nil {
		return c, homeward.FieldErrorf("blob_url", "%v", err)
	}
	if u.Scheme != "s3" {
		return c, homeward.FieldErrorf("blob_url", "scheme %q is not s3", u.Scheme)
	}
	if u.User != nil {
		return c, homeward.FieldErrorf("blob_url", "do not put credentials in the URL; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
	}
	c.Bucket = u.Host
	if c.Bucket == "" {
		return c, homeward.FieldErrorf("blob_url", "%q names no bucket (s3://bucket/prefix)", redactQuery(u))
	}
	c.Prefix = strings.Trim(u.Path, "/")
	c.Endpoint = "s3.amazonaws.com"
	c.Region = "us-east-1"
	for k, vs := range u.Query() {
		v := vs[len(vs)-1]
		switch k {
		case "endpoint":
			if v == "" || strings.Contains(v, "/") {
				return c, homeward.FieldErrorf("blob_url", "endpoint %q must be host or host:port", v)
			}
			c.Endpoint = v
		case "region":
			if v == "" {
				return c, homeward.FieldErrorf("blob_url", "region is empty")
			}
			c.Region = v
		case "insecure", "path_style":
			b, err := strconv.ParseBool(v)
			if err != nil {
				return c, homeward.FieldErrorf("blob_url", "%s=%q is not a boolean (1/0/true/false)", k, v)
			}
			if k == "insecure" {
				c.Insecure = b
			} else {
				c.PathStyle = b
			}
		default:
			return c, homeward.FieldErrorf("blob_url", "unknown parameter %q (endpoint, region, insecure, path_style)", k)
		}
	}
	return c, nil
}

func redactQuery(u *url.URL) string {
	v := *u
	v.RawQuery = ""
	return v.String()
}

// S3 keeps content in an S3-compatible bucket under <prefix>/<sha[0:2]>/<sha>.
//
// There is no S3 server in this repository's test environment: the tests check URL parsing and the
// requests this type builds, and the store is exercised against MinIO or AWS in deployment.
type S3 struct {
	cfg    S3Config
	client *minio.Client
}

// OpenS3 builds a client for cfg with credentials from the environment. It makes no request:
// a wrong endpoint or missing bucket shows on first use.
func OpenS3(ctx context.Context, cfg S3Config) (*S3, error) {
	return openS3(cfg, nil)
}

func openS3(cfg S3Config, transport http.RoundTripper) (*S3, error) {
	creds := credentials.NewStaticV4(os.Getenv("AWS_ACCESS_KEY_ID"), os.Getenv("AWS_SECRET_ACCESS_KEY"), os.Getenv("AWS_SESSION_TOKEN"))
	opts := &minio.Options{Creds: creds, Secure: !cfg.Insecure, Region: cfg.Region, Transport: transport}
	if cfg.PathStyle {
		opts.BucketLookup = minio.BucketLookupPath
	}
	cl, err := minio.New(cfg.Endpoint, opts)
	if err != nil {
		return nil, fmt.Errorf("s3 client for %s: %w", cfg.Endpoint, err)
	}
	return &S3{cfg: cfg, client: cl}, nil
}

// Key returns the object key of content with hash sha.
func (s *S3) Key(sha string) string { return key(s.cfg.Prefix, sha) }

// Put hashes r (spooling it to a temporary file), and uploads it unless an object with that hash
// already exists.
func (s *S3) Put(ctx context.Context, r io.Reader) (string, int64, error) {
	tmp, err := os.CreateTemp("", "homeward-s3put-*")
	if err != nil {
		return "", 0, fmt.Errorf("blob put: %w", err)
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	h := sha256.New()
	size, err := io.Copy(io.MultiWriter(tmp, h), &ctxReader{ctx: ctx, r: r})
	if err != nil {
		return "", 0, fmt.Errorf("blob put: spool: %w", err)
	}
	sha := hex.EncodeToString(h.Sum(nil))
	ok, err := s.Exists(ctx, sha)
	if err != nil {
		return "", 0, err
	}
	if ok {
		return sha, size, nil
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return "", 0, fmt.Errorf("blob put %s: %w", sha, err)
	}
	_, err = s.client.PutObject(ctx, s.cfg.Bucket, s.Key(sha), tmp, size, minio.PutObjectOptions{
		ContentType:  "application/octet-stream",
		UserMetadata: map[string]string{"Sha256": sha},
	})
	if err != nil {
		return "", 0, fmt.Errorf("blob put %s to s3://%s/%s: %w", sha, s.cfg.Bucket, s.Key(sha), err)
	}
	return sha, size, nil
}

// Get streams the object; the reader fails at its end if the content does not hash to sha.
func (s *S3) Get(ctx context.Context, sha string) (io.ReadCloser, error) {
	if err := checkSHA(sha); err != nil {
		return nil, err
	}
	if ok, err := s.Exists(ctx, sha); err != nil {
		return nil, err
	} else if !ok {
		return nil, homeward.Errorf(homeward.ENOTFOUND, "blob %s not found", sha)
	}
	obj, err := s.client.GetObject(ctx, s.cfg.Bucket, s.Key(sha), minio.GetObjectOptions{})
	if err != nil {
		return nil, fmt.Errorf("blob get %s from s3://%s/%s: %w", sha, s.cfg.Bucket, s.Key(sha), err)
	}
	return newVerifyingReader(obj, sha), nil
}

// Exists asks the bucket for the object's metadata.
func (s *S3) Exists(ctx context.Context, sha string) (bool, error) {
	if err := checkSHA(sha); err != nil {
		return false, err
	}
	_, err := s.client.StatObject(ctx, s.cfg.Bucket, s.Key(sha), minio.StatObjectOptions{})
	if err == nil {
		return true, nil
	}
	if resp := minio.ToErrorResponse(err); resp.Code == minio.NoSuchKey || resp.StatusCode == http.StatusNotFound {
		return false, nil
	}
	return false, fmt.Errorf("blob exists %s in s3://%s/%s: %w", sha, s.cfg.Bucket, s.Key(sha), err)
}
