package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/casebuild"
	"github.com/homeward/homeward/chart"
	"github.com/homeward/homeward/dvi"
	"github.com/homeward/homeward/idreport"
	"github.com/homeward/homeward/remains"
)

func (h *Handler) screens(w http.ResponseWriter, r *http.Request, u *homeward.User) {
	v, err := newListView(r, "/screens", "", listPage)
	v.CSVPath = "-"
	var l homeward.List[homeward.Screen]
	if err == nil {
		l, err = h.cfg.DNA.ListScreens(r.Context(), homeward.Page{Limit: listPage, Offset: v.Offset})
	}
	if err != nil {
		h.fail(w, u, err)
		return
	}
	v.Total, v.Shown = l.Total, len(l.Items)
	h.render(w, http.StatusOK, "screens", page{Title: "Screens", User: u, Data: pagedList[homeward.Screen]{List: l, View: v}})
}

// pagedList is a page of a list with its view (position, pages, CSV).
type pagedList[T any] struct {
	List homeward.List[T]
	View listView
}

type screenData struct {
	Screen     *homeward.Screen
	Candidates homeward.List[homeward.Candidate]
	View       listView
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
	v, err := newListView(r, fmt.Sprintf("/screens/%d", id), "", 100)
	v.CSVPath = fmt.Sprintf("/screens/%d/candidates.csv", id)
	var c homeward.List[homeward.Candidate]
	if err == nil {
		c, err = h.cfg.DNA.ListCandidates(r.Context(), id, homeward.Page{Limit: 100, Offset: v.Offset})
	}
	if err != nil {
		h.fail(w, u, err)
		return
	}
	v.Total, v.Shown = c.Total, len(c.Items)
	h.render(w, http.StatusOK, "screen", page{Title: "Screen", Subject: sc.Name, User: u, Data: screenData{Screen: sc, Candidates: c, View: v}})
}

func (h *Handler) families(w http.ResponseWriter, r *http.Request, u *homeward.User) {
	v, err := newListView(r, "/families", "registered", listPage, "q")
	var l homeward.List[homeward.ReferenceFamily]
	if err == nil {
		l, err = h.cfg.DNA.ListReferenceFamilies(r.Context(), homeward.FamilyFilter{Query: v.Params.Get("q"), Sort: v.Sort(), Page: homeward.Page{Limit: listPage, Offset: v.Offset}})
	}
	if err != nil {
		h.fail(w, u, err)
		return
	}
	v.Total, v.Shown = l.Total, len(l.Items)
	h.render(w, http.StatusOK, "families", page{Title: "Reference families", User: u, Data: pagedList[homeward.ReferenceFamily]{List: l, View: v}})
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
	h.render(w, http.StatusOK, "family", page{Title: "Family", Subject: f.Name, User: u, Data: d})
}

type dviPageData struct {
	Screen *homeward.Screen
	Case   string
	Sol    *dvi.Solution
	// Joint is the joint analysis (every admissible assignment, best first; the first rows shown)
	// when there are few enough assignments; JointNote says why not otherwise.
	Joint     *dvi.JointResult
	JointNote string
	Error     *sentence
	// Status is the stored analysis's: done, queued (being computed: the page reloads itself) or
	// failed; ComputedAt when it was computed or queued.
	Status     string
	ComputedAt time.Time
}

// screenDVI solves the screen's candidates as a DVI case (dvir's dviSolve pipeline) and shows the
// conclusions per missing person and per victim.
// screenDVI shows a screen's DVI analysis from its stored result: computed once for the case the
// screen's candidates make now (as a job when a queue serves the pages, else by the first view),
// and again only when that case changes.
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
	if err := h.dviResult(r, &d); err != nil {
		d.Error = refusal(err)
	}
	h.render(w, http.StatusOK, "dvi", page{Title: "DVI:", Subject: sc.Name, User: u, Data: d})
}

// dviResult fills the page from the stored analysis, queueing or computing it when there is none
// for the case as it stands.
func (h *Handler) dviResult(r *http.Request, d *dviPageData) error {
	ctx := r.Context()
	caseJSON, hash, err := remains.ScreenCase(ctx, h.cfg.DNA, d.Screen)
	if err != nil {
		return err
	}
	var stored *homeward.DVIResult
	if h.cfg.DVIResults != nil {
		stored, _ = h.cfg.DVIResults.GetDVIResult(ctx, d.Screen.ID)
	}
	if stored == nil || stored.CaseHash != hash {
		if stored, err = h.computeDVI(ctx, d.Screen.ID, caseJSON, hash); err != nil {
			return err
		}
	}
	d.Status, d.ComputedAt = stored.Status, stored.ComputedAt
	switch stored.Status {
	case "queued":
		return nil
	case "failed":
		return errors.New(stored.Error)
	}
	var a remains.ScreenDVI
	if err := json.Unmarshal(stored.Result, &a); err != nil {
		return fmt.Errorf("stored DVI analysis of screen %d: %w", d.Screen.ID, err)
	}
	d.Sol, d.Joint, d.JointNote = a.Solution, a.Joint, a.JointNote
	return nil
}

// computeDVI queues the analysis (noting it queued) or, without a queue, computes and keeps it.
func (h *Handler) computeDVI(ctx context.Context, screenID int64, caseJSON []byte, hash string) (*homeward.DVIResult, error) {
	now := func() time.Time { return time.Now().UTC() }
	if h.cfg.QueueDVI != nil && h.cfg.DVIResults != nil {
		q := &homeward.DVIResult{ScreenID: screenID, CaseHash: hash, Status: "queued", ComputedAt: now()}
		if err := h.cfg.DVIResults.SaveDVIResult(ctx, q); err != nil {
			return nil, err
		}
		return q, h.cfg.QueueDVI(ctx, screenID)
	}
	results := h.cfg.DVIResults
	if results == nil {
		results = discardResults{}
	}
	return remains.AnalyseCase(ctx, results, screenID, caseJSON, hash, now)
}

// discardResults keeps nothing (a page server without a store of results computes each view).
type discardResults struct{}

func (discardResults) GetDVIResult(context.Context, int64) (*homeward.DVIResult, error) {
	return nil, homeward.Errorf(homeward.ENOTFOUND, "no stored results")
}
func (discardResults) SaveDVIResult(context.Context, *homeward.DVIResult) error { return nil }

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
	h.render(w, http.StatusOK, "stats", page{Title: "Progress:", Subject: title, User: u, Data: d})
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
	h.render(w, http.StatusOK, "pairing", page{Title: "Likelihood ratio:", Subject: victim + " — " + family, User: u, Data: d})
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
