package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/homeward/homeward/dvi"
	"github.com/homeward/homeward/labfmt/genemapper"
	"github.com/homeward/homeward/profileimport"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/auth"
	"github.com/homeward/homeward/csvio"
	"github.com/homeward/homeward/labfmt/casejson"
)

func createH[T any](record string, create func(context.Context, *T) error) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		var v T
		if err := decode(r, record, &v); err != nil {
			return err
		}
		if err := create(r.Context(), &v); err != nil {
			return err
		}
		setLocation(w, r, &v)
		setETag(w, &v)
		return writeJSON(w, http.StatusCreated, &v)
	}
}

// versioned is a record with a version (homeward.Meta): its entity tag.
type versioned interface {
	RecordVersion() int64
	SetRecordVersion(int64)
}

// setETag gives a versioned record's version as its strong entity tag ("7").
func setETag(w http.ResponseWriter, v any) {
	if rv, ok := v.(versioned); ok && rv.RecordVersion() > 0 {
		w.Header().Set("ETag", strconv.Quote(strconv.FormatInt(rv.RecordVersion(), 10)))
	}
}

// ifMatch applies an If-Match header to an update of a versioned record: the version it names
// becomes the one the update is based on, so that a record changed since is refused with 412.
// It reports whether the header was given ("*" matches any version and is not a precondition).
func ifMatch(r *http.Request, v any) (bool, error) {
	im := strings.TrimSpace(r.Header.Get("If-Match"))
	rv, ok := v.(versioned)
	if im == "" || im == "*" || !ok {
		return false, nil
	}
	tag, err := strconv.Unquote(im)
	n, perr := strconv.ParseInt(tag, 10, 64)
	if err != nil || perr != nil || n < 1 {
		return false, homeward.FieldErrorf("If-Match", "%q is not this record's entity tag (a quoted version, as the ETag of its GET)", im)
	}
	rv.SetRecordVersion(n)
	return true, nil
}

// setLocation names a created record's URL (Location: the collection's path and its id), when the
// record has an "id".
func setLocation(w http.ResponseWriter, r *http.Request, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		return
	}
	var idOnly struct {
		ID int64 `json:"id"`
	}
	if json.Unmarshal(b, &idOnly) == nil && idOnly.ID > 0 {
		w.Header().Set("Location", strings.TrimSuffix(r.URL.Path, "/")+"/"+strconv.FormatInt(idOnly.ID, 10))
	}
}

// getH answers with what get returns for the path's {id}: a record, a list, a computed result.
func getH[T any](get func(context.Context, int64) (T, error)) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		v, err := get(r.Context(), id)
		if err == nil {
			setETag(w, v)
		}
		return respond(w, v, err)
	}
}

func updateH[T any](record string, setID func(*T, int64), update func(context.Context, *T) error) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		var v T
		if err := decode(r, record, &v); err != nil {
			return err
		}
		setID(&v, id)
		conditional, err := ifMatch(r, &v)
		if err != nil {
			return err
		}
		if err := update(r.Context(), &v); err != nil {
			var he *homeward.Error
			if conditional && errors.As(err, &he) && he.Code == homeward.ECONFLICT && he.Field == "version" {
				return &homeward.Error{Code: homeward.EPRECONDITION, Field: "If-Match", Message: he.Message}
			}
			return err
		}
		setETag(w, &v)
		return writeJSON(w, http.StatusOK, &v)
	}
}

// childH creates a record that belongs to the {id} in the path.
func childH[T any](record string, setParent func(*T, int64), add func(context.Context, *T) error) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		var v T
		if err := decode(r, record, &v); err != nil {
			return err
		}
		setParent(&v, id)
		if err := add(r.Context(), &v); err != nil {
			return err
		}
		return writeJSON(w, http.StatusCreated, &v)
	}
}

func listByID[T any](list func(context.Context, int64) ([]T, error)) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		v, err := list(r.Context(), id)
		if v == nil {
			v = []T{}
		}
		return respond(w, v, err)
	}
}

func (s *Server) withContainer(fn func(http.ResponseWriter, *http.Request, *homeward.Container) error) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		c, err := s.cfg.Containers.GetContainerByAccession(r.Context(), r.PathValue("accession"))
		if err != nil {
			return err
		}
		return fn(w, r, c)
	}
}

func subject(r *http.Request) (homeward.Subject, error) {
	id, err := queryInt(r, "subject_id")
	if err != nil {
		return homeward.Subject{}, err
	}
	sub := homeward.Subject{Type: r.URL.Query().Get("subject_type"), ID: id}
	return sub, sub.Validate("query")
}

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

type sessionInfo struct {
	Token     string         `json:"token"`
	ExpiresAt time.Time      `json:"expires_at"`
	User      *homeward.User `json:"user"`
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	var req loginRequest
	if err := decode(r, "login", &req); err != nil {
		return err
	}
	u, err := s.cfg.SignIn.Check(r.Context(), req.Username, req.Password, auth.ClientAddress(r, s.cfg.BehindProxy))
	if err != nil {
		return err
	}
	secret, hash, err := auth.NewToken()
	if err != nil {
		return err
	}
	se := &homeward.Session{TokenHash: hash, UserID: u.ID, ExpiresAt: time.Now().Add(s.cfg.SessionTTL).UTC()}
	if err := s.cfg.Users.CreateSession(r.Context(), se); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: secret, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode,
		Secure: auth.SecureRequest(r, s.cfg.BehindProxy), Expires: se.ExpiresAt})
	return writeJSON(w, http.StatusCreated, sessionInfo{Token: secret, ExpiresAt: se.ExpiresAt, User: u})
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(sessionCookie); err == nil {
		s.cfg.Users.DeleteSession(r.Context(), auth.HashToken(c.Value))
	}
	if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		s.cfg.Users.DeleteSession(r.Context(), auth.HashToken(strings.TrimSpace(tok)))
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1})
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) me(w http.ResponseWriter, r *http.Request) error {
	return writeJSON(w, http.StatusOK, homeward.UserFromContext(r.Context()))
}

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) error {
	l, err := s.cfg.Users.ListUsers(r.Context())
	return respond(w, l, err)
}

type newUser struct {
	Username    string          `json:"username"`
	DisplayName string          `json:"display_name"`
	Roles       []homeward.Role `json:"roles"`
	Password    string          `json:"password"`
}

func (s *Server) createUser(w http.ResponseWriter, r *http.Request) error {
	var req newUser
	if err := decode(r, "user", &req); err != nil {
		return err
	}
	u := &homeward.User{Username: req.Username, DisplayName: req.DisplayName, Roles: req.Roles}
	if err := u.Validate(); err != nil {
		return err
	}
	h, err := auth.HashPassword(req.Password)
	if err != nil {
		return err
	}
	u.PasswordHash = h
	if err := s.cfg.Users.CreateUser(r.Context(), u); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, u)
}

type userUpdate struct {
	DisplayName *string          `json:"display_name"`
	Roles       *[]homeward.Role `json:"roles"`
	Disabled    *bool            `json:"disabled"`
	Password    *string          `json:"password"`
}

func (s *Server) updateUser(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req userUpdate
	if err := decode(r, "user", &req); err != nil {
		return err
	}
	u, err := s.cfg.Users.GetUser(r.Context(), id)
	if err != nil {
		return err
	}
	if req.DisplayName != nil {
		u.DisplayName = *req.DisplayName
	}
	if req.Roles != nil {
		u.Roles = *req.Roles
	}
	if req.Disabled != nil {
		u.Disabled = *req.Disabled
	}
	if req.Password != nil {
		if u.PasswordHash, err = auth.HashPassword(*req.Password); err != nil {
			return err
		}
	}
	if err := s.cfg.Users.UpdateUser(r.Context(), u); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, u)
}

func (s *Server) listTokens(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	l, err := s.cfg.Users.ListAPITokens(r.Context(), id)
	return respond(w, l, err)
}

type newToken struct {
	Name         string `json:"name"`
	ExpiresHours int    `json:"expires_hours"`
}

type newTokenResult struct {
	Token  string             `json:"token"`
	Record *homeward.APIToken `json:"record"`
}

func (s *Server) createToken(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req newToken
	if err := decode(r, "api_token", &req); err != nil {
		return err
	}
	if req.ExpiresHours < 0 {
		return homeward.FieldErrorf("api_token.expires_hours", "must be zero (no expiry) or positive")
	}
	secret, hash, err := auth.NewToken()
	if err != nil {
		return err
	}
	t := &homeward.APIToken{UserID: id, Name: req.Name, Prefix: secret[:8], TokenHash: hash}
	if req.ExpiresHours > 0 {
		e := time.Now().Add(time.Duration(req.ExpiresHours) * time.Hour).UTC()
		t.ExpiresAt = &e
	}
	if err := s.cfg.Users.CreateAPIToken(r.Context(), t); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, newTokenResult{Token: secret, Record: t})
}

func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.cfg.Users.RevokeAPIToken(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) audit(w http.ResponseWriter, r *http.Request) error {
	p, err := page(r)
	if err != nil {
		return err
	}
	f := homeward.AuditFilter{Username: r.URL.Query().Get("username"), Entity: r.URL.Query().Get("entity"), Action: r.URL.Query().Get("action"), Page: p}
	if f.EntityID, err = queryInt(r, "entity_id"); err != nil {
		return err
	}
	if f.Since, err = queryTime(r, "since"); err != nil {
		return err
	}
	if f.Until, err = queryTime(r, "until"); err != nil {
		return err
	}
	l, err := s.cfg.Users.ListAudit(r.Context(), f)
	return respondList(w, r, p, l, err)
}

// maxUpload bounds imports and evidence uploads.
const maxUpload = 64 << 20

func (s *Server) importCSV(w http.ResponseWriter, r *http.Request) error {
	body := http.MaxBytesReader(w, r.Body, maxUpload)
	rep, err := csvio.Import(r.Context(), r.PathValue("kind"), body, s.cfg.Registry, s.cfg.Imports)
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if len(rep.Rejected) > 0 {
		status = http.StatusUnprocessableEntity
	}
	return writeJSON(w, status, rep)
}

func (s *Server) export(w http.ResponseWriter, r *http.Request) error {
	format := r.URL.Query().Get("format")
	if format == "" {
		format = "csv"
	}
	ct := "text/csv; charset=utf-8"
	if format == "json" {
		ct = "application/json"
	}
	// Streamed: headers go out with the first bytes, so an error before them is an ordinary error
	// answer; one after them cuts the connection, and the client sees a truncated download rather
	// than a complete-looking one.
	out := &firstWrite{w: w, start: func() {
		w.Header().Set("Content-Type", ct)
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.%s"`, r.PathValue("kind"), format))
	}}
	err := csvio.Export(r.Context(), r.PathValue("kind"), format, out, s.cfg.Registry)
	if err != nil && out.started {
		s.cfg.Logger.Error("export failed after it began", "kind", r.PathValue("kind"), "err", err)
		panic(http.ErrAbortHandler)
	}
	return err
}

// firstWrite calls start before the first byte is written.
type firstWrite struct {
	w       io.Writer
	start   func()
	started bool
}

func (f *firstWrite) Write(p []byte) (int, error) {
	if !f.started {
		f.started = true
		f.start()
	}
	return f.w.Write(p)
}

func (s *Server) upload(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxUpload)
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		return homeward.FieldErrorf("attachment", "expected a multipart form with a file: %v", err)
	}
	f, hdr, err := r.FormFile("file")
	if err != nil {
		return homeward.FieldErrorf("attachment.file", "is required")
	}
	defer f.Close()
	id, err := strconv.ParseInt(r.FormValue("subject_id"), 10, 64)
	if err != nil {
		return homeward.FieldErrorf("attachment.subject_id", "%q is not a record id", r.FormValue("subject_id"))
	}
	a := &homeward.Attachment{Kind: r.FormValue("kind"), Filename: hdr.Filename, Caption: r.FormValue("caption"),
		MediaType: hdr.Header.Get("Content-Type"), Subject: homeward.Subject{Type: r.FormValue("subject_type"), ID: id}}
	if a.MediaType == "" || a.MediaType == "application/octet-stream" {
		// Browsers and curl often send no useful type: look at the content itself.
		head := make([]byte, 512)
		n, _ := io.ReadFull(f, head)
		a.MediaType = http.DetectContentType(head[:n])
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return err
		}
	}
	if a.Kind == "" {
		a.Kind = "document"
		if strings.HasPrefix(a.MediaType, "image/") {
			a.Kind = "photo"
		}
	}
	if err := a.Subject.Validate("attachment"); err != nil {
		return err
	}
	sha, size, err := s.cfg.Blob.Put(r.Context(), f)
	if err != nil {
		return err
	}
	a.SHA256, a.Size = sha, size
	if a.Kind == "photo" && s.cfg.Thumbnail != nil {
		if rc, err := s.cfg.Blob.Get(r.Context(), sha); err == nil {
			thumb, _, terr := s.cfg.Thumbnail(rc, 256)
			rc.Close()
			if terr == nil {
				if tsha, _, err := s.cfg.Blob.Put(r.Context(), bytes.NewReader(thumb)); err == nil {
					a.Thumbnail = tsha
				}
			}
		}
	}
	if err := s.cfg.Evidence.CreateAttachment(r.Context(), a); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, a)
}

func (s *Server) download(w http.ResponseWriter, r *http.Request) error {
	sha := strings.ToLower(r.PathValue("sha"))
	if len(sha) != 64 || strings.Trim(sha, "0123456789abcdef") != "" {
		return homeward.FieldErrorf("sha", "%q is not a SHA-256", sha)
	}
	rc, err := s.cfg.Blob.Get(r.Context(), sha)
	if err != nil {
		return err
	}
	defer rc.Close()
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Cache-Control", "private, max-age=31536000, immutable")
	_, err = io.Copy(w, rc)
	return err
}

// maxCase bounds kinship case bodies (frequency tables make them large).
const maxCase = 16 << 20

type screenStarted struct {
	Screen *homeward.Screen `json:"screen"`
	Panel  any              `json:"panel_report"`
}

type screenResumed struct {
	Pending int `json:"pending_shards"`
}

func (s *Server) startScreen(w http.ResponseWriter, r *http.Request) error {
	if s.cfg.Screens == nil {
		return homeward.Errorf(homeward.EUNAVAILABLE, "this server runs no job queue: start screens with homeward screen start")
	}
	var req homeward.ScreenRequest
	if err := decode(r, "screen", &req); err != nil {
		return err
	}
	sc, rep, err := s.cfg.Screens.StartScreen(r.Context(), req)
	if err != nil {
		return err
	}
	sc.Panel = nil
	return writeJSON(w, http.StatusAccepted, screenStarted{Screen: sc, Panel: rep})
}

func (s *Server) resumeScreen(w http.ResponseWriter, r *http.Request) error {
	if s.cfg.Screens == nil {
		return homeward.Errorf(homeward.EUNAVAILABLE, "this server runs no job queue: resume screens with homeward screen resume")
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := s.cfg.DNA.GetScreen(r.Context(), id); err != nil {
		return err
	}
	n, err := s.cfg.Screens.ResumeScreen(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusAccepted, screenResumed{Pending: n})
}

func (s *Server) importProfiles(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	o := profileimport.Options{Format: q.Get("format"), Role: homeward.ProfileRole(q.Get("role")), File: q.Get("file")}
	if o.File == "" {
		o.File = "upload"
	}
	for name, dst := range map[string]*bool{"dry_run": &o.DryRun, "accept_partial": &o.AcceptPartial} {
		if v := q.Get(name); v != "" {
			b, err := strconv.ParseBool(v)
			if err != nil {
				return homeward.FieldErrorf(name, "%q is not true or false", v)
			}
			*dst = b
		}
	}
	rep, err := profileimport.Import(r.Context(), s.cfg.DNA, http.MaxBytesReader(w, r.Body, genemapper.MaxSize), o)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, rep)
}

func (s *Server) dviSolve(w http.ResponseWriter, r *http.Request) error {
	o := dvi.DefaultSolveOptions()
	q := r.URL.Query()
	for name, dst := range map[string]*float64{"threshold": &o.Threshold, "threshold2": &o.Threshold2, "limit": &o.Limit} {
		if v := q.Get(name); v != "" {
			x, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return homeward.FieldErrorf(name, "%q is not a number", v)
			}
			*dst = x
		}
	}
	for name, dst := range map[string]*int{"max_incomp": &o.MaxIncomp, "max_assign": &o.MaxAssign} {
		if v := q.Get(name); v != "" {
			x, err := strconv.Atoi(v)
			if err != nil {
				return homeward.FieldErrorf(name, "%q is not a whole number", v)
			}
			*dst = x
		}
	}
	if v := q.Get("strict"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return homeward.FieldErrorf("strict", "%q is not true or false", v)
		}
		o.Strict = b
	}
	var oe *dvi.OptionError
	if err := o.Check(); errors.As(err, &oe) {
		return homeward.FieldErrorf(oe.Field, "%s", oe.Problem)
	}
	p, err := dvi.ReadProblem(http.MaxBytesReader(w, r.Body, maxCase))
	if err != nil {
		return homeward.FieldErrorf("case", "%v", err)
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.ComputeTimeout)
	defer cancel()
	rep, err := dvi.Analyse(p.WithContext(ctx), o)
	if errors.Is(err, context.DeadlineExceeded) {
		return homeward.Errorf(homeward.ETOOLARGE, "the DVI analysis ran longer than %s and was stopped: restrict the pairings, lower max_assign, or run it with homeward dvi solve", s.cfg.ComputeTimeout)
	}
	if errors.Is(err, context.Canceled) {
		return err
	}
	if err != nil {
		return homeward.FieldErrorf("case", "%v", err)
	}
	return writeJSON(w, http.StatusOK, rep)
}

func (s *Server) kinshipLR(w http.ResponseWriter, r *http.Request) error {
	res, err := casejson.SolveKinship(http.MaxBytesReader(w, r.Body, maxCase))
	if err != nil {
		// Everything SolveKinship refuses is a problem of the case sent: name it as such.
		return homeward.FieldErrorf("case", "%v", err)
	}
	return writeJSON(w, http.StatusOK, res)
}
