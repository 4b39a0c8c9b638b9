package httpapi

import (
	"context"
	"net/http"
	"slices"

	"github.com/homeward/homeward"
)

// identRoutes are the routes of identifications, statistics, candidates, DVI, audit, imports and exports.
func (s *Server) identRoutes() []route {
	return slices.Concat(s.identWorkflowRoutes(), s.identReportRoutes(), s.identFamilyRoutes(), s.statsAuditExportRoutes())
}

// identWorkflowRoutes are the routes of identifications and their review workflow.
func (s *Server) identWorkflowRoutes() []route {
	c := s.cfg
	R := homeward.PermRead
	return []route{
		{method: "GET", path: v1 + "/identifications", perm: R, summary: "Identifications, newest first (status: draft, in_review, returned, approved, withdrawn; sort: number or status, - first to reverse)", tag: "identification", query: []string{"status", "sort", "limit", "offset", "cursor"}, response: "IdentificationList",
			handler: func(w http.ResponseWriter, r *http.Request) error {
				p, err := page(r)
				if err != nil {
					return err
				}
				l, err := c.Idents.ListIdentifications(r.Context(), homeward.IdentificationFilter{Status: homeward.IdentStatus(r.URL.Query().Get("status")), Sort: r.URL.Query().Get("sort"), Page: p})
				return respondList(w, r, p, l, err)
			}},
		{method: "POST", path: v1 + "/identifications", status: 201, perm: homeward.PermIdentify, summary: "Propose an identification (a draft; the acting user is its author)", tag: "identification", request: "Identification", response: "Identification", handler: createH("identification", c.Idents.CreateIdentification)},
		{method: "GET", path: v1 + "/identifications/{id}", perm: R, summary: "An identification with its status, stage, LR, posterior and history", tag: "identification", response: "Identification", handler: getH(c.Idents.GetIdentification)},
		{method: "GET", path: v1 + "/identifications/{id}/evidence", perm: R, summary: "The evidence lines (stale when an input changed since)", tag: "identification", response: "EvidenceLineArray",
			handler: getH(c.Idents.ListEvidence)},
		{method: "POST", path: v1 + "/identifications/{id}/evidence", status: 201, perm: homeward.PermIdentify, summary: "Add an evidence line (drafts and returned identifications)", tag: "identification", request: "EvidenceLine", response: "EvidenceLine", handler: s.addEvidence},
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
	}
}

// identReportRoutes are the routes of identification reports and notifications.
func (s *Server) identReportRoutes() []route {
	c := s.cfg
	R := homeward.PermRead
	return []route{
		{method: "GET", path: v1 + "/identifications/{id}/report", perm: R, summary: "The identification report: PDF (default; every evidence line, the DNA line recomputed marker by marker, pedigree, reviews), json (the same data) or summary (plain-language text for the family); lang: en or ko, the language of the report's own words and of the summary", tag: "identification", query: []string{"format", "lang"}, handler: s.identReport},
		{method: "GET", path: v1 + "/identifications/{id}/notifications", perm: R, summary: "Who of the family was told, when and how", tag: "identification", response: "NotificationArray",
			handler: getH(c.Families.ListNotifications)},
		{method: "POST", path: v1 + "/identifications/{id}/notifications", status: 201, perm: homeward.PermFamilyWrite, summary: "Record that a relative was told (approved identifications)", tag: "identification", request: "Notification", response: "Notification", handler: s.addNotification},
		{method: "GET", path: v1 + "/identifications/{id}/disposition", perm: R, summary: "What became of the remains", tag: "identification", response: "Disposition",
			handler: getH(c.Families.GetDisposition)},
	}
}

// identFamilyRoutes are the routes of dispositions, review policy and candidates.
func (s *Server) identFamilyRoutes() []route {
	c := s.cfg
	R := homeward.PermRead
	return []route{
		{method: "PUT", path: v1 + "/identifications/{id}/disposition", perm: homeward.PermFamilyWrite, summary: "Record or replace the disposition of the remains (approved identifications)", tag: "identification", request: "Disposition", response: "Disposition", handler: s.setDisposition},
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
	}
}

// statsAuditExportRoutes are the routes of statistics, DVI, the audit log, imports and exports.
func (s *Server) statsAuditExportRoutes() []route {
	c := s.cfg
	R := homeward.PermRead
	return []route{
		{method: "GET", path: v1 + "/stats/progress", perm: R, summary: "Containers, specimens, victim profiles and approved identifications per month (operation_id: one operation; format=csv for CSV, svg for a chart of running totals)", tag: "identification", query: []string{"operation_id", "format"}, response: "Progress", handler: s.statsProgress},
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
		{method: "GET", path: v1 + "/audit", perm: homeward.PermAuditRead, summary: "The audit log, newest first", tag: "audit", query: []string{"username", "entity", "entity_id", "action", "since", "until", "limit", "offset", "cursor"}, response: "AuditList", handler: s.audit},
		{method: "POST", path: v1 + "/import/{kind}", status: 201, failure: "ImportReport", perm: homeward.PermImport, summary: "Import a CSV register (incidents, missing_persons, family_members), all or nothing", tag: "registry", response: "ImportReport", handler: s.importCSV},
		{method: "GET", path: v1 + "/export/{kind}", perm: R, summary: "Export a register as CSV or JSON", tag: "registry", query: []string{"format"}, handler: s.export},
	}
}
