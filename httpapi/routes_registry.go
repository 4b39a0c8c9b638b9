package httpapi

import (
	"net/http"

	"github.com/homeward/homeward"
)

// registryRoutes are the routes of the registry: missing persons, family members, incidents, operations. It is a table (long because it lists routes, each handler a few lines), not logic.
func (s *Server) registryRoutes() []route {
	c := s.cfg
	R, W := homeward.PermRead, homeward.PermRegistryWrite
	return []route{
		{method: "GET", path: v1 + "/missing-persons", perm: R, summary: "List missing persons (q: name or service number; close=true: the names close to q, a letter or two wrong, best first; unit; place: the loss incident's; lost_from, lost_to: date of loss, YYYY[-MM[-DD]]; sort: name, service_number, date_of_loss or status, - first to reverse)", tag: "registry", query: []string{"q", "status", "nationality", "incident_id", "unit", "place", "lost_from", "lost_to", "close", "sort", "limit", "offset", "cursor"}, response: "MissingPersonList",
			handler: func(w http.ResponseWriter, r *http.Request) error {
				p, err := page(r)
				if err != nil {
					return err
				}
				inc, err := queryInt(r, "incident_id")
				if err != nil {
					return err
				}
				q := r.URL.Query()
				l, err := c.Registry.ListMissingPersons(r.Context(), homeward.MissingPersonFilter{Query: q.Get("q"), Status: homeward.Status(q.Get("status")), Nationality: q.Get("nationality"), IncidentID: inc,
					Unit: q.Get("unit"), Place: q.Get("place"), LostFrom: q.Get("lost_from"), LostTo: q.Get("lost_to"), Sort: q.Get("sort"), Close: q.Get("close") == "true", Page: p})
				return respondList(w, r, p, l, err)
			}},
		{method: "POST", path: v1 + "/missing-persons", status: 201, perm: W, summary: "Create a missing person", tag: "registry", request: "MissingPerson", response: "MissingPerson", handler: createH("missing_person", c.Registry.CreateMissingPerson)},
		{method: "GET", path: v1 + "/missing-persons/{id}", perm: R, summary: "Get a missing person", tag: "registry", response: "MissingPerson", handler: getH(c.Registry.GetMissingPerson)},
		{method: "PUT", path: v1 + "/missing-persons/{id}", perm: W, summary: "Replace a missing person (send the version you read)", tag: "registry", request: "MissingPerson", response: "MissingPerson",
			handler: updateH("missing_person", func(m *homeward.MissingPerson, id int64) { m.ID = id }, c.Registry.UpdateMissingPerson)},
		{method: "GET", path: v1 + "/family-members", perm: R, summary: "Find relatives of any missing person by name (q: in Hangul or any romanization, either order; close=true: the names close to q, a letter or two wrong, best first)", tag: "registry", query: []string{"q", "close", "limit", "offset", "cursor"}, response: "FamilyMemberList",
			handler: func(w http.ResponseWriter, r *http.Request) error {
				p, err := page(r)
				if err != nil {
					return err
				}
				q := r.URL.Query()
				l, err := s.cfg.Registry.FindFamilyMembers(r.Context(), homeward.FamilyMemberSearch{Query: q.Get("q"), Close: q.Get("close") == "true", Page: p})
				return respondList(w, r, p, l, err)
			}},
		{method: "GET", path: v1 + "/missing-persons/{id}/family-members", perm: R, summary: "List a missing person's family members", tag: "registry", query: []string{"limit", "offset", "cursor"}, response: "FamilyMemberList",
			handler: pagedByID(c.Registry.ListFamilyMembers)},
		{method: "POST", path: v1 + "/family-members", status: 201, perm: homeward.PermFamilyWrite, summary: "Create a family member", tag: "registry", request: "FamilyMember", response: "FamilyMember", handler: createH("family_member", c.Registry.CreateFamilyMember)},
		{method: "GET", path: v1 + "/family-members/{id}", perm: R, summary: "Get a family member", tag: "registry", response: "FamilyMember", handler: getH(c.Registry.GetFamilyMember)},
		{method: "PUT", path: v1 + "/family-members/{id}", perm: homeward.PermFamilyWrite, summary: "Replace a family member", tag: "registry", request: "FamilyMember", response: "FamilyMember",
			handler: updateH("family_member", func(f *homeward.FamilyMember, id int64) { f.ID = id }, c.Registry.UpdateFamilyMember)},

		{method: "GET", path: v1 + "/incidents", perm: R, summary: "List loss incidents (q: code or place; kind; from, to: date, YYYY[-MM[-DD]]; sort: code, date, place or kind, - first to reverse)", tag: "registry", query: []string{"q", "kind", "from", "to", "sort", "limit", "offset", "cursor"}, response: "IncidentList",
			handler: func(w http.ResponseWriter, r *http.Request) error {
				p, err := page(r)
				if err != nil {
					return err
				}
				q := r.URL.Query()
				l, err := c.Registry.ListIncidents(r.Context(), homeward.IncidentFilter{Query: q.Get("q"), Kind: homeward.IncidentKind(q.Get("kind")), From: q.Get("from"), To: q.Get("to"), Sort: q.Get("sort"), Page: p})
				return respondList(w, r, p, l, err)
			}},
		{method: "POST", path: v1 + "/incidents", status: 201, perm: W, summary: "Create a loss incident", tag: "registry", request: "Incident", response: "Incident", handler: createH("incident", c.Registry.CreateIncident)},
		{method: "GET", path: v1 + "/incidents/{id}", perm: R, summary: "Get a loss incident", tag: "registry", response: "Incident", handler: getH(c.Registry.GetIncident)},
		{method: "PUT", path: v1 + "/incidents/{id}", perm: W, summary: "Replace a loss incident", tag: "registry", request: "Incident", response: "Incident",
			handler: updateH("incident", func(i *homeward.Incident, id int64) { i.ID = id }, c.Registry.UpdateIncident)},

		{method: "GET", path: v1 + "/operations", perm: R, summary: "List operations", tag: "operations", query: []string{"limit", "offset", "cursor"}, response: "OperationList",
			handler: func(w http.ResponseWriter, r *http.Request) error {
				p, err := page(r)
				if err != nil {
					return err
				}
				l, err := c.Operations.ListOperations(r.Context(), p)
				return respondList(w, r, p, l, err)
			}},
		{method: "POST", path: v1 + "/operations", status: 201, perm: homeward.PermOperationWrite, summary: "Create an operation (turnover, excavation, recovery)", tag: "operations", request: "Operation", response: "Operation", handler: createH("operation", c.Operations.CreateOperation)},
		{method: "GET", path: v1 + "/operations/{id}", perm: R, summary: "Get an operation", tag: "operations", response: "Operation", handler: getH(c.Operations.GetOperation)},
		{method: "PUT", path: v1 + "/operations/{id}", perm: homeward.PermOperationWrite, summary: "Replace an operation", tag: "operations", request: "Operation", response: "Operation",
			handler: updateH("operation", func(o *homeward.Operation, id int64) { o.ID = id }, c.Operations.UpdateOperation)},
		{method: "GET", path: v1 + "/operations/{id}/transport-legs", perm: R, summary: "List an operation's transport legs", tag: "operations", response: "TransportLegArray", handler: listByID(c.Operations.ListTransportLegs)},
		{method: "POST", path: v1 + "/operations/{id}/transport-legs", status: 201, perm: homeward.PermOperationWrite, summary: "Add a transport leg", tag: "operations", request: "TransportLeg", response: "TransportLeg",
			handler: childH("transport_leg", func(t *homeward.TransportLeg, id int64) { t.OperationID = id }, c.Operations.AddTransportLeg)},
		{method: "GET", path: v1 + "/operations/{id}/ceremonies", perm: R, summary: "List an operation's ceremonies", tag: "operations", response: "CeremonyArray", handler: listByID(c.Operations.ListCeremonies)},
		{method: "POST", path: v1 + "/operations/{id}/ceremonies", status: 201, perm: homeward.PermOperationWrite, summary: "Add a ceremony", tag: "operations", request: "Ceremony", response: "Ceremony",
			handler: childH("ceremony", func(cer *homeward.Ceremony, id int64) { cer.OperationID = id }, c.Operations.AddCeremony)},
	}
}
