package httpapi

import (
	"net/http"
	"strings"
	"time"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/auth"
)

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

// settings is what a user may change of their own account without an administrator.
type settings struct {
	DisplayName *string            `json:"display_name"`
	Language    *homeward.Language `json:"language"`
	Email       *string            `json:"email"` // "" for no e-mail
}

// updateMe changes the signed-in user's own name or interface language.
func (s *Server) updateMe(w http.ResponseWriter, r *http.Request) error {
	var req settings
	if err := decode(r, "user", &req); err != nil {
		return err
	}
	u, err := s.cfg.Users.GetUser(r.Context(), homeward.UserFromContext(r.Context()).ID)
	if err != nil {
		return err
	}
	if req.DisplayName != nil {
		u.DisplayName = *req.DisplayName
	}
	if req.Language != nil {
		u.Language = *req.Language
	}
	if req.Email != nil {
		u.Email = *req.Email
	}
	if err := s.cfg.Users.UpdateUser(r.Context(), u); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, u)
}

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) error {
	l, err := s.cfg.Users.ListUsers(r.Context())
	return respond(w, l, err)
}

type newUser struct {
	Username    string            `json:"username"`
	DisplayName string            `json:"display_name"`
	Roles       []homeward.Role   `json:"roles"`
	Password    string            `json:"password"`
	Language    homeward.Language `json:"language,omitempty"`
	Email       string            `json:"email,omitempty"`
}

func (s *Server) createUser(w http.ResponseWriter, r *http.Request) error {
	var req newUser
	if err := decode(r, "user", &req); err != nil {
		return err
	}
	u := &homeward.User{Username: req.Username, DisplayName: req.DisplayName, Roles: req.Roles, Language: req.Language, Email: req.Email}
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
	// Language is the interface language ("" for the browser's).
	Language *homeward.Language `json:"language"`
	Email    *string            `json:"email"` // "" for no e-mail
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
	if req.Language != nil {
		u.Language = *req.Language
	}
	if req.Email != nil {
		u.Email = *req.Email
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
