package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/auth"
	"github.com/homeward/homeward/notices"
)

// usersData is the administrators' page of users: each with roles, state and API tokens, the
// form for a new user, and a token's secret shown once after it is made.
type usersData struct {
	Users     []userRow
	Outbox    []notices.Entry // the newest e-mailed notices
	Roles     []homeward.Role
	Form      postedForm
	NewSecret string
	NewFor    string
}

type userRow struct {
	homeward.User
	Tokens []homeward.APIToken
}

func (u userRow) HasRole(r homeward.Role) bool {
	for _, x := range u.Roles {
		if x == r {
			return true
		}
	}
	return false
}

func (h *Handler) usersData(r *http.Request) (*usersData, error) {
	if err := homeward.Require(r.Context(), homeward.PermUserAdmin); err != nil {
		return nil, err
	}
	users, err := h.cfg.Users.ListUsers(r.Context())
	if err != nil {
		return nil, err
	}
	d := &usersData{Roles: homeward.Roles, Form: postedForm{Values: map[string]string{}}}
	for _, u := range users {
		row := userRow{User: u}
		row.Tokens, _ = h.cfg.Users.ListAPITokens(r.Context(), u.ID)
		d.Users = append(d.Users, row)
	}
	if h.cfg.Outbox != nil {
		if d.Outbox, err = h.cfg.Outbox.ListOutbox(r.Context(), 20); err != nil {
			return nil, err
		}
	}
	return d, nil
}

func (h *Handler) users(w http.ResponseWriter, r *http.Request, u *homeward.User) {
	d, err := h.usersData(r)
	if err != nil {
		h.fail(w, u, err)
		return
	}
	h.render(w, http.StatusOK, "users", page{Title: "Users", User: u, Flash: r.URL.Query().Get("flash"), Data: d})
}

// usersPage renders the users page after a form, with its refusal or its result applied.
func (h *Handler) usersPage(w http.ResponseWriter, r *http.Request, u *homeward.User, status int, change func(*usersData)) {
	d, err := h.usersData(r)
	if err != nil {
		h.fail(w, u, err)
		return
	}
	change(d)
	h.render(w, status, "users", page{Title: "Users", User: u, Data: d})
}

// createUser makes a user with the roles ticked and the password given (the policy of
// auth.CheckPasswordPolicy: long enough, not a common one).
func (h *Handler) createUser(w http.ResponseWriter, r *http.Request, u *homeward.User) {
	f := readForm(r, "username", "display_name", "email", "password")
	nu := &homeward.User{Username: f.Values["username"], DisplayName: f.Values["display_name"], Email: f.Values["email"]}
	err := readRoles(r, nu)
	if err == nil {
		nu.PasswordHash, err = auth.HashPassword(r.FormValue("password"))
	}
	if err == nil {
		err = h.cfg.Users.CreateUser(r.Context(), nu)
	}
	if err != nil {
		f.Values["password"] = "" // never sent back
		f.refuse(err)
		h.usersPage(w, r, u, http.StatusUnprocessableEntity, func(d *usersData) { d.Form = f })
		return
	}
	http.Redirect(w, r, "/admin/users?flash=Created+"+nu.Username, http.StatusSeeOther)
}

func readRoles(r *http.Request, u *homeward.User) error {
	u.Roles = nil
	for _, v := range r.Form["roles"] {
		role, err := homeward.ParseRole(v)
		if err != nil {
			return err
		}
		u.Roles = append(u.Roles, role)
	}
	if len(u.Roles) == 0 {
		return homeward.FieldErrorf("user.roles", "tick at least one role")
	}
	return nil
}

// updateUser changes a user's roles and whether they may sign in (the store refuses to leave no
// administrator able to).
func (h *Handler) updateUser(w http.ResponseWriter, r *http.Request, u *homeward.User) {
	id, err := pathInt(r, "id")
	if err != nil {
		h.fail(w, u, err)
		return
	}
	target, err := h.cfg.Users.GetUser(r.Context(), id)
	if err == nil {
		if err = r.ParseForm(); err == nil {
			err = readRoles(r, target)
		}
	}
	if err == nil {
		target.Disabled = r.FormValue("disabled") == "yes"
		err = h.cfg.Users.UpdateUser(r.Context(), target)
	}
	if err != nil {
		h.usersPage(w, r, u, http.StatusUnprocessableEntity, func(d *usersData) { d.Form.Message = refusal(err) })
		return
	}
	http.Redirect(w, r, "/admin/users?flash=Saved+"+target.Username, http.StatusSeeOther)
}

// createToken makes an API token for a user and shows its secret once.
func (h *Handler) createToken(w http.ResponseWriter, r *http.Request, u *homeward.User) {
	id, err := pathInt(r, "id")
	if err != nil {
		h.fail(w, u, err)
		return
	}
	secret, hash, err := auth.NewToken()
	if err != nil {
		h.fail(w, u, err)
		return
	}
	t := &homeward.APIToken{UserID: id, Name: strings.TrimSpace(r.FormValue("name")), Prefix: secret[:8], TokenHash: hash}
	if days, err := strconv.Atoi(r.FormValue("days")); err == nil && days > 0 {
		exp := time.Now().UTC().AddDate(0, 0, days)
		t.ExpiresAt = &exp
	}
	if err := h.cfg.Users.CreateAPIToken(r.Context(), t); err != nil {
		h.usersPage(w, r, u, http.StatusUnprocessableEntity, func(d *usersData) { d.Form.Message = refusal(err) })
		return
	}
	h.usersPage(w, r, u, http.StatusOK, func(d *usersData) {
		d.NewSecret = secret
		for _, x := range d.Users {
			if x.ID == id {
				d.NewFor = x.Username
			}
		}
	})
}

// revokeToken revokes an API token.
func (h *Handler) revokeToken(w http.ResponseWriter, r *http.Request, u *homeward.User) {
	id, err := pathInt(r, "id")
	if err != nil {
		h.fail(w, u, err)
		return
	}
	if err := h.cfg.Users.RevokeAPIToken(r.Context(), id); err != nil {
		h.fail(w, u, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/admin/users?flash=Revoked+token+%d", id), http.StatusSeeOther)
}
