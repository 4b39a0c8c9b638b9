package web

import (
	"bytes"
	"errors"
	"net/http"
	"regexp"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/profileimport"
)

// maxGenotypeFile bounds a genotype file uploaded through the page (a plate's export is far less).
const maxGenotypeFile = 32 << 20

// dnaImportData is the genotype import page: the form, and after a reading its report, with the
// file kept by its SHA-256 (in the store of evidence content) so that the commit imports exactly
// the file that was checked.
type dnaImportData struct {
	Formats       []string
	Roles         []homeward.ProfileRole
	Format, Role  string
	File          string // the uploaded file's name
	SHA256        string
	Report        *homeward.ProfileImportReport
	Committed     bool
	AcceptPartial bool
	Message       *sentence
}

func (h *Handler) dnaImportPage(w http.ResponseWriter, r *http.Request, u *homeward.User) {
	if err := homeward.Require(r.Context(), homeward.PermDNAWrite); err != nil {
		h.fail(w, u, err)
		return
	}
	d := &dnaImportData{Formats: profileimport.Formats, Roles: homeward.ProfileRoles, Format: "genemapper", Role: string(homeward.ProfileVictim)}
	h.render(w, http.StatusOK, "dnaimport", page{Title: "Import genotypes", User: u, Data: d})
}

var sha256RE = regexp.MustCompile(`^[0-9a-f]{64}$`)

// dnaImport reads a genotype file: a dry run on upload (the file kept, the report shown), the
// import itself when the checked file's commit is asked for, all or nothing as in the API.
func (h *Handler) dnaImport(w http.ResponseWriter, r *http.Request, u *homeward.User) {
	d := &dnaImportData{Formats: profileimport.Formats, Roles: homeward.ProfileRoles}
	status, err := h.readGenotypes(w, r, d)
	if err != nil {
		d.Message = refusal(err)
		if status == http.StatusOK {
			status = http.StatusUnprocessableEntity
		}
	}
	h.render(w, status, "dnaimport", page{Title: "Import genotypes", User: u, Data: d})
}

func (h *Handler) readGenotypes(w http.ResponseWriter, r *http.Request, d *dnaImportData) (int, error) {
	ctx := r.Context()
	if h.cfg.Blob == nil {
		return http.StatusServiceUnavailable, homeward.Errorf(homeward.EUNAVAILABLE, "this server keeps no files")
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxGenotypeFile)
	if err := r.ParseMultipartForm(8 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		return http.StatusRequestEntityTooLarge, homeward.FieldErrorf("file", "the file could not be read: %v", err)
	}
	d.Format, d.Role, d.AcceptPartial = r.FormValue("format"), r.FormValue("role"), r.FormValue("accept_partial") == "yes"
	commit := r.FormValue("commit") == "yes"
	file, status, err := h.readCheckedFile(r, commit, "choose the laboratory's file")
	d.SHA256, d.File = file.SHA256, file.Name
	if err != nil {
		return status, err
	}
	o := profileimport.Options{Format: d.Format, Role: homeward.ProfileRole(d.Role), File: d.File, DryRun: !commit, AcceptPartial: d.AcceptPartial}
	rep, err := profileimport.Import(ctx, h.cfg.DNA, bytes.NewReader(file.Content), o)
	d.Report, d.Committed = &rep, commit && err == nil
	if err == nil && !commit && len(rep.Rejected) > 0 && !d.AcceptPartial {
		// What the commit would refuse is said now, and no commit is offered.
		err = homeward.FieldErrorf("file", "%d row(s) rejected: committed, this file would store nothing. Fix the file, or read it again storing the samples whose rows were all accepted", len(rep.Rejected))
	}
	return http.StatusOK, err
}
