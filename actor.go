package homeward

import "context"

type actorKey struct{}

// NewContextWithUser returns a context carrying the user on whose behalf work is done. Every
// service that changes a record reads it to attribute the change in the audit log.
func NewContextWithUser(ctx context.Context, u *User) context.Context {
	return context.WithValue(ctx, actorKey{}, u)
}

// UserFromContext returns the acting user, or nil.
func UserFromContext(ctx context.Context) *User {
	u, _ := ctx.Value(actorKey{}).(*User)
	return u
}

// RequireUser returns the acting user or an EUNAUTHORIZED error: changes are never anonymous.
func RequireUser(ctx context.Context) (*User, error) {
	u := UserFromContext(ctx)
	if u == nil {
		return nil, Errorf(EUNAUTHORIZED, "no acting user: every change must be attributable")
	}
	return u, nil
}

// Require returns nil when the acting user may perform p, else an EUNAUTHORIZED or EFORBIDDEN error.
func Require(ctx context.Context, p Permission) error {
	u, err := RequireUser(ctx)
	if err != nil {
		return err
	}
	if u.Disabled {
		return Errorf(EFORBIDDEN, "user %q is disabled", u.Username)
	}
	if !u.Can(p) {
		return Errorf(EFORBIDDEN, "user %q (roles %v) may not %s", u.Username, u.Roles, p)
	}
	return nil
}

type operatorKey struct{}

// NewContextWithOperator returns a context recording who really made a change that was not made
// through a credential: the operating-system account and host of a local CLI run. The acting user
// (--as) says in whose name; the operator says who typed it. Both go into the audit log.
func NewContextWithOperator(ctx context.Context, operator string) context.Context {
	return context.WithValue(ctx, operatorKey{}, operator)
}

// OperatorFromContext returns the local operator recorded by NewContextWithOperator, or "".
func OperatorFromContext(ctx context.Context) string {
	s, _ := ctx.Value(operatorKey{}).(string)
	return s
}
