package web

import (
	"bytes"
	"fmt"
	"net/http"
	"time"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/idreport"
)

func (h *Handler) identifications(w http.ResponseWriter, r *http.Request, u *homeward.User) {
	l, err := h.cfg.Idents.ListIdentifications(r.Context(), homeward.IdentStatus(r.URL.Query().Get("status")), homeward.Page{Limit: 200})
	if err != nil {
		h.fail(w, u, err)
		return
	}
	h.render(w, http.StatusOK, "identifications", page{Title: "Identifications", User: u, Data: l})
}

type identData struct {
	X         *homeward.Identification
	Person    *homeward.MissingPerson
	Report    *idreport.Report // evidence lines, DNA lines recomputed marker by marker, warnings
	CanReview bool
	StageName string
}

func (h *Handler) gatherReport(r *http.Request, u *homeward.User) (*idreport.Report, error) {
	id, err := pathInt(r, "id")
	if err != nil {
		return nil, err
	}
	src := idreport.Sources{Registry: h.cfg.Registry, Containers: h.cfg.Containers, DNA: h.cfg.DNA, Idents: h.cfg.Idents, Family: h.cfg.Families}
	return idreport.Gather(r.Context(), src, id, u.Username, time.Now())
}

// identReport serves the identification report as a PDF.
func (h *Handler) identReport(w http.ResponseWriter, r *http.Request, u *homeward.User) {
	rep, err := h.gatherReport(r, u)
	if err != nil {
		h.fail(w, u, err)
		return
	}
	var buf bytes.Buffer
	if err := rep.Write(&buf, "pdf"); err != nil {
		h.fail(w, u, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`inline; filename="identification-%d.pdf"`, rep.Identification.ID))
	w.Write(buf.Bytes())
}

// identSummary shows the plain-language summary for the family, printable.
func (h *Handler) identSummary(w http.ResponseWriter, r *http.Request, u *homeward.User) {
	rep, err := h.gatherReport(r, u)
	if err != nil {
		h.fail(w, u, err)
		return
	}
	h.render(w, http.StatusOK, "summary", page{Title: "For the family of " + idreport.Name(rep.Person), User: u, Data: rep})
}

func (h *Handler) identData(r *http.Request, u *homeward.User) (*identData, error) {
	rep, err := h.gatherReport(r, u)
	if err != nil {
		return nil, err
	}
	x := rep.Identification
	d := &identData{X: x, Person: rep.Person, Report: rep, CanReview: homeward.Require(r.Context(), homeward.PermReview) == nil && x.Status == homeward.IdentInReview}
	if x.Status == homeward.IdentInReview {
		d.StageName = x.Stages[x.Stage]
	}
	return d, nil
}

func (h *Handler) identification(w http.ResponseWriter, r *http.Request, u *homeward.User) {
	d, err := h.identData(r, u)
	if err != nil {
		h.fail(w, u, err)
		return
	}
	h.render(w, http.StatusOK, "identification", page{Title: "Identification " + r.PathValue("id"), User: u, Flash: r.URL.Query().Get("flash"), Data: d})
}

func (h *Handler) review(w http.ResponseWriter, r *http.Request, u *homeward.User) {
	id, err := pathInt(r, "id")
	if err != nil {
		h.fail(w, u, err)
		return
	}
	x, err := h.cfg.Idents.Review(r.Context(), id, homeward.ReviewDecision(r.FormValue("decision")), r.FormValue("comment"))
	if err != nil {
		d, derr := h.identData(r, u)
		if derr != nil {
			h.fail(w, u, err)
			return
		}
		h.render(w, http.StatusBadRequest, "identification", page{Title: "Identification", User: u, Error: homeward.ErrorMessage(err), Data: d})
		return
	}
	http.Redirect(w, r, "/identifications/"+r.PathValue("id")+"?flash=Now+"+string(x.Status), http.StatusSeeOther)
}
