package web

import (
	"errors"
	"net/http"
	"time"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/auth"
	"github.com/homeward/homeward/web/i18n"
)

// accountData is a user's own settings page: name, interface language and a new password.
type accountData struct {
	Form      postedForm
	Languages []homeward.Language
}

// account shows the signed-in user's own settings.
func (h *Handler) account(w http.ResponseWriter, r *http.Request, u *homeward.User) {
	f := postedForm{Values: map[string]string{"display_name": u.DisplayName, "language": string(u.Language), "email": u.Email}}
	h.render(w, http.StatusOK, "account", page{Title: "Your settings", User: u, Flash: r.URL.Query().Get("flash"), Data: accountData{Form: f, Languages: homeward.Languages}})
}

// saveAccount changes the user's own name, language and e-mail address and, given the current password, the
// password (which ends every session, this one too: the user signs in again).
func (h *Handler) saveAccount(w http.ResponseWriter, r *http.Request, u *homeward.User) {
	f := readForm(r, "display_name", "language", "email", "current_password", "new_password")
	changed := *u
	changed.DisplayName, changed.Language, changed.Email = f.Values["display_name"], homeward.Language(f.Values["language"]), f.Values["email"]
	err := h.newPassword(r, &changed, f.Values["current_password"], f.Values["new_password"])
	if err == nil {
		err = h.cfg.Users.UpdateUser(r.Context(), &changed)
	}
	if err != nil {
		f.Values["current_password"], f.Values["new_password"] = "", "" // never sent back
		f.refuse(err)
		h.render(w, http.StatusUnprocessableEntity, "account", page{Title: "Your settings", User: u, Data: accountData{Form: f, Languages: homeward.Languages}})
		return
	}
	h.setLanguageCookie(w, r, changed.Language)
	if changed.PasswordHash != u.PasswordHash {
		http.Redirect(w, r, "/login?next=/account", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/account?flash=Saved", http.StatusSeeOther)
}

// newPassword sets u's password hash from a new password when one is given, after checking the
// current one (through the sign-in throttle, so the form is no way round it).
func (h *Handler) newPassword(r *http.Request, u *homeward.User, current, next string) error {
	if next == "" {
		return nil
	}
	if _, err := h.cfg.SignIn.Check(r.Context(), u.Username, current, auth.ClientAddress(r, h.cfg.BehindProxy)); err != nil {
		return homeward.FieldErrorf("current_password", "is not your current password")
	}
	hash, err := auth.HashPassword(next)
	var he *homeward.Error
	if errors.As(err, &he) {
		// The refusal as it was made (so a page says it in its language), beside the new password.
		return homeward.FieldErrorf("new_password", he.Format, he.Args...)
	}
	if err != nil {
		return err
	}
	u.PasswordHash = hash
	return nil
}

// setLanguageCookie keeps a language for this browser (a year), or forgets it for "" (the browser's).
func (h *Handler) setLanguageCookie(w http.ResponseWriter, r *http.Request, l homeward.Language) {
	c := &http.Cookie{Name: i18n.Cookie, Value: string(l), Path: "/", MaxAge: int(365 * 24 * time.Hour / time.Second), HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: auth.SecureRequest(r, h.cfg.BehindProxy)}
	if l == "" {
		c.MaxAge, c.Value = -1, ""
	}
	http.SetCookie(w, c)
}
