package httpapi

import (
	"bytes"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/homeward/homeward"
)

// custodyRoutes are the routes of containers, custody, specimens, attachments and claims.
func (s *Server) custodyRoutes() []route {
	return slices.Concat(s.containerRoutes(), s.custodyChainRoutes(), s.specimenEvidenceRoutes())
}

// containerRoutes are the routes of containers and their custody events.
func (s *Server) containerRoutes() []route {
	c := s.cfg
	R := homeward.PermRead
	return []route{
		{method: "GET", path: v1 + "/containers", perm: R, summary: "List containers with their derived custody state (sort: accession, registered, kind or events, - first to reverse)", tag: "containers", query: []string{"q", "operation_id", "sort", "limit", "offset", "cursor"}, response: "ContainerList",
			handler: func(w http.ResponseWriter, r *http.Request) error {
				p, err := page(r)
				if err != nil {
					return err
				}
				op, err := queryInt(r, "operation_id")
				if err != nil {
					return err
				}
				l, err := c.Containers.ListContainers(r.Context(), homeward.ContainerFilter{OperationID: op, Query: r.URL.Query().Get("q"), Sort: r.URL.Query().Get("sort"), Page: p})
				return respondList(w, r, p, l, err)
			}},
		{method: "POST", path: v1 + "/containers", status: 201, perm: homeward.PermContainerWrite, summary: "Register a container (empty accession: generated from the scheme)", tag: "containers", request: "Container", response: "Container", handler: createH("container", c.Containers.CreateContainer)},
		{method: "GET", path: v1 + "/containers/{accession}", perm: R, summary: "Get a container by accession number, with custodian, location and seals", tag: "containers", response: "Container",
			handler: func(w http.ResponseWriter, r *http.Request) error {
				ct, err := c.Containers.GetContainerByAccession(r.Context(), r.PathValue("accession"))
				return respond(w, ct, err)
			}},
		{method: "GET", path: v1 + "/containers/{accession}/custody", perm: R, summary: "The container's chain of custody; ETag is the chain's head (hash of its newest event)", tag: "custody", response: "CustodyEventArray",
			handler: s.withContainer(func(w http.ResponseWriter, r *http.Request, ct *homeward.Container) error {
				ev, err := c.Custody.ListCustodyEvents(r.Context(), ct.ID)
				if err == nil {
					head := ""
					if len(ev) > 0 {
						head = ev[len(ev)-1].Hash
					}
					w.Header().Set("ETag", strconv.Quote(head))
				}
				return respond(w, ev, err)
			})},
		{method: "POST", path: v1 + "/containers/{accession}/custody", status: 201, perm: homeward.PermCustodyWrite,
			summary: "Append a custody event. Idempotency-Key: a retry with the same key returns the first result (Idempotent-Replayed: true). If-Match: the chain's ETag as read; 412 when someone appended since", tag: "custody", request: "CustodyEvent", response: "CustodyEvent",
			handler: s.withContainer(func(w http.ResponseWriter, r *http.Request, ct *homeward.Container) error {
				var e homeward.CustodyEvent
				if err := decode(r, "custody_event", &e); err != nil {
					return err
				}
				o := homeward.AppendOptions{IdempotencyKey: r.Header.Get("Idempotency-Key")}
				if im := strings.TrimSpace(r.Header.Get("If-Match")); im != "" && im != "*" {
					head, err := strconv.Unquote(im)
					if err != nil {
						return homeward.FieldErrorf("If-Match", "%q is not a quoted entity tag (the ETag of GET .../custody)", im)
					}
					o.ExpectHead = &head
				}
				replayed, err := c.Custody.AppendCustodyEventWith(r.Context(), ct.ID, &e, o)
				if err != nil {
					return err
				}
				if replayed {
					w.Header().Set("Idempotent-Replayed", "true")
				}
				w.Header().Set("ETag", strconv.Quote(e.Hash))
				return writeJSON(w, http.StatusCreated, e)
			})},
	}
}

// custodyChainRoutes are the routes of custody verification, seals, the custody log and its checkpoints.
func (s *Server) custodyChainRoutes() []route {
	c := s.cfg
	R := homeward.PermRead
	return []route{
		{method: "GET", path: v1 + "/containers/{accession}/custody/verify", perm: R, summary: "Verify one chain: intact, or the first bad event", tag: "custody", response: "Verification",
			handler: s.withContainer(func(w http.ResponseWriter, r *http.Request, ct *homeward.Container) error {
				p, err := c.Custody.VerifyCustody(r.Context(), ct.ID)
				if err != nil {
					return err
				}
				probs := []homeward.ChainProblem{}
				if p != nil {
					probs = append(probs, *p)
				}
				return writeJSON(w, http.StatusOK, verification{Checked: 1, Intact: p == nil, Problems: probs})
			})},
		{method: "GET", path: v1 + "/custody/verify", perm: R, summary: "Verify every chain of custody", tag: "custody", response: "Verification",
			handler: func(w http.ResponseWriter, r *http.Request) error {
				total := 0
				probs, err := c.Custody.VerifyAllCustody(r.Context(), func(_, t int) { total = t })
				if err != nil {
					return err
				}
				return writeJSON(w, http.StatusOK, verification{Checked: total, Intact: len(probs) == 0, Problems: probs})
			}},
		{method: "GET", path: v1 + "/custody/log", perm: R, summary: "Verify every chain and the custody log against its newest signed checkpoint (blobs=true: re-hash every photo and document too)", tag: "custody",
			query: []string{"blobs"}, response: "CustodyLogReport", handler: s.verifyCustodyLog},
		{method: "POST", path: v1 + "/custody/log/consistency", perm: R, summary: "Prove the custody log extends an earlier checkpoint (body: the signed checkpoint as exported, text/plain)", tag: "custody", response: "CustodyLogReport",
			handler: func(w http.ResponseWriter, r *http.Request) error {
				b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 64<<10))
				if err != nil || len(bytes.TrimSpace(b)) == 0 {
					return homeward.FieldErrorf("checkpoint", "the body must be a signed checkpoint (homeward custody checkpoint), at most 64 KB")
				}
				rep, err := c.Custody.VerifyCustodyLog(r.Context(), [][]byte{b})
				return respond(w, rep, err)
			}},
		{method: "GET", path: v1 + "/custody/checkpoint", perm: R, summary: "The custody log's newest signed checkpoint (text/plain, signed-note format)", tag: "custody",
			handler: func(w http.ResponseWriter, r *http.Request) error {
				msg, err := c.Custody.NewestCheckpoint(r.Context())
				if err != nil {
					return err
				}
				w.Header().Set("Content-Type", "text/plain; charset=utf-8")
				_, err = w.Write(msg)
				return err
			}},
		{method: "GET", path: v1 + "/custody/keys", perm: R, summary: "The public keys that verify the custody log's checkpoints, current first (text/plain, one per line)", tag: "custody",
			handler: func(w http.ResponseWriter, r *http.Request) error {
				w.Header().Set("Content-Type", "text/plain; charset=utf-8")
				_, err := io.WriteString(w, strings.Join(c.Custody.CustodyVerifierKeys(), "\n")+"\n")
				return err
			}},
	}
}

// specimenEvidenceRoutes are the routes of specimens, attachments (photos) and claims.
func (s *Server) specimenEvidenceRoutes() []route {
	c := s.cfg
	R := homeward.PermRead
	return []route{
		{method: "GET", path: v1 + "/containers/{accession}/specimens", perm: R, summary: "List the container's specimens", tag: "containers", query: []string{"limit", "offset", "cursor"}, response: "SpecimenList",
			handler: s.withContainer(func(w http.ResponseWriter, r *http.Request, ct *homeward.Container) error {
				p, err := page(r)
				if err != nil {
					return err
				}
				l, err := c.Containers.ListSpecimens(r.Context(), ct.ID, p)
				return respondList(w, r, p, l, err)
			})},
		{method: "POST", path: v1 + "/specimens", status: 201, perm: homeward.PermSpecimenWrite, summary: "Create a specimen", tag: "containers", request: "Specimen", response: "Specimen", handler: createH("specimen", c.Containers.CreateSpecimen)},
		{method: "GET", path: v1 + "/specimens/{id}", perm: R, summary: "Get a specimen", tag: "containers", response: "Specimen", handler: getH(c.Containers.GetSpecimen)},
		{method: "PUT", path: v1 + "/specimens/{id}", perm: homeward.PermSpecimenWrite, summary: "Replace a specimen", tag: "containers", request: "Specimen", response: "Specimen",
			handler: updateH("specimen", func(sp *homeward.Specimen, id int64) { sp.ID = id }, c.Containers.UpdateSpecimen)},

		{method: "POST", path: v1 + "/attachments", status: 201, perm: homeward.PermEvidenceWrite, summary: "Upload a photo or document (multipart: file, kind, subject_type, subject_id, caption)", tag: "evidence", response: "Attachment", handler: s.upload},
		{method: "GET", path: v1 + "/attachments", perm: R, summary: "List the attachments of a record", tag: "evidence", query: []string{"subject_type", "subject_id"}, response: "AttachmentArray",
			handler: func(w http.ResponseWriter, r *http.Request) error {
				sub, err := subject(r)
				if err != nil {
					return err
				}
				l, err := c.Evidence.ListAttachments(r.Context(), sub)
				return respond(w, l, err)
			}},
		{method: "GET", path: v1 + "/attachments/{id}", perm: R, summary: "Get an attachment's metadata", tag: "evidence", response: "Attachment", handler: getH(c.Evidence.GetAttachment)},
		{method: "GET", path: v1 + "/blobs/{sha}", perm: R, summary: "Download stored content (an original or a thumbnail) by SHA-256", tag: "evidence", handler: s.download},
		{method: "GET", path: v1 + "/claims", perm: R, summary: "List the claims about a record (unverified statements, shown as claims)", tag: "evidence", query: []string{"subject_type", "subject_id"}, response: "ClaimArray",
			handler: func(w http.ResponseWriter, r *http.Request) error {
				sub, err := subject(r)
				if err != nil {
					return err
				}
				l, err := c.Evidence.ListClaims(r.Context(), sub)
				return respond(w, l, err)
			}},
		{method: "POST", path: v1 + "/claims", status: 201, perm: homeward.PermClaimWrite, summary: "Record a claim", tag: "evidence", request: "Claim", response: "Claim", handler: createH("claim", c.Evidence.CreateClaim)},
		{method: "PUT", path: v1 + "/claims/{id}", perm: homeward.PermClaimWrite, summary: "Replace a claim (e.g. add an assessment)", tag: "evidence", request: "Claim", response: "Claim",
			handler: updateH("claim", func(cl *homeward.Claim, id int64) { cl.ID = id }, c.Evidence.UpdateClaim)},
	}
}
