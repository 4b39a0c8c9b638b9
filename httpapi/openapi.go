package httpapi

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3gen"
	"github.com/homeward/homeward/dvi"
	"github.com/homeward/homeward/lineage/mtdna"
	"github.com/homeward/homeward/remains"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/labfmt/casejson"
	"github.com/homeward/homeward/labfmt/lineagefile"
	"github.com/homeward/homeward/osteo"
)

// schemaTypes names the Go type behind each schema the route table mentions. The OpenAPI
// components are derived from these types by reflection, so the document follows the code.
var schemaTypes = map[string]any{
	"Login": loginRequest{}, "SessionInfo": sessionInfo{}, "User": homeward.User{}, "UserList": []homeward.User{},
	"NewUser": newUser{}, "UserUpdate": userUpdate{}, "Settings": settings{}, "TokenList": []homeward.APIToken{}, "NewToken": newToken{}, "NewTokenResult": newTokenResult{},
	"MissingPerson": homeward.MissingPerson{}, "MissingPersonList": homeward.List[homeward.MissingPerson]{},
	"FamilyMember": homeward.FamilyMember{}, "FamilyMemberList": homeward.List[homeward.FamilyMember]{},
	"Incident": homeward.Incident{}, "IncidentList": homeward.List[homeward.Incident]{},
	"Operation": homeward.Operation{}, "OperationList": homeward.List[homeward.Operation]{},
	"TransportLeg": homeward.TransportLeg{}, "TransportLegArray": []homeward.TransportLeg{},
	"Ceremony": homeward.Ceremony{}, "CeremonyArray": []homeward.Ceremony{},
	"Container": homeward.Container{}, "ContainerList": homeward.List[homeward.Container]{},
	"CustodyEvent": homeward.CustodyEvent{}, "CustodyEventArray": []homeward.CustodyEvent{}, "Verification": verification{}, "CustodyLogReport": homeward.CustodyLogReport{},
	"Specimen": homeward.Specimen{}, "SpecimenList": homeward.List[homeward.Specimen]{},
	"Attachment": homeward.Attachment{}, "AttachmentArray": []homeward.Attachment{},
	"Claim": homeward.Claim{}, "ClaimArray": []homeward.Claim{},
	"AuditList": homeward.List[homeward.AuditEntry]{}, "ImportReport": homeward.ImportReport{}, "Error": problem{},
	"OsteoReferenceSampleArray": []homeward.OsteoReferenceSample{}, "OsteoReferenceSample": homeward.OsteoReferenceSample{}, "OsteoReferenceSampleBones": referenceSampleBones{},
	"MeasurementImport": homeward.MeasurementImport{}, "OsteoStoredRequest": remains.OsteoOptions{}, "OsteoStoredResult": remains.OsteoResult{},
	"OsteoCase": osteo.CaseFile{}, "OsteoResult": osteo.Result{}, "OsteoSortRequest": osteoSortRequest{}, "OsteoSortResult": osteoSortResult{},
	"KinshipCase": casejson.Case{}, "KinshipResult": casejson.KinshipResult{}, "DVIReport": dvi.Report{},
	"Profile": homeward.Profile{}, "ProfileList": homeward.List[homeward.Profile]{},
	"ReferenceFamily": homeward.ReferenceFamily{}, "ReferenceFamilyList": homeward.List[homeward.ReferenceFamily]{},
	"Screen": homeward.Screen{}, "ScreenList": homeward.List[homeward.Screen]{}, "ScreenRequest": homeward.ScreenRequest{},
	"LinesResult": remains.LinesResult{}, "ContainerMNI": dvi.ContainerMNI{}, "GroupOptions": remains.GroupOptions{}, "GroupResult": remains.GroupResult{},
	"ProfileImportReport": homeward.ProfileImportReport{}, "Progress": homeward.Progress{},
	"Notification": homeward.Notification{}, "NotificationArray": []homeward.Notification{}, "Disposition": homeward.Disposition{}, "ReviewPolicy": homeward.ReviewPolicy{}, "LineageImportReport": lineagefile.Report{}, "LineageMatchList": homeward.List[remains.LineageMatch]{},
	"RemainsProfile": homeward.RemainsProfile{}, "CandidateArray": []homeward.ListedCandidate{},
	"Identification": homeward.Identification{}, "IdentificationList": homeward.List[homeward.Identification]{},
	"EvidenceLine": homeward.EvidenceLine{}, "EvidenceLineArray": []homeward.EvidenceLine{}, "ReviewAction": reviewAction{},
	"FrequencyDB": homeward.FrequencyDB{}, "FrequencyDBArray": []homeward.FrequencyDB{},
	"YSTRCompareRequest": ystrCompareRequest{}, "YSTRComparison": ystrComparison{},
	"MtDNACompareRequest": mtdnaCompareRequest{}, "MtDNAComparison": mtdna.Comparison{},
	"ScreenStarted": screenStarted{}, "ScreenResumed": screenResumed{}, "CandidateList": homeward.List[homeward.Candidate]{},
}

// OpenAPI returns the OpenAPI 3.0 document of the routes this server registers, built with
// kin-openapi: each route's parameters, body, success status and content type come from its
// entry in the route table, and each schema from its Go type (openapi3gen), with required,
// nullable and enum from the fields (see schemaCustomizer). The document is validated when the
// server is built (New panics on an invalid document: a programming error, caught by every test).
func (s *Server) OpenAPI() *openapi3.T {
	return s.doc
}

// buildOpenAPI makes the document; it fails only when the route table or a schema type is wrong.
func buildOpenAPI(routes []route) (*openapi3.T, error) {
	doc := &openapi3.T{
		OpenAPI: "3.0.3",
		Info: &openapi3.Info{Title: "Homeward API", Version: "1",
			Description: "Accounting for the missing: registry, chain of custody, evidence, DNA and identification. Errors are RFC 9457 problem details (application/problem+json)."},
		Servers: openapi3.Servers{{URL: "/"}},
		Paths:   openapi3.NewPaths(),
		Components: &openapi3.Components{
			Schemas: openapi3.Schemas{},
			SecuritySchemes: openapi3.SecuritySchemes{
				"bearer":  &openapi3.SecuritySchemeRef{Value: openapi3.NewJWTSecurityScheme().WithBearerFormat("opaque")},
				"session": &openapi3.SecuritySchemeRef{Value: openapi3.NewCSRFSecurityScheme().WithIn("cookie").WithName(sessionCookie)},
			},
		},
		Security: openapi3.SecurityRequirements{{"bearer": []string{}}, {"session": []string{}}},
	}
	var conflict error
	namer := componentNamer(&conflict)
	for _, name := range slices.Sorted(maps.Keys(schemaTypes)) {
		ref, err := openapi3gen.NewSchemaRefForValue(schemaTypes[name], doc.Components.Schemas, openapi3gen.SchemaCustomizer(schemaCustomizer),
			openapi3gen.CreateComponentSchemas(openapi3gen.ExportComponentSchemasOptions{ExportComponentSchemas: true}),
			openapi3gen.CreateTypeNameGenerator(namer))
		if err != nil {
			return nil, fmt.Errorf("openapi: schema %s: %w", name, err)
		}
		doc.Components.Schemas[name] = ref
	}
	if conflict != nil {
		return nil, conflict
	}
	if err := openapi3.NewLoader().ResolveRefsIn(doc, nil); err != nil {
		return nil, fmt.Errorf("openapi: %w", err)
	}
	addInputSchemas(doc, routes)
	for _, rt := range routes {
		if err := addOperation(doc, rt, inputSchema(rt.request, routes)); err != nil {
			return nil, fmt.Errorf("openapi: %s %s: %w", rt.method, rt.path, err)
		}
	}
	if err := openapi3.NewLoader().ResolveRefsIn(doc, nil); err != nil {
		return nil, fmt.Errorf("openapi: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("openapi: invalid document: %w", err)
	}
	return doc, nil
}

// addOperation adds one route's operation to the document (input: its request body's schema).
func addOperation(doc *openapi3.T, rt route, input string) error {
	for _, name := range []string{rt.request, rt.response, rt.failure} {
		if _, ok := doc.Components.Schemas[name]; name != "" && !ok {
			return fmt.Errorf("schema %q is not in schemaTypes", name)
		}
	}
	op := &openapi3.Operation{Summary: rt.summary, Tags: []string{rt.tag}, OperationID: operationID(rt)}
	for _, m := range pathParamRE.FindAllStringSubmatch(rt.path, -1) {
		op.AddParameter(openapi3.NewPathParameter(m[1]).WithSchema(paramSchema(m[1])))
	}
	for _, q := range rt.query {
		op.AddParameter(openapi3.NewQueryParameter(q).WithSchema(paramSchema(q)).WithDescription(paramHelp[q]))
	}
	if rt.request != "" {
		op.RequestBody = &openapi3.RequestBodyRef{Value: openapi3.NewRequestBody().WithRequired(true).
			WithJSONSchemaRef(schemaRef(doc, input))}
	} else if rt.consumes != "" {
		op.RequestBody = &openapi3.RequestBodyRef{Value: openapi3.NewRequestBody().WithRequired(true).
			WithContent(openapi3.NewContentWithSchema(openapi3.NewStringSchema().WithFormat("binary"), []string{rt.consumes}))}
	}
	op.Responses = openapi3.NewResponses(openapi3.WithName("default", problemResponse(doc)))
	status := rt.successStatus()
	ok := openapi3.NewResponse().WithDescription(http.StatusText(status))
	switch {
	case rt.response != "":
		ok.WithJSONSchemaRef(schemaRef(doc, rt.response))
	case rt.produces != "":
		ok.WithContent(openapi3.NewContentWithSchema(openapi3.NewStringSchema().WithFormat("binary"), []string{rt.produces}))
	}
	op.Responses.Set(strconv.Itoa(status), &openapi3.ResponseRef{Value: ok})
	if rt.failure != "" {
		bad := problemResponse(doc).WithDescription("refused: the report of every rejected row (application/json), or a problem detail")
		bad.Content["application/json"] = openapi3.NewMediaType().WithSchemaRef(schemaRef(doc, rt.failure))
		op.Responses.Set("422", &openapi3.ResponseRef{Value: bad})
	}
	if rt.perm == "" {
		op.Security = &openapi3.SecurityRequirements{}
	} else {
		op.Description = "Requires the permission to " + string(rt.perm) + "."
	}
	doc.AddOperation(openapiPath(rt.path), rt.method, op)
	return nil
}

func problemResponse(doc *openapi3.T) *openapi3.Response {
	r := openapi3.NewResponse().WithDescription("refused or failed: a problem detail (RFC 9457)")
	r.Content = openapi3.Content{"application/problem+json": openapi3.NewMediaType().WithSchemaRef(schemaRef(doc, "Error"))}
	return r
}

// schemaRef refers to a component schema (resolved, so that the document validates as built).
func schemaRef(doc *openapi3.T, name string) *openapi3.SchemaRef {
	return openapi3.NewSchemaRef("#/components/schemas/"+name, doc.Components.Schemas[name].Value)
}

// successStatus is the status of a route's success: 200 unless the table says otherwise (201
// for creations, 202 for queued work), 204 for a DELETE.
func (rt route) successStatus() int {
	switch {
	case rt.status != 0:
		return rt.status
	case rt.method == "DELETE":
		return http.StatusNoContent
	}
	return http.StatusOK
}

// openapiPath is the route's path as OpenAPI writes it ({name...} wildcards lose their dots).
func openapiPath(p string) string { return strings.ReplaceAll(p, "...}", "}") }

// integerParams and booleanParams are the parameters that are not strings.
var (
	integerParams = map[string]bool{"id": true, "limit": true, "offset": true, "operation_id": true, "incident_id": true, "subject_id": true,
		"entity_id": true, "version": true, "max_mismatches": true, "meioses": true}
	booleanParams = map[string]bool{"close": true, "dry_run": true, "accept_partial": true, "blobs": true}
)

// paramHelp describes the parameters every list shares.
var paramHelp = map[string]string{
	"limit":  "Most items in the page (default 50, at most 1000)",
	"offset": "Items to skip (to jump to a page; next links use cursors, which stay right while records are added)",
	"cursor": "Where the page starts: the cursor of a next link of the same query; not with offset",
}

func paramSchema(name string) *openapi3.Schema {
	switch {
	case integerParams[name]:
		return openapi3.NewInt64Schema()
	case booleanParams[name]:
		return openapi3.NewBoolSchema()
	}
	return openapi3.NewStringSchema()
}

var pathParamRE = regexp.MustCompile(`\{([a-z_]+)(?:\.\.\.)?\}`)

func operationID(rt route) string {
	p := strings.NewReplacer("/api/v1/", "", "/", "_", "{", "", "}", "", "-", "_", ".", "_").Replace(rt.path)
	return strings.ToLower(rt.method) + "_" + p
}

func (s *Server) openAPIHandler(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json")
	_, err := w.Write(s.docJSON)
	return err
}
