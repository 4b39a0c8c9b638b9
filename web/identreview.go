package web

import (
	"fmt"
	"net/http"
	"time"

	"github.com/homeward/homeward"
)

// confirmation restates what a decision will change before it is taken.
type confirmation struct {
	Action   string // the form's address
	Decision string // approve, return or withdraw
	Comment  string
	Changes  []sentence
	Button   string
}

// review takes a reviewer's decision in two steps: the first post shows what the decision will
// change (the stage it moves to, or, at the last stage, the person accounted for and the remains
// identified); the confirmation posts it again with confirm=yes.
func (h *Handler) review(w http.ResponseWriter, r *http.Request, u *homeward.User) {
	id, err := pathInt(r, "id")
	if err != nil {
		h.fail(w, u, err)
		return
	}
	decision, comment := r.FormValue("decision"), r.FormValue("comment")
	if r.FormValue("confirm") != "yes" {
		h.identPage(w, r, u, http.StatusOK, func(d *identData) { d.Confirm = reviewConfirmation(d, decision, comment) })
		return
	}
	x, err := h.cfg.Idents.Review(r.Context(), id, homeward.ReviewDecision(decision), comment)
	if err != nil {
		h.identPage(w, r, u, http.StatusUnprocessableEntity, func(d *identData) { d.Problem = refusal(err) })
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/identifications/%d?flash=Now+%s", id, x.Status), http.StatusSeeOther)
}

func reviewConfirmation(d *identData, decision, comment string) *confirmation {
	c := &confirmation{Action: fmt.Sprintf("/identifications/%d/review", d.X.ID), Decision: decision, Comment: comment}
	x := d.X
	switch {
	case decision == string(homeward.DecisionReturn):
		c.Button = "Confirm: return to the author"
		c.Changes = []sentence{say("The identification goes back to its author, %s, with your comment; nothing else changes.", x.Author)}
	case x.Stage+1 < len(x.Stages):
		c.Button = "Confirm: approve this stage"
		c.Changes = []sentence{say("Stage %s is approved by you; the identification moves to stage %s, for another reviewer.", x.CurrentStage(), x.Stages[x.Stage+1])}
	default:
		c.Button = "Confirm: final approval"
		c.Changes = finalChanges(d)
	}
	return c
}

// finalChanges says what the last approval does to the records.
func finalChanges(d *identData) []sentence {
	out := []sentence{say("This is the last stage: the identification becomes approved.")}
	if d.Person != nil {
		out = append(out, say("%s (%s) becomes accounted for.", homeward.ListName(d.Person.FamilyName, d.Person.GivenNames), d.Person.ServiceNumber))
	}
	for _, s := range d.Report.Remains {
		if s.Sample != "" {
			out = append(out, say("The DNA sample %s is marked identified as this person.", s.Sample))
		}
	}
	return append(out, say("The family can then be notified, and the report given to them."))
}

// withdraw undoes an approved identification (administrators), after a confirmation that says
// what it restores.
func (h *Handler) withdraw(w http.ResponseWriter, r *http.Request, u *homeward.User) {
	id, err := pathInt(r, "id")
	if err != nil {
		h.fail(w, u, err)
		return
	}
	reason := r.FormValue("comment")
	if r.FormValue("confirm") != "yes" {
		h.identPage(w, r, u, http.StatusOK, func(d *identData) {
			d.Confirm = &confirmation{Action: fmt.Sprintf("/identifications/%d/withdraw", id), Decision: "withdraw", Comment: reason,
				Button: "Confirm: withdraw", Changes: withdrawChanges(d)}
		})
		return
	}
	if _, err := h.cfg.Idents.Withdraw(r.Context(), id, reason); err != nil {
		h.identPage(w, r, u, http.StatusUnprocessableEntity, func(d *identData) { d.Problem = refusal(err) })
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/identifications/%d?flash=Withdrawn", id), http.StatusSeeOther)
}

func withdrawChanges(d *identData) []sentence {
	out := []sentence{say("The identification becomes withdrawn, with your reason in its history.")}
	if d.Person != nil {
		out = append(out, say("%s goes back to unaccounted for.", homeward.ListName(d.Person.FamilyName, d.Person.GivenNames)))
	}
	return append(out, say("Its DNA samples are no longer marked identified; notifications already recorded stay on record."))
}

var notifyFields = []string{"family_member_id", "method", "at", "notes"}

// notify records that a relative was told of the approved identification.
func (h *Handler) notify(w http.ResponseWriter, r *http.Request, u *homeward.User) {
	id, err := pathInt(r, "id")
	if err != nil {
		h.fail(w, u, err)
		return
	}
	f := readForm(r, notifyFields...)
	n := &homeward.Notification{IdentificationID: id, Method: homeward.NotificationMethod(f.Values["method"]), Notes: f.Values["notes"], At: time.Now().UTC()}
	n.FamilyMemberID, err = formInt(f, "family_member_id")
	if err == nil && f.Values["at"] != "" {
		n.At, err = time.ParseInLocation("2006-01-02T15:04", f.Values["at"], time.UTC)
		if err != nil {
			err = homeward.FieldErrorf("at", "%q is not a date and time", f.Values["at"])
		}
	}
	if err == nil {
		err = h.cfg.Families.AddNotification(r.Context(), n)
	}
	if err != nil {
		f.refuse(err)
		h.identPage(w, r, u, http.StatusUnprocessableEntity, func(d *identData) { d.Notify = f })
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/identifications/%d?flash=Notification+recorded", id), http.StatusSeeOther)
}

var dispositionFields = []string{"kind", "place", "date", "effects_returned", "effects_note", "notes"}

// dispose records (or replaces) what became of the remains.
func (h *Handler) dispose(w http.ResponseWriter, r *http.Request, u *homeward.User) {
	id, err := pathInt(r, "id")
	if err != nil {
		h.fail(w, u, err)
		return
	}
	f := readForm(r, dispositionFields...)
	dp := &homeward.Disposition{IdentificationID: id, Kind: homeward.DispositionKind(f.Values["kind"]), Place: f.Values["place"],
		Date: homeward.Date(f.Values["date"]), EffectsReturned: f.Values["effects_returned"] == "yes", EffectsNote: f.Values["effects_note"], Notes: f.Values["notes"]}
	if old, err := h.cfg.Families.GetDisposition(r.Context(), id); err == nil {
		dp.ID, dp.Version = old.ID, old.Version // a replacement of what is recorded
	}
	if err := h.cfg.Families.SetDisposition(r.Context(), dp); err != nil {
		f.refuse(err)
		h.identPage(w, r, u, http.StatusUnprocessableEntity, func(d *identData) { d.Dispose = f })
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/identifications/%d?flash=Disposition+recorded", id), http.StatusSeeOther)
}
