package blob

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/homeward/homeward"
)

func shaOf(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }

func TestDirRoundTrip(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	for _, u := range []string{dir, "file://" + dir} {
		bs, err := Open(ctx, u)
		if err != nil {
			t.Fatalf("Open(%q): %v", u, err)
		}
		content := []byte("photo of K55-2018-001 opening")
		sha, size, err := bs.Put(ctx, bytes.NewReader(content))
		if err != nil {
			t.Fatal(err)
		}
		if sha != shaOf(content) || size != int64(len(content)) {
			t.Fatalf("Put = %s, %d; want %s, %d", sha, size, shaOf(content), len(content))
		}
		ok, err := bs.Exists(ctx, sha)
		if err != nil || !ok {
			t.Fatalf("Exists = %v, %v", ok, err)
		}
		rc, err := bs.Get(ctx, sha)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(rc)
		rc.Close()
		if !bytes.Equal(got, content) {
			t.Fatalf("Get = %q", got)
		}
		p := filepath.Join(dir, sha[:2], sha)
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatalf("stored file %s: %v", p, err)
		}
		if fi.Mode().Perm()&0o222 != 0 {
			t.Errorf("stored file mode %v is writable", fi.Mode().Perm())
		}
	}
}

func TestDirPutIdempotent(t *testing.T) {
	ctx := context.Background()
	d, err := OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	content := bytes.Repeat([]byte("seal 0042 intact "), 1000)
	var wg sync.WaitGroup
	shas := make([]string, 8)
	errs := make([]error, 8)
	for i := range shas {
		wg.Add(1)
		go func() {
			defer wg.Done()
			shas[i], _, errs[i] = d.Put(ctx, bytes.NewReader(content))
		}()
	}
	wg.Wait()
	for i := range shas {
		if errs[i] != nil || shas[i] != shaOf(content) {
			t.Fatalf("put %d: %s %v", i, shas[i], errs[i])
		}
	}
	before, _ := os.Stat(d.Path(shas[0]))
	if _, _, err := d.Put(ctx, bytes.NewReader(content)); err != nil {
		t.Fatal(err)
	}
	after, _ := os.Stat(d.Path(shas[0]))
	if !os.SameFile(before, after) {
		t.Error("second Put replaced the stored file")
	}
	tmps, _ := os.ReadDir(filepath.Join(d.Root(), "tmp"))
	if len(tmps) != 0 {
		t.Errorf("%d temporary files left behind", len(tmps))
	}
}

func TestDirDetectsCorruption(t *testing.T) {
	ctx := context.Background()
	d, err := OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	sha, _, err := d.Put(ctx, strings.NewReader("original bytes"))
	if err != nil {
		t.Fatal(err)
	}
	p := d.Path(sha)
	if err := os.Chmod(p, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte("original bytez"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = d.Get(ctx, sha)
	var hm *HashMismatchError
	if !errors.As(err, &hm) || hm.Want != sha || hm.Got != shaOf([]byte("original bytez")) {
		t.Fatalf("Get of corrupted blob: %v, want HashMismatchError", err)
	}
	// A truncated file is caught the same way.
	if err := os.WriteFile(p, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Get(ctx, sha); !errors.As(err, &hm) {
		t.Fatalf("Get of truncated blob: %v", err)
	}
}

func TestDirMissingAndBadHash(t *testing.T) {
	ctx := context.Background()
	d, _ := OpenDir(t.TempDir())
	missing := shaOf([]byte("never stored"))
	if _, err := d.Get(ctx, missing); homeward.ErrorCode(err) != homeward.ENOTFOUND {
		t.Errorf("Get missing: %v", err)
	}
	if ok, err := d.Exists(ctx, missing); ok || err != nil {
		t.Errorf("Exists missing = %v, %v", ok, err)
	}
	for _, bad := range []string{"", "../../etc/passwd", strings.Repeat("A", 64), strings.Repeat("a", 63)} {
		if _, err := d.Get(ctx, bad); homeward.ErrorCode(err) != homeward.EINVALID {
			t.Errorf("Get(%q): %v, want invalid", bad, err)
		}
	}
}

func TestOpenRejects(t *testing.T) {
	for _, u := range []string{"", "http://x/y", "file://host/x", "s3://", "s3://b/p?endpont=x", "s3://k:s@b/p", "s3://b?insecure=maybe"} {
		if _, err := Open(context.Background(), u); err == nil {
			t.Errorf("Open(%q) accepted", u)
		}
	}
}

func TestParseS3URL(t *testing.T) {
	tests := []struct {
		in   string
		want S3Config
	}{
		{"s3://evidence", S3Config{Bucket: "evidence", Endpoint: "s3.amazonaws.com", Region: "us-east-1"}},
		{"s3://evidence/homeward/blobs/?region=ap-northeast-2", S3Config{Bucket: "evidence", Prefix: "homeward/blobs", Endpoint: "s3.amazonaws.com", Region: "ap-northeast-2"}},
		{"s3://ev/p?endpoint=127.0.0.1:9000&insecure=1&path_style=true", S3Config{Bucket: "ev", Prefix: "p", Endpoint: "127.0.0.1:9000", Region: "us-east-1", Insecure: true, PathStyle: true}},
	}
	for _, tt := range tests {
		got, err := ParseS3URL(tt.in)
		if err != nil {
			t.Errorf("%s: %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.in, got, tt.want)
		}
	}
}

// recorder captures the requests the S3 client builds. It is not an S3 server: it answers HEAD
// with 404 (absent) and PUT with 200 so that the client goes on to its next request, and the
// test checks what was sent. The S3 store itself is exercised against MinIO/AWS in deployment.
type recorder struct {
	mu   sync.Mutex
	reqs []*http.Request
	body [][]byte
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	var b []byte
	if req.Body != nil {
		b, _ = io.ReadAll(req.Body)
	}
	r.mu.Lock()
	r.reqs = append(r.reqs, req)
	r.body = append(r.body, b)
	r.mu.Unlock()
	status := http.StatusOK
	if req.Method == http.MethodHead {
		status = http.StatusNotFound
	}
	h := http.Header{}
	h.Set("ETag", `"0"`)
	return &http.Response{StatusCode: status, Header: h, Body: io.NopCloser(strings.NewReader("")), Request: req}, nil
}

func TestS3Requests(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	cfg, err := ParseS3URL("s3://evidence/hw?endpoint=minio.test:9000&insecure=1&region=us-east-1&path_style=1")
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	s, err := openS3(cfg, rec)
	if err != nil {
		t.Fatal(err)
	}
	content := []byte("container opening photo")
	sha := shaOf(content)
	if s.Key(sha) != "hw/"+sha[:2]+"/"+sha {
		t.Fatalf("Key = %s", s.Key(sha))
	}
	got, size, err := s.Put(context.Background(), bytes.NewReader(content))
	if err != nil {
		t.Fatal(err)
	}
	if got != sha || size != int64(len(content)) {
		t.Fatalf("Put = %s %d", got, size)
	}
	if len(rec.reqs) != 2 {
		t.Fatalf("%d requests, want HEAD then PUT", len(rec.reqs))
	}
	head, put := rec.reqs[0], rec.reqs[1]
	wantURL := "http://minio.test:9000/evidence/hw/" + sha[:2] + "/" + sha
	for i, r := range []*http.Request{head, put} {
		if r.URL.String() != wantURL {
			t.Errorf("request %d URL %s, want %s", i, r.URL, wantURL)
		}
		auth := r.Header.Get("Authorization")
		if !strings.HasPrefix(auth, "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/") || !strings.Contains(auth, "/us-east-1/s3/aws4_request") {
			t.Errorf("request %d Authorization %q is not a SigV4 signature for us-east-1", i, auth)
		}
	}
	if head.Method != http.MethodHead || put.Method != http.MethodPut {
		t.Errorf("methods %s, %s", head.Method, put.Method)
	}
	if put.Header.Get("X-Amz-Meta-Sha256") != sha {
		t.Errorf("PUT metadata sha256 = %q", put.Header.Get("X-Amz-Meta-Sha256"))
	}
	if !bytes.Contains(rec.body[1], content) {
		t.Errorf("PUT body does not carry the content")
	}
	if _, err := s.Get(context.Background(), sha); homeward.ErrorCode(err) != homeward.ENOTFOUND {
		t.Errorf("Get after 404 HEAD: %v, want not found", err)
	}
}

func TestVerifyingReader(t *testing.T) {
	good := []byte("abc")
	r := newVerifyingReader(io.NopCloser(bytes.NewReader(good)), shaOf(good))
	if _, err := io.ReadAll(r); err != nil {
		t.Fatalf("intact content: %v", err)
	}
	r = newVerifyingReader(io.NopCloser(bytes.NewReader([]byte("abd"))), shaOf(good))
	var hm *HashMismatchError
	if _, err := io.ReadAll(r); !errors.As(err, &hm) {
		t.Fatalf("altered content: %v", err)
	}
}

func testImage(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 0x80, 0xff})
		}
	}
	return img
}

func TestThumbnail(t *testing.T) {
	src := testImage(400, 200)
	encoders := map[string]func(io.Writer, image.Image) error{
		"png":  func(w io.Writer, m image.Image) error { return png.Encode(w, m) },
		"jpeg": func(w io.Writer, m image.Image) error { return jpeg.Encode(w, m, nil) },
		"gif":  func(w io.Writer, m image.Image) error { return gif.Encode(w, m, nil) },
	}
	for name, enc := range encoders {
		var buf bytes.Buffer
		if err := enc(&buf, src); err != nil {
			t.Fatal(err)
		}
		out, mt, err := Thumbnail(&buf, 100)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if mt != "image/jpeg" {
			t.Errorf("%s: media type %s", name, mt)
		}
		img, err := jpeg.Decode(bytes.NewReader(out))
		if err != nil {
			t.Fatalf("%s: output is not JPEG: %v", name, err)
		}
		if b := img.Bounds(); b.Dx() != 100 || b.Dy() != 50 {
			t.Errorf("%s: thumbnail %dx%d, want 100x50", name, b.Dx(), b.Dy())
		}
	}
	// Small images keep their size; tall ones are bounded by their height.
	var buf bytes.Buffer
	png.Encode(&buf, testImage(30, 90))
	out, _, err := Thumbnail(bytes.NewReader(buf.Bytes()), 45)
	if err != nil {
		t.Fatal(err)
	}
	img, _ := jpeg.Decode(bytes.NewReader(out))
	if b := img.Bounds(); b.Dx() != 15 || b.Dy() != 45 {
		t.Errorf("tall thumbnail %dx%d, want 15x45", b.Dx(), b.Dy())
	}
	if _, _, err := Thumbnail(strings.NewReader("not an image"), 100); homeward.ErrorCode(err) != homeward.EINVALID {
		t.Errorf("non-image: %v", err)
	}
	if _, _, err := Thumbnail(bytes.NewReader(buf.Bytes()), 0); err == nil {
		t.Error("maxSide 0 accepted")
	}
}

func TestDownscaleAverages(t *testing.T) {
	// A 2x2 checkerboard of black and white averages to mid grey.
	src := image.NewRGBA(image.Rect(0, 0, 2, 2))
	src.Set(0, 0, color.White)
	src.Set(1, 1, color.White)
	src.Set(1, 0, color.Black)
	src.Set(0, 1, color.Black)
	dst := downscale(src, 1)
	c := dst.RGBAAt(0, 0)
	if c.R < 126 || c.R > 128 || c.R != c.G || c.G != c.B {
		t.Errorf("average of checkerboard = %v, want grey ~127", c)
	}
	// Transparent pixels become white.
	tr := image.NewNRGBA(image.Rect(0, 0, 1, 1))
	if c := downscale(tr, 10).RGBAAt(0, 0); c != (color.RGBA{255, 255, 255, 255}) {
		t.Errorf("transparent pixel = %v, want white", c)
	}
}

func FuzzThumbnail(f *testing.F) {
	var buf bytes.Buffer
	png.Encode(&buf, testImage(8, 8))
	f.Add(buf.Bytes())
	f.Add([]byte("GIF89a"))
	f.Fuzz(func(t *testing.T, data []byte) {
		out, _, err := Thumbnail(bytes.NewReader(data), 16)
		if err == nil {
			if _, err := jpeg.Decode(bytes.NewReader(out)); err != nil {
				t.Fatalf("accepted input gave invalid JPEG: %v", err)
			}
		}
	})
}

func FuzzParseS3URL(f *testing.F) {
	f.Add("s3://b/p?endpoint=h:1&region=r&insecure=1")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseS3URL(s)
		if err == nil && c.Bucket == "" {
			t.Fatalf("accepted %q without a bucket", s)
		}
	})
}
