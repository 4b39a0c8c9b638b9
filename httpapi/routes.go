package httpapi

import (
	"context"
	"net/http"
	"slices"
	"strconv"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/lineage/ystr"
)

const v1 = "/api/v1"

func (s *Server) routeTable() []route {
	return slices.Concat(s.authRoutes(), s.registryRoutes(), s.custodyRoutes(), s.dnaRoutes(), s.identRoutes())
}

// authRoutes are the routes of sign-in, users and tokens. It is a table (long because it lists routes, each handler a few lines), not logic.
func (s *Server) authRoutes() []route {
	R := homeward.PermRead
	return []route{
		{method: "GET", path: v1 + "/openapi.json", summary: "This document", tag: "meta", handler: s.openAPIHandler},
		{method: "POST", path: v1 + "/session", status: 201, summary: "Log in: sets a session cookie and returns a bearer token", tag: "auth", request: "Login", response: "SessionInfo", handler: s.login},
		{method: "DELETE", path: v1 + "/session", perm: R, summary: "Log out", tag: "auth", handler: s.logout},
		{method: "GET", path: v1 + "/me", perm: R, summary: "The signed-in user", tag: "auth", response: "User", handler: s.me},
		{method: "PUT", path: v1 + "/me", perm: R, summary: "Change your own display name or interface language (en, ko; empty: the browser's)", tag: "auth", request: "Settings", response: "User", handler: s.updateMe},

		{method: "GET", path: v1 + "/users", perm: homeward.PermUserAdmin, summary: "List users", tag: "users", response: "UserList", handler: s.listUsers},
		{method: "POST", path: v1 + "/users", status: 201, perm: homeward.PermUserAdmin, summary: "Create a user", tag: "users", request: "NewUser", response: "User", handler: s.createUser},
		{method: "PUT", path: v1 + "/users/{id}", perm: homeward.PermUserAdmin, summary: "Change a user's name, roles, disabled flag, password or language", tag: "users", request: "UserUpdate", response: "User", handler: s.updateUser},
		{method: "GET", path: v1 + "/users/{id}/tokens", perm: R, summary: "List a user's API tokens (own, or any for admins)", tag: "users", response: "TokenList", handler: s.listTokens},
		{method: "POST", path: v1 + "/users/{id}/tokens", status: 201, perm: R, summary: "Create an API token; the secret is shown once", tag: "users", request: "NewToken", response: "NewTokenResult", handler: s.createToken},
		{method: "DELETE", path: v1 + "/tokens/{id}", perm: R, summary: "Revoke an API token", tag: "users", handler: s.revokeToken},
	}
}

type verification struct {
	Checked  int                     `json:"checked"`
	Intact   bool                    `json:"intact"`
	Problems []homeward.ChainProblem `json:"problems"`
}

// respondList writes a page of a list with the request for the next page, when there is one, in
// the body (next) and as a Link header (rel="next"): the same query with the cursor the list
// gives (or, from a list without cursors, the offset) moved on.
func respondList[T any](w http.ResponseWriter, r *http.Request, p homeward.Page, l homeward.List[T], err error) error {
	if err != nil {
		return err
	}
	p = p.Normalize()
	q := r.URL.Query()
	q.Set("limit", strconv.Itoa(p.Limit))
	switch end := p.Offset + len(l.Items); {
	case l.NextCursor != "":
		q.Del("offset")
		q.Set("cursor", l.NextCursor)
	case p.Cursor == "" && len(l.Items) > 0 && end < l.Total:
		q.Set("offset", strconv.Itoa(end))
	default:
		return writeJSON(w, http.StatusOK, l)
	}
	l.Next = r.URL.Path + "?" + q.Encode()
	w.Header().Set("Link", "<"+l.Next+">; rel=\"next\"")
	return writeJSON(w, http.StatusOK, l)
}

func respond(w http.ResponseWriter, v any, err error) error {
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, v)
}

// mtdnaProfile is a mitochondrial profile as text: its range and its variants.
type mtdnaProfile struct {
	Range    string `json:"range"`
	Variants string `json:"variants"`
}

type mtdnaCompareRequest struct {
	A mtdnaProfile `json:"a"`
	B mtdnaProfile `json:"b"`
}

type ystrCompareRequest struct {
	A                  string             `json:"a"`
	B                  string             `json:"b"`
	Meioses            int                `json:"meioses"`
	HaplotypeFrequency float64            `json:"haplotype_frequency"`
	Rates              map[string]float64 `json:"rates"`
}

type ystrComparison struct {
	ystr.Comparison
	LR *float64 `json:"lr,omitempty"`
}

// reviewAction is the body of submit, review and withdraw.
type reviewAction struct {
	Decision string `json:"decision,omitempty"`
	Comment  string `json:"comment"`
}

func (s *Server) identAction(f func(ctx context.Context, id int64, a reviewAction) (*homeward.Identification, error)) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		var a reviewAction
		if err := decode(r, "review", &a); err != nil {
			return err
		}
		x, err := f(r.Context(), id, a)
		return respond(w, x, err)
	}
}
