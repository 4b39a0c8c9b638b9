package httpapi

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/blob"
	"github.com/homeward/homeward/csvio"
)

// maxUpload bounds imports and evidence uploads.
const maxUpload = 64 << 20

func (s *Server) importCSV(w http.ResponseWriter, r *http.Request) error {
	body := http.MaxBytesReader(w, r.Body, maxUpload)
	rep, err := csvio.Import(r.Context(), r.PathValue("kind"), body, s.cfg.Registry, s.cfg.Imports)
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if len(rep.Rejected) > 0 {
		status = http.StatusUnprocessableEntity
	}
	return writeJSON(w, status, rep)
}

func (s *Server) export(w http.ResponseWriter, r *http.Request) error {
	format := r.URL.Query().Get("format")
	if format == "" {
		format = "csv"
	}
	ct := "text/csv; charset=utf-8"
	if format == "json" {
		ct = "application/json"
	}
	// Streamed: headers go out with the first bytes, so an error before them is an ordinary error
	// answer; one after them cuts the connection, and the client sees a truncated download rather
	// than a complete-looking one.
	out := &firstWrite{w: w, start: func() {
		w.Header().Set("Content-Type", ct)
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.%s"`, r.PathValue("kind"), format))
	}}
	err := csvio.Export(r.Context(), r.PathValue("kind"), format, out, s.cfg.Registry)
	if err != nil && out.started {
		s.cfg.Logger.Error("export failed after it began", "kind", r.PathValue("kind"), "err", err)
		panic(http.ErrAbortHandler)
	}
	return err
}

// firstWrite calls start before the first byte is written.
type firstWrite struct {
	w       io.Writer
	start   func()
	started bool
}

func (f *firstWrite) Write(p []byte) (int, error) {
	if !f.started {
		f.started = true
		f.start()
	}
	return f.w.Write(p)
}

func (s *Server) upload(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxUpload)
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		return homeward.FieldErrorf("attachment", "expected a multipart form with a file: %v", err)
	}
	f, hdr, err := r.FormFile("file")
	if err != nil {
		return homeward.FieldErrorf("attachment.file", "is required")
	}
	defer f.Close()
	id, err := strconv.ParseInt(r.FormValue("subject_id"), 10, 64)
	if err != nil {
		return homeward.FieldErrorf("attachment.subject_id", "%q is not a record id", r.FormValue("subject_id"))
	}
	a := &homeward.Attachment{Kind: r.FormValue("kind"), Filename: hdr.Filename, Caption: r.FormValue("caption"),
		MediaType: hdr.Header.Get("Content-Type"), Subject: homeward.Subject{Type: r.FormValue("subject_type"), ID: id}}
	if err := blob.Attach(r.Context(), s.cfg.Blob, s.cfg.Evidence, s.cfg.Thumbnail, a, f); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, a)
}

func (s *Server) download(w http.ResponseWriter, r *http.Request) error {
	sha := strings.ToLower(r.PathValue("sha"))
	if len(sha) != 64 || strings.Trim(sha, "0123456789abcdef") != "" {
		return homeward.FieldErrorf("sha", "%q is not a SHA-256", sha)
	}
	rc, err := s.cfg.Blob.Get(r.Context(), sha)
	if err != nil {
		return err
	}
	defer rc.Close()
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Cache-Control", "private, max-age=31536000, immutable")
	_, err = io.Copy(w, rc)
	return err
}
