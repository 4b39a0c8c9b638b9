package web

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"rsc.io/qr"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/casebuild"
	"github.com/homeward/homeward/chart"
	"github.com/homeward/homeward/dvi"
	"github.com/homeward/homeward/idreport"
	"github.com/homeward/homeward/remains"
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
	if l, err := h.cfg.Idents.ListIdentifications(ctx, homeward.IdentInReview, homeward.Page{Limit: 50}); err == nil {
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
		where := map[[2]string]int{}
		for off := 0; off < dashboardScan; off += 500 {
			l, err := h.cfg.Containers.ListContainers(ctx, homeward.ContainerFilter{Page: homeward.Page{Limit: 500, Offset: off}})
			if err != nil {
				break
			}
			for _, c := range l.Items {
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
	if d.Analyst {
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
	if h.cfg.Operations != nil && h.cfg.Stats != nil {
		if l, err := h.cfg.Operations.ListOperations(ctx, homeward.Page{Limit: 100}); err == nil {
			for _, op := range l.Items {
				if p, err := h.cfg.Stats.Progress(ctx, &op.ID); err == nil {
					d.Operations = append(d.Operations, operationProgress{Operation: op, Totals: p.Totals})
				}
			}
		}
	}
	h.render(w, http.StatusOK, "dashboard", page{Title: "Dashboard", User: u, Data: d})
}

type personsData struct {
	Query            string
	Unit, Place      string
	LostFrom, LostTo string
	Incident         *homeward.Incident
	List             homeward.List[homeward.MissingPerson]
	Error            string
}

type incidentsData struct {
	Query, Kind, From, To string
	Kinds                 []homeward.IncidentKind
	Incidents             homeward.List[homeward.Incident]
	Error                 string
}

// persons searches missing persons by name or service number, unit, the loss incident's place,
// the date of loss, or one incident.
func (h *Handler) persons(w http.ResponseWriter, r *http.Request, u *homeward.User) {
	q := r.URL.Query()
	d := personsData{Query: strings.TrimSpace(q.Get("q")), Unit: strings.TrimSpace(q.Get("unit")), Place: strings.TrimSpace(q.Get("place")),
		LostFrom: strings.TrimSpace(q.Get("lost_from")), LostTo: strings.TrimSpace(q.Get("lost_to"))}
	f := homeward.MissingPersonFilter{Query: d.Query, Unit: d.Unit, Place: d.Place, LostFrom: d.LostFrom, LostTo: d.LostTo, Page: homeward.Page{Limit: 100}}
	if v := q.Get("incident"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			h.fail(w, u, homeward.FieldErrorf("incident", "%q is not an incident id", v))
			return
		}
		if d.Incident, err = h.cfg.Registry.GetIncident(r.Context(), id); err != nil {
			h.fail(w, u, err)
			return
		}
		f.IncidentID = id
	}
	l, err := h.cfg.Registry.ListMissingPersons(r.Context(), f)
	if err != nil {
		if homeward.ErrorCode(err) != homeward.EINVALID {
			h.fail(w, u, err)
			return
		}
		d.Error = homeward.ErrorMessage(err)
	}
	d.List = l
	status := http.StatusOK
	if d.Error != "" {
		status = http.StatusBadRequest
	}
	h.render(w, status, "persons", page{Title: "Missing persons", User: u, Error: d.Error, Data: d})
}

// incidents searches loss incidents by code or place, kind and date.
func (h *Handler) incidents(w http.ResponseWriter, r *http.Request, u *homeward.User) {
	q := r.URL.Query()
	d := incidentsData{Query: strings.TrimSpace(q.Get("q")), Kind: q.Get("kind"), From: strings.TrimSpace(q.Get("from")), To: strings.TrimSpace(q.Get("to")),
		Kinds: []homeward.IncidentKind{homeward.IncidentGroundAction, homeward.IncidentAirLoss, homeward.IncidentPOWCamp, homeward.IncidentMaritime, homeward.IncidentDisaster, homeward.IncidentOther}}
	var err error
	d.Incidents, err = h.cfg.Registry.ListIncidents(r.Context(), homeward.IncidentFilter{Query: d.Query, Kind: homeward.IncidentKind(d.Kind), From: d.From, To: d.To, Page: homeward.Page{Limit: 200}})
	status := http.StatusOK
	if err != nil {
		if homeward.ErrorCode(err) != homeward.EINVALID {
			h.fail(w, u, err)
			return
		}
		d.Error, status = homeward.ErrorMessage(err), http.StatusBadRequest
	}
	h.render(w, status, "incidents", page{Title: "Loss incidents", User: u, Error: d.Error, Data: d})
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
	What   string
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
	d := personData{Person: m}
	if m.IncidentID != nil {
		d.Incident, _ = h.cfg.Registry.GetIncident(ctx, *m.IncidentID)
	}
	if l, err := h.cfg.Registry.ListFamilyMembers(ctx, id, homeward.Page{Limit: 200}); err == nil {
		d.Family = l.Items
	}
	if xs, err := h.cfg.Idents.IdentificationsOf(ctx, id); err == nil {
		d.Idents = xs
	}
	d.History = append(d.History, statusEvent{At: m.CreatedAt, Status: homeward.StatusUnaccounted, What: "recorded"})
	for _, x := range d.Idents {
		for _, tr := range x.History {
			switch tr.To {
			case homeward.IdentApproved:
				d.History = append(d.History, statusEvent{At: tr.At, Status: homeward.StatusAccountedFor, What: fmt.Sprintf("identification #%d approved", x.ID), By: tr.By, Link: fmt.Sprintf("/identifications/%d", x.ID)})
			case homeward.IdentWithdrawn:
				d.History = append(d.History, statusEvent{At: tr.At, Status: homeward.StatusUnaccounted, What: fmt.Sprintf("identification #%d withdrawn: %s", x.ID, tr.Comment), By: tr.By, Link: fmt.Sprintf("/identifications/%d", x.ID)})
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

func (h *Handler) containers(w http.ResponseWriter, r *http.Request, u *homeward.User) {
	f := homeward.ContainerFilter{Query: r.URL.Query().Get("q"), Page: homeward.Page{Limit: 200}}
	if v := r.URL.Query().Get("operation"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			h.fail(w, u, homeward.FieldErrorf("operation", "%q is not an operation id", v))
			return
		}
		f.OperationID = id
	}
	l, err := h.cfg.Containers.ListContainers(r.Context(), f)
	if err != nil {
		h.fail(w, u, err)
		return
	}
	h.render(w, http.StatusOK, "containers", page{Title: "Containers", User: u, Data: l})
}

type containerData struct {
	Container *homeward.Container
	Events    []homeward.CustodyEvent
	Problem   *homeward.ChainProblem
	Specimens []homeward.Specimen
	Photos    []homeward.Attachment
	CanWrite  bool
}

func (h *Handler) containerData(r *http.Request) (*containerData, error) {
	ctx := r.Context()
	c, err := h.cfg.Containers.GetContainerByAccession(ctx, r.PathValue("accession"))
	if err != nil {
		return nil, err
	}
	d := &containerData{Container: c, CanWrite: homeward.Require(ctx, homeward.PermCustodyWrite) == nil}
	if d.Events, err = h.cfg.Custody.ListCustodyEvents(ctx, c.ID); err != nil {
		return nil, err
	}
	if d.Problem, err = h.cfg.Custody.VerifyCustody(ctx, c.ID); err != nil {
		return nil, err
	}
	if l, err := h.cfg.Containers.ListSpecimens(ctx, c.ID, homeward.Page{Limit: 500}); err == nil {
		d.Specimens = l.Items
	}
	if h.cfg.Evidence != nil {
		d.Photos, _ = h.cfg.Evidence.ListAttachments(ctx, homeward.Subject{Type: "container", ID: c.ID})
	}
	return d, nil
}

// label is one printable label: what it names and its QR code (a PNG data URL).
type label struct {
	Title, Line, Code string
	QR                template.URL
}

// labels prints a label with a QR code for the container and each of its specimens; the code holds
// "homeward:container:ACCESSION" or "homeward:specimen:CODE", what a scanner at the store types in.
func (h *Handler) labels(w http.ResponseWriter, r *http.Request, u *homeward.User) {
	d, err := h.containerData(r)
	if err != nil {
		h.fail(w, u, err)
		return
	}
	mk := func(title, line, code string) (label, error) {
		c, err := qr.Encode(code, qr.M)
		if err != nil {
			return label{}, err
		}
		// The PNG is built from our own text; the data URL is safe to put in src.
		return label{Title: title, Line: line, Code: code, QR: template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(c.PNG()))}, nil
	}
	var ls []label
	l, err := mk(d.Container.Accession, string(d.Container.Kind), "homeward:container:"+d.Container.Accession)
	if err != nil {
		h.fail(w, u, err)
		return
	}
	ls = append(ls, l)
	for _, s := range d.Specimens {
		l, err := mk(s.Code, s.Element+" "+string(s.Side)+" "+s.Portion, "homeward:specimen:"+s.Code)
		if err != nil {
			h.fail(w, u, err)
			return
		}
		ls = append(ls, l)
	}
	h.render(w, http.StatusOK, "labels", page{Title: "Labels " + d.Container.Accession, User: u, Data: ls})
}

func (h *Handler) container(w http.ResponseWriter, r *http.Request, u *homeward.User) {
	d, err := h.containerData(r)
	if err != nil {
		h.fail(w, u, err)
		return
	}
	h.render(w, http.StatusOK, "container", page{Title: d.Container.Accession, User: u, Flash: r.URL.Query().Get("flash"), Data: d})
}

// recordCustody appends a transfer or an opening from the container page's form.
func (h *Handler) recordCustody(w http.ResponseWriter, r *http.Request, u *homeward.User) {
	ctx := r.Context()
	c, err := h.cfg.Containers.GetContainerByAccession(ctx, r.PathValue("accession"))
	if err != nil {
		h.fail(w, u, err)
		return
	}
	e := &homeward.CustodyEvent{Kind: homeward.CustodyKind(r.FormValue("kind")), OccurredAt: time.Now().UTC(),
		From: r.FormValue("from"), To: r.FormValue("to"), FromAck: r.FormValue("from_ack"), ToAck: r.FormValue("to_ack"),
		Location: r.FormValue("location"), Notes: r.FormValue("notes")}
	if err := h.cfg.Custody.AppendCustodyEvent(ctx, c.ID, e); err != nil {
		d, derr := h.containerData(r)
		if derr != nil {
			h.fail(w, u, err)
			return
		}
		h.render(w, http.StatusBadRequest, "container", page{Title: c.Accession, User: u, Error: homeward.ErrorMessage(err), Data: d})
		return
	}
	http.Redirect(w, r, "/containers/"+c.Accession+"?flash=Recorded+event+"+e.Hash[:12], http.StatusSeeOther)
}

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

func (h *Handler) screens(w http.ResponseWriter, r *http.Request, u *homeward.User) {
	l, err := h.cfg.DNA.ListScreens(r.Context(), homeward.Page{Limit: 100})
	if err != nil {
		h.fail(w, u, err)
		return
	}
	h.render(w, http.StatusOK, "screens", page{Title: "Screens", User: u, Data: l})
}

type screenData struct {
	Screen     *homeward.Screen
	Candidates homeward.List[homeward.Candidate]
}

func (h *Handler) screen(w http.ResponseWriter, r *http.Request, u *homeward.User) {
	id, err := pathInt(r, "id")
	if err != nil {
		h.fail(w, u, err)
		return
	}
	sc, err := h.cfg.DNA.GetScreen(r.Context(), id)
	if err != nil {
		h.fail(w, u, err)
		return
	}
	sc.Panel = nil
	c, err := h.cfg.DNA.ListCandidates(r.Context(), id, homeward.Page{Limit: 500})
	if err != nil {
		h.fail(w, u, err)
		return
	}
	h.render(w, http.StatusOK, "screen", page{Title: "Screen " + sc.Name, User: u, Data: screenData{Screen: sc, Candidates: c}})
}

func (h *Handler) families(w http.ResponseWriter, r *http.Request, u *homeward.User) {
	l, err := h.cfg.DNA.ListReferenceFamilies(r.Context(), homeward.FamilyFilter{Query: r.URL.Query().Get("q"), Page: homeward.Page{Limit: 200}})
	if err != nil {
		h.fail(w, u, err)
		return
	}
	h.render(w, http.StatusOK, "families", page{Title: "Reference families", User: u, Data: l})
}

type familyData struct {
	Family   *homeward.ReferenceFamily
	Drawing  template.HTML
	Profiles map[string]*homeward.Profile
	Lines    *remains.LinesResult
}

func (h *Handler) family(w http.ResponseWriter, r *http.Request, u *homeward.User) {
	id, err := pathInt(r, "id")
	if err != nil {
		h.fail(w, u, err)
		return
	}
	ctx := r.Context()
	f, err := h.cfg.DNA.GetReferenceFamily(ctx, id)
	if err != nil {
		h.fail(w, u, err)
		return
	}
	d := familyData{Family: f, Profiles: map[string]*homeward.Profile{}}
	for _, m := range f.Members {
		if m.ProfileID != nil {
			if p, err := h.cfg.DNA.GetProfile(ctx, *m.ProfileID); err == nil {
				d.Profiles[m.ID] = p
			}
		}
	}
	if ped, typed, err := casebuild.Pedigree(f); err == nil {
		// The drawing escapes every id; it holds no script.
		d.Drawing = template.HTML(ped.SVG(typed, map[string]bool{f.Target: true}))
	}
	d.Lines, _ = remains.Lines(ctx, h.cfg.DNA, id)
	h.render(w, http.StatusOK, "family", page{Title: "Family " + f.Name, User: u, Data: d})
}

type dviPageData struct {
	Screen *homeward.Screen
	Case   string
	Sol    *dvi.Solution
	// Joint is the joint analysis (every admissible assignment, best first; the first rows shown)
	// when there are few enough assignments; JointNote says why not otherwise.
	Joint     *dvi.JointResult
	JointNote string
	Error     string
}

// jointLimit bounds the joint enumeration the DVI page runs.
const jointLimit = 100000

// screenDVI solves the screen's candidates as a DVI case (dvir's dviSolve pipeline) and shows the
// conclusions per missing person and per victim.
func (h *Handler) screenDVI(w http.ResponseWriter, r *http.Request, u *homeward.User) {
	id, err := pathInt(r, "id")
	if err != nil {
		h.fail(w, u, err)
		return
	}
	ctx := r.Context()
	sc, err := h.cfg.DNA.GetScreen(ctx, id)
	if err != nil {
		h.fail(w, u, err)
		return
	}
	sc.Panel = nil
	d := dviPageData{Screen: sc}
	c, _, err := casebuild.Build(ctx, h.cfg.DNA, casebuild.Selection{Name: sc.Name, ScreenID: id, FrequencyDB: strings.TrimSuffix(sc.FrequencyDB, " (shipped)")})
	if err == nil {
		var b bytes.Buffer
		if err = json.NewEncoder(&b).Encode(c); err == nil {
			var p *dvi.Problem
			if p, err = dvi.ReadProblem(bytes.NewReader(b.Bytes())); err == nil {
				d.Sol, err = p.Solve(dvi.DefaultSolveOptions())
			}
			if err == nil {
				d.Joint, d.JointNote = jointTable(b.Bytes())
			}
		}
	}
	if err != nil {
		d.Error = homeward.ErrorMessage(err)
	}
	h.render(w, http.StatusOK, "dvi", page{Title: "DVI: " + sc.Name, User: u, Data: d})
}

type statsData struct {
	Operations  []homeward.Operation
	OperationID int64
	Progress    *homeward.Progress
	Chart       template.HTML
	CSV         string
}

// stats shows progress per month for all operations or one: a chart of running totals, the table,
// and the CSV.
func (h *Handler) stats(w http.ResponseWriter, r *http.Request, u *homeward.User) {
	ctx := r.Context()
	d := statsData{CSV: "/api/v1/stats/progress?format=csv"}
	var opID *int64
	title := "All operations"
	if v := r.URL.Query().Get("operation"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			h.fail(w, u, homeward.FieldErrorf("operation", "%q is not an operation id", v))
			return
		}
		op, err := h.cfg.Operations.GetOperation(ctx, id)
		if err != nil {
			h.fail(w, u, err)
			return
		}
		opID, d.OperationID, title = &op.ID, op.ID, op.Code
		d.CSV += "&operation_id=" + v
	}
	if l, err := h.cfg.Operations.ListOperations(ctx, homeward.Page{Limit: 1000}); err == nil {
		d.Operations = l.Items
	}
	p, err := h.cfg.Stats.Progress(ctx, opID)
	if err != nil {
		h.fail(w, u, err)
		return
	}
	d.Progress = p
	svg, err := chart.Progress(p, title+": running totals per month").SVG()
	if err != nil {
		h.fail(w, u, err)
		return
	}
	// chart escapes every label and name.
	d.Chart = template.HTML(svg)
	h.render(w, http.StatusOK, "stats", page{Title: "Progress: " + title, User: u, Data: d})
}

// jointTable runs the joint analysis of a case when it has at most jointLimit assignments and keeps
// the ten best rows.
func jointTable(caseJSON []byte) (*dvi.JointResult, string) {
	p, err := dvi.ReadProblem(bytes.NewReader(caseJSON))
	if err != nil {
		return nil, homeward.ErrorMessage(err)
	}
	if n := p.CountAssignments(jointLimit); n > jointLimit {
		return nil, fmt.Sprintf("More than %d assignments: the joint table is left to the pipeline above (homeward dvi solve gives it).", jointLimit)
	}
	j, err := p.Joint(jointLimit)
	if err != nil {
		return nil, homeward.ErrorMessage(err)
	}
	if len(j.Rows) > 10 {
		j.Rows = j.Rows[:10]
	}
	return j, ""
}

// pairing shows one victim profile against one family: the pedigree and the per-marker LRs
// (linked from screens and DVI results).
func (h *Handler) pairing(w http.ResponseWriter, r *http.Request, u *homeward.User) {
	ctx := r.Context()
	q := r.URL.Query()
	victim, family, db := q.Get("victim"), q.Get("family"), strings.TrimSuffix(q.Get("db"), " (shipped)")
	if db == "" {
		db = "nist-all"
	}
	p, err := h.profileBySample(ctx, victim)
	if err != nil {
		h.fail(w, u, err)
		return
	}
	fl, err := h.cfg.DNA.ListReferenceFamilies(ctx, homeward.FamilyFilter{Name: family, Page: homeward.Page{Limit: 1}})
	if err != nil {
		h.fail(w, u, err)
		return
	}
	var f *homeward.ReferenceFamily
	for i := range fl.Items {
		if fl.Items[i].Name == family {
			f = &fl.Items[i]
		}
	}
	if f == nil {
		h.fail(w, u, homeward.Errorf(homeward.ENOTFOUND, "reference family %q not found", family))
		return
	}
	d := idreport.Pairing(ctx, h.cfg.DNA, p, f, db)
	h.render(w, http.StatusOK, "pairing", page{Title: victim + " against " + family, User: u, Data: d})
}

// profileBySample finds a profile by its exact sample name.
func (h *Handler) profileBySample(ctx context.Context, sample string) (*homeward.Profile, error) {
	l, err := h.cfg.DNA.ListProfiles(ctx, homeward.ProfileFilter{Sample: sample, Page: homeward.Page{Limit: 1}})
	if err != nil {
		return nil, err
	}
	for i := range l.Items {
		if l.Items[i].Sample == sample {
			return &l.Items[i], nil
		}
	}
	return nil, homeward.Errorf(homeward.ENOTFOUND, "profile %q not found", sample)
}

// labSpecimen is a specimen with the DNA profile typed from it.
type labSpecimen struct {
	homeward.Specimen
	Profile *homeward.Profile
	Typed   int // markers typed
}

type labData struct {
	Container *homeward.Container
	Specimens []labSpecimen
	MNI       *dvi.MNIResult
	Group     *remains.GroupResult
	// SampleSpecimen names each DNA sample's specimen code (for the commingling table).
	SampleSpecimen map[string]string
	// Repeated lists, per individual (index), elements its specimens hold twice on one side.
	Repeated   map[int][]string
	GroupError string
	Counts     *countsExplained
}

// countsExplained sets the two counts of people side by side: the bones' minimum number of
// individuals and the individuals the DNA tells apart, with what makes them differ.
type countsExplained struct {
	MNI, DNA          int
	Untyped, Specimen int // specimens without a DNA profile, of all specimens
	Lower             int // what both together prove: at least max(MNI, DNA) people
}

func explainCounts(d *labData) *countsExplained {
	if d.MNI == nil || d.Group == nil {
		return nil
	}
	c := &countsExplained{MNI: d.MNI.MNI, DNA: len(d.Group.Individuals), Specimen: len(d.Specimens)}
	for _, s := range d.Specimens {
		if s.Profile == nil {
			c.Untyped++
		}
	}
	c.Lower = max(c.MNI, c.DNA)
	return c
}

// lab is the laboratory view of a container: the skeletal inventory with the DNA typed from each
// specimen, the minimum number of individuals, and the post-mortem individuals the DNA profiles
// merge into, with the matches that justify every merge and related individuals.
func (h *Handler) lab(w http.ResponseWriter, r *http.Request, u *homeward.User) {
	ctx := r.Context()
	c, err := h.cfg.Containers.GetContainerByAccession(ctx, r.PathValue("accession"))
	if err != nil {
		h.fail(w, u, err)
		return
	}
	d := labData{Container: c, SampleSpecimen: map[string]string{}, Repeated: map[int][]string{}}
	specimenOf := map[string]homeward.Specimen{}
	bySpecimen := map[int64]*homeward.Profile{}
	for p, err := range homeward.Profiles(ctx, h.cfg.DNA, homeward.ProfileFilter{ContainerID: c.ID}) {
		if err != nil {
			h.fail(w, u, err)
			return
		}
		if p.SpecimenID != nil {
			bySpecimen[*p.SpecimenID] = &p
		}
	}
	for sp, err := range homeward.Specimens(ctx, h.cfg.Containers, c.ID) {
		if err != nil {
			h.fail(w, u, err)
			return
		}
		ls := labSpecimen{Specimen: sp, Profile: bySpecimen[sp.ID]}
		if ls.Profile != nil {
			ls.Typed = len(ls.Profile.Loci)
			d.SampleSpecimen[ls.Profile.Sample] = sp.Code
			specimenOf[ls.Profile.Sample] = sp
		}
		d.Specimens = append(d.Specimens, ls)
	}
	if m, err := remains.MNI(ctx, h.cfg.Containers, []string{c.Accession}); err == nil {
		x := m.PerContainer[c.Accession]
		d.MNI = &x
	}
	if g, err := remains.Group(ctx, h.cfg.DNA, h.cfg.Containers, remains.GroupOptions{Container: c.Accession}); err != nil {
		d.GroupError = homeward.ErrorMessage(err)
	} else {
		d.Group = g
		for i, ind := range g.Individuals {
			var sps []homeward.Specimen
			for _, smp := range ind.Samples {
				if sp, ok := specimenOf[smp]; ok {
					sps = append(sps, sp)
				}
			}
			if r := remains.RepeatedElements(sps); len(r) > 0 {
				d.Repeated[i] = r
			}
		}
	}
	d.Counts = explainCounts(&d)
	h.render(w, http.StatusOK, "lab", page{Title: "Laboratory: " + c.Accession, User: u, Data: d})
}
