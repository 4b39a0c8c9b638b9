package web

import (
	"fmt"
	"net/http"
	"time"

	"github.com/homeward/homeward"
)

var proposeFields = []string{"missing_person_id", "profile_id", "summary", "population", "candidates", "basis"}

// proposeData is the page that proposes an identification: the form, and the person and remains
// it names (when the ids are known).
type proposeData struct {
	Form    postedForm
	Person  *homeward.MissingPerson
	Profile *homeward.Profile
}

// newIdentification shows the form, filled from the link that led here (a candidate's).
func (h *Handler) newIdentification(w http.ResponseWriter, r *http.Request, u *homeward.User) {
	d := &proposeData{Form: readForm(r, proposeFields...)}
	if d.Form.Values["population"] == "" {
		d.Form.Values["population"] = "closed"
	}
	h.fillPropose(r, d)
	h.render(w, http.StatusOK, "propose", page{Title: "Propose an identification", User: u, Data: d})
}

func (h *Handler) fillPropose(r *http.Request, d *proposeData) {
	if id, err := formInt(d.Form, "missing_person_id"); err == nil && id > 0 {
		d.Person, _ = h.cfg.Registry.GetMissingPerson(r.Context(), id)
	}
	if id, err := formInt(d.Form, "profile_id"); err == nil && id > 0 {
		d.Profile, _ = h.cfg.DNA.GetProfile(r.Context(), id)
	}
}

// proposeIdentification creates the draft (the signed-in user its author) and goes to its page.
func (h *Handler) proposeIdentification(w http.ResponseWriter, r *http.Request, u *homeward.User) {
	d := &proposeData{Form: readForm(r, proposeFields...)}
	x, err := d.Form.identification()
	if err == nil {
		err = h.cfg.Idents.CreateIdentification(r.Context(), x)
	}
	if err != nil {
		d.Form.refuse(err)
		h.fillPropose(r, d)
		h.render(w, http.StatusUnprocessableEntity, "propose", page{Title: "Propose an identification", User: u, Data: d})
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/identifications/%d?flash=Draft+created", x.ID), http.StatusSeeOther)
}

// identification makes the draft the proposal form describes.
func (f postedForm) identification() (*homeward.Identification, error) {
	mp, err := formInt(f, "missing_person_id")
	if err != nil {
		return nil, err
	}
	pid, err := formInt(f, "profile_id")
	if err != nil {
		return nil, err
	}
	x := &homeward.Identification{MissingPersonID: mp, Summary: f.Values["summary"]}
	if pid > 0 {
		x.ProfileIDs = []int64{pid}
	}
	if f.Values["population"] != "" {
		n, err := formInt(f, "candidates")
		if err != nil {
			return nil, err
		}
		x.Prior = &homeward.PriorStatement{Population: f.Values["population"], Candidates: int(n), Basis: f.Values["basis"]}
	}
	return x, nil
}

var evidenceFields = []string{"kind", "conclusion", "summary", "lr", "date", "input_profile", "input_family"}

// addEvidence records an evidence line from the identification page's form (the signed-in user
// is its analyst).
func (h *Handler) addEvidence(w http.ResponseWriter, r *http.Request, u *homeward.User) {
	id, err := pathInt(r, "id")
	if err != nil {
		h.fail(w, u, err)
		return
	}
	f := readForm(r, evidenceFields...)
	e, err := f.evidence(id)
	if err == nil {
		err = h.cfg.Idents.AddEvidence(r.Context(), e)
	}
	if err != nil {
		f.refuse(err)
		h.identPage(w, r, u, http.StatusUnprocessableEntity, func(d *identData) { d.Evidence = f })
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/identifications/%d?flash=Evidence+recorded", id), http.StatusSeeOther)
}

func (f postedForm) evidence(id int64) (*homeward.EvidenceLine, error) {
	e := &homeward.EvidenceLine{IdentificationID: id, Kind: homeward.EvidenceKind(f.Values["kind"]),
		Conclusion: homeward.EvidenceConclusion(f.Values["conclusion"]), Summary: f.Values["summary"], Date: homeward.Date(f.Values["date"])}
	var err error
	if e.LR, err = formFloat(f, "lr"); err != nil {
		return nil, err
	}
	for _, in := range []struct{ field, kind string }{{"input_profile", "profile"}, {"input_family", "reference_family"}} {
		n, err := formInt(f, in.field)
		if err != nil {
			return nil, err
		}
		if n > 0 {
			e.Inputs = append(e.Inputs, homeward.InputRef{Kind: in.kind, ID: n})
		}
	}
	return e, nil
}

// submitIdentification sends the author's draft to review.
func (h *Handler) submitIdentification(w http.ResponseWriter, r *http.Request, u *homeward.User) {
	id, err := pathInt(r, "id")
	if err != nil {
		h.fail(w, u, err)
		return
	}
	x, err := h.cfg.Idents.Submit(r.Context(), id, r.FormValue("comment"))
	if err != nil {
		h.identPage(w, r, u, http.StatusUnprocessableEntity, func(d *identData) { d.Problem = refusal(err) })
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/identifications/%d?flash=Submitted+to+%s", id, x.CurrentStage()), http.StatusSeeOther)
}

// identPage renders the identification page with a change (a form's refusal) applied.
func (h *Handler) identPage(w http.ResponseWriter, r *http.Request, u *homeward.User, status int, change func(*identData)) {
	d, err := h.identData(r, u)
	if err != nil {
		h.fail(w, u, err)
		return
	}
	change(d)
	h.render(w, status, "identification", page{Title: "Identification", Subject: r.PathValue("id"), User: u, Data: d})
}

// today is the date a form proposes for what happened today.
func today() string { return time.Now().UTC().Format("2006-01-02") }
