package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/csvio"
)

// personsPage is how many persons a page of the list shows.
const personsPage = 50

// personsFilter reads the list's filter, order and page from the address.
func (h *Handler) personsFilter(r *http.Request, d *personsData) (homeward.MissingPersonFilter, error) {
	q := r.URL.Query()
	d.Query, d.Unit, d.Place = strings.TrimSpace(q.Get("q")), strings.TrimSpace(q.Get("unit")), strings.TrimSpace(q.Get("place"))
	d.LostFrom, d.LostTo, d.Sort = strings.TrimSpace(q.Get("lost_from")), strings.TrimSpace(q.Get("lost_to")), q.Get("sort")
	f := homeward.MissingPersonFilter{Query: d.Query, Unit: d.Unit, Place: d.Place, LostFrom: d.LostFrom, LostTo: d.LostTo, Sort: d.Sort,
		Page: homeward.Page{Limit: personsPage}}
	if v := q.Get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return f, homeward.FieldErrorf("offset", "%q is not a position in the list", v)
		}
		f.Offset = n
	}
	if v := q.Get("incident"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return f, homeward.FieldErrorf("incident", "%q is not an incident id", v)
		}
		if d.Incident, err = h.cfg.Registry.GetIncident(r.Context(), id); err != nil {
			return f, err
		}
		f.IncidentID = id
	}
	return f, homeward.ValidatePersonSort(d.Sort)
}

// link is the list's address with some parameters changed (the others kept).
func (d *personsData) link(path string, change map[string]string) string {
	v := url.Values{}
	for k, x := range map[string]string{"q": d.Query, "unit": d.Unit, "place": d.Place, "lost_from": d.LostFrom, "lost_to": d.LostTo, "sort": d.Sort} {
		if x != "" {
			v.Set(k, x)
		}
	}
	if d.Incident != nil {
		v.Set("incident", strconv.FormatInt(d.Incident.ID, 10))
	}
	for k, x := range change {
		if x == "" {
			v.Del(k)
		} else {
			v.Set(k, x)
		}
	}
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

// SortLink is the address of the list sorted by col: ascending, or descending when it is sorted
// ascending by it already.
func (d *personsData) SortLink(col string) string {
	s := col
	if d.Sort == col || (col == "name" && d.Sort == "") {
		s = "-" + col
	}
	return d.link("/persons", map[string]string{"sort": s, "offset": ""})
}

// SortState says how the list is sorted by col, for aria-sort: ascending, descending or none.
func (d *personsData) SortState(col string) string {
	switch d.Sort {
	case col:
		return "ascending"
	case "-" + col:
		return "descending"
	}
	if col == "name" && d.Sort == "" {
		return "ascending"
	}
	return "none"
}

// PrevLink and NextLink are the pages around this one ("" at either end); CSVLink the whole
// list as filtered and sorted, as CSV.
func (d *personsData) PrevLink() string {
	if d.Offset == 0 {
		return ""
	}
	return d.link("/persons", map[string]string{"offset": strconv.Itoa(max(0, d.Offset-personsPage))})
}

func (d *personsData) NextLink() string {
	if d.Offset+len(d.List.Items) >= d.List.Total {
		return ""
	}
	return d.link("/persons", map[string]string{"offset": strconv.Itoa(d.Offset + personsPage)})
}

func (d *personsData) CSVLink() string { return d.link("/persons.csv", nil) }

// First and Last number the rows shown (1-based).
func (d *personsData) First() int { return d.Offset + 1 }
func (d *personsData) Last() int  { return d.Offset + len(d.List.Items) }

// personsCSV writes every person the list's filter selects, in its order, as the registers' CSV
// (the layout import reads), a page of the store at a time.
func (h *Handler) personsCSV(w http.ResponseWriter, r *http.Request, u *homeward.User) {
	var d personsData
	f, err := h.personsFilter(r, &d)
	if err != nil {
		h.fail(w, u, err)
		return
	}
	ctx := r.Context()
	codes := map[int64]string{}
	code := func(id int64) string {
		if c, ok := codes[id]; ok {
			return c
		}
		if in, err := h.cfg.Registry.GetIncident(ctx, id); err == nil {
			codes[id] = in.Code
		}
		return codes[id]
	}
	each := func(fn func(*homeward.MissingPerson) error) error {
		for m, err := range homeward.Walk(func(p homeward.Page) (homeward.List[homeward.MissingPerson], error) {
			f.Page = p
			return h.cfg.Registry.ListMissingPersons(ctx, f)
		}) {
			if err != nil {
				return err
			}
			if err := fn(&m); err != nil {
				return err
			}
		}
		return nil
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="missing-persons.csv"`)
	if err := csvio.StreamMissingPersons(w, each, code); err != nil {
		h.cfg.Logger.Error("web: persons CSV", "error", err)
	}
}
