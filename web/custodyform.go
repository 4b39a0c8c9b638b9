package web

import (
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"time"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/blob"
)

// maxCustodyUpload bounds a custody form with its photos.
const maxCustodyUpload = 128 << 20

// custodyForm is the custody form's content: the values entered and, after a refusal, the message
// for each field (by the form's field name) and for the form as a whole, so that the page shows
// each message next to its field and keeps what was typed.
type custodyForm struct {
	Kind, OccurredAt, From, To, FromAck, ToAck, Location, Seal, Intact, Notes string
	Errors                                                                    map[string]*sentence
	Message                                                                   *sentence
}

// readCustodyForm reads the form's fields (a multipart form when it carries photos).
func readCustodyForm(r *http.Request) custodyForm {
	v := func(k string) string { return strings.TrimSpace(r.FormValue(k)) }
	return custodyForm{Kind: v("kind"), OccurredAt: v("occurred_at"), From: v("from"), To: v("to"), FromAck: v("from_ack"),
		ToAck: v("to_ack"), Location: v("location"), Seal: v("seal_number"), Intact: v("seal_intact"), Notes: v("notes")}
}

// event makes the custody event the form describes; a value that cannot be read is a field error.
func (f *custodyForm) event(now time.Time) (*homeward.CustodyEvent, error) {
	e := &homeward.CustodyEvent{Kind: homeward.CustodyKind(f.Kind), OccurredAt: now, From: f.From, To: f.To, FromAck: f.FromAck,
		ToAck: f.ToAck, Location: f.Location, SealNumber: f.Seal, Notes: f.Notes}
	if f.OccurredAt != "" {
		t, err := time.ParseInLocation("2006-01-02T15:04", f.OccurredAt, time.UTC)
		if err != nil {
			return nil, homeward.FieldErrorf("custody_event.occurred_at", "%q is not a date and time (YYYY-MM-DDTHH:MM, UTC)", f.OccurredAt)
		}
		e.OccurredAt = t
	}
	switch f.Intact {
	case "":
	case "yes", "no":
		intact := f.Intact == "yes"
		e.SealIntact = &intact
	default:
		return nil, homeward.FieldErrorf("custody_event.seal_intact", "say yes or no")
	}
	return e, nil
}

// refuse puts a refusal on the form: next to its field when it names one, else above the form.
func (f *custodyForm) refuse(err error) {
	f.Errors = map[string]*sentence{}
	if name, msg := refusedField(err); name != "" {
		f.Errors[name] = msg
		return
	}
	f.Message = refusal(err)
}

// recordCustody records a custody event of any kind from the container page's form, with the
// photos it carries (an opening's, say) stored first as the container's attachments and named in
// the event. The event is checked against the chain before any photo is stored, so a refused
// form stores nothing; the form comes back with the messages beside the fields and the values
// kept (the files must be chosen again: browsers do not refill file fields).
func (h *Handler) recordCustody(w http.ResponseWriter, r *http.Request, u *homeward.User) {
	ctx := r.Context()
	r.Body = http.MaxBytesReader(w, r.Body, maxCustodyUpload)
	if err := r.ParseMultipartForm(8 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		h.fail(w, u, homeward.FieldErrorf("photos", "the form could not be read: %v", err))
		return
	}
	c, err := h.cfg.Containers.GetContainerByAccession(ctx, r.PathValue("accession"))
	if err != nil {
		h.fail(w, u, err)
		return
	}
	form := readCustodyForm(r)
	e, err := form.event(time.Now().UTC())
	if err == nil {
		err = h.checkAppend(c, e)
	}
	if err == nil {
		e.Photos, err = h.storePhotos(r, c, form.Kind)
	}
	if err == nil {
		err = h.cfg.Custody.AppendCustodyEvent(ctx, c.ID, e)
	}
	if err != nil {
		form.refuse(err)
		d, derr := h.containerData(r)
		if derr != nil {
			h.fail(w, u, err)
			return
		}
		d.Form = form
		h.render(w, http.StatusUnprocessableEntity, "container", page{Title: c.Accession, User: u, Data: d})
		return
	}
	http.Redirect(w, r, "/containers/"+c.Accession+"?flash=Recorded+event+"+e.Hash[:12], http.StatusSeeOther)
}

// checkAppend checks an event against the container's chain as it stands (the store checks it
// again when it appends, under its lock).
func (h *Handler) checkAppend(c *homeward.Container, e *homeward.CustodyEvent) error {
	state := c.Custody
	if state == nil {
		state = &homeward.CustodyState{}
	}
	probe := *e
	return state.ValidateAppend(c.Accession, &probe)
}

// storePhotos keeps the form's photos as the container's attachments, through the same path as
// the API's upload, and returns their SHA-256s.
func (h *Handler) storePhotos(r *http.Request, c *homeward.Container, kind string) ([]string, error) {
	if r.MultipartForm == nil || len(r.MultipartForm.File["photos"]) == 0 {
		return nil, nil
	}
	if h.cfg.Blob == nil {
		return nil, homeward.FieldErrorf("photos", "this server keeps no photos")
	}
	var shas []string
	for _, fh := range r.MultipartForm.File["photos"] {
		sha, err := h.storePhoto(r, c, kind, fh)
		if err != nil {
			return nil, err
		}
		shas = append(shas, sha)
	}
	return shas, nil
}

func (h *Handler) storePhoto(r *http.Request, c *homeward.Container, kind string, fh *multipart.FileHeader) (string, error) {
	f, err := fh.Open()
	if err != nil {
		return "", homeward.FieldErrorf("photos", "%s: %v", fh.Filename, err)
	}
	defer f.Close()
	a := &homeward.Attachment{Kind: "photo", Filename: fh.Filename, MediaType: fh.Header.Get("Content-Type"),
		Caption: fmt.Sprintf("%s, %s", c.Accession, kind), Subject: homeward.Subject{Type: "container", ID: c.ID}}
	if err := blob.Attach(r.Context(), h.cfg.Blob, h.cfg.Evidence, h.cfg.Thumbnail, a, f); err != nil {
		return "", err
	}
	return a.SHA256, nil
}

// formField is one text field of a form with its value.
type formField struct{ Name, Label, Value string }

// custodyFields groups the custody form's text fields for the page.
type custodyFields struct{ Parties, Place []formField }

// FormFields lists the custody form's text fields with what was entered (From defaults to the
// current custodian, the usual giver of a transfer).
func (d *containerData) FormFields() custodyFields {
	f := d.Form
	from := f.From
	if from == "" && d.Container.Custody != nil {
		from = d.Container.Custody.Custodian
	}
	return custodyFields{
		Parties: []formField{{"from", "From (current custodian)", from}, {"to", "To (new custodian)", f.To},
			{"from_ack", "Signed for the giving side", f.FromAck}, {"to_ack", "Signed for the receiving side", f.ToAck}},
		Place: []formField{{"location", "Location", f.Location}, {"seal_number", "Seal number", f.Seal}},
	}
}
