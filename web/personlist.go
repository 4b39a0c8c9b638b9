package web

import (
	"net/http"
	"strconv"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/csvio"
)

// personsPage is how many persons a page of the list shows.
const personsPage = 50

// personsFilter reads the list's filter, order and page from the address.
func (h *Handler) personsFilter(r *http.Request, d *personsData) (homeward.MissingPersonFilter, error) {
	var err error
	if d.listView, err = newListView(r, "/persons", "name", personsPage, "q", "unit", "place", "lost_from", "lost_to", "incident"); err != nil {
		return homeward.MissingPersonFilter{}, err
	}
	v := d.Params
	d.Query, d.Unit, d.Place, d.LostFrom, d.LostTo = v.Get("q"), v.Get("unit"), v.Get("place"), v.Get("lost_from"), v.Get("lost_to")
	f := homeward.MissingPersonFilter{Query: d.Query, Unit: d.Unit, Place: d.Place, LostFrom: d.LostFrom, LostTo: d.LostTo, Sort: d.Sort(),
		Page: homeward.Page{Limit: personsPage, Offset: d.Offset}}
	if x := v.Get("incident"); x != "" {
		id, err := strconv.ParseInt(x, 10, 64)
		if err != nil {
			return f, homeward.FieldErrorf("incident", "%q is not an incident id", x)
		}
		if d.Incident, err = h.cfg.Registry.GetIncident(r.Context(), id); err != nil {
			return f, err
		}
		f.IncidentID = id
	}
	return f, homeward.ValidatePersonSort(d.Sort())
}

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
	each := walkEach(func(p homeward.Page) (homeward.List[homeward.MissingPerson], error) {
		f.Page = p
		return h.cfg.Registry.ListMissingPersons(ctx, f)
	})
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="missing-persons.csv"`)
	if err := csvio.StreamMissingPersons(w, each, code); err != nil {
		h.cfg.Logger.Error("web: persons CSV", "error", err)
	}
}
