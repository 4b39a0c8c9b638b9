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
	view, err := newListView(r, "/identifications", "-number", listPage, "status")
	d := identListData{View: view, Status: view.Params.Get("status"), Statuses: homeward.IdentStatuses}
	if err == nil {
		d.List, err = h.cfg.Idents.ListIdentifications(r.Context(), homeward.IdentificationFilter{Status: homeward.IdentStatus(d.Status),
			Sort: view.Sort(), Page: homeward.Page{Limit: listPage, Offset: view.Offset}})
	}
	if err != nil {
		h.fail(w, u, err)
		return
	}
	d.View.Total, d.View.Shown = d.List.Total, len(d.List.Items)
	h.render(w, http.StatusOK, "identifications", page{Title: "Identifications", User: u, Data: d})
}

// identListData is a page of the list of identifications (newest first unless sorted), of one
// status or all.
type identListData struct {
	List     homeward.List[homeward.Identification]
	View     listView
	Status   string
	Statuses []homeward.IdentStatus
}

type identData struct {
	X         *homeward.Identification
	Person    *homeward.MissingPerson
	Report    *idreport.Report // evidence lines, DNA lines recomputed marker by marker, warnings
	CanReview bool
	StageName string
	// What the signed-in user may do here, and the forms for it (with a refusal's messages).
	CanEvidence, CanSubmit, CanWithdraw, CanFamily bool
	Evidence, Notify, Dispose                      postedForm
	Family                                         []homeward.FamilyMember
	EvidenceKinds                                  []homeward.EvidenceKind
	Conclusions                                    []homeward.EvidenceConclusion
	Methods                                        []homeward.NotificationMethod
	Dispositions                                   []homeward.DispositionKind
	Today                                          string
	Confirm                                        *confirmation // a decision restated before it is taken
	Problem                                        *sentence     // a refused decision
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
	if pw, ok := w.(*pageWriter); ok {
		rep.Lang = pw.lang.String() // the report in the page's language
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
	h.render(w, http.StatusOK, "summary", page{Title: "For the family of", Subject: idreport.Name(rep.Person), User: u, Data: rep})
}

func (h *Handler) identData(r *http.Request, u *homeward.User) (*identData, error) {
	rep, err := h.gatherReport(r, u)
	if err != nil {
		return nil, err
	}
	x := rep.Identification
	ctx := r.Context()
	d := &identData{X: x, Person: rep.Person, Report: rep, CanReview: homeward.Require(ctx, homeward.PermReview) == nil && x.Status == homeward.IdentInReview,
		EvidenceKinds: homeward.EvidenceKinds, Conclusions: homeward.EvidenceConclusions, Methods: homeward.NotificationMethods,
		Dispositions: homeward.DispositionKinds, Today: today()}
	d.StageName = x.CurrentStage()
	open := x.Status == homeward.IdentDraft || x.Status == homeward.IdentReturned
	d.CanEvidence = open && homeward.Require(ctx, homeward.PermIdentify) == nil
	d.CanSubmit = open && x.Author == u.Username
	approved := x.Status == homeward.IdentApproved
	d.CanWithdraw = approved && homeward.Require(ctx, homeward.PermWithdraw) == nil
	d.CanFamily = approved && homeward.Require(ctx, homeward.PermFamilyWrite) == nil
	if d.CanFamily {
		if l, err := h.cfg.Registry.ListFamilyMembers(ctx, x.MissingPersonID, homeward.Page{Limit: 200}); err == nil {
			d.Family = l.Items
		}
	}
	for _, f := range []*postedForm{&d.Evidence, &d.Notify, &d.Dispose} {
		f.Values = map[string]string{}
	}
	return d, nil
}

func (h *Handler) identification(w http.ResponseWriter, r *http.Request, u *homeward.User) {
	d, err := h.identData(r, u)
	if err != nil {
		h.fail(w, u, err)
		return
	}
	h.render(w, http.StatusOK, "identification", page{Title: "Identification", Subject: r.PathValue("id"), User: u, Flash: r.URL.Query().Get("flash"), Data: d})
}
