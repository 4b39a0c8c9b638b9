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
	Query     string
	Persons   homeward.List[homeward.MissingPerson]
	Relatives []relativeHit
	RelTotal  int
	// PersonsClose and RelativesClose say the names listed are close to the words, not the words:
	// nothing had the name as typed.
	PersonsClose, RelativesClose bool
	Containers                   homeward.List[homeward.Container]
	Families                     homeward.List[homeward.ReferenceFamily]
	PersonsURL                   string
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
	if d.Persons, err = h.cfg.Registry.ListMissingPersons(ctx, homeward.MissingPersonFilter{Query: q, Page: p}); err == nil && d.Persons.Total == 0 {
		// Nothing has the name as typed: the names close to it, in case a letter is wrong.
		if l, cerr := h.cfg.Registry.ListMissingPersons(ctx, homeward.MissingPersonFilter{Query: q, Close: true, Page: p}); cerr == nil && l.Total > 0 {
			d.Persons, d.PersonsClose = l, true
		}
	}
	if err == nil {
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

// findRelatives fills the relatives the words name, or else those with a name close to them, each
// with their missing person.
func (h *Handler) findRelatives(r *http.Request, d *searchData) error {
	f := homeward.FamilyMemberSearch{Query: d.Query, Page: homeward.Page{Limit: searchShown}}
	l, err := h.cfg.Registry.FindFamilyMembers(r.Context(), f)
	if homeward.ErrorCode(err) == homeward.EINVALID {
		return nil // words with no letters name nobody (a number, say)
	}
	if err != nil {
		return err
	}
	if l.Total == 0 {
		f.Close = true
		if cl, cerr := h.cfg.Registry.FindFamilyMembers(r.Context(), f); cerr == nil && cl.Total > 0 {
			l, d.RelativesClose = cl, true
		}
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
