package httpapi

import (
	"bytes"
	"context"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/frequencies"
	"github.com/homeward/homeward/labfmt/cmf"
	"github.com/homeward/homeward/labfmt/lineagefile"
	"github.com/homeward/homeward/lineage/mtdna"
	"github.com/homeward/homeward/lineage/ystr"
	"github.com/homeward/homeward/profileimport"
	"github.com/homeward/homeward/remains"
)

// dnaRoutes are the routes of osteometry, kinship, DNA profiles and families, screens, frequency databases.
func (s *Server) dnaRoutes() []route {
	return slices.Concat(s.osteoKinshipProfileRoutes(), s.profileRoutes(), s.familyScreenRoutes(), s.lineageFrequencyRoutes(), s.frequencyImportRoutes())
}

// osteoKinshipProfileRoutes are the routes of osteometry, kinship computations and profile export.
func (s *Server) osteoKinshipProfileRoutes() []route {
	c := s.cfg
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
	}
}

// profileRoutes are the routes of DNA profiles: imports, lineage imports, reading and changes.
func (s *Server) profileRoutes() []route {
	c := s.cfg
	R := homeward.PermRead
	return []route{
		{method: "POST", path: v1 + "/profiles/import-lineage", failure: "LineageImportReport", perm: homeward.PermDNAWrite, summary: "Import Y-STR (kind=ystr: GeneMapper Yfiler table or sample-by-locus table) or mtDNA (kind=mtdna: CSV sample,range,variants) results (body: the file; role of new samples, dry_run, file=name): a report, all or nothing", tag: "dna",
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
				if rep != nil {
					return importAnswer(w, rep, len(rep.Rejected), err)
				}
				return importAnswer(w, rep, 0, err)
			}},
		{method: "GET", path: v1 + "/profiles/{id}/lineage-matches", perm: R, summary: "Stored profiles (of role, default every role; contamination-flagged ones left out) that may share this profile's paternal line (kind=ystr: at most max_mismatches loci differ, default 2; with meioses and freq, the LR) or maternal line (kind=mtdna: not excluded, with the SWGDAM verdict), closest first; paged by limit and the cursor of the next link (or offset)", tag: "dna",
			query: []string{"kind", "role", "max_mismatches", "meioses", "freq", "limit", "offset", "cursor"}, response: "LineageMatchList",
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
				return respondList(w, r, o.Page, ms, err)
			}},
		{method: "GET", path: v1 + "/profiles/{id}", perm: R, summary: "Get a DNA profile", tag: "dna", response: "Profile", handler: getH(c.DNA.GetProfile)},
	}
}

// familyScreenRoutes are the routes of reference families, screens and their candidates, and DNA grouping.
func (s *Server) familyScreenRoutes() []route {
	c := s.cfg
	R := homeward.PermRead
	return []route{
		{method: "GET", path: v1 + "/reference-families", perm: R, summary: "List reference families", tag: "dna", query: []string{"q", "limit", "offset", "cursor"}, response: "ReferenceFamilyList",
			handler: func(w http.ResponseWriter, r *http.Request) error {
				p, err := page(r)
				if err != nil {
					return err
				}
				l, err := c.DNA.ListReferenceFamilies(r.Context(), homeward.FamilyFilter{Query: r.URL.Query().Get("q"), Page: p})
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

// lineageFrequencyRoutes are the routes of Y-STR and mtDNA comparisons and the frequency databases.
func (s *Server) lineageFrequencyRoutes() []route {
	c := s.cfg
	R := homeward.PermRead
	return []route{
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
	}
}

// frequencyImportRoutes are the routes of frequency database imports.
func (s *Server) frequencyImportRoutes() []route {
	c := s.cfg
	return []route{
		{method: "POST", path: v1 + "/frequency-dbs/import", status: 201, perm: homeward.PermDNAWrite, summary: "Import a frequency file as the next version of a named database (body: the file)", tag: "dna",
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
	}
}
