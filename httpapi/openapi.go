package httpapi

import (
	"github.com/homeward/homeward/dvi"
	"github.com/homeward/homeward/lineage/mtdna"
	"github.com/homeward/homeward/remains"
	"net/http"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/labfmt/casejson"
	"github.com/homeward/homeward/labfmt/lineagefile"
	"github.com/homeward/homeward/osteo"
)

// schemaTypes names the Go type behind each schema the route table mentions. The OpenAPI
// components are derived from these types by reflection, so the document follows the code.
var schemaTypes = map[string]any{
	"Login": loginRequest{}, "SessionInfo": sessionInfo{}, "User": homeward.User{}, "UserList": []homeward.User{},
	"NewUser": newUser{}, "UserUpdate": userUpdate{}, "TokenList": []homeward.APIToken{}, "NewToken": newToken{}, "NewTokenResult": newTokenResult{},
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

var timeType = reflect.TypeOf(time.Time{})

// schemaOf describes t as an OpenAPI 3.0 schema (inline; nested structs are expanded).
func schemaOf(t reflect.Type, depth int) map[string]any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == timeType {
		return map[string]any{"type": "string", "format": "date-time"}
	}
	if t.Name() == "RawMessage" {
		return map[string]any{"description": "any JSON"}
	}
	switch t.Kind() {
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Uint8:
		return map[string]any{"type": "integer"}
	case reflect.Float64, reflect.Float32:
		return map[string]any{"type": "number"}
	case reflect.Slice:
		return map[string]any{"type": "array", "items": schemaOf(t.Elem(), depth+1)}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": schemaOf(t.Elem(), depth+1)}
	case reflect.Struct:
		props := map[string]any{}
		if depth < 6 {
			addFields(t, props, depth)
		}
		return map[string]any{"type": "object", "properties": props}
	}
	return map[string]any{}
}

func addFields(t reflect.Type, props map[string]any, depth int) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			addFields(ft, props, depth)
			continue
		}
		if name == "" {
			name = f.Name
		}
		props[name] = schemaOf(f.Type, depth+1)
	}
}

var pathParamRE = regexp.MustCompile(`\{([a-z_]+)\}`)

// OpenAPI returns the OpenAPI 3.0 document of the routes this server registers.
func (s *Server) OpenAPI() map[string]any {
	paths := map[string]any{}
	for _, rt := range s.routes {
		op := map[string]any{"summary": rt.summary, "tags": []string{rt.tag}, "operationId": operationID(rt)}
		var params []any
		for _, m := range pathParamRE.FindAllStringSubmatch(rt.path, -1) {
			params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": map[string]any{"type": "string"}})
		}
		for _, q := range rt.query {
			params = append(params, map[string]any{"name": q, "in": "query", "required": false, "schema": map[string]any{"type": "string"}})
		}
		if params != nil {
			op["parameters"] = params
		}
		if rt.request != "" {
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{"application/json": map[string]any{"schema": ref(rt.request)}}}
		}
		responses := map[string]any{"default": map[string]any{"description": "error", "content": map[string]any{"application/problem+json": map[string]any{"schema": ref("Error")}}}}
		ok := "200"
		if rt.method == "POST" {
			ok = "201"
		}
		if rt.method == "DELETE" {
			responses["204"] = map[string]any{"description": "done"}
		} else if rt.response != "" {
			responses[ok] = map[string]any{"description": "success", "content": map[string]any{"application/json": map[string]any{"schema": ref(rt.response)}}}
		} else {
			responses[ok] = map[string]any{"description": "success"}
		}
		op["responses"] = responses
		if rt.perm == "" {
			op["security"] = []any{}
		} else {
			op["description"] = "Requires the permission to " + string(rt.perm) + "."
		}
		item, _ := paths[rt.path].(map[string]any)
		if item == nil {
			item = map[string]any{}
			paths[rt.path] = item
		}
		item[strings.ToLower(rt.method)] = op
	}
	schemas := map[string]any{}
	names := make([]string, 0, len(schemaTypes))
	for n := range schemaTypes {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		schemas[n] = schemaOf(reflect.TypeOf(schemaTypes[n]), 0)
	}
	return map[string]any{
		"openapi": "3.0.3",
		"info":    map[string]any{"title": "Homeward API", "version": "1", "description": "Accounting for the missing: registry, chain of custody, evidence. Errors are {\"error\": {code, message, field}}."},
		"servers": []any{map[string]any{"url": "/"}},
		"paths":   paths,
		"components": map[string]any{
			"schemas": schemas,
			"securitySchemes": map[string]any{
				"bearer":  map[string]any{"type": "http", "scheme": "bearer"},
				"session": map[string]any{"type": "apiKey", "in": "cookie", "name": sessionCookie},
			},
		},
		"security": []any{map[string]any{"bearer": []any{}}, map[string]any{"session": []any{}}},
	}
}

func ref(name string) map[string]any { return map[string]any{"$ref": "#/components/schemas/" + name} }

func operationID(rt route) string {
	p := strings.NewReplacer("/api/v1/", "", "/", "_", "{", "", "}", "", "-", "_", ".", "_").Replace(rt.path)
	return strings.ToLower(rt.method) + "_" + p
}

func (s *Server) openAPIHandler(w http.ResponseWriter, r *http.Request) error {
	return writeJSON(w, http.StatusOK, s.OpenAPI())
}
