// Package web is Homeward's browser application: server-rendered pages (html/template, no external
// requests, a little progressive JavaScript at most) on the same domain services as the API, signed
// in with the same session cookie. It is an adapter: it reads and writes through the services and
// leaves every rule to them.
package web

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/auth"
	"github.com/homeward/homeward/blob"
	"github.com/homeward/homeward/idreport"
	"github.com/homeward/homeward/monitoring"
	"github.com/homeward/homeward/notices"
	"github.com/homeward/homeward/web/i18n"
	"golang.org/x/text/language"
)

//go:embed templates/*.html static/*
var files embed.FS

// Config holds the services the pages use.
type Config struct {
	Users      homeward.UserService
	Registry   homeward.RegistryService
	Operations homeward.OperationService
	Containers homeward.ContainerService
	Custody    homeward.CustodyService
	Evidence   homeward.EvidenceService
	DNA        homeward.DNAService
	Idents     homeward.IdentificationService
	Families   homeward.FamilyService
	Stats      homeward.StatsService
	// Osteometry and Measurements serve the osteometry pages (nil: the pages say they are not kept).
	Osteometry   homeward.OsteometryService
	Measurements homeward.MeasurementService
	// Blob keeps photos uploaded with forms (nil: the forms take none); Thumbnail makes their
	// thumbnails (nil: none).
	Blob      homeward.BlobStore
	Thumbnail blob.Thumbnailer
	// DVIResults keeps screens' DVI analyses (nil: each view computes it); QueueDVI queues one
	// as a job (nil: the first view computes and stores it).
	DVIResults homeward.DVIResultService
	QueueDVI   func(ctx context.Context, screenID int64) error
	// Outbox lists the review notices e-mailed to users (nil: the users page shows none).
	Outbox     notices.Outbox
	Logger     *slog.Logger
	SessionTTL time.Duration
	// SignIn checks passwords (shared with the API, so that both count the same failures).
	SignIn *auth.SignIn
	// BehindProxy trusts X-Forwarded-For and X-Forwarded-Proto from the proxy in front.
	BehindProxy bool
}

// Handler serves the pages.
type Handler struct {
	cfg  Config
	mux  *http.ServeMux
	tmpl map[string]*template.Template
}

// SessionCookie is shared with the API, so a page and the API see one sign-in.
const SessionCookie = "homeward_session"

var funcs = template.FuncMap{
	// t translates an interface text: {{t $.Lang "Missing persons"}}.
	// A sentence made in Go (a refusal with its values) is written the same way: {{t $.Lang .Error}}.
	"t": func(lang string, v any) string {
		switch v := v.(type) {
		case string:
			return i18n.T(i18n.Parse(lang), v)
		case *sentence:
			return v.in(i18n.Parse(lang))
		case sentence:
			return v.in(i18n.Parse(lang))
		}
		return fmt.Sprint(v)
	},
	// tf translates a sentence with values: {{tf $.Lang "%d specimens" .N}}.
	"tf": func(lang, en string, args ...any) string { return i18n.Tf(i18n.Parse(lang), en, args...) },
	// lang gives a shared template its page's language: {{template "x" (lang $.Lang .)}} has .Lang and .D.
	"lang": func(lang string, d any) map[string]any { return map[string]any{"Lang": lang, "D": d} },
	// say writes a sentence made in Go in the page's language: {{say $.Lang .}}.
	"say": func(lang string, s sentence) string { return s.in(i18n.Parse(lang)) },
	// flash writes a status line ("Created park") in the page's language (i18n.Message).
	"flash":    func(lang, s string) string { return i18n.Message(i18n.Parse(lang), s) },
	"listname": homeward.ListName,
	"list":     func(s ...string) []string { return s },
	"join":     func(s []string) string { return strings.Join(s, ", ") },
	// dict makes a map of key, value pairs: (dict "code" "Specimen code").
	"dict": func(kv ...string) map[string]string {
		m := map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	},
	"name": homeward.DisplayName,
	// ts writes an instant in the language's date order: {{ts $.Lang .RecordedAt}}.
	"ts": func(lang string, t time.Time) string { return i18n.Time(i18n.Parse(lang), t) },
	// date writes a recorded ISO date (YYYY[-MM[-DD]]) in the language's order.
	"date": func(lang string, iso any) string { return i18n.Date(i18n.Parse(lang), fmt.Sprint(iso)) },
	"pct": func(a, b int) int {
		if b == 0 {
			return 0
		}
		return a * 100 / b
	},
	"deref": func(p *float64) float64 {
		if p == nil {
			return 0
		}
		return *p
	},
	"sci":   func(x float64) string { return strconv.FormatFloat(x, 'g', 4, 64) },
	"lr":    idreport.FormatLR,
	"inc":   func(i int) int { return i + 1 },
	"sub":   func(a, b float64) float64 { return a - b },
	"twice": func(a float64) float64 { return 2 * a },
	// pedigree is the family chart of a DNA line: kinship.Pedigree.SVG escapes every id.
	"pedigree": func(d *idreport.DNADetail) template.HTML { return template.HTML(d.PedigreeSVG()) },
	// prob writes a posterior in the page's language: {{prob $.Lang .}}.
	"prob": func(lang string, p float64) string { return idreport.FormatProbabilityIn(lang, p) },
	"str": func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	},
	"num": func(p *float64) string {
		if p == nil {
			return ""
		}
		return strconv.FormatFloat(*p, 'g', 4, 64)
	},
}

// New builds the handler.
func New(cfg Config) (*Handler, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.SessionTTL == 0 {
		cfg.SessionTTL = 12 * time.Hour
	}
	if cfg.SignIn == nil {
		cfg.SignIn = &auth.SignIn{Users: cfg.Users, Throttle: auth.NewThrottle()}
	}
	h := &Handler{cfg: cfg, mux: http.NewServeMux(), tmpl: map[string]*template.Template{}}
	// The map's country outlines are decoded once, at start, not by the first map request (about
	// 200 ms of a page held to 200 ms).
	go loadOutlines()
	pages, err := fs.Glob(files, "templates/*.html")
	if err != nil {
		return nil, err
	}
	for _, p := range pages {
		name := strings.TrimSuffix(strings.TrimPrefix(p, "templates/"), ".html")
		if name == "layout" || strings.HasPrefix(name, "_") {
			continue
		}
		// Every page gets the layout and the shared parts (templates/_*.html).
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(files, "templates/layout.html", "templates/_*.html", p)
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", name, err)
		}
		h.tmpl[name] = t
	}
	h.routes()
	return h, nil
}

// routes registers every page and form handler.
func (h *Handler) routes() {
	static, _ := fs.Sub(files, "static")
	h.mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	h.mux.HandleFunc("GET /login", h.loginPage)
	h.mux.HandleFunc("GET /lang", h.chooseLanguage)
	h.mux.HandleFunc("POST /login", h.login)
	h.mux.HandleFunc("POST /logout", h.logout)
	h.mux.HandleFunc("GET /{$}", h.signedIn(h.dashboard))
	h.mux.HandleFunc("GET /persons", h.signedIn(h.persons))
	h.mux.HandleFunc("GET /persons/{id}", h.signedIn(h.person))
	h.mux.HandleFunc("GET /persons.csv", h.signedIn(h.personsCSV))
	h.mux.HandleFunc("GET /incidents", h.signedIn(h.incidents))
	h.mux.HandleFunc("GET /incidents.csv", h.signedIn(h.incidentsCSV))
	h.mux.HandleFunc("GET /map", h.signedIn(h.mapPage))
	h.mux.HandleFunc("GET /containers", h.signedIn(h.containers))
	h.mux.HandleFunc("GET /containers/{accession}", h.signedIn(h.container))
	h.mux.HandleFunc("POST /containers/{accession}/custody", h.signedIn(h.recordCustody))
	h.mux.HandleFunc("POST /containers/custody", h.signedIn(h.bulkCustody))
	h.mux.HandleFunc("GET /containers/{accession}/labels", h.signedIn(h.labels))
	h.mux.HandleFunc("GET /containers/{accession}/lab", h.signedIn(h.lab))
	h.mux.HandleFunc("POST /containers/{accession}/specimens", h.signedIn(h.addSpecimen))
	h.mux.HandleFunc("GET /containers/{accession}/osteometry", h.signedIn(h.osteometry))
	h.mux.HandleFunc("POST /containers/{accession}/osteometry/measurements", h.signedIn(h.recordMeasurements))
	h.mux.HandleFunc("GET /identifications", h.signedIn(h.identifications))
	h.mux.HandleFunc("GET /identifications.csv", h.signedIn(h.identificationsCSV))
	h.mux.HandleFunc("GET /containers.csv", h.signedIn(h.containersCSV))
	h.mux.HandleFunc("GET /families.csv", h.signedIn(h.familiesCSV))
	h.mux.HandleFunc("GET /identifications/{id}", h.signedIn(h.identification))
	h.mux.HandleFunc("POST /identifications/{id}/review", h.signedIn(h.review))
	h.mux.HandleFunc("GET /admin/users", h.signedIn(h.users))
	h.mux.HandleFunc("POST /admin/users", h.signedIn(h.createUser))
	h.mux.HandleFunc("POST /admin/users/{id}", h.signedIn(h.updateUser))
	h.mux.HandleFunc("POST /admin/users/{id}/tokens", h.signedIn(h.createToken))
	h.mux.HandleFunc("POST /admin/tokens/{id}/revoke", h.signedIn(h.revokeToken))
	h.mux.HandleFunc("GET /audit", h.signedIn(h.audit))
	h.mux.HandleFunc("GET /account", h.signedIn(h.account))
	h.mux.HandleFunc("GET /search", h.signedIn(h.search))
	h.mux.HandleFunc("POST /account", h.signedIn(h.saveAccount))
	h.mux.HandleFunc("GET /identifications/new", h.signedIn(h.newIdentification))
	h.mux.HandleFunc("POST /identifications", h.signedIn(h.proposeIdentification))
	h.mux.HandleFunc("POST /identifications/{id}/evidence", h.signedIn(h.addEvidence))
	h.mux.HandleFunc("POST /identifications/{id}/submit", h.signedIn(h.submitIdentification))
	h.mux.HandleFunc("POST /identifications/{id}/withdraw", h.signedIn(h.withdraw))
	h.mux.HandleFunc("POST /identifications/{id}/notifications", h.signedIn(h.notify))
	h.mux.HandleFunc("POST /identifications/{id}/disposition", h.signedIn(h.dispose))
	h.mux.HandleFunc("GET /identifications/{id}/report.pdf", h.signedIn(h.identReport))
	h.mux.HandleFunc("GET /identifications/{id}/summary", h.signedIn(h.identSummary))
	h.mux.HandleFunc("GET /families", h.signedIn(h.families))
	h.mux.HandleFunc("GET /families/{id}", h.signedIn(h.family))
	h.mux.HandleFunc("GET /screens", h.signedIn(h.screens))
	h.mux.HandleFunc("GET /dna/import", h.signedIn(h.dnaImportPage))
	h.mux.HandleFunc("GET /frequencies", h.signedIn(h.freqs))
	h.mux.HandleFunc("POST /frequencies", h.signedIn(h.freqImport))
	h.mux.HandleFunc("POST /dna/import", h.signedIn(h.dnaImport))
	h.mux.HandleFunc("GET /stats", h.signedIn(h.stats))
	h.mux.HandleFunc("GET /custody", h.signedIn(h.custodyLog))
	h.mux.HandleFunc("/", h.notFound)
	h.mux.HandleFunc("POST /custody", h.signedIn(h.custodyLog))
	h.mux.HandleFunc("GET /pairing", h.signedIn(h.pairing))
	h.mux.HandleFunc("GET /screens/{id}", h.signedIn(h.screen))
	h.mux.HandleFunc("GET /screens/{id}/dvi", h.signedIn(h.screenDVI))
	h.mux.HandleFunc("GET /screens/{id}/candidates.csv", h.signedIn(h.candidatesCSV))
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Add("Vary", "Accept-Language, Cookie")
	h.mux.ServeHTTP(&pageWriter{ResponseWriter: w, lang: i18n.FromRequest(r), path: r.URL.RequestURI()}, r)
}

// pageWriter carries, to render, the request's language and address.
type pageWriter struct {
	http.ResponseWriter
	lang language.Tag
	path string
}

// chooseLanguage keeps the language a user picked (a cookie for a year) and goes back to the
// page, a path of this site only.
func (h *Handler) chooseLanguage(w http.ResponseWriter, r *http.Request) {
	h.setLanguageCookie(w, r, homeward.Language(i18n.Parse(r.URL.Query().Get("to")).String()))
	http.Redirect(w, r, auth.SameSitePath(r.URL.Query().Get("next")), http.StatusSeeOther)
}

// page is what every template receives.
type page struct {
	Lang  string // "en" or "ko": the interface's language (records are shown as entered)
	Path  string // the page's address, for the language switch
	Title string // a catalog key: translated
	// Subject follows the title as it is: the record's own name or number (never translated).
	Subject string
	User    *homeward.User
	Error   *sentence // a refusal, or why the page is not shown
	Flash   string
	Data    any
}

func (h *Handler) render(w http.ResponseWriter, status int, name string, p page) {
	t := h.tmpl[name]
	if t == nil {
		http.Error(w, "no page "+name, http.StatusInternalServerError)
		return
	}
	p.Lang, p.Path = "en", "/"
	if pw, ok := w.(*pageWriter); ok {
		p.Lang, p.Path = pw.lang.String(), pw.path
	}
	// The page is made whole before anything is sent: a template that fails is a 500 with the
	// error logged, never a blank page with 200.
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", p); err != nil {
		h.cfg.Logger.Error("web: render", "page", name, "error", err)
		http.Error(w, "the page could not be made; the error is in the server's log", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// signedIn runs f with the signed-in user in the context, or sends the browser to the sign-in page.
func (h *Handler) signedIn(f func(w http.ResponseWriter, r *http.Request, u *homeward.User)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		u := h.sessionUser(r)
		if u == nil {
			http.Redirect(w, r, "/login?next="+r.URL.Path, http.StatusSeeOther)
			return
		}
		monitoring.NoteUser(r.Context(), u.Username)
		// The user's own language, unless this browser chose one (the switch, or the settings).
		if pw, ok := w.(*pageWriter); ok && u.Language != "" {
			if _, err := r.Cookie(i18n.Cookie); err != nil {
				pw.lang = i18n.Parse(string(u.Language))
			}
		}
		f(w, r.WithContext(homeward.NewContextWithUser(r.Context(), u)), u)
	}
}

// notFound answers an unknown address with a page in the application's layout (with the menu when
// signed in), not Go's bare text.
func (h *Handler) notFound(w http.ResponseWriter, r *http.Request) {
	h.render(w, http.StatusNotFound, "error", page{Title: "Page not found", User: h.sessionUser(r), Error: saying("There is no page at %s.", r.URL.Path)})
}

// sessionUser is the user signed in with the request's session cookie, nil when there is none.
func (h *Handler) sessionUser(r *http.Request) *homeward.User {
	c, err := r.Cookie(SessionCookie)
	if err != nil {
		return nil
	}
	u, err := h.cfg.Users.UserBySession(r.Context(), auth.HashToken(c.Value))
	if err != nil {
		return nil
	}
	return u
}

// fail shows an error on a page of its own with the right status.
func (h *Handler) fail(w http.ResponseWriter, u *homeward.User, err error) {
	status := http.StatusInternalServerError
	switch homeward.ErrorCode(err) {
	case homeward.ENOTFOUND:
		status = http.StatusNotFound
	case homeward.EFORBIDDEN:
		status = http.StatusForbidden
	case homeward.EINVALID:
		status = http.StatusUnprocessableEntity
	case homeward.ECONFLICT:
		status = http.StatusConflict
	}
	h.render(w, status, "error", page{Title: "Problem", User: u, Error: refusal(err)})
}

func (h *Handler) loginPage(w http.ResponseWriter, r *http.Request) {
	h.render(w, http.StatusOK, "login", page{Title: "Sign in", Data: auth.SameSitePath(r.URL.Query().Get("next"))})
}

func (h *Handler) login(w http.ResponseWriter, r *http.Request) {
	name, pw, next := r.FormValue("username"), r.FormValue("password"), auth.SameSitePath(r.FormValue("next"))
	bad := func() {
		h.render(w, http.StatusUnauthorized, "login", page{Title: "Sign in", Error: saying("Unknown user or wrong password."), Data: next})
	}
	u, err := h.cfg.SignIn.Check(homeward.NewContextWithUser(r.Context(), systemReader), name, pw, auth.ClientAddress(r, h.cfg.BehindProxy))
	var te *auth.ThrottledError
	if errors.As(err, &te) {
		w.Header().Set("Retry-After", te.RetryAfterSeconds())
		h.render(w, http.StatusTooManyRequests, "login", page{Title: "Sign in", Error: saying("Too many failed sign-ins from here: wait %s seconds and try again.", te.RetryAfterSeconds()), Data: next})
		return
	}
	if err != nil {
		bad()
		return
	}
	secret, hash, err := auth.NewToken()
	if err != nil {
		bad()
		return
	}
	se := &homeward.Session{TokenHash: hash, UserID: u.ID, ExpiresAt: time.Now().Add(h.cfg.SessionTTL).UTC()}
	if err := h.cfg.Users.CreateSession(homeward.NewContextWithUser(r.Context(), u), se); err != nil {
		bad()
		return
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: secret, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode,
		Secure: auth.SecureRequest(r, h.cfg.BehindProxy), Expires: se.ExpiresAt})
	if u.Language != "" {
		h.setLanguageCookie(w, r, u.Language) // the user's setting, on any browser they sign in on
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// systemReader looks a user up at sign-in (before anyone is signed in).
var systemReader = &homeward.User{Username: "system:web", Roles: []homeward.Role{homeward.RoleViewer}}

func (h *Handler) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(SessionCookie); err == nil {
		h.cfg.Users.DeleteSession(r.Context(), auth.HashToken(c.Value))
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

func pathInt(r *http.Request, name string) (int64, error) {
	n, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil {
		return 0, homeward.Errorf(homeward.ENOTFOUND, "no such record %q", r.PathValue(name))
	}
	return n, nil
}
