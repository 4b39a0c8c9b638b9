package blob

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/homeward/homeward"
)

// Thumbnailer makes a JPEG thumbnail of an image (Thumbnail; nil: no thumbnails).
type Thumbnailer func(r io.Reader, maxSide int) ([]byte, string, error)

// Attach stores content as a record's attachment: the media type read from the content when the
// client gave none useful, the kind (photo for images, else document) when a is without one, the
// content kept by its SHA-256, a thumbnail of a photo, and the attachment record. The API's
// upload and the pages' forms both come here.
func Attach(ctx context.Context, bs homeward.BlobStore, ev homeward.EvidenceService, thumb Thumbnailer, a *homeward.Attachment, content io.ReadSeeker) error {
	if a.MediaType == "" || a.MediaType == "application/octet-stream" {
		head := make([]byte, 512)
		n, _ := io.ReadFull(content, head)
		a.MediaType = http.DetectContentType(head[:n])
		if _, err := content.Seek(0, io.SeekStart); err != nil {
			return fmt.Errorf("attach %s: %w", a.Filename, err)
		}
	}
	if a.Kind == "" {
		a.Kind = "document"
		if strings.HasPrefix(a.MediaType, "image/") {
			a.Kind = "photo"
		}
	}
	if err := a.Subject.Validate("attachment"); err != nil {
		return err
	}
	sha, size, err := bs.Put(ctx, content)
	if err != nil {
		return fmt.Errorf("attach %s: %w", a.Filename, err)
	}
	a.SHA256, a.Size = sha, size
	if a.Kind == "photo" && thumb != nil {
		a.Thumbnail = thumbnail(ctx, bs, thumb, sha)
	}
	return ev.CreateAttachment(ctx, a)
}

// thumbnail stores a thumbnail of the stored image sha and returns its hash ("" when the image
// cannot be read as one: the original is kept all the same).
func thumbnail(ctx context.Context, bs homeward.BlobStore, thumb Thumbnailer, sha string) string {
	rc, err := bs.Get(ctx, sha)
	if err != nil {
		return ""
	}
	defer rc.Close()
	small, _, err := thumb(rc, 256)
	if err != nil {
		return ""
	}
	tsha, _, err := bs.Put(ctx, bytes.NewReader(small))
	if err != nil {
		return ""
	}
	return tsha
}
