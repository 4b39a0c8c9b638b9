package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/homeward/homeward"
)

// auditData is a page of the audit log with its filter and the links to the pages around it.
type auditData struct {
	List       homeward.List[homeward.AuditEntry]
	Filter     map[string]string
	Prev, Next string
	From, To   int
}

// audit shows the audit log, newest first, filtered by user, record kind and id, action and
// dates, a page of 50 at a time (administrators and reviewers: those who may read it).
func (h *Handler) audit(w http.ResponseWriter, r *http.Request, u *homeward.User) {
	q := r.URL.Query()
	f := homeward.AuditFilter{Username: q.Get("username"), Entity: q.Get("entity"), Action: q.Get("action"), Page: homeward.Page{Limit: 50}}
	var err error
	if v := q.Get("entity_id"); v != "" {
		if f.EntityID, err = strconv.ParseInt(v, 10, 64); err != nil {
			h.fail(w, u, homeward.FieldErrorf("entity_id", "%q is not a record id", v))
			return
		}
	}
	for _, d := range []struct {
		name string
		dst  **time.Time
	}{{"since", &f.Since}, {"until", &f.Until}} {
		if v := q.Get(d.name); v != "" {
			t, err := time.Parse("2006-01-02", v)
			if err != nil {
				h.fail(w, u, homeward.FieldErrorf(d.name, "%q is not a date (YYYY-MM-DD)", v))
				return
			}
			if d.name == "until" {
				t = t.Add(24 * time.Hour)
			}
			*d.dst = &t
		}
	}
	if v := q.Get("offset"); v != "" {
		f.Offset, _ = strconv.Atoi(v)
	}
	l, err := h.cfg.Users.ListAudit(r.Context(), f)
	if err != nil {
		h.fail(w, u, err)
		return
	}
	d := &auditData{List: l, Filter: map[string]string{}, From: f.Offset + 1, To: f.Offset + len(l.Items)}
	for _, k := range []string{"username", "entity", "entity_id", "action", "since", "until"} {
		d.Filter[k] = q.Get(k)
	}
	link := func(offset int) string {
		v := url.Values{}
		for k, x := range d.Filter {
			if x != "" {
				v.Set(k, x)
			}
		}
		v.Set("offset", strconv.Itoa(offset))
		return "/audit?" + v.Encode()
	}
	if f.Offset > 0 {
		d.Prev = link(max(0, f.Offset-50))
	}
	if f.Offset+len(l.Items) < l.Total {
		d.Next = link(f.Offset + 50)
	}
	h.render(w, http.StatusOK, "audit", page{Title: "Audit log", User: u, Data: d})
}
