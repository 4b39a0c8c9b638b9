package httpapi

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/homeward/homeward/dvi"
	"github.com/homeward/homeward/frequencies"
	"github.com/homeward/homeward/labfmt/cmf"
	"github.com/homeward/homeward/labfmt/genemapper"
	"github.com/homeward/homeward/profileimport"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/labfmt/casejson"
)

// maxCase bounds kinship case bodies (frequency tables make them large).
const maxCase = 16 << 20

type screenStarted struct {
	Screen *homeward.Screen `json:"screen"`
	Panel  any              `json:"panel_report"`
}

type screenResumed struct {
	Pending int `json:"pending_shards"`
}

func (s *Server) startScreen(w http.ResponseWriter, r *http.Request) error {
	if s.cfg.Screens == nil {
		return homeward.Errorf(homeward.EUNAVAILABLE, "this server runs no job queue: start screens with homeward screen start")
	}
	var req homeward.ScreenRequest
	if err := decode(r, "screen", &req); err != nil {
		return err
	}
	sc, rep, err := s.cfg.Screens.StartScreen(r.Context(), req)
	if err != nil {
		return err
	}
	sc.Panel = nil
	return writeJSON(w, http.StatusAccepted, screenStarted{Screen: sc, Panel: rep})
}

func (s *Server) resumeScreen(w http.ResponseWriter, r *http.Request) error {
	if s.cfg.Screens == nil {
		return homeward.Errorf(homeward.EUNAVAILABLE, "this server runs no job queue: resume screens with homeward screen resume")
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := s.cfg.DNA.GetScreen(r.Context(), id); err != nil {
		return err
	}
	n, err := s.cfg.Screens.ResumeScreen(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusAccepted, screenResumed{Pending: n})
}

func (s *Server) importProfiles(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	o := profileimport.Options{Format: q.Get("format"), Role: homeward.ProfileRole(q.Get("role")), File: q.Get("file")}
	if o.File == "" {
		o.File = "upload"
	}
	for name, dst := range map[string]*bool{"dry_run": &o.DryRun, "accept_partial": &o.AcceptPartial} {
		if v := q.Get(name); v != "" {
			b, err := strconv.ParseBool(v)
			if err != nil {
				return homeward.FieldErrorf(name, "%q is not true or false", v)
			}
			*dst = b
		}
	}
	rep, err := profileimport.Import(r.Context(), s.cfg.DNA, http.MaxBytesReader(w, r.Body, genemapper.MaxSize), o)
	if err != nil {
		rep.Refused = homeward.ErrorMessage(err)
	}
	return importAnswer(w, rep, len(rep.Rejected), err)
}

// importAnswer answers an import with its report: 200 when it was stored (or would be, on a dry
// run); 422 with the report itself when rows were rejected and nothing stored, so that the
// client sees every rejected row and why; other failures as problems.
func importAnswer(w http.ResponseWriter, rep any, rejected int, err error) error {
	switch {
	case err == nil:
		return writeJSON(w, http.StatusOK, rep)
	case rejected > 0 && homeward.ErrorCode(err) == homeward.EINVALID:
		return writeJSON(w, http.StatusUnprocessableEntity, rep)
	}
	return err
}

func (s *Server) dviSolve(w http.ResponseWriter, r *http.Request) error {
	o := dvi.DefaultSolveOptions()
	q := r.URL.Query()
	for name, dst := range map[string]*float64{"threshold": &o.Threshold, "threshold2": &o.Threshold2, "limit": &o.Limit} {
		if v := q.Get(name); v != "" {
			x, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return homeward.FieldErrorf(name, "%q is not a number", v)
			}
			*dst = x
		}
	}
	for name, dst := range map[string]*int{"max_incomp": &o.MaxIncomp, "max_assign": &o.MaxAssign} {
		if v := q.Get(name); v != "" {
			x, err := strconv.Atoi(v)
			if err != nil {
				return homeward.FieldErrorf(name, "%q is not a whole number", v)
			}
			*dst = x
		}
	}
	if v := q.Get("strict"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return homeward.FieldErrorf("strict", "%q is not true or false", v)
		}
		o.Strict = b
	}
	var oe *dvi.OptionError
	if err := o.Check(); errors.As(err, &oe) {
		return homeward.FieldErrorf(oe.Field, "%s", oe.Problem)
	}
	p, err := dvi.ReadProblem(http.MaxBytesReader(w, r.Body, maxCase))
	if err != nil {
		return homeward.FieldErrorf("case", "%v", err)
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.ComputeTimeout)
	defer cancel()
	rep, err := dvi.Analyse(p.WithContext(ctx), o)
	if errors.Is(err, context.DeadlineExceeded) {
		return homeward.Errorf(homeward.ETOOLARGE, "the DVI analysis ran longer than %s and was stopped: restrict the pairings, lower max_assign, or run it with homeward dvi solve", s.cfg.ComputeTimeout)
	}
	if errors.Is(err, context.Canceled) {
		return err
	}
	if err != nil {
		return homeward.FieldErrorf("case", "%v", err)
	}
	return writeJSON(w, http.StatusOK, rep)
}

func (s *Server) kinshipLR(w http.ResponseWriter, r *http.Request) error {
	res, err := casejson.SolveKinship(http.MaxBytesReader(w, r.Body, maxCase))
	if err != nil {
		// Everything SolveKinship refuses is a problem of the case sent: name it as such.
		return homeward.FieldErrorf("case", "%v", err)
	}
	return writeJSON(w, http.StatusOK, res)
}

// exportProfiles writes the stored profiles (of a role, if given) in the format asked for (default csv).
func (s *Server) exportProfiles(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	format := q.Get("format")
	if format == "" {
		format = "csv"
	}
	if !slices.Contains(profileimport.ExportFormats, format) {
		return homeward.FieldErrorf("format", "unknown export format %q (one of %v)", format, profileimport.ExportFormats)
	}
	by := ""
	if u := homeward.UserFromContext(r.Context()); u != nil {
		by = u.Username
	}
	var buf bytes.Buffer
	if _, err := profileimport.Export(r.Context(), s.cfg.DNA, &buf, format, homeward.ProfileRole(q.Get("role")), cmf.Header{SourceLab: "Homeward", SubmitBy: by, At: time.Now()}); err != nil {
		return err
	}
	types := map[string]string{"csv": "text/csv; charset=utf-8", "mtdna": "text/csv; charset=utf-8", "cmf": "application/xml"}
	ct := types[format]
	if ct == "" {
		ct = "text/tab-separated-values; charset=utf-8"
	}
	w.Header().Set("Content-Type", ct)
	_, err := w.Write(buf.Bytes())
	return err
}

// importFrequencyDB stores the frequency file of the body as the next version of its database.
func (s *Server) importFrequencyDB(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	o := frequencies.Options{Format: q.Get("format"), Name: q.Get("name"), Source: q.Get("source"), Country: q.Get("country")}
	if v := q.Get("min_freq"); v != "" {
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return homeward.FieldErrorf("min_freq", "%q is not a number", v)
		}
		o.MinFreq = x
	}
	d, err := frequencies.Import(r.Context(), s.cfg.DNA, http.MaxBytesReader(w, r.Body, 64<<20), o)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, d)
}
