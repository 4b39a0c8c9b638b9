// Package httpapi is Homeward's JSON API under /api/v1. Routes are declared once, in a table that
// both registers them on the standard library's ServeMux and generates the OpenAPI document, so the
// document cannot drift from the handlers. Every route but login and the document needs a session
// cookie or a Bearer token, and checks its permission before it runs.
package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/homeward/homeward"
	"github.com/homeward/homeward/auth"
	"github.com/homeward/homeward/monitoring"
)

// Config holds what the API serves. Every field but Logger and Kinship is required.
type Config struct {
	Registry   homeward.RegistryService
	Operations homeward.OperationService
	Containers homeward.ContainerService
	Custody    homeward.CustodyService
	Evidence   homeward.EvidenceService
	Users      homeward.UserService
	Imports    homeward.ImportService
	DNA        homeward.DNAService
	Idents     homeward.IdentificationService
	Families   homeward.FamilyService
	Settings   homeward.SettingsService
	Stats      homeward.StatsService
	// Osteometry keeps reference samples and specimens' measurements (nil: those routes answer 503).
	Osteometry Osteometry
	// Screens starts and resumes screens (nil: the screen routes answer 503).
	Screens ScreenStarter
	Blob    homeward.BlobStore
	Logger  *slog.Logger
	// Thumbnail makes a JPEG thumbnail of an image (nil: no thumbnails).
	Thumbnail func(r io.Reader, maxSide int) ([]byte, string, error)
	// SessionTTL is how long a login lasts (default 12 hours).
	SessionTTL time.Duration
	// SignIn checks passwords (shared with the web pages, so that both count the same failures).
	SignIn *auth.SignIn
	// BehindProxy trusts X-Forwarded-For and X-Forwarded-Proto from the proxy in front.
	BehindProxy bool
	// ComputeTimeout bounds a computation run inside a request (DVI analyses); default 60 s.
	ComputeTimeout time.Duration
}

// Osteometry is the store's side of osteometric sorting.
type Osteometry interface {
	homeward.OsteometryService
	homeward.MeasurementService
}

// ScreenStarter queues screens (the jobs package's Screens).
type ScreenStarter interface {
	StartScreen(ctx context.Context, r homeward.ScreenRequest) (*homeward.Screen, any, error)
	ResumeScreen(ctx context.Context, id int64) (int, error)
}

// Server is the API handler.
type Server struct {
	cfg     Config
	mux     *http.ServeMux
	routes  []route
	doc     *openapi3.T
	docJSON []byte
}

// route is one API operation.
type route struct {
	method, path string
	perm         homeward.Permission // "" = public
	summary      string
	tag          string
	request      string // schema name of the JSON body, "" for none
	response     string // schema name of the JSON response, "" for none
	status       int    // the success status when not 200 (204 for DELETE is implied)
	consumes     string // content type of a body that is not JSON (a file), "" for none
	produces     string // content type of a success that is not JSON (a file), "" for none
	failure      string // schema name of a 422 answer that is a report rather than a problem
	query        []string
	handler      func(w http.ResponseWriter, r *http.Request) error
}

const sessionCookie = "homeward_session"

// New builds the API handler.
func New(cfg Config) *Server {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.SessionTTL == 0 {
		cfg.SessionTTL = 12 * time.Hour
	}
	if cfg.SignIn == nil {
		cfg.SignIn = &auth.SignIn{Users: cfg.Users, Throttle: auth.NewThrottle()}
	}
	if cfg.ComputeTimeout == 0 {
		cfg.ComputeTimeout = 60 * time.Second
	}
	s := &Server{cfg: cfg, mux: http.NewServeMux()}
	s.routes = s.routeTable()
	doc, err := buildOpenAPI(s.routes)
	if err != nil {
		panic(err) // the route table or a schema type is wrong: every test fails here
	}
	s.doc = doc
	var b bytes.Buffer // the document as served, written once
	if err := jsonTo(&b, doc); err != nil {
		panic(err)
	}
	s.docJSON = b.Bytes()
	for _, rt := range s.routes {
		s.mux.Handle(rt.method+" "+rt.path, s.wrap(rt))
	}
	s.mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		if allow := s.allowed(r); len(allow) > 0 {
			w.Header().Set("Allow", strings.Join(allow, ", "))
			s.writeError(w, r, homeward.Errorf(homeward.EMETHOD, "%s is not allowed on %s (allowed: %s)", r.Method, r.URL.Path, strings.Join(allow, ", ")))
			return
		}
		s.writeError(w, r, homeward.Errorf(homeward.ENOTFOUND, "no API route %s %s", r.Method, r.URL.Path))
	})
	return s
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// allowed lists the methods that have a route for r's path (none: the path is unknown).
func (s *Server) allowed(r *http.Request) []string {
	var out []string
	for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := s.mux.Handler(probe); pattern != "/api/" && pattern != "" {
			out = append(out, m)
		}
	}
	if slices.Contains(out, "GET") {
		out = append(out, "HEAD")
	}
	return out
}

// wrap authenticates, authorises and maps errors for one route.
func (s *Server) wrap(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rt.perm != "" {
			u, err := s.authenticate(r)
			if err != nil {
				s.writeError(w, r, err)
				return
			}
			monitoring.NoteUser(r.Context(), u.Username)
			r = r.WithContext(homeward.NewContextWithUser(r.Context(), u))
			if err := homeward.Require(r.Context(), rt.perm); err != nil {
				s.writeError(w, r, err)
				return
			}
		}
		if err := rt.handler(w, r); err != nil {
			s.writeError(w, r, err)
		}
	})
}

// authenticate finds the user of the request's Bearer token or session cookie.
func (s *Server) authenticate(r *http.Request) (*homeward.User, error) {
	ctx := r.Context()
	if h := r.Header.Get("Authorization"); h != "" {
		tok, ok := strings.CutPrefix(h, "Bearer ")
		if !ok {
			return nil, homeward.Errorf(homeward.EUNAUTHORIZED, "Authorization header must be 'Bearer <token>'")
		}
		hash := auth.HashToken(strings.TrimSpace(tok))
		if u, err := s.cfg.Users.UserBySession(ctx, hash); err == nil {
			return u, nil
		}
		u, _, err := s.cfg.Users.UserByAPIToken(ctx, hash)
		return u, err
	}
	if c, err := r.Cookie(sessionCookie); err == nil {
		return s.cfg.Users.UserBySession(ctx, auth.HashToken(c.Value))
	}
	return nil, homeward.Errorf(homeward.EUNAUTHORIZED, "log in first (POST /api/v1/session) or send 'Authorization: Bearer <token>'")
}

var statusOf = map[string]int{
	homeward.EINVALID: http.StatusUnprocessableEntity, homeward.EMALFORMED: http.StatusBadRequest, homeward.ENOTFOUND: http.StatusNotFound,
	homeward.ECONFLICT: http.StatusConflict, homeward.EUNAUTHORIZED: http.StatusUnauthorized, homeward.EFORBIDDEN: http.StatusForbidden,
	homeward.ETOOLARGE: http.StatusRequestEntityTooLarge, homeward.EINTERNAL: http.StatusInternalServerError,
	homeward.EUNAVAILABLE: http.StatusServiceUnavailable, homeward.EPRECONDITION: http.StatusPreconditionFailed,
	homeward.ETOOMANY: http.StatusTooManyRequests, homeward.EUNSUPPORTED: http.StatusUnsupportedMediaType,
	homeward.EMETHOD: http.StatusMethodNotAllowed,
}

// problem is an RFC 9457 problem detail. Type is a stable URN per error kind
// (urn:homeward:problem:invalid, ...: docs/api.md lists them); Fields lists the offending fields.
// Error repeats code, message and field in the shape of earlier versions (deprecated).
type problem struct {
	Type   string         `json:"type"`
	Title  string         `json:"title"`
	Status int            `json:"status"`
	Detail string         `json:"detail"`
	Code   string         `json:"code"`
	Fields []problemField `json:"fields,omitempty"`
	Error  legacyError    `json:"error"`
}

type problemField struct {
	Name    string `json:"name"`
	Message string `json:"message"`
}

type legacyError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
}

func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	code := homeward.ErrorCode(err)
	status := statusOf[code]
	p := problem{Type: "urn:homeward:problem:" + code, Title: http.StatusText(status), Status: status, Code: code, Detail: homeward.ErrorMessage(err)}
	p.Error = legacyError{Code: code, Message: p.Detail}
	var he *homeward.Error
	if errors.As(err, &he) && he.Field != "" {
		p.Fields = []problemField{{Name: he.Field, Message: he.Message}}
		p.Error.Field, p.Error.Message = he.Field, he.Message
	}
	var te *auth.ThrottledError
	if errors.As(err, &te) {
		w.Header().Set("Retry-After", te.RetryAfterSeconds())
	}
	if code == homeward.EINTERNAL {
		s.cfg.Logger.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(p)
}

func writeJSON(w http.ResponseWriter, status int, v any) error {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	return jsonTo(w, v)
}

// jsonTo writes v as the API writes every answer: indented, HTML characters as they are.
func jsonTo(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// maxBody is the limit of JSON request bodies.
const maxBody = 1 << 20

// decode reads a JSON body strictly: unknown fields, wrong types and trailing data are refused
// with a message naming the field.
func decode(r *http.Request, record string, v any) error {
	return decodeN(r, record, v, maxBody)
}

// decodeN is decode with a body limit of its own, for bodies that carry data sets.
func decodeN(r *http.Request, record string, v any, limit int64) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return homeward.Errorf(homeward.EUNSUPPORTED, "%s: the body must be application/json, not %q", record, ct)
		}
	}
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, limit))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		var se *json.SyntaxError
		var me *http.MaxBytesError
		switch {
		case errors.As(err, &te):
			return homeward.FieldErrorf(record+"."+te.Field, "must be %s, not a JSON %s", te.Type, te.Value)
		case errors.As(err, &se):
			return &homeward.Error{Code: homeward.EMALFORMED, Field: record, Message: fmt.Sprintf("malformed JSON at byte %d: %v", se.Offset, err)}
		case errors.As(err, &me):
			return homeward.Errorf(homeward.ETOOLARGE, "%s: request body exceeds %d bytes", record, limit)
		case errors.Is(err, io.EOF):
			return &homeward.Error{Code: homeward.EMALFORMED, Field: record, Message: "request body is empty; a JSON object is expected"}
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			f := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
			return homeward.FieldErrorf(record+"."+f, "unknown field")
		}
		return &homeward.Error{Code: homeward.EMALFORMED, Field: record, Message: fmt.Sprintf("invalid JSON: %v", err)}
	}
	if dec.More() {
		return &homeward.Error{Code: homeward.EMALFORMED, Field: record, Message: "unexpected data after the JSON object"}
	}
	return nil
}

// pathID parses the {name} path value as a positive integer.
func pathID(r *http.Request, name string) (int64, error) {
	v := r.PathValue(name)
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, homeward.FieldErrorf(name, "%q is not a record id", v)
	}
	return id, nil
}

// page reads the limit, offset and cursor query parameters.
func page(r *http.Request) (homeward.Page, error) {
	p := homeward.Page{Cursor: r.URL.Query().Get("cursor")}
	for name, dst := range map[string]*int{"limit": &p.Limit, "offset": &p.Offset} {
		if v := r.URL.Query().Get(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return p, homeward.FieldErrorf(name, "%q is not a non-negative integer", v)
			}
			*dst = n
		}
	}
	return p, nil
}

func queryInt(r *http.Request, name string) (int64, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, homeward.FieldErrorf(name, "%q is not an integer", v)
	}
	return n, nil
}

func queryTime(r *http.Request, name string) (*time.Time, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return nil, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return nil, homeward.FieldErrorf(name, "%q is not an RFC 3339 time", v)
	}
	return &t, nil
}
