package web

import (
	"bytes"
	"errors"
	"net/http"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/frequencies"
)

// maxFrequencyFile bounds a frequency file uploaded through the page (STRidER's whole export is
// a few megabytes).
const maxFrequencyFile = 64 << 20

// freqData is the frequency databases page: every stored version, and the form that reads a file
// (a dry run: its markers shown, the file kept by SHA-256) and then stores exactly that file as the
// next version of its name.
type freqData struct {
	Stored    []homeward.FrequencyDB
	Formats   []string
	CanWrite  bool
	Form      postedForm
	SHA256    string
	File      string
	Read      *homeward.FrequencyDB // the file as read, before it is stored
	Version   int                   // the version it becomes
	Committed *homeward.FrequencyDB
}

var freqFields = []string{"format", "name", "source", "country", "min_freq"}

func (h *Handler) freqsData(r *http.Request, form postedForm) (*freqData, error) {
	l, err := h.cfg.DNA.ListFrequencyDBs(r.Context())
	if err != nil {
		return nil, err
	}
	return &freqData{Stored: l, Formats: frequencies.Formats, Form: form, CanWrite: homeward.Require(r.Context(), homeward.PermDNAWrite) == nil}, nil
}

// freqs lists the stored frequency databases, with the upload form for those who may add one.
func (h *Handler) freqs(w http.ResponseWriter, r *http.Request, u *homeward.User) {
	d, err := h.freqsData(r, postedForm{Values: map[string]string{"format": "csv"}})
	if err != nil {
		h.fail(w, u, err)
		return
	}
	h.render(w, http.StatusOK, "freqs", page{Title: "Frequency databases", User: u, Data: d})
}

// freqImport reads an uploaded frequency file (storing nothing) or, asked to commit, stores the
// file that was read, found by its SHA-256.
func (h *Handler) freqImport(w http.ResponseWriter, r *http.Request, u *homeward.User) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFrequencyFile)
	if err := r.ParseMultipartForm(8 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		h.fail(w, u, homeward.FieldErrorf("file", "the file could not be read: %v", err))
		return
	}
	d, err := h.freqsData(r, readForm(r, freqFields...))
	if err == nil {
		err = homeward.Require(r.Context(), homeward.PermDNAWrite)
	}
	if err != nil {
		h.fail(w, u, err)
		return
	}
	status := http.StatusOK
	if err := h.readFrequencies(r, d); err != nil {
		d.Form.refuse(err)
		status = http.StatusUnprocessableEntity
	}
	h.render(w, status, "freqs", page{Title: "Frequency databases", User: u, Data: d})
}

// readFrequencies does the reading or the commit of the page's form into d.
func (h *Handler) readFrequencies(r *http.Request, d *freqData) error {
	if h.cfg.Blob == nil {
		return homeward.Errorf(homeward.EUNAVAILABLE, "this server keeps no files")
	}
	v := d.Form.Values
	o := frequencies.Options{Format: v["format"], Name: v["name"], Source: v["source"], Country: v["country"]}
	if x, err := formFloat(d.Form, "min_freq"); err != nil {
		return err
	} else if x != nil {
		o.MinFreq = *x
	}
	file, _, err := h.readCheckedFile(r, r.FormValue("commit") == "yes", "choose the frequency file")
	d.SHA256, d.File = file.SHA256, file.Name
	if err != nil {
		return err
	}
	content := file.Content
	if r.FormValue("commit") == "yes" {
		d.Committed, err = frequencies.Import(r.Context(), h.cfg.DNA, bytes.NewReader(content), o)
		if err == nil {
			d.Stored, err = h.cfg.DNA.ListFrequencyDBs(r.Context())
		}
		return err
	}
	if d.Read, err = frequencies.Read(bytes.NewReader(content), o); err != nil {
		return err
	}
	d.Version = 1
	for _, s := range d.Stored {
		if s.Name == o.Name && s.Version >= d.Version {
			d.Version = s.Version + 1
		}
	}
	return nil
}
