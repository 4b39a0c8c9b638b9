package httpapi

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/blob"
	"github.com/homeward/homeward/chart"
	"github.com/homeward/homeward/frequencies"
	"github.com/homeward/homeward/idreport"
	"github.com/homeward/homeward/labfmt/cmf"
	"github.com/homeward/homeward/labfmt/lineagefile"
	"github.com/homeward/homeward/lineage/mtdna"
	"github.com/homeward/homeward/lineage/ystr"
	"github.com/homeward/homeward/profileimport"
	"github.com/homeward/homeward/remains"
)

const v1 = "/api/v1"

func (s *Server) routeTable() []route {
	c := s.cfg
	R, W := homeward.PermRead, homeward.PermRegistryWrite
	return []route{
		{method: "GET", path: v1 + "/openapi.json", summary: "This document", tag: "meta", handler: s.openAPIHandler},
		{method: "POST", path: v1 + "/session", summary: "Log in: sets a session cookie and returns a bearer token", tag: "auth", request: "Login", response: "SessionInfo", handler: s.login},
		{method: "DELETE", path: v1 + "/session", perm: R, summary: "Log out", tag: "auth", handler: s.logout},
		{method: "GET", path: v1 + "/me", perm: R, summary: "The signed-in user", tag: "auth", response: "User", handler: s.me},

		{method: "GET", path: v1 + "/users", perm: homeward.PermUserAdmin, summary: "List users", tag: "users", response: "UserList", handler: s.listUsers},
		{method: "POST", path: v1 + "/users", perm: homeward.PermUserAdmin, summary: "Create a user", tag: "users", request: "NewUser", response: "User", handler: s.createUser},
		{method: "PUT", path: v1 + "/users/{id}", perm: homeward.PermUserAdmin, summary: "Change a user's name, roles, disabled flag or password", tag: "users", request: "UserUpdate", response: "User", handler: s.updateUser},
		{method: "GET", path: v1 + "/users/{id}/tokens", perm: R, summary: "List a user's API tokens (own, or any for admins)", tag: "users", response: "TokenList", handler: s.listTokens},
		{method: "POST", path: v1 + "/users/{id}/tokens", perm: R, summary: "Create an API token; the secret is shown once", tag: "users", request: "NewToken", response: "NewTokenResult", handler: s.createToken},
		{method: "DELETE", path: v1 + "/tokens/{id}", perm: R, summary: "Revoke an API token", tag: "users", handler: s.revokeToken},

		{method: "GET", path: v1 + "/missing-persons", perm: R, summary: "List missing persons (q: name or service number; unit; place: the loss incident's; lost_from, lost_to: date of loss, YYYY[-MM[-DD]])", tag: "registry", query: []string{"q", "status", "nationality", "incident_id", "unit", "place", "lost_from", "lost_to", "limit", "offset"}, response: "MissingPersonList",
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
					Unit: q.Get("unit"), Place: q.Get("place"), LostFrom: q.Get("lost_from"), LostTo: q.Get("lost_to"), Page: p})
				return respondList(w, r, p, l, err)
			}},
		{method: "POST", path: v1 + "/missing-persons", perm: W, summary: "Create a missing person", tag: "registry", request: "MissingPerson", response: "MissingPerson", handler: createH("missing_person", c.Registry.CreateMissingPerson)},
		{method: "GET", path: v1 + "/missing-persons/{id}", perm: R, summary: "Get a missing person", tag: "registry", response: "MissingPerson", handler: getH(c.Registry.GetMissingPerson)},
		{method: "PUT", path: v1 + "/missing-persons/{id}", perm: W, summary: "Replace a missing person (send the version you read)", tag: "registry", request: "MissingPerson", response: "MissingPerson",
			handler: updateH("missing_person", func(m *homeward.MissingPerson, id int64) { m.ID = id }, c.Registry.UpdateMissingPerson)},
		{method: "GET", path: v1 + "/missing-persons/{id}/family-members", perm: R, summary: "List a missing person's family members", tag: "registry", query: []string{"limit", "offset"}, response: "FamilyMemberList",
			handler: func(w http.ResponseWriter, r *http.Request) error {
				id, err := pathID(r, "id")
				if err != nil {
					return err
				}
				p, err := page(r)
				if err != nil {
					return err
				}
				l, err := c.Registry.ListFamilyMembers(r.Context(), id, p)
				return respondList(w, r, p, l, err)
			}},
		{method: "POST", path: v1 + "/family-members", perm: homeward.PermFamilyWrite, summary: "Create a family member", tag: "registry", request: "FamilyMember", response: "FamilyMember", handler: createH("family_member", c.Registry.CreateFamilyMember)},
		{method: "GET", path: v1 + "/family-members/{id}", perm: R, summary: "Get a family member", tag: "registry", response: "FamilyMember", handler: getH(c.Registry.GetFamilyMember)},
		{method: "PUT", path: v1 + "/family-members/{id}", perm: homeward.PermFamilyWrite, summary: "Replace a family member", tag: "registry", request: "FamilyMember", response: "FamilyMember",
			handler: updateH("family_member", func(f *homeward.FamilyMember, id int64) { f.ID = id }, c.Registry.UpdateFamilyMember)},

		{method: "GET", path: v1 + "/incidents", perm: R, summary: "List loss incidents (q: code or place; kind; from, to: date, YYYY[-MM[-DD]])", tag: "registry", query: []string{"q", "kind", "from", "to", "limit", "offset"}, response: "IncidentList",
			handler: func(w http.ResponseWriter, r *http.Request) error {
				p, err := page(r)
				if err != nil {
					return err
				}
				q := r.URL.Query()
				l, err := c.Registry.ListIncidents(r.Context(), homeward.IncidentFilter{Query: q.Get("q"), Kind: homeward.IncidentKind(q.Get("kind")), From: q.Get("from"), To: q.Get("to"), Page: p})
				return respondList(w, r, p, l, err)
			}},
		{method: "POST", path: v1 + "/incidents", perm: W, summary: "Create a loss incident", tag: "registry", request: "Incident", response: "Incident", handler: createH("incident", c.Registry.CreateIncident)},
		{method: "GET", path: v1 + "/incidents/{id}", perm: R, summary: "Get a loss incident", tag: "registry", response: "Incident", handler: getH(c.Registry.GetIncident)},
		{method: "PUT", path: v1 + "/incidents/{id}", perm: W, summary: "Replace a loss incident", tag: "registry", request: "Incident", response: "Incident",
			handler: updateH("incident", func(i *homeward.Incident, id int64) { i.ID = id }, c.Registry.UpdateIncident)},

		{method: "GET", path: v1 + "/operations", perm: R, summary: "List operations", tag: "operations", query: []string{"limit", "offset"}, response: "OperationList",
			handler: func(w http.ResponseWriter, r *http.Request) error {
				p, err := page(r)
				if err != nil {
					return err
				}
				l, err := c.Operations.ListOperations(r.Context(), p)
				return respondList(w, r, p, l, err)
			}},
		{method: "POST", path: v1 + "/operations", perm: homeward.PermOperationWrite, summary: "Create an operation (turnover, excavation, recovery)", tag: "operations", request: "Operation", response: "Operation", handler: createH("operation", c.Operations.CreateOperation)},
		{method: "GET", path: v1 + "/operations/{id}", perm: R, summary: "Get an operation", tag: "operations", response: "Operation", handler: getH(c.Operations.GetOperation)},
		{method: "PUT", path: v1 + "/operations/{id}", perm: homeward.PermOperationWrite, summary: "Replace an operation", tag: "operations", request: "Operation", response: "Operation",
			handler: updateH("operation", func(o *homeward.Operation, id int64) { o.ID = id }, c.Operations.UpdateOperation)},
		{method: "GET", path: v1 + "/operations/{id}/transport-legs", perm: R, summary: "List an operation's transport legs", tag: "operations", response: "TransportLegArray", handler: listByID(c.Operations.ListTransportLegs)},
		{method: "POST", path: v1 + "/operations/{id}/transport-legs", perm: homeward.PermOperationWrite, summary: "Add a transport leg", tag: "operations", request: "TransportLeg", response: "TransportLeg",
			handler: childH("transport_leg", func(t *homeward.TransportLeg, id int64) { t.OperationID = id }, c.Operations.AddTransportLeg)},
		{method: "GET", path: v1 + "/operations/{id}/ceremonies", perm: R, summary: "List an operation's ceremonies", tag: "operations", response: "CeremonyArray", handler: listByID(c.Operations.ListCeremonies)},
		{method: "POST", path: v1 + "/operations/{id}/ceremonies", perm: homeward.PermOperationWrite, summary: "Add a ceremony", tag: "operations", request: "Ceremony", response: "Ceremony",
			handler: childH("ceremony", func(cer *homeward.Ceremony, id int64) { cer.OperationID = id }, c.Operations.AddCeremony)},

		{method: "GET", path: v1 + "/containers", perm: R, summary: "List containers with their derived custody state", tag: "containers", query: []string{"q", "operation_id", "limit", "offset"}, response: "ContainerList",
			handler: func(w http.ResponseWriter, r *http.Request) error {
				p, err := page(r)
				if err != nil {
					return err
				}
				op, err := queryInt(r, "operation_id")
				if err != nil {
					return err
				}
				l, err := c.Containers.ListContainers(r.Context(), homeward.ContainerFilter{OperationID: op, Query: r.URL.Query().Get("q"), Page: p})
				return respondList(w, r, p, l, err)
			}},
		{method: "POST", path: v1 + "/containers", perm: homeward.PermContainerWrite, summary: "Register a container (empty accession: generated from the scheme)", tag: "containers", request: "Container", response: "Container", handler: createH("container", c.Containers.CreateContainer)},
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
		{method: "POST", path: v1 + "/containers/{accession}/custody", perm: homeward.PermCustodyWrite,
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
			query: []string{"blobs"}, response: "CustodyLogReport",
			handler: func(w http.ResponseWriter, r *http.Request) error {
				rep, err := c.Custody.VerifyCustodyLog(r.Context(), nil)
				if err != nil || r.URL.Query().Get("blobs") != "true" {
					return respond(w, rep, err)
				}
				if c.Blob == nil {
					return homeward.Errorf(homeward.EUNAVAILABLE, "no blob store configured")
				}
				refs, err := c.Evidence.BlobRefs(r.Context())
				if err != nil {
					return err
				}
				probs, err := blob.VerifyRefs(r.Context(), c.Blob, refs)
				rep.Blobs, rep.Problems = len(refs), append(rep.Problems, probs...)
				return respond(w, rep, err)
			}},
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
		{method: "GET", path: v1 + "/containers/{accession}/specimens", perm: R, summary: "List the container's specimens", tag: "containers", query: []string{"limit", "offset"}, response: "SpecimenList",
			handler: s.withContainer(func(w http.ResponseWriter, r *http.Request, ct *homeward.Container) error {
				p, err := page(r)
				if err != nil {
					return err
				}
				l, err := c.Containers.ListSpecimens(r.Context(), ct.ID, p)
				return respondList(w, r, p, l, err)
			})},
		{method: "POST", path: v1 + "/specimens", perm: homeward.PermSpecimenWrite, summary: "Create a specimen", tag: "containers", request: "Specimen", response: "Specimen", handler: createH("specimen", c.Containers.CreateSpecimen)},
		{method: "GET", path: v1 + "/specimens/{id}", perm: R, summary: "Get a specimen", tag: "containers", response: "Specimen", handler: getH(c.Containers.GetSpecimen)},
		{method: "PUT", path: v1 + "/specimens/{id}", perm: homeward.PermSpecimenWrite, summary: "Replace a specimen", tag: "containers", request: "Specimen", response: "Specimen",
			handler: updateH("specimen", func(sp *homeward.Specimen, id int64) { sp.ID = id }, c.Containers.UpdateSpecimen)},

		{method: "POST", path: v1 + "/attachments", perm: homeward.PermEvidenceWrite, summary: "Upload a photo or document (multipart: file, kind, subject_type, subject_id, caption)", tag: "evidence", response: "Attachment", handler: s.upload},
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
		{method: "POST", path: v1 + "/claims", perm: homeward.PermClaimWrite, summary: "Record a claim", tag: "evidence", request: "Claim", response: "Claim", handler: createH("claim", c.Evidence.CreateClaim)},
		{method: "PUT", path: v1 + "/claims/{id}", perm: homeward.PermClaimWrite, summary: "Replace a claim (e.g. add an assessment)", tag: "evidence", request: "Claim", response: "Claim",
			handler: updateH("claim", func(cl *homeward.Claim, id int64) { cl.ID = id }, c.Evidence.UpdateClaim)},

		{method: "POST", path: v1 + "/osteo/test", perm: homeward.PermOsteometry, summary: "One osteometric test case as OsteoSort computes it: pair-matching, articulation or association (osteometric-oracle/input/v1 JSON body)", tag: "osteometry", request: "OsteoCase", response: "OsteoResult", handler: s.osteoTest},
		{method: "POST", path: v1 + "/osteo/sort", perm: homeward.PermOsteometry, summary: "Sort commingled bones by their measurements against a reference sample: every test, MNI by element, candidate groupings, a DNA sampling plan, and reconciliation with DNA results", tag: "osteometry", request: "OsteoSortRequest", response: "OsteoSortResult", handler: s.osteoSort},
		{method: "GET", path: v1 + "/osteo/reference-samples", perm: R, summary: "List the stored reference samples (every version)", tag: "osteometry", response: "OsteoReferenceSampleArray", handler: s.listReferenceSamples},
		{method: "POST", path: v1 + "/osteo/reference-samples", perm: homeward.PermOsteometry, summary: "Import a reference sample as the next version of its name (body: CSV individual,element,side,codes...; name, source, population in the query)", tag: "osteometry",
			query: []string{"name", "source", "population"}, response: "OsteoReferenceSample", handler: s.importReferenceSample},
		{method: "GET", path: v1 + "/osteo/reference-samples/{ref}", perm: R, summary: "A reference sample with its bones (ref: id, name for the newest version, or name@version)", tag: "osteometry", response: "OsteoReferenceSampleBones", handler: s.getReferenceSample},
		{method: "POST", path: v1 + "/osteo/measurements", perm: homeward.PermSpecimenWrite, summary: "Import specimens' measurements (body: CSV id,container,element,side,codes...), all or nothing; new specimens are created in their container", tag: "osteometry",
			query: []string{"dry_run"}, response: "MeasurementImport", handler: s.importMeasurements},
		{method: "POST", path: v1 + "/osteo/sort-stored", perm: homeward.PermOsteometry, summary: "Sort the stored measured specimens of containers against a stored reference sample, optionally reconciled with their DNA grouping", tag: "osteometry", request: "OsteoStoredRequest", response: "OsteoStoredResult", handler: s.osteoSortStored},
		{method: "POST", path: v1 + "/kinship/lr", perm: homeward.PermKinship, summary: "Likelihoods and LRs of a kinship case (homeward/case/v1 JSON body)", tag: "kinship", request: "KinshipCase", response: "KinshipResult", handler: s.kinshipLR},
		{method: "GET", path: v1 + "/profiles", perm: R, summary: "List DNA profiles (role: victim, reference, elimination; q: sample)", tag: "dna", query: []string{"role", "q", "limit", "offset"}, response: "ProfileList",
			handler: func(w http.ResponseWriter, r *http.Request) error {
				p, err := page(r)
				if err != nil {
					return err
				}
				l, err := c.DNA.ListProfiles(r.Context(), homeward.ProfileFilter{Role: homeward.ProfileRole(r.URL.Query().Get("role")), Query: r.URL.Query().Get("q"), Page: p})
				return respondList(w, r, p, l, err)
			}},
		{method: "POST", path: v1 + "/profiles", perm: homeward.PermDNAWrite, summary: "Store a DNA profile", tag: "dna", request: "Profile", response: "Profile", handler: createH("profile", c.DNA.CreateProfile)},
		{method: "POST", path: v1 + "/profiles/import", perm: homeward.PermDNAWrite, summary: "Import a genotype file (body: the file; format=genemapper|cmf|table, role=victim|reference|elimination, dry_run, accept_partial, file=name): a report, all or nothing", tag: "dna",
			query: []string{"format", "role", "dry_run", "accept_partial", "file"}, response: "ProfileImportReport", handler: s.importProfiles},
		{method: "GET", path: v1 + "/profiles/export", perm: R, summary: "Export stored profiles (format=csv|genemapper|cmf|ystr|mtdna; role: only that role)", tag: "dna", query: []string{"format", "role"},
			handler: func(w http.ResponseWriter, r *http.Request) error {
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
				if _, err := profileimport.Export(r.Context(), c.DNA, &buf, format, homeward.ProfileRole(q.Get("role")), cmf.Header{SourceLab: "Homeward", SubmitBy: by, At: time.Now()}); err != nil {
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
			}},
		{method: "POST", path: v1 + "/profiles/import-lineage", perm: homeward.PermDNAWrite, summary: "Import Y-STR (kind=ystr: GeneMapper Yfiler table or sample-by-locus table) or mtDNA (kind=mtdna: CSV sample,range,variants) results (body: the file; role of new samples, dry_run, file=name): a report, all or nothing", tag: "dna",
			query: []string{"kind", "role", "dry_run", "file"}, response: "LineageImportReport",
			handler: func(w http.ResponseWriter, r *http.Request) error {
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
				rep, err := profileimport.ImportLineage(r.Context(), c.DNA, http.MaxBytesReader(w, r.Body, lineagefile.MaxSize), o)
				if err != nil {
					if rep != nil && homeward.ErrorCode(err) == homeward.EINVALID && len(rep.Rejected) > 0 {
						return writeJSON(w, http.StatusUnprocessableEntity, rep)
					}
					return err
				}
				return writeJSON(w, http.StatusOK, rep)
			}},
		{method: "GET", path: v1 + "/profiles/{id}/lineage-matches", perm: R, summary: "Stored profiles (of role, default every role; contamination-flagged ones left out) that may share this profile's paternal line (kind=ystr: at most max_mismatches loci differ, default 2; with meioses and freq, the LR) or maternal line (kind=mtdna: not excluded, with the SWGDAM verdict), closest first; limit and offset page them", tag: "dna",
			query: []string{"kind", "role", "max_mismatches", "meioses", "freq", "limit", "offset"}, response: "LineageMatchList",
			handler: func(w http.ResponseWriter, r *http.Request) error {
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
				ms, err := remains.LineageMatches(r.Context(), c.DNA, id, o)
				if err != nil {
					return err
				}
				return writeJSON(w, http.StatusOK, ms)
			}},
		{method: "GET", path: v1 + "/profiles/{id}", perm: R, summary: "Get a DNA profile", tag: "dna", response: "Profile", handler: getH(c.DNA.GetProfile)},
		{method: "GET", path: v1 + "/reference-families", perm: R, summary: "List reference families", tag: "dna", query: []string{"q", "limit", "offset"}, response: "ReferenceFamilyList",
			handler: func(w http.ResponseWriter, r *http.Request) error {
				p, err := page(r)
				if err != nil {
					return err
				}
				l, err := c.DNA.ListReferenceFamilies(r.Context(), homeward.FamilyFilter{Query: r.URL.Query().Get("q"), Page: p})
				return respondList(w, r, p, l, err)
			}},
		{method: "POST", path: v1 + "/reference-families", perm: homeward.PermDNAWrite, summary: "Store a reference family (pedigree with typed relatives and the missing person as target)", tag: "dna", request: "ReferenceFamily", response: "ReferenceFamily", handler: createH("reference_family", c.DNA.CreateReferenceFamily)},
		{method: "GET", path: v1 + "/reference-families/{id}/lines", perm: R, summary: "The members sharing the missing person's mtDNA (maternal line) and Y chromosome (paternal line), typed or not", tag: "dna", response: "LinesResult",
			handler: getH(func(ctx context.Context, id int64) (*remains.LinesResult, error) {
				return remains.Lines(ctx, c.DNA, id)
			})},
		{method: "GET", path: v1 + "/reference-families/{id}", perm: R, summary: "Get a reference family", tag: "dna", response: "ReferenceFamily", handler: getH(c.DNA.GetReferenceFamily)},
		{method: "GET", path: v1 + "/screens", perm: R, summary: "List screens with their progress", tag: "dna", query: []string{"limit", "offset"}, response: "ScreenList",
			handler: func(w http.ResponseWriter, r *http.Request) error {
				p, err := page(r)
				if err != nil {
					return err
				}
				l, err := c.DNA.ListScreens(r.Context(), p)
				return respondList(w, r, p, l, err)
			}},
		{method: "POST", path: v1 + "/screens", perm: homeward.PermKinship, summary: "Start a screen of every victim profile against every reference family (runs as background jobs)", tag: "dna", request: "ScreenRequest", response: "ScreenStarted", handler: s.startScreen},
		{method: "GET", path: v1 + "/screens/{id}", perm: R, summary: "A screen with its progress (shards done, comparisons, candidates)", tag: "dna", response: "Screen",
			handler: func(w http.ResponseWriter, r *http.Request) error {
				id, err := pathID(r, "id")
				if err != nil {
					return err
				}
				sc, err := c.DNA.GetScreen(r.Context(), id)
				if err == nil {
					sc.Panel = nil
				}
				return respond(w, sc, err)
			}},
		{method: "POST", path: v1 + "/screens/{id}/resume", perm: homeward.PermKinship, summary: "Queue the shards of a screen not yet finished", tag: "dna", response: "ScreenResumed", handler: s.resumeScreen},
		{method: "GET", path: v1 + "/screens/{id}/candidates", perm: R, summary: "A screen's candidate matches, strongest first", tag: "dna", query: []string{"limit", "offset"}, response: "CandidateList",
			handler: func(w http.ResponseWriter, r *http.Request) error {
				id, err := pathID(r, "id")
				if err != nil {
					return err
				}
				p, err := page(r)
				if err != nil {
					return err
				}
				l, err := c.DNA.ListCandidates(r.Context(), id, p)
				return respondList(w, r, p, l, err)
			}},
		{method: "GET", path: v1 + "/mni", perm: R, summary: "Minimum number of individuals of the containers' specimens (container: accession, repeatable; none: all)", tag: "dna", query: []string{"container"}, response: "ContainerMNI",
			handler: func(w http.ResponseWriter, r *http.Request) error {
				res, err := remains.MNI(r.Context(), c.Containers, r.URL.Query()["container"])
				return respond(w, res, err)
			}},
		{method: "POST", path: v1 + "/dna/group", perm: homeward.PermKinship, summary: "Merge victim profiles of one person into individuals (consensus, conflicts) and find related individuals", tag: "dna", request: "GroupOptions", response: "GroupResult",
			handler: func(w http.ResponseWriter, r *http.Request) error {
				var o remains.GroupOptions
				if err := decode(r, "group", &o); err != nil {
					return err
				}
				res, err := remains.Group(r.Context(), c.DNA, c.Containers, o)
				return respond(w, res, err)
			}},
		{method: "POST", path: v1 + "/mtdna/compare", perm: homeward.PermKinship, summary: "Compare two mitochondrial profiles (EMPOP notation) over their common range", tag: "kinship", request: "MtDNACompareRequest", response: "MtDNAComparison",
			handler: func(w http.ResponseWriter, r *http.Request) error {
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
			}},
		{method: "POST", path: v1 + "/ystr/compare", perm: homeward.PermKinship, summary: "Compare two Y-STR haplotypes; with meioses and the haplotype frequency, the paternal-line LR", tag: "kinship", request: "YSTRCompareRequest", response: "YSTRComparison",
			handler: func(w http.ResponseWriter, r *http.Request) error {
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
			}},
		{method: "GET", path: v1 + "/frequency-dbs", perm: R, summary: "Stored frequency databases, every version (markers left out)", tag: "dna", response: "FrequencyDBArray",
			handler: func(w http.ResponseWriter, r *http.Request) error {
				l, err := c.DNA.ListFrequencyDBs(r.Context())
				return respond(w, l, err)
			}},
		{method: "GET", path: v1 + "/frequency-dbs/{name}", perm: R, summary: "A stored frequency database (version: a number; default the latest)", tag: "dna", query: []string{"version"}, response: "FrequencyDB",
			handler: func(w http.ResponseWriter, r *http.Request) error {
				v, err := queryInt(r, "version")
				if err != nil {
					return err
				}
				d, err := c.DNA.GetFrequencyDB(r.Context(), r.PathValue("name"), int(v))
				return respond(w, d, err)
			}},
		{method: "POST", path: v1 + "/frequency-dbs/import", perm: homeward.PermDNAWrite, summary: "Import a frequency file as the next version of a named database (body: the file)", tag: "dna",
			query: []string{"format", "name", "source", "country", "min_freq"}, response: "FrequencyDB",
			handler: func(w http.ResponseWriter, r *http.Request) error {
				q := r.URL.Query()
				o := frequencies.Options{Format: q.Get("format"), Name: q.Get("name"), Source: q.Get("source"), Country: q.Get("country")}
				if v := q.Get("min_freq"); v != "" {
					x, err := strconv.ParseFloat(v, 64)
					if err != nil {
						return homeward.FieldErrorf("min_freq", "%q is not a number", v)
					}
					o.MinFreq = x
				}
				d, err := frequencies.Import(r.Context(), c.DNA, http.MaxBytesReader(w, r.Body, 64<<20), o)
				if err != nil {
					return err
				}
				return writeJSON(w, http.StatusCreated, d)
			}},
		{method: "GET", path: v1 + "/identifications", perm: R, summary: "Identifications, newest first (status: draft, in_review, returned, approved, withdrawn)", tag: "identification", query: []string{"status", "limit", "offset"}, response: "IdentificationList",
			handler: func(w http.ResponseWriter, r *http.Request) error {
				p, err := page(r)
				if err != nil {
					return err
				}
				l, err := c.Idents.ListIdentifications(r.Context(), homeward.IdentStatus(r.URL.Query().Get("status")), p)
				return respondList(w, r, p, l, err)
			}},
		{method: "POST", path: v1 + "/identifications", perm: homeward.PermIdentify, summary: "Propose an identification (a draft; the acting user is its author)", tag: "identification", request: "Identification", response: "Identification", handler: createH("identification", c.Idents.CreateIdentification)},
		{method: "GET", path: v1 + "/identifications/{id}", perm: R, summary: "An identification with its status, stage, LR, posterior and history", tag: "identification", response: "Identification", handler: getH(c.Idents.GetIdentification)},
		{method: "GET", path: v1 + "/identifications/{id}/evidence", perm: R, summary: "The evidence lines (stale when an input changed since)", tag: "identification", response: "EvidenceLineArray",
			handler: getH(c.Idents.ListEvidence)},
		{method: "POST", path: v1 + "/identifications/{id}/evidence", perm: homeward.PermIdentify, summary: "Add an evidence line (drafts and returned identifications)", tag: "identification", request: "EvidenceLine", response: "EvidenceLine",
			handler: func(w http.ResponseWriter, r *http.Request) error {
				id, err := pathID(r, "id")
				if err != nil {
					return err
				}
				var e homeward.EvidenceLine
				if err := decode(r, "evidence", &e); err != nil {
					return err
				}
				e.IdentificationID = id
				if err := c.Idents.AddEvidence(r.Context(), &e); err != nil {
					return err
				}
				return writeJSON(w, http.StatusCreated, e)
			}},
		{method: "POST", path: v1 + "/identifications/{id}/submit", perm: homeward.PermIdentify, summary: "Submit to review (the author)", tag: "identification", request: "ReviewAction", response: "Identification",
			handler: s.identAction(func(ctx context.Context, id int64, a reviewAction) (*homeward.Identification, error) {
				return c.Idents.Submit(ctx, id, a.Comment)
			})},
		{method: "POST", path: v1 + "/identifications/{id}/review", perm: homeward.PermReview, summary: "Approve or return at the current stage (decision: approve|return; comment)", tag: "identification", request: "ReviewAction", response: "Identification",
			handler: s.identAction(func(ctx context.Context, id int64, a reviewAction) (*homeward.Identification, error) {
				return c.Idents.Review(ctx, id, homeward.ReviewDecision(a.Decision), a.Comment)
			})},
		{method: "POST", path: v1 + "/identifications/{id}/withdraw", perm: homeward.PermWithdraw, summary: "Withdraw an approved identification (administrators; comment: the reason)", tag: "identification", request: "ReviewAction", response: "Identification",
			handler: s.identAction(func(ctx context.Context, id int64, a reviewAction) (*homeward.Identification, error) {
				return c.Idents.Withdraw(ctx, id, a.Comment)
			})},
		{method: "GET", path: v1 + "/identifications/{id}/report", perm: R, summary: "The identification report: PDF (default; every evidence line, the DNA line recomputed marker by marker, pedigree, reviews), json (the same data) or summary (plain-language text for the family)", tag: "identification", query: []string{"format"},
			handler: func(w http.ResponseWriter, r *http.Request) error {
				id, err := pathID(r, "id")
				if err != nil {
					return err
				}
				format := r.URL.Query().Get("format")
				if format == "" {
					format = "pdf"
				}
				if err := idreport.CheckFormat(format); err != nil {
					return err
				}
				by := ""
				if u := homeward.UserFromContext(r.Context()); u != nil {
					by = u.Username
				}
				rep, err := idreport.Gather(r.Context(), idreport.Sources{Registry: c.Registry, Containers: c.Containers, DNA: c.DNA, Idents: c.Idents, Family: c.Families}, id, by, time.Now())
				if err != nil {
					return err
				}
				var buf bytes.Buffer
				if err := rep.Write(&buf, format); err != nil {
					return err
				}
				w.Header().Set("Content-Type", idreport.ContentType(format))
				if format == "pdf" {
					w.Header().Set("Content-Disposition", fmt.Sprintf(`inline; filename="identification-%d.pdf"`, id))
				}
				_, err = w.Write(buf.Bytes())
				return err
			}},
		{method: "GET", path: v1 + "/identifications/{id}/notifications", perm: R, summary: "Who of the family was told, when and how", tag: "identification", response: "NotificationArray",
			handler: getH(c.Families.ListNotifications)},
		{method: "POST", path: v1 + "/identifications/{id}/notifications", perm: homeward.PermFamilyWrite, summary: "Record that a relative was told (approved identifications)", tag: "identification", request: "Notification", response: "Notification",
			handler: func(w http.ResponseWriter, r *http.Request) error {
				id, err := pathID(r, "id")
				if err != nil {
					return err
				}
				var n homeward.Notification
				if err := decode(r, "notification", &n); err != nil {
					return err
				}
				n.IdentificationID = id
				if err := c.Families.AddNotification(r.Context(), &n); err != nil {
					return err
				}
				return writeJSON(w, http.StatusCreated, n)
			}},
		{method: "GET", path: v1 + "/identifications/{id}/disposition", perm: R, summary: "What became of the remains", tag: "identification", response: "Disposition",
			handler: getH(c.Families.GetDisposition)},
		{method: "PUT", path: v1 + "/identifications/{id}/disposition", perm: homeward.PermFamilyWrite, summary: "Record or replace the disposition of the remains (approved identifications)", tag: "identification", request: "Disposition", response: "Disposition",
			handler: func(w http.ResponseWriter, r *http.Request) error {
				id, err := pathID(r, "id")
				if err != nil {
					return err
				}
				var d homeward.Disposition
				if err := decode(r, "disposition", &d); err != nil {
					return err
				}
				d.IdentificationID = id
				if err := c.Families.SetDisposition(r.Context(), &d); err != nil {
					return err
				}
				return writeJSON(w, http.StatusOK, d)
			}},
		{method: "GET", path: v1 + "/settings/review-policy", perm: R, summary: "The review stages new identifications pass", tag: "identification", response: "ReviewPolicy",
			handler: func(w http.ResponseWriter, r *http.Request) error {
				p, err := c.Settings.ReviewPolicy(r.Context())
				if err != nil {
					return err
				}
				return writeJSON(w, http.StatusOK, p)
			}},
		{method: "PUT", path: v1 + "/settings/review-policy", perm: homeward.PermSettings, summary: "Set the review stages for identifications created from now on (administrators; versioned and audited)", tag: "identification", request: "ReviewPolicy", response: "ReviewPolicy",
			handler: func(w http.ResponseWriter, r *http.Request) error {
				var p homeward.ReviewPolicy
				if err := decode(r, "review_policy", &p); err != nil {
					return err
				}
				if err := c.Settings.SetReviewPolicy(r.Context(), &p); err != nil {
					return err
				}
				return writeJSON(w, http.StatusOK, p)
			}},
		{method: "GET", path: v1 + "/stats/progress", perm: R, summary: "Containers, specimens, victim profiles and approved identifications per month (operation_id: one operation; format=csv for CSV, svg for a chart of running totals)", tag: "identification", query: []string{"operation_id", "format"}, response: "Progress",
			handler: func(w http.ResponseWriter, r *http.Request) error {
				op, err := queryInt(r, "operation_id")
				if err != nil {
					return err
				}
				var opID *int64
				if op != 0 {
					opID = &op
				}
				p, err := c.Stats.Progress(r.Context(), opID)
				if err != nil {
					return err
				}
				switch r.URL.Query().Get("format") {
				case "csv":
					w.Header().Set("Content-Type", "text/csv; charset=utf-8")
					return homeward.WriteProgressCSV(w, p)
				case "svg":
					svg, err := chart.Progress(p, "Progress (running totals per month)").SVG()
					if err != nil {
						return err
					}
					w.Header().Set("Content-Type", "image/svg+xml")
					_, err = io.WriteString(w, svg)
					return err
				case "", "json":
					return writeJSON(w, http.StatusOK, p)
				}
				return homeward.FieldErrorf("format", "%q is not csv, svg or json", r.URL.Query().Get("format"))
			}},
		{method: "POST", path: v1 + "/candidates", perm: R, summary: "Rank the unaccounted missing persons against what is known of remains (sex, stature, age, ancestry, recovery place), with the reasons each stays or drops", tag: "identification", request: "RemainsProfile", response: "CandidateArray",
			handler: func(w http.ResponseWriter, r *http.Request) error {
				var rp homeward.RemainsProfile
				if err := decode(r, "remains", &rp); err != nil {
					return err
				}
				l, err := homeward.CandidateList(r.Context(), c.Registry, rp)
				return respond(w, l, err)
			}},
		{method: "POST", path: v1 + "/dvi/solve", perm: homeward.PermKinship, summary: "Solve a DVI case (homeward/case/v1 DVI JSON body): pairwise LRs, exclusions, undisputed, joint identification and the conclusions table", tag: "kinship",
			query: []string{"threshold", "threshold2", "max_incomp", "limit", "max_assign", "strict"}, response: "DVIReport", handler: s.dviSolve},
		{method: "GET", path: v1 + "/audit", perm: homeward.PermAuditRead, summary: "The audit log, newest first", tag: "audit", query: []string{"username", "entity", "entity_id", "action", "since", "until", "limit", "offset"}, response: "AuditList", handler: s.audit},
		{method: "POST", path: v1 + "/import/{kind}", perm: homeward.PermImport, summary: "Import a CSV register (incidents, missing_persons, family_members), all or nothing", tag: "registry", response: "ImportReport", handler: s.importCSV},
		{method: "GET", path: v1 + "/export/{kind}", perm: R, summary: "Export a register as CSV or JSON", tag: "registry", query: []string{"format"}, handler: s.export},
	}
}

type verification struct {
	Checked  int                     `json:"checked"`
	Intact   bool                    `json:"intact"`
	Problems []homeward.ChainProblem `json:"problems"`
}

// respondList writes a page of a list with the request for the next page, when there is one, in
// the body (next) and as a Link header (rel="next"): the same query with the offset moved on.
func respondList[T any](w http.ResponseWriter, r *http.Request, p homeward.Page, l homeward.List[T], err error) error {
	if err != nil {
		return err
	}
	p = p.Normalize()
	if end := p.Offset + len(l.Items); len(l.Items) > 0 && end < l.Total {
		q := r.URL.Query()
		q.Set("offset", strconv.Itoa(end))
		q.Set("limit", strconv.Itoa(p.Limit))
		l.Next = r.URL.Path + "?" + q.Encode()
		w.Header().Set("Link", "<"+l.Next+">; rel=\"next\"")
	}
	return writeJSON(w, http.StatusOK, l)
}

func respond(w http.ResponseWriter, v any, err error) error {
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, v)
}

// mtdnaProfile is a mitochondrial profile as text: its range and its variants.
type mtdnaProfile struct {
	Range    string `json:"range"`
	Variants string `json:"variants"`
}

type mtdnaCompareRequest struct {
	A mtdnaProfile `json:"a"`
	B mtdnaProfile `json:"b"`
}

type ystrCompareRequest struct {
	A                  string             `json:"a"`
	B                  string             `json:"b"`
	Meioses            int                `json:"meioses"`
	HaplotypeFrequency float64            `json:"haplotype_frequency"`
	Rates              map[string]float64 `json:"rates"`
}

type ystrComparison struct {
	ystr.Comparison
	LR *float64 `json:"lr,omitempty"`
}

// reviewAction is the body of submit, review and withdraw.
type reviewAction struct {
	Decision string `json:"decision,omitempty"`
	Comment  string `json:"comment"`
}

func (s *Server) identAction(f func(ctx context.Context, id int64, a reviewAction) (*homeward.Identification, error)) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		var a reviewAction
		if err := decode(r, "review", &a); err != nil {
			return err
		}
		x, err := f(r.Context(), id, a)
		return respond(w, x, err)
	}
}
