package web

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/csvio"
)

// containersCSV writes every container the list's filter selects, in its order, with its custody
// state as derived from its chain.
func (h *Handler) containersCSV(w http.ResponseWriter, r *http.Request, u *homeward.User) {
	d, err := h.containersData(r)
	if err != nil {
		h.fail(w, u, err)
		return
	}
	f := homeward.ContainerFilter{Query: d.Query, OperationID: d.Operation, Sort: d.View.Sort()}
	rows := func(emit func([]string) error) error {
		for c, err := range homeward.Containers(r.Context(), h.cfg.Containers, f) {
			if err != nil {
				return err
			}
			var st homeward.CustodyState
			if c.Custody != nil {
				st = *c.Custody
			}
			op := ""
			if c.OperationID != nil {
				op = strconv.FormatInt(*c.OperationID, 10)
			}
			var seals []string
			for _, s := range st.Seals {
				seals = append(seals, s.Number+":"+string(s.Status))
			}
			if err := emit([]string{c.Accession, string(c.Kind), op, c.Description, st.Custodian, st.Location,
				strconv.FormatInt(st.Events, 10), strconv.FormatBool(st.Open), strings.Join(seals, " "), st.HeadHash}); err != nil {
				return err
			}
		}
		return nil
	}
	writeCSV(w, h, "containers.csv", []string{"accession", "kind", "operation_id", "description", "custodian", "location", "events", "open", "seals", "head_hash"}, rows)
}

// identificationsCSV writes every identification of the list's status, newest first.
func (h *Handler) identificationsCSV(w http.ResponseWriter, r *http.Request, u *homeward.User) {
	f := homeward.IdentificationFilter{Status: homeward.IdentStatus(r.URL.Query().Get("status")), Sort: r.URL.Query().Get("sort")}
	rows := func(emit func([]string) error) error {
		for x, err := range homeward.Walk(func(p homeward.Page) (homeward.List[homeward.Identification], error) {
			f.Page = p
			return h.cfg.Idents.ListIdentifications(r.Context(), f)
		}) {
			if err != nil {
				return err
			}
			lr, post := "", ""
			if x.LR != nil {
				lr = strconv.FormatFloat(*x.LR, 'g', -1, 64)
			}
			if x.Posterior != nil {
				post = strconv.FormatFloat(*x.Posterior, 'g', -1, 64)
			}
			if err := emit([]string{strconv.FormatInt(x.ID, 10), strconv.FormatInt(x.MissingPersonID, 10), string(x.Status), x.CurrentStage(),
				x.Author, x.Summary, lr, post}); err != nil {
				return err
			}
		}
		return nil
	}
	writeCSV(w, h, "identifications.csv", []string{"id", "missing_person_id", "status", "stage", "author", "summary", "lr", "posterior"}, rows)
}

// candidatesCSV writes every candidate of a screen, strongest first.
func (h *Handler) candidatesCSV(w http.ResponseWriter, r *http.Request, u *homeward.User) {
	id, err := pathInt(r, "id")
	if err != nil {
		h.fail(w, u, err)
		return
	}
	if _, err := h.cfg.DNA.GetScreen(r.Context(), id); err != nil {
		h.fail(w, u, err)
		return
	}
	rows := func(emit func([]string) error) error {
		for c, err := range homeward.Walk(func(p homeward.Page) (homeward.List[homeward.Candidate], error) {
			return h.cfg.DNA.ListCandidates(r.Context(), id, p)
		}) {
			if err != nil {
				return err
			}
			if err := emit([]string{c.Sample, c.Family, strconv.FormatFloat(c.Log10LR, 'g', -1, 64), strconv.FormatFloat(c.LR, 'g', -1, 64),
				strconv.Itoa(c.Markers), strconv.Itoa(c.Exclusions)}); err != nil {
				return err
			}
		}
		return nil
	}
	writeCSV(w, h, fmt.Sprintf("screen-%d-candidates.csv", id), []string{"sample", "family", "log10_lr", "lr", "markers", "exclusions"}, rows)
}

// familiesCSV writes every reference family the list's search selects, in its order: each
// member with their sex, parents and profile, one row a member, so the pedigrees can be read back.
func (h *Handler) familiesCSV(w http.ResponseWriter, r *http.Request, u *homeward.User) {
	f := homeward.FamilyFilter{Query: r.URL.Query().Get("q"), Sort: r.URL.Query().Get("sort")}
	if err := homeward.ValidateSort(f.Sort, homeward.FamilySorts); err != nil {
		h.fail(w, u, err)
		return
	}
	rows := func(emit func([]string) error) error {
		for fam, err := range homeward.Walk(func(p homeward.Page) (homeward.List[homeward.ReferenceFamily], error) {
			f.Page = p
			return h.cfg.DNA.ListReferenceFamilies(r.Context(), f)
		}) {
			if err != nil {
				return err
			}
			mp := ""
			if fam.MissingPersonID != nil {
				mp = strconv.FormatInt(*fam.MissingPersonID, 10)
			}
			for _, m := range fam.Members {
				profile := ""
				if m.ProfileID != nil {
					profile = strconv.FormatInt(*m.ProfileID, 10)
				}
				if err := emit([]string{fam.Name, mp, fam.Target, m.ID, string(m.Sex), m.Father, m.Mother, profile}); err != nil {
					return err
				}
			}
		}
		return nil
	}
	writeCSV(w, h, "families.csv", []string{"family", "missing_person_id", "target", "member", "sex", "father", "mother", "profile_id"}, rows)
}

// writeCSV streams a CSV download: the header, then each row; an error after the first byte can
// only be logged (the status is sent).
func writeCSV(w http.ResponseWriter, h *Handler, name string, header []string, rows func(emit func([]string) error) error) {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	cw := csv.NewWriter(w)
	err := cw.Write(header)
	if err == nil {
		err = rows(cw.Write)
	}
	cw.Flush()
	if err == nil {
		err = cw.Error()
	}
	if err != nil {
		h.cfg.Logger.Error("web: CSV", "file", name, "error", err)
	}
}

// walkEach is a list walked a page at a time (by its cursors), as the CSV writers take it.
func walkEach[T any](fetch func(homeward.Page) (homeward.List[T], error)) csvio.Each[T] {
	return func(fn func(*T) error) error {
		for x, err := range homeward.Walk(fetch) {
			if err != nil {
				return err
			}
			if err := fn(&x); err != nil {
				return err
			}
		}
		return nil
	}
}
