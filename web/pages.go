package web

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/csvio"
)

type dashboardData struct {
	Containers   int
	InReview     []homeward.Identification
	Screens      []homeward.Screen
	Progress     *homeward.Progress
	CanReview    bool
	Unaccounted  int
	AccountedFor int
	Backlog      *homeward.Backlog
	// For custodians: containers opened and not resealed, and where containers are.
	Custodian      bool
	OpenContainers []homeward.Container
	Locations      []locationCount
	// For analysts: screen candidates whose victim profile is not identified yet.
	Analyst    bool
	Candidates []dashCandidate
	Operations []operationProgress
	Queues
}

type locationCount struct {
	Custodian, Location string
	Containers          int
}

type dashCandidate struct {
	homeward.Candidate
	Screen string
	DB     string
}

type operationProgress struct {
	Operation homeward.Operation
	Totals    homeward.ProgressRow
}

// dashboardScan bounds how many containers the dashboard reads for custody.
const dashboardScan = 2000

func (h *Handler) dashboard(w http.ResponseWriter, r *http.Request, u *homeward.User) {
	ctx := r.Context()
	d := dashboardData{CanReview: homeward.Require(ctx, homeward.PermReview) == nil,
		Custodian: homeward.Require(ctx, homeward.PermCustodyWrite) == nil,
		Analyst:   homeward.Require(ctx, homeward.PermIdentify) == nil}
	if l, err := h.cfg.Containers.ListContainers(ctx, homeward.ContainerFilter{Page: homeward.Page{Limit: 1}}); err == nil {
		d.Containers = l.Total
	}
	if l, err := h.cfg.Idents.ListIdentifications(ctx, homeward.IdentificationFilter{Status: homeward.IdentInReview, Page: homeward.Page{Limit: 50}}); err == nil {
		d.InReview = l.Items
	}
	if l, err := h.cfg.DNA.ListScreens(ctx, homeward.Page{Limit: 10}); err == nil {
		d.Screens = l.Items
	}
	if l, err := h.cfg.Registry.ListMissingPersons(ctx, homeward.MissingPersonFilter{Status: homeward.StatusUnaccounted, Page: homeward.Page{Limit: 1}}); err == nil {
		d.Unaccounted = l.Total
	}
	if l, err := h.cfg.Registry.ListMissingPersons(ctx, homeward.MissingPersonFilter{Status: homeward.StatusAccountedFor, Page: homeward.Page{Limit: 1}}); err == nil {
		d.AccountedFor = l.Total
	}
	if h.cfg.Stats != nil {
		d.Progress, _ = h.cfg.Stats.Progress(ctx, nil)
		d.Backlog, _ = h.cfg.Stats.Backlog(ctx)
	}
	if d.Custodian {
		h.custodianView(ctx, &d)
	}
	if d.Analyst {
		h.analystCandidates(ctx, &d)
	}
	h.operationTotals(ctx, &d)
	h.fillQueues(ctx, u, &d)
	h.render(w, http.StatusOK, "dashboard", page{Title: "Dashboard", User: u, Data: d})
}

// custodianView fills the custodian's part of the start page from one pass over the containers:
// what awaits receipt, the open containers and where every container is.
func (h *Handler) custodianView(ctx context.Context, d *dashboardData) {
	where, ops := map[[2]string]int{}, map[int64]int{}
	for off := 0; off < dashboardScan; off += 500 {
		l, err := h.cfg.Containers.ListContainers(ctx, homeward.ContainerFilter{Page: homeward.Page{Limit: 500, Offset: off}})
		if err != nil {
			break
		}
		for _, c := range l.Items {
			if c.Custody == nil || c.Custody.Events == 0 {
				d.noteAwaiting(c, ops)
			}
			if c.Custody == nil {
				continue
			}
			if c.Custody.Open {
				d.OpenContainers = append(d.OpenContainers, c)
			}
			where[[2]string{c.Custody.Custodian, c.Custody.Location}]++
		}
		if len(l.Items) < 500 {
			break
		}
	}
	h.nameAwaitingOps(ctx, &d.Queues, ops)
	for k, n := range where {
		d.Locations = append(d.Locations, locationCount{Custodian: k[0], Location: k[1], Containers: n})
	}
	sort.Slice(d.Locations, func(i, j int) bool {
		a, b := d.Locations[i], d.Locations[j]
		if a.Containers != b.Containers {
			return a.Containers > b.Containers
		}
		return a.Custodian+a.Location < b.Custodian+b.Location
	})
}

// analystCandidates fills the analyst's screen candidates whose victim is not identified yet.
func (h *Handler) analystCandidates(ctx context.Context, d *dashboardData) {
	for _, sc := range d.Screens {
		l, err := h.cfg.DNA.ListCandidates(ctx, sc.ID, homeward.Page{Limit: 20})
		if err != nil {
			continue
		}
		for _, c := range l.Items {
			if p, err := h.cfg.DNA.GetProfile(ctx, c.ProfileID); err == nil && p.IdentifiedAs == nil && len(d.Candidates) < 20 {
				d.Candidates = append(d.Candidates, dashCandidate{Candidate: c, Screen: sc.Name, DB: sc.FrequencyDB})
			}
		}
	}
}

// operationTotals fills each operation's totals (when the store keeps statistics).
func (h *Handler) operationTotals(ctx context.Context, d *dashboardData) {
	if h.cfg.Operations != nil && h.cfg.Stats != nil {
		if l, err := h.cfg.Operations.ListOperations(ctx, homeward.Page{Limit: 100}); err == nil {
			for _, op := range l.Items {
				if p, err := h.cfg.Stats.Progress(ctx, &op.ID); err == nil {
					d.Operations = append(d.Operations, operationProgress{Operation: op, Totals: p.Totals})
				}
			}
		}
	}
}

type personsData struct {
	listView
	Query            string
	Unit, Place      string
	LostFrom, LostTo string
	Incident         *homeward.Incident
	List             homeward.List[homeward.MissingPerson]
	// Close are the names close to the query when none matches it as typed.
	Close []homeward.MissingPerson
	Error *sentence
}

type incidentsData struct {
	Query, Kind, From, To string
	Kinds                 []homeward.IncidentKind
	Incidents             homeward.List[homeward.Incident]
	Error                 *sentence
	View                  listView
}

// persons searches missing persons by name or service number, unit, the loss incident's place,
// the date of loss, or one incident.
func (h *Handler) persons(w http.ResponseWriter, r *http.Request, u *homeward.User) {
	var d personsData
	f, err := h.personsFilter(r, &d)
	if err == nil {
		d.List, err = h.cfg.Registry.ListMissingPersons(r.Context(), f)
	}
	d.Total, d.Shown = d.List.Total, len(d.List.Items)
	if err == nil && d.List.Total == 0 && f.Query != "" && f.Offset == 0 {
		// Nothing has the name as typed: the names close to it, in case a letter is wrong.
		f.Close = true
		if l, cerr := h.cfg.Registry.ListMissingPersons(r.Context(), f); cerr == nil {
			d.Close = l.Items
		}
	}
	if err != nil {
		if c := homeward.ErrorCode(err); c != homeward.EINVALID && c != homeward.EMALFORMED {
			h.fail(w, u, err)
			return
		}
		d.Error = refusal(err)
	}
	status := http.StatusOK
	if d.Error != nil {
		status = http.StatusBadRequest
	}
	h.render(w, status, "persons", page{Title: "Missing persons", User: u, Error: d.Error, Data: &d})
}

// incidents searches loss incidents by code or place, kind and date.
func (h *Handler) incidents(w http.ResponseWriter, r *http.Request, u *homeward.User) {
	d := incidentsData{Kinds: homeward.IncidentKinds}
	f, err := h.incidentsFilter(r, &d)
	if err == nil {
		d.Incidents, err = h.cfg.Registry.ListIncidents(r.Context(), f)
	}
	d.View.Total, d.View.Shown = d.Incidents.Total, len(d.Incidents.Items)
	status := http.StatusOK
	if err != nil {
		if homeward.ErrorCode(err) != homeward.EINVALID {
			h.fail(w, u, err)
			return
		}
		d.Error, status = refusal(err), http.StatusBadRequest
	}
	h.render(w, status, "incidents", page{Title: "Loss incidents", User: u, Error: d.Error, Data: d})
}

// incidentsFilter reads the incidents list's filter, order and page from the address.
func (h *Handler) incidentsFilter(r *http.Request, d *incidentsData) (homeward.IncidentFilter, error) {
	q := r.URL.Query()
	d.Query, d.Kind, d.From, d.To = strings.TrimSpace(q.Get("q")), q.Get("kind"), strings.TrimSpace(q.Get("from")), strings.TrimSpace(q.Get("to"))
	var err error
	d.View, err = newListView(r, "/incidents", "code", listPage, "q", "kind", "from", "to")
	f := homeward.IncidentFilter{Query: d.Query, Kind: homeward.IncidentKind(d.Kind), From: d.From, To: d.To, Sort: d.View.Sort(),
		Page: homeward.Page{Limit: listPage, Offset: d.View.Offset}}
	return f, err
}

// incidentsCSV writes every incident the list's filter selects, in its order, in the incidents
// register's layout (the one import reads).
func (h *Handler) incidentsCSV(w http.ResponseWriter, r *http.Request, u *homeward.User) {
	var d incidentsData
	f, err := h.incidentsFilter(r, &d)
	if err != nil {
		h.fail(w, u, err)
		return
	}
	each := walkEach(func(p homeward.Page) (homeward.List[homeward.Incident], error) {
		f.Page = p
		return h.cfg.Registry.ListIncidents(r.Context(), f)
	})
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="incidents.csv"`)
	if err := csvio.StreamIncidents(w, each); err != nil {
		h.cfg.Logger.Error("web: incidents CSV", "error", err)
	}
}

type personData struct {
	Person   *homeward.MissingPerson
	Incident *homeward.Incident
	Family   []homeward.FamilyMember
	Idents   []homeward.Identification
	// References are the person's reference families with each member's profile (nil: untyped).
	References []personFamily
	Candidates []dashCandidate
	History    []statusEvent
	Audit      []homeward.AuditEntry // for those who may read the audit log
	// CanIdentify: the user may propose identifications (from the candidate remains).
	CanIdentify bool
	// IncidentLost is how many were lost in the person's loss incident: the closed population a
	// proposal's prior starts from (0: not known).
	IncidentLost int
}

type personFamily struct {
	Family   homeward.ReferenceFamily
	Profiles map[string]*homeward.Profile
}

// statusEvent is a change of the person's status: the record's creation, approvals and
// withdrawals of identifications.
type statusEvent struct {
	At     time.Time
	Status homeward.Status
	What   sentence
	By     string
	Link   string
}

func (h *Handler) person(w http.ResponseWriter, r *http.Request, u *homeward.User) {
	id, err := pathInt(r, "id")
	if err != nil {
		h.fail(w, u, err)
		return
	}
	ctx := r.Context()
	m, err := h.cfg.Registry.GetMissingPerson(ctx, id)
	if err != nil {
		h.fail(w, u, err)
		return
	}
	d := personData{Person: m, CanIdentify: homeward.Require(ctx, homeward.PermIdentify) == nil}
	if m.IncidentID != nil {
		d.Incident, _ = h.cfg.Registry.GetIncident(ctx, *m.IncidentID)
		if l, err := h.cfg.Registry.ListMissingPersons(ctx, homeward.MissingPersonFilter{IncidentID: *m.IncidentID, Page: homeward.Page{Limit: 1}}); err == nil {
			d.IncidentLost = l.Total
		}
	}
	if l, err := h.cfg.Registry.ListFamilyMembers(ctx, id, homeward.Page{Limit: 200}); err == nil {
		d.Family = l.Items
	}
	if xs, err := h.cfg.Idents.IdentificationsOf(ctx, id); err == nil {
		d.Idents = xs
	}
	d.History = append(d.History, statusEvent{At: m.CreatedAt, Status: homeward.StatusUnaccounted, What: say("recorded")})
	for _, x := range d.Idents {
		for _, tr := range x.History {
			switch tr.To {
			case homeward.IdentApproved:
				d.History = append(d.History, statusEvent{At: tr.At, Status: homeward.StatusAccountedFor, What: say("identification #%d approved", x.ID), By: tr.By, Link: fmt.Sprintf("/identifications/%d", x.ID)})
			case homeward.IdentWithdrawn:
				d.History = append(d.History, statusEvent{At: tr.At, Status: homeward.StatusUnaccounted, What: say("identification #%d withdrawn: %s", x.ID, tr.Comment), By: tr.By, Link: fmt.Sprintf("/identifications/%d", x.ID)})
			}
		}
	}
	sort.SliceStable(d.History, func(i, j int) bool { return d.History[i].At.Before(d.History[j].At) })
	if fl, err := h.cfg.DNA.ListReferenceFamilies(ctx, homeward.FamilyFilter{MissingPersonID: id, Page: homeward.Page{Limit: 50}}); err == nil {
		for _, f := range fl.Items {
			pf := personFamily{Family: f, Profiles: map[string]*homeward.Profile{}}
			for _, mb := range f.Members {
				if mb.ProfileID != nil {
					if p, err := h.cfg.DNA.GetProfile(ctx, *mb.ProfileID); err == nil {
						pf.Profiles[mb.ID] = p
					}
				}
			}
			d.References = append(d.References, pf)
			if cl, err := h.cfg.DNA.CandidatesOfFamily(ctx, f.ID, homeward.Page{Limit: 20}); err == nil {
				for _, c := range cl.Items {
					db := ""
					if sc, err := h.cfg.DNA.GetScreen(ctx, c.ScreenID); err == nil {
						db = sc.FrequencyDB
					}
					d.Candidates = append(d.Candidates, dashCandidate{Candidate: c, Screen: fmt.Sprint(c.ScreenID), DB: db})
				}
			}
		}
	}
	if homeward.Require(ctx, homeward.PermAuditRead) == nil {
		if al, err := h.cfg.Users.ListAudit(ctx, homeward.AuditFilter{Entity: "missing_person", EntityID: id, Page: homeward.Page{Limit: 100}}); err == nil {
			d.Audit = al.Items
		}
	}
	h.render(w, http.StatusOK, "person", page{Title: m.FamilyName + ", " + m.GivenNames, User: u, Data: d})
}
