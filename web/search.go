package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/homeward/homeward"
)

// searchData is the answer of the search box every page carries: the first few of each kind of
// record the words find, each list with its count and a link to the whole list.
type searchData struct {
	Query      string
	Persons    homeward.List[homeward.MissingPerson]
	Relatives  []relativeHit
	RelTotal   int
	Containers homeward.List[homeward.Container]
	Families   homeward.List[homeward.ReferenceFamily]
	PersonsURL string
}

// relativeHit is a relative found by name, with the missing person they are the relative of.
type relativeHit struct {
	homeward.FamilyMember
	Person *homeward.MissingPerson
}

const searchShown = 10

// search looks for the words in missing persons (name in Hangul or any romanization, service
// number), relatives (name), containers (accession) and reference families (name), each through
// the store's own text search.
func (h *Handler) search(w http.ResponseWriter, r *http.Request, u *homeward.User) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	d := &searchData{Query: q, PersonsURL: "/persons?q=" + url.QueryEscape(q)}
	if q == "" {
		h.render(w, http.StatusOK, "search", page{Title: "Search", User: u, Data: d})
		return
	}
	ctx, p := r.Context(), homeward.Page{Limit: searchShown}
	var err error
	if d.Persons, err = h.cfg.Registry.ListMissingPersons(ctx, homeward.MissingPersonFilter{Query: q, Page: p}); err == nil {
		err = h.findRelatives(r, d)
	}
	if err == nil {
		d.Containers, err = h.cfg.Containers.ListContainers(ctx, homeward.ContainerFilter{Query: q, Page: p})
	}
	if err == nil {
		d.Families, err = h.cfg.DNA.ListReferenceFamilies(ctx, homeward.FamilyFilter{Query: q, Page: p})
	}
	if err != nil {
		h.fail(w, u, err)
		return
	}
	h.render(w, http.StatusOK, "search", page{Title: "Search", Subject: "“" + q + "”", User: u, Data: d})
}

// findRelatives fills the relatives the words name, each with their missing person.
func (h *Handler) findRelatives(r *http.Request, d *searchData) error {
	l, err := h.cfg.Registry.FindFamilyMembers(r.Context(), d.Query, homeward.Page{Limit: searchShown})
	if homeward.ErrorCode(err) == homeward.EINVALID {
		return nil // words with no letters name nobody (a number, say)
	}
	if err != nil {
		return err
	}
	d.RelTotal = l.Total
	for _, f := range l.Items {
		hit := relativeHit{FamilyMember: f}
		if mp, err := h.cfg.Registry.GetMissingPerson(r.Context(), f.MissingPersonID); err == nil {
			hit.Person = mp
		}
		d.Relatives = append(d.Relatives, hit)
	}
	return nil
}
