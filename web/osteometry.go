package web

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/osteo"
	"github.com/homeward/homeward/remains"
)

// osteoData is the osteometry page of a container: its measured specimens, the sorting form, and
// the sorting when a reference sample is chosen.
type osteoData struct {
	Container  *homeward.Container
	Codes      []string
	Measured   []measuredRow
	Unmeasured []homeward.Specimen
	Samples    []homeward.OsteoReferenceSample
	Form       osteoForm
	Result     *remains.OsteoResult
	Plan       map[string]bool // bones the plan samples
	Matrices   []matrix
	Graph      *graph
	Groups     []groupRow
	CanWrite   bool
	SortError  *sentence
}

type measuredRow struct {
	Specimen homeward.Specimen
	Values   []string // in Codes order, "" where not measured
}

// osteoForm is the sorting form as submitted.
type osteoForm struct {
	Reference  string
	Alpha      string
	Tails      int
	Absolute   bool
	ZeroMean   bool
	YeoJohnson bool
	DNA        bool
}

type groupRow struct {
	Group  osteo.Group
	Sample string
	Alt    []string // "bone: G3, G5"
}

// matrix is one pair-matching test shown as lefts by rights, each cell the p-value.
type matrix struct {
	Title     string
	Cols      []string
	Rows      []matrixRow
	Truncated bool
}

type matrixRow struct {
	Bone  string
	Cells []matrixCell
}

type matrixCell struct {
	Text, Class, Title string
}

// matrixMax bounds a matrix's rows and columns on the page (the API and CLI give every link).
const matrixMax = 60

func (h *Handler) osteometry(w http.ResponseWriter, r *http.Request, u *homeward.User) {
	d, status, err := h.osteoPage(r, u)
	if err != nil {
		h.fail(w, u, err)
		return
	}
	h.render(w, status, "osteometry", page{Title: "Osteometry", Subject: d.Container.Accession, User: u, Flash: r.URL.Query().Get("flash"), Data: d})
}

func (h *Handler) osteoPage(r *http.Request, u *homeward.User) (*osteoData, int, error) {
	ctx := r.Context()
	c, err := h.cfg.Containers.GetContainerByAccession(ctx, r.PathValue("accession"))
	if err != nil {
		return nil, 0, err
	}
	d := &osteoData{Container: c, CanWrite: u.Can(homeward.PermSpecimenWrite) && h.cfg.Measurements != nil}
	if err := h.loadMeasured(r, d); err != nil {
		return nil, 0, err
	}
	if h.cfg.Osteometry == nil {
		return d, http.StatusOK, nil
	}
	if d.Samples, err = h.cfg.Osteometry.ListReferenceSamples(ctx); err != nil {
		return nil, 0, err
	}
	q := r.URL.Query()
	d.Form = osteoForm{Reference: q.Get("reference"), Alpha: q.Get("alpha"), Tails: 2, Absolute: q.Get("absolute") == "on",
		ZeroMean: q.Get("zero_mean") == "on", YeoJohnson: q.Get("yeo_johnson") == "on", DNA: q.Get("dna") == "on"}
	if d.Form.Alpha == "" {
		d.Form.Alpha = "0.1"
	}
	if q.Get("tails") == "1" {
		d.Form.Tails = 1
	}
	if d.Form.Reference == "" || !u.Can(homeward.PermOsteometry) {
		return d, http.StatusOK, nil
	}
	alpha, err := strconv.ParseFloat(d.Form.Alpha, 64)
	if err != nil {
		d.SortError = &sentence{Format: "%q is not a number", Args: []any{d.Form.Alpha}, Field: "alpha"}
		return d, http.StatusUnprocessableEntity, nil
	}
	st := osteo.Settings{Options: osteo.Options{Alpha: alpha, Tails: d.Form.Tails, Absolute: d.Form.Absolute, ZeroMean: d.Form.ZeroMean, YeoJohnson: d.Form.YeoJohnson},
		Associations: osteo.DefaultAssociations}
	res, err := remains.Osteometry(ctx, h.cfg.Containers, h.cfg.Osteometry, h.cfg.DNA, remains.OsteoOptions{Containers: []string{c.Accession}, Reference: d.Form.Reference, Settings: st, DNA: d.Form.DNA})
	if err != nil {
		d.SortError = refusal(err)
		return d, http.StatusUnprocessableEntity, nil
	}
	d.Result = res
	d.view(res.Sorting)
	return d, http.StatusOK, nil
}

// loadMeasured lists the container's specimens, measured ones with their values by code.
func (h *Handler) loadMeasured(r *http.Request, d *osteoData) error {
	codes := map[string]bool{}
	for sp, err := range homeward.Specimens(r.Context(), h.cfg.Containers, d.Container.ID) {
		if err != nil {
			return err
		}
		if len(sp.Measurements) == 0 {
			d.Unmeasured = append(d.Unmeasured, sp)
			continue
		}
		for c := range sp.Measurements {
			codes[c] = true
		}
		d.Measured = append(d.Measured, measuredRow{Specimen: sp})
	}
	for c := range codes {
		d.Codes = append(d.Codes, c)
	}
	sort.Strings(d.Codes)
	for i := range d.Measured {
		for _, c := range d.Codes {
			v := ""
			if x, ok := d.Measured[i].Specimen.Measurements[c]; ok {
				v = strconv.FormatFloat(x, 'f', -1, 64)
			}
			d.Measured[i].Values = append(d.Measured[i].Values, v)
		}
	}
	return nil
}

// view prepares the sorting for the page: groups with their sample, the matrices, the graph.
func (d *osteoData) view(s *osteo.Sorting) {
	d.Plan = map[string]bool{}
	for i, g := range s.Groups {
		d.Plan[s.Plan[i].Bone] = true
		row := groupRow{Group: g, Sample: s.Plan[i].Bone}
		for _, b := range g.Bones {
			if alt := g.Alternatives[b]; len(alt) > 0 {
				row.Alt = append(row.Alt, b+": "+strings.Join(alt, ", "))
			}
		}
		d.Groups = append(d.Groups, row)
	}
	for t, info := range s.Tests {
		if info.Method == osteo.PairMatch {
			d.Matrices = append(d.Matrices, pairMatrix(s, int32(t), info))
		}
	}
	d.Graph = newGraph(s)
}

func pairMatrix(s *osteo.Sorting, test int32, info osteo.TestInfo) matrix {
	m := matrix{Title: fmt.Sprintf("%s: left (rows) against right (columns), p-values; alpha %g", info.ElementA, info.Options.Alpha)}
	rowOf, colOf := map[int32]int{}, map[int32]int{}
	for i := range s.Links {
		l := s.Links[i]
		if l.Test != test {
			continue
		}
		if _, ok := rowOf[l.A]; !ok {
			if len(rowOf) >= matrixMax {
				m.Truncated = true
				continue
			}
			rowOf[l.A] = len(m.Rows)
			m.Rows = append(m.Rows, matrixRow{Bone: s.BoneID(l.A)})
		}
		if _, ok := colOf[l.B]; !ok {
			if len(colOf) >= matrixMax {
				m.Truncated = true
				continue
			}
			colOf[l.B] = len(m.Cols)
			m.Cols = append(m.Cols, s.BoneID(l.B))
		}
		row := &m.Rows[rowOf[l.A]]
		for len(row.Cells) <= colOf[l.B] {
			row.Cells = append(row.Cells, matrixCell{})
		}
		row.Cells[colOf[l.B]] = cellOf(s.Report(i))
	}
	for i := range m.Rows {
		for len(m.Rows[i].Cells) < len(m.Cols) {
			m.Rows[i].Cells = append(m.Rows[i].Cells, matrixCell{})
		}
	}
	return m
}

func cellOf(r osteo.LinkReport) matrixCell {
	title := fmt.Sprintf("%s – %s: %s", r.A, r.B, strings.Join(r.Measurements, " "))
	if !r.Comparable {
		return matrixCell{Text: "—", Class: "na", Title: title + "; " + r.Reason}
	}
	c := matrixCell{Text: strconv.FormatFloat(*r.P, 'g', 2, 64), Class: "open", Title: fmt.Sprintf("%s; p = %g; %d reference individuals; cannot exclude", title, *r.P, r.RefN)}
	if r.Excluded {
		c.Class, c.Title = "excl", fmt.Sprintf("%s; p = %g; %d reference individuals; excluded", title, *r.P, r.RefN)
	}
	return c
}

// graph draws the candidate groupings as clusters and every comparison that did not exclude as
// a line: the "cannot exclude" graph.
type graph struct {
	W, H      int
	Nodes     []graphNode
	Edges     []graphEdge
	Truncated bool
}

type graphNode struct {
	X, Y        float64
	ID, Label   string
	Class, Desc string
}

type graphEdge struct {
	X1, Y1, X2, Y2 float64
	Class          string
}

// maxEdges bounds the lines drawn.
const maxEdges = 3000

func newGraph(s *osteo.Sorting) *graph {
	const perRow, cell, radius = 6, 150.0, 50.0
	g := &graph{W: perRow * int(cell)}
	g.H = ((len(s.Groups) + perRow - 1) / perRow) * int(cell)
	at := map[string][2]float64{}
	for i, grp := range s.Groups {
		cx, cy := cell*float64(i%perRow)+cell/2, cell*float64(i/perRow)+cell/2
		for k, b := range grp.Bones {
			a := 2 * math.Pi * float64(k) / float64(len(grp.Bones))
			x, y := cx+radius*math.Cos(a), cy+radius*math.Sin(a)
			if len(grp.Bones) == 1 {
				x, y = cx, cy
			}
			at[b] = [2]float64{x, y}
			g.Nodes = append(g.Nodes, graphNode{X: x, Y: y, ID: b, Label: shortLabel(b), Class: "el", Desc: grp.ID})
		}
	}
	for i, l := range s.Links {
		if l.Excluded || !l.Comparable {
			continue
		}
		if len(g.Edges) >= maxEdges {
			g.Truncated = true
			break
		}
		a, b := at[s.BoneID(l.A)], at[s.BoneID(l.B)]
		g.Edges = append(g.Edges, graphEdge{X1: a[0], Y1: a[1], X2: b[0], Y2: b[1], Class: string(s.Tests[s.Links[i].Test].Method)})
	}
	return g
}

// shortLabel is the end of a bone's code, to fit in the drawing.
func shortLabel(id string) string {
	if i := strings.LastIndexAny(id, "-_"); i >= 0 && i < len(id)-1 {
		return id[i+1:]
	}
	return id
}

// recordMeasurements stores measurements from the page: one specimen's, typed in, or a CSV file.
func (h *Handler) recordMeasurements(w http.ResponseWriter, r *http.Request, u *homeward.User) {
	ctx := r.Context()
	c, err := h.cfg.Containers.GetContainerByAccession(ctx, r.PathValue("accession"))
	if err != nil {
		h.fail(w, u, err)
		return
	}
	if h.cfg.Measurements == nil {
		h.fail(w, u, homeward.Errorf(homeward.EUNAVAILABLE, "this server keeps no osteometric data"))
		return
	}
	rows, err := measurementRows(r, c.Accession)
	if err == nil {
		var rep *homeward.MeasurementImport
		rep, err = h.cfg.Measurements.ImportMeasurements(ctx, rows, false)
		if err == nil && len(rep.Rejected) > 0 {
			p := rep.Rejected[0]
			err = homeward.FieldErrorf(p.Field, "line %d (%s): %s; nothing was stored", p.Line, p.Record, p.Message)
		}
		if err == nil {
			flash := fmt.Sprintf("Measurements stored: %d specimen(s) updated, %d created", rep.Updated, rep.Created)
			http.Redirect(w, r, "/containers/"+c.Accession+"/osteometry?flash="+url.QueryEscape(flash), http.StatusSeeOther)
			return
		}
	}
	d, _, derr := h.osteoPage(r, u)
	if derr != nil {
		h.fail(w, u, err)
		return
	}
	h.render(w, http.StatusUnprocessableEntity, "osteometry", page{Title: "Osteometry", Subject: c.Accession, User: u, Error: refusal(err), Data: d})
}
