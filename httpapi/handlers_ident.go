package httpapi

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/chart"
	"github.com/homeward/homeward/idreport"
)

// addEvidence adds the evidence line of the body to the identification.
func (s *Server) addEvidence(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var e homeward.EvidenceLine
	if err := decode(r, "evidence", &e); err != nil {
		return err
	}
	e.IdentificationID = id
	if err := s.cfg.Idents.AddEvidence(r.Context(), &e); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, e)
}

// identReport writes the identification report as PDF, JSON or the summary for the family, in the language asked for.
func (s *Server) identReport(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	format, lang := r.URL.Query().Get("format"), r.URL.Query().Get("lang")
	if format == "" {
		format = "pdf"
	}
	if err := idreport.CheckFormat(format); err != nil {
		return err
	}
	if err := idreport.CheckLang(lang); err != nil {
		return err
	}
	by := ""
	if u := homeward.UserFromContext(r.Context()); u != nil {
		by = u.Username
	}
	rep, err := idreport.Gather(r.Context(), idreport.Sources{Registry: s.cfg.Registry, Containers: s.cfg.Containers, DNA: s.cfg.DNA, Idents: s.cfg.Idents, Family: s.cfg.Families}, id, by, time.Now())
	if err != nil {
		return err
	}
	rep.Lang = lang
	var buf bytes.Buffer
	if err := rep.Write(&buf, format); err != nil {
		return err
	}
	w.Header().Set("Content-Type", idreport.ContentType(format))
	if format == "pdf" {
		w.Header().Set("Content-Disposition", fmt.Sprintf(`inline; filename="identification-%d.pdf"`, id))
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// addNotification records that a relative was told of the identification.
func (s *Server) addNotification(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var n homeward.Notification
	if err := decode(r, "notification", &n); err != nil {
		return err
	}
	n.IdentificationID = id
	if err := s.cfg.Families.AddNotification(r.Context(), &n); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, n)
}

// setDisposition records or replaces the disposition of the identified remains.
func (s *Server) setDisposition(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var d homeward.Disposition
	if err := decode(r, "disposition", &d); err != nil {
		return err
	}
	d.IdentificationID = id
	if err := s.cfg.Families.SetDisposition(r.Context(), &d); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, d)
}

// statsProgress writes the progress per month as JSON, CSV or an SVG chart of running totals.
func (s *Server) statsProgress(w http.ResponseWriter, r *http.Request) error {
	op, err := queryInt(r, "operation_id")
	if err != nil {
		return err
	}
	var opID *int64
	if op != 0 {
		opID = &op
	}
	p, err := s.cfg.Stats.Progress(r.Context(), opID)
	if err != nil {
		return err
	}
	switch r.URL.Query().Get("format") {
	case "csv":
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		return homeward.WriteProgressCSV(w, p)
	case "svg":
		svg, err := chart.Progress(p, "Progress (running totals per month)").SVG()
		if err != nil {
			return err
		}
		w.Header().Set("Content-Type", "image/svg+xml")
		_, err = io.WriteString(w, svg)
		return err
	case "", "json":
		return writeJSON(w, http.StatusOK, p)
	}
	return homeward.FieldErrorf("format", "%q is not csv, svg or json", r.URL.Query().Get("format"))
}
