package httpapi_test

import (
	"bytes"
	"context"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// contractChecked serves h and checks every exchange against the OpenAPI document h serves:
// the request's parameters, the answer's status (one the operation lists) and, for JSON, its
// body against the schema (required fields present, types, enums, nulls only where nullable).
// Every API test runs through it, so an answer the document does not describe fails the test
// that provoked it.
func contractChecked(t *testing.T, h http.Handler, doc *openapi3.T) http.Handler {
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatalf("contract router: %v", err)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		route, params, err := router.FindRoute(r)
		if err != nil { // no such operation: the server must say so as a problem
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			if rec.Code != http.StatusNotFound && rec.Code != http.StatusMethodNotAllowed {
				t.Errorf("contract: %s %s is not in the document but answered %d", r.Method, r.URL.Path, rec.Code)
			}
			copyRecorded(w, rec)
			return
		}
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		in := &openapi3filter.RequestValidationInput{Request: r.Clone(r.Context()), PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, ExcludeRequestBody: false, MultiError: true}}
		in.Request.Body = io.NopCloser(bytes.NewReader(body))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		checkAnswer(t, in, route, rec)
		copyRecorded(w, rec)
	})
}

func checkAnswer(t *testing.T, in *openapi3filter.RequestValidationInput, route *routers.Route, rec *httptest.ResponseRecorder) {
	t.Helper()
	ct, _, _ := mime.ParseMediaType(rec.Header().Get("Content-Type"))
	isJSON := ct == "application/json" || ct == "application/problem+json"
	if rec.Code < 400 && rec.Code != http.StatusNotModified {
		if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil && rec.Code < 300 {
			t.Errorf("contract: %s %s was accepted (%d) but the document refuses the request: %v", in.Request.Method, in.Request.URL, rec.Code, err)
		}
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: rec.Code, Header: rec.Header(),
		Options: &openapi3filter.Options{IncludeResponseStatus: true, ExcludeResponseBody: !isJSON, MultiError: true}}
	out.SetBodyBytes(rec.Body.Bytes())
	if rec.Code == http.StatusNotModified || rec.Code == http.StatusNoContent && route.Operation.Responses.Status(204) != nil {
		return
	}
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		msg := err.Error()
		if len(msg) > 1500 {
			msg = msg[:1500] + "..."
		}
		t.Errorf("contract: %s %s answered %d %s that the document does not describe: %s", in.Request.Method, in.Request.URL.Path, rec.Code, ct, strings.TrimSpace(msg))
	}
}

func copyRecorded(w http.ResponseWriter, rec *httptest.ResponseRecorder) {
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	w.Write(rec.Body.Bytes())
}
