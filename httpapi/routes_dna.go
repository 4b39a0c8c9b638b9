package httpapi

import (
	"context"
	"net/http"
	"slices"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/remains"
)

// dnaRoutes are the routes of osteometry, kinship, DNA profiles and families, screens, frequency databases.
func (s *Server) dnaRoutes() []route {
	return slices.Concat(s.osteoKinshipRoutes(), s.profileRoutes(), s.familyScreenRoutes(), s.lineageFrequencyRoutes())
}

// osteoKinshipRoutes are the routes of osteometry and kinship computations.
func (s *Server) osteoKinshipRoutes() []route {
	R := homeward.PermRead
	return []route{
		{method: "POST", path: v1 + "/osteo/test", perm: homeward.PermOsteometry, summary: "One osteometric test case as OsteoSort computes it: pair-matching, articulation or association (osteometric-oracle/input/v1 JSON body)", tag: "osteometry", request: "OsteoCase", response: "OsteoResult", handler: s.osteoTest},
		{method: "POST", path: v1 + "/osteo/sort", perm: homeward.PermOsteometry, summary: "Sort commingled bones by their measurements against a reference sample: every test, MNI by element, candidate groupings, a DNA sampling plan, and reconciliation with DNA results", tag: "osteometry", request: "OsteoSortRequest", response: "OsteoSortResult", handler: s.osteoSort},
		{method: "GET", path: v1 + "/osteo/reference-samples", perm: R, summary: "List the stored reference samples (every version)", tag: "osteometry", response: "OsteoReferenceSampleArray", handler: s.listReferenceSamples},
		{method: "POST", path: v1 + "/osteo/reference-samples", status: 201, perm: homeward.PermOsteometry, summary: "Import a reference sample as the next version of its name (body: CSV individual,element,side,codes...; name, source, population in the query)", tag: "osteometry",
			query: []string{"name", "source", "population"}, response: "OsteoReferenceSample", handler: s.importReferenceSample},
		{method: "GET", path: v1 + "/osteo/reference-samples/{ref}", perm: R, summary: "A reference sample with its bones (ref: id, name for the newest version, or name@version)", tag: "osteometry", response: "OsteoReferenceSampleBones", handler: s.getReferenceSample},
		{method: "POST", path: v1 + "/osteo/measurements", perm: homeward.PermSpecimenWrite, summary: "Import specimens' measurements (body: CSV id,container,element,side,codes...), all or nothing; new specimens are created in their container", tag: "osteometry",
			query: []string{"dry_run"}, response: "MeasurementImport", handler: s.importMeasurements},
		{method: "POST", path: v1 + "/osteo/sort-stored", perm: homeward.PermOsteometry, summary: "Sort the stored measured specimens of containers against a stored reference sample, optionally reconciled with their DNA grouping", tag: "osteometry", request: "OsteoStoredRequest", response: "OsteoStoredResult", handler: s.osteoSortStored},
		{method: "POST", path: v1 + "/kinship/lr", perm: homeward.PermKinship, summary: "Likelihoods and LRs of a kinship case (homeward/case/v1 JSON body)", tag: "kinship", request: "KinshipCase", response: "KinshipResult", handler: s.kinshipLR},
	}
}

// profileRoutes are the routes of DNA profiles: listing, storing, imports, exports, lineage imports and matches.
func (s *Server) profileRoutes() []route {
	c := s.cfg
	R := homeward.PermRead
	return []route{
		{method: "GET", path: v1 + "/profiles", perm: R, summary: "List DNA profiles (role: victim, reference, elimination; q: sample)", tag: "dna", query: []string{"role", "q", "limit", "offset", "cursor"}, response: "ProfileList",
			handler: func(w http.ResponseWriter, r *http.Request) error {
				p, err := page(r)
				if err != nil {
					return err
				}
				l, err := c.DNA.ListProfiles(r.Context(), homeward.ProfileFilter{Role: homeward.ProfileRole(r.URL.Query().Get("role")), Query: r.URL.Query().Get("q"), Page: p})
				return respondList(w, r, p, l, err)
			}},
		{method: "POST", path: v1 + "/profiles", status: 201, perm: homeward.PermDNAWrite, summary: "Store a DNA profile", tag: "dna", request: "Profile", response: "Profile", handler: createH("profile", c.DNA.CreateProfile)},
		{method: "POST", path: v1 + "/profiles/import", failure: "ProfileImportReport", perm: homeward.PermDNAWrite, summary: "Import a genotype file (body: the file; format=genemapper|cmf|table, role=victim|reference|elimination, dry_run, accept_partial, file=name): a report, all or nothing", tag: "dna",
			query: []string{"format", "role", "dry_run", "accept_partial", "file"}, response: "ProfileImportReport", handler: s.importProfiles},
		{method: "GET", path: v1 + "/profiles/export", perm: R, summary: "Export stored profiles (format=csv|genemapper|cmf|ystr|mtdna; role: only that role)", tag: "dna", query: []string{"format", "role"}, handler: s.exportProfiles},
		{method: "POST", path: v1 + "/profiles/import-lineage", failure: "LineageImportReport", perm: homeward.PermDNAWrite, summary: "Import Y-STR (kind=ystr: GeneMapper Yfiler table or sample-by-locus table) or mtDNA (kind=mtdna: CSV sample,range,variants) results (body: the file; role of new samples, dry_run, file=name): a report, all or nothing", tag: "dna",
			query: []string{"kind", "role", "dry_run", "file"}, response: "LineageImportReport", handler: s.importLineage},
		{method: "GET", path: v1 + "/profiles/{id}/lineage-matches", perm: R, summary: "Stored profiles (of role, default every role; contamination-flagged ones left out) that may share this profile's paternal line (kind=ystr: at most max_mismatches loci differ, default 2; with meioses and freq, the LR) or maternal line (kind=mtdna: not excluded, with the SWGDAM verdict), closest first; paged by limit and the cursor of the next link (or offset)", tag: "dna",
			query: []string{"kind", "role", "max_mismatches", "meioses", "freq", "limit", "offset", "cursor"}, response: "LineageMatchList", handler: s.lineageMatches},
		{method: "GET", path: v1 + "/profiles/{id}", perm: R, summary: "Get a DNA profile", tag: "dna", response: "Profile", handler: getH(c.DNA.GetProfile)},
	}
}

// familyScreenRoutes are the routes of reference families, screens and their candidates, and DNA grouping.
func (s *Server) familyScreenRoutes() []route {
	c := s.cfg
	R := homeward.PermRead
	return []route{
		{method: "GET", path: v1 + "/reference-families", perm: R, summary: "List reference families (q: name; sort: registered or name, - first to reverse)", tag: "dna", query: []string{"q", "sort", "limit", "offset", "cursor"}, response: "ReferenceFamilyList",
			handler: func(w http.ResponseWriter, r *http.Request) error {
				p, err := page(r)
				if err != nil {
					return err
				}
				l, err := c.DNA.ListReferenceFamilies(r.Context(), homeward.FamilyFilter{Query: r.URL.Query().Get("q"), Sort: r.URL.Query().Get("sort"), Page: p})
				return respondList(w, r, p, l, err)
			}},
		{method: "POST", path: v1 + "/reference-families", status: 201, perm: homeward.PermDNAWrite, summary: "Store a reference family (pedigree with typed relatives and the missing person as target)", tag: "dna", request: "ReferenceFamily", response: "ReferenceFamily", handler: createH("reference_family", c.DNA.CreateReferenceFamily)},
		{method: "GET", path: v1 + "/reference-families/{id}/lines", perm: R, summary: "The members sharing the missing person's mtDNA (maternal line) and Y chromosome (paternal line), typed or not", tag: "dna", response: "LinesResult",
			handler: getH(func(ctx context.Context, id int64) (*remains.LinesResult, error) {
				return remains.Lines(ctx, c.DNA, id)
			})},
		{method: "GET", path: v1 + "/reference-families/{id}", perm: R, summary: "Get a reference family", tag: "dna", response: "ReferenceFamily", handler: getH(c.DNA.GetReferenceFamily)},
		{method: "GET", path: v1 + "/screens", perm: R, summary: "List screens with their progress", tag: "dna", query: []string{"limit", "offset", "cursor"}, response: "ScreenList",
			handler: func(w http.ResponseWriter, r *http.Request) error {
				p, err := page(r)
				if err != nil {
					return err
				}
				l, err := c.DNA.ListScreens(r.Context(), p)
				return respondList(w, r, p, l, err)
			}},
		{method: "POST", path: v1 + "/screens", status: 202, perm: homeward.PermKinship, summary: "Start a screen of every victim profile against every reference family (runs as background jobs)", tag: "dna", request: "ScreenRequest", response: "ScreenStarted", handler: s.startScreen},
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
		{method: "POST", path: v1 + "/screens/{id}/resume", status: 202, perm: homeward.PermKinship, summary: "Queue the shards of a screen not yet finished", tag: "dna", response: "ScreenResumed", handler: s.resumeScreen},
		{method: "GET", path: v1 + "/screens/{id}/candidates", perm: R, summary: "A screen's candidate matches, strongest first", tag: "dna", query: []string{"limit", "offset", "cursor"}, response: "CandidateList",
			handler: pagedByID(c.DNA.ListCandidates)},
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
	}
}

// lineageFrequencyRoutes are the routes of Y-STR and mtDNA comparisons, the frequency databases and their imports.
func (s *Server) lineageFrequencyRoutes() []route {
	c := s.cfg
	R := homeward.PermRead
	return []route{
		{method: "POST", path: v1 + "/mtdna/compare", perm: homeward.PermKinship, summary: "Compare two mitochondrial profiles (EMPOP notation) over their common range", tag: "kinship", request: "MtDNACompareRequest", response: "MtDNAComparison", handler: s.compareMtDNA},
		{method: "POST", path: v1 + "/ystr/compare", perm: homeward.PermKinship, summary: "Compare two Y-STR haplotypes; with meioses and the haplotype frequency, the paternal-line LR", tag: "kinship", request: "YSTRCompareRequest", response: "YSTRComparison", handler: s.compareYSTR},
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
		{method: "POST", path: v1 + "/frequency-dbs/import", status: 201, perm: homeward.PermDNAWrite, summary: "Import a frequency file as the next version of a named database (body: the file)", tag: "dna",
			query: []string{"format", "name", "source", "country", "min_freq"}, response: "FrequencyDB", handler: s.importFrequencyDB},
	}
}
