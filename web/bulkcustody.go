package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/homeward/homeward"
)

// containersData is the containers page: the list (filtered), and for custodians the bulk
// custody form with the selection, the values entered and, after a submission, each container's
// outcome.
type containersData struct {
	List  homeward.List[homeward.Container]
	Query string
	// Operation is the operation whose containers are listed (0: every operation's).
	Operation int64
	View      listView
	CanWrite  bool
	Kinds     []homeward.CustodyKind
	Selected  map[string]bool
	Form      custodyForm
	Results   []bulkResult
	Refused   int
}

// bulkResult is what became of one container of a bulk custody event.
type bulkResult struct {
	Accession, Hash string
	Problem         *sentence
}

// containerPage is how many containers a page of the list shows: a turnover's whole delivery, so
// that it is selected at once (a larger one a page at a time).
const containerPage = 200

// bulkKinds are the events that are recorded for many containers at once: a turnover's receipt,
// moves and checks.
var bulkKinds = []homeward.CustodyKind{homeward.CustodyReceipt, homeward.CustodyTransfer, homeward.CustodyTransport, homeward.CustodyStorage, homeward.CustodyCeremony}

func (h *Handler) containersData(r *http.Request) (*containersData, error) {
	view, err := newListView(r, "/containers", "accession", containerPage, "q", "operation")
	if err != nil {
		return nil, err
	}
	f := homeward.ContainerFilter{Query: r.FormValue("q"), Sort: view.Sort(), Page: homeward.Page{Limit: containerPage, Offset: view.Offset}}
	if v := r.FormValue("operation"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return nil, homeward.FieldErrorf("operation", "%q is not an operation id", v)
		}
		f.OperationID = id
	}
	l, err := h.cfg.Containers.ListContainers(r.Context(), f)
	if err != nil {
		return nil, err
	}
	view.Total, view.Shown = l.Total, len(l.Items)
	return &containersData{List: l, View: view, Query: f.Query, Operation: f.OperationID, CanWrite: homeward.Require(r.Context(), homeward.PermCustodyWrite) == nil,
		Kinds: bulkKinds, Selected: map[string]bool{}}, nil
}

// bulkCustody records one custody event for every selected container (a turnover's boxes moved
// to the laboratory at once). Every container's event is checked against its chain first: when
// any is refused, none is recorded, and the page lists each refusal with the selection and the
// values kept. Otherwise each is appended (its own chain, its own signature) and listed with its
// hash.
func (h *Handler) bulkCustody(w http.ResponseWriter, r *http.Request, u *homeward.User) {
	d, err := h.containersData(r)
	if err != nil {
		h.fail(w, u, err)
		return
	}
	d.Form = readCustodyForm(r)
	picked := r.Form["accession"]
	for _, acc := range picked {
		d.Selected[acc] = true
	}
	status := http.StatusOK
	switch events, err := h.checkBulk(r, d, picked); {
	case err != nil:
		d.Form.refuse(err)
		status = http.StatusUnprocessableEntity
	case d.Refused > 0:
		d.Form.Message = saying("Nothing was recorded: the containers below refuse this event.")
		status = http.StatusUnprocessableEntity
	default:
		h.appendBulk(r, d, events)
	}
	h.render(w, status, "containers", page{Title: "Containers", User: u, Data: d})
}

// checkBulk makes each selected container's event and checks it against the container's chain,
// noting each refusal in d.Results.
func (h *Handler) checkBulk(r *http.Request, d *containersData, picked []string) ([]pendingEvent, error) {
	if len(picked) == 0 {
		return nil, homeward.FieldErrorf("accession", "select at least one container")
	}
	now := time.Now().UTC()
	var events []pendingEvent
	for _, acc := range picked {
		c, err := h.cfg.Containers.GetContainerByAccession(r.Context(), acc)
		if err != nil {
			return nil, err
		}
		e, err := d.Form.event(now)
		if err != nil {
			return nil, err
		}
		if err := h.checkAppend(c, e); err != nil {
			d.Results = append(d.Results, bulkResult{Accession: acc, Problem: refusal(err)})
			d.Refused++
			continue
		}
		events = append(events, pendingEvent{c, e})
	}
	return events, nil
}

// pendingEvent is a checked event for a container, not yet appended.
type pendingEvent struct {
	c *homeward.Container
	e *homeward.CustodyEvent
}

// appendBulk appends the checked events, in the order selected, noting each outcome (a refusal
// here is a race with another custodian: the others are recorded all the same).
func (h *Handler) appendBulk(r *http.Request, d *containersData, events []pendingEvent) {
	for _, p := range events {
		res := bulkResult{Accession: p.c.Accession}
		if err := h.cfg.Custody.AppendCustodyEvent(r.Context(), p.c.ID, p.e); err != nil {
			res.Problem = refusal(err)
			d.Refused++
		} else {
			res.Hash = p.e.Hash
		}
		d.Results = append(d.Results, res)
	}
	if d.Refused == 0 {
		d.Selected = map[string]bool{} // done: nothing stays selected
	}
}

// BulkFields lists the bulk form's text fields with what was entered.
func (d *containersData) BulkFields() []formField {
	f := d.Form
	return []formField{{"from", "From (current custodian)", f.From}, {"to", "To (new custodian)", f.To},
		{"from_ack", "Signed for the giving side", f.FromAck}, {"to_ack", "Signed for the receiving side", f.ToAck},
		{"location", "Location", f.Location}}
}
