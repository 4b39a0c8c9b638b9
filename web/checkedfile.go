package web

import (
	"bytes"
	"io"
	"net/http"

	"github.com/homeward/homeward"
)

// checkedFile is the file of a form that reads a file first (a dry run) and then commits it: the
// commit stores exactly the file that was read, found by its SHA-256 in the store of evidence
// content, never a second upload.
type checkedFile struct {
	Name, SHA256 string
	Content      []byte
}

// readCheckedFile is the form's file: on a commit the one kept when it was read (the sha256 and
// file_name fields), else the one uploaded now, kept by its SHA-256 for the commit; missing is the
// refusal when no file was chosen. The status says what a refusal is.
func (h *Handler) readCheckedFile(r *http.Request, commit bool, missing string) (checkedFile, int, error) {
	ctx := r.Context()
	var f checkedFile
	if commit {
		f.SHA256, f.Name = r.FormValue("sha256"), r.FormValue("file_name")
		if !sha256RE.MatchString(f.SHA256) {
			return f, http.StatusBadRequest, homeward.FieldErrorf("sha256", "%q is not a checked file", f.SHA256)
		}
		rc, err := h.cfg.Blob.Get(ctx, f.SHA256)
		if err != nil {
			return f, http.StatusNotFound, err
		}
		defer rc.Close()
		if f.Content, err = io.ReadAll(rc); err != nil {
			return f, http.StatusInternalServerError, err
		}
		return f, http.StatusOK, nil
	}
	up, fh, err := r.FormFile("file")
	if err != nil {
		return f, http.StatusOK, homeward.FieldErrorf("file", "%s", missing)
	}
	defer up.Close()
	if f.Content, err = io.ReadAll(up); err != nil {
		return f, http.StatusBadRequest, homeward.FieldErrorf("file", "%v", err)
	}
	f.Name = fh.Filename
	if f.SHA256, _, err = h.cfg.Blob.Put(ctx, bytes.NewReader(f.Content)); err != nil {
		return f, http.StatusInternalServerError, err
	}
	return f, http.StatusOK, nil
}
