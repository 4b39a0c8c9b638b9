package httpapi

import (
	"net/http"
	"strconv"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/labfmt/lineagefile"
	"github.com/homeward/homeward/lineage/mtdna"
	"github.com/homeward/homeward/lineage/ystr"
	"github.com/homeward/homeward/profileimport"
	"github.com/homeward/homeward/remains"
)

// importLineage imports a Y-STR or mtDNA results file from the body and answers with its report.
func (s *Server) importLineage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	o := profileimport.LineageOptions{Kind: q.Get("kind"), Role: homeward.ProfileRole(q.Get("role")), File: q.Get("file")}
	if o.File == "" {
		o.File = "upload"
	}
	if v := q.Get("dry_run"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return homeward.FieldErrorf("dry_run", "%q is not true or false", v)
		}
		o.DryRun = b
	}
	rep, err := profileimport.ImportLineage(r.Context(), s.cfg.DNA, http.MaxBytesReader(w, r.Body, lineagefile.MaxSize), o)
	if rep != nil {
		return importAnswer(w, rep, len(rep.Rejected), err)
	}
	return importAnswer(w, rep, 0, err)
}

// lineageMatches lists the stored profiles that may share the profile's paternal or maternal line.
func (s *Server) lineageMatches(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	q := r.URL.Query()
	o := remains.LineageOptions{Kind: q.Get("kind"), Role: homeward.ProfileRole(q.Get("role"))}
	if o.Page, err = page(r); err != nil {
		return err
	}
	if v := q.Get("max_mismatches"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return homeward.FieldErrorf("max_mismatches", "%q is not a whole number", v)
		}
		o.MaxMismatches = &n
	}
	if v := q.Get("meioses"); v != "" {
		if o.Meioses, err = strconv.Atoi(v); err != nil {
			return homeward.FieldErrorf("meioses", "%q is not a whole number", v)
		}
	}
	if v := q.Get("freq"); v != "" {
		if o.HapFreq, err = strconv.ParseFloat(v, 64); err != nil {
			return homeward.FieldErrorf("freq", "%q is not a number", v)
		}
	}
	ms, err := remains.LineageMatches(r.Context(), s.cfg.DNA, id, o)
	return respondList(w, r, o.Page, ms, err)
}

// compareMtDNA compares the two mitochondrial profiles of the body.
func (s *Server) compareMtDNA(w http.ResponseWriter, r *http.Request) error {
	var req mtdnaCompareRequest
	if err := decode(r, "mtdna", &req); err != nil {
		return err
	}
	a, err := mtdna.Parse(req.A.Range, req.A.Variants)
	if err != nil {
		return homeward.FieldErrorf("a", "%v", err)
	}
	b, err := mtdna.Parse(req.B.Range, req.B.Variants)
	if err != nil {
		return homeward.FieldErrorf("b", "%v", err)
	}
	return writeJSON(w, http.StatusOK, mtdna.Compare(a, b, mtdna.Options{}))
}

// compareYSTR compares the two Y-STR haplotypes of the body and, given meioses, computes the paternal-line LR.
func (s *Server) compareYSTR(w http.ResponseWriter, r *http.Request) error {
	var req ystrCompareRequest
	if err := decode(r, "ystr", &req); err != nil {
		return err
	}
	a, err := ystr.Parse(req.A)
	if err != nil {
		return homeward.FieldErrorf("a", "%v", err)
	}
	b, err := ystr.Parse(req.B)
	if err != nil {
		return homeward.FieldErrorf("b", "%v", err)
	}
	res := ystrComparison{Comparison: ystr.Compare(a, b)}
	if req.Meioses > 0 {
		lr, err := ystr.LineageLR(res.Comparison, req.Meioses, req.Rates, req.HaplotypeFrequency)
		if err != nil {
			return homeward.FieldErrorf("haplotype_frequency", "%v", err)
		}
		res.LR = &lr
	}
	return writeJSON(w, http.StatusOK, res)
}
