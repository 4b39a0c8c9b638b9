package homeward

import (
	"fmt"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Role is a named set of permissions. A user holds one or more roles.
type Role string

const (
	RoleAdmin      Role = "admin"
	RoleCustodian  Role = "custodian"
	RoleAnalyst    Role = "analyst"
	RoleDNAAnalyst Role = "dna-analyst"
	RoleReviewer   Role = "reviewer"
	RoleLiaison    Role = "liaison"
	RoleViewer     Role = "viewer"
)

// Roles lists every role in a stable order.
var Roles = []Role{RoleAdmin, RoleCustodian, RoleAnalyst, RoleDNAAnalyst, RoleReviewer, RoleLiaison, RoleViewer}

// Permission is an action a route or service checks before it runs.
type Permission string

const (
	PermRead           Permission = "read records"
	PermRegistryWrite  Permission = "change missing persons and loss incidents"
	PermFamilyWrite    Permission = "change family members and consent"
	PermOperationWrite Permission = "change operations, transport legs and ceremonies"
	PermContainerWrite Permission = "register containers"
	PermCustodyWrite   Permission = "record custody events"
	PermSpecimenWrite  Permission = "change specimens"
	PermEvidenceWrite  Permission = "upload photos and documents"
	PermClaimWrite     Permission = "record claims"
	PermKinship        Permission = "run kinship computations"
	PermAuditRead      Permission = "read the audit log"
	PermUserAdmin      Permission = "administer users"
	PermImport         Permission = "import records"
	PermDNAWrite       Permission = "change DNA profiles and reference families"
	PermIdentify       Permission = "propose identifications and record evidence"
	PermReview         Permission = "review identifications"
	PermWithdraw       Permission = "withdraw approved identifications"
	PermSettings       Permission = "change settings" // administrators only
	PermContactRead    Permission = "read family members' contact details"
	PermOsteometry     Permission = "run osteometric sorting"
)

// rolePermissions is the role matrix. Admin holds every permission; every role may read.
var rolePermissions = map[Role][]Permission{
	RoleCustodian:  {PermRead, PermOperationWrite, PermContainerWrite, PermCustodyWrite, PermEvidenceWrite, PermClaimWrite},
	RoleAnalyst:    {PermRead, PermRegistryWrite, PermContainerWrite, PermSpecimenWrite, PermEvidenceWrite, PermClaimWrite, PermCustodyWrite, PermKinship, PermImport, PermDNAWrite, PermIdentify, PermOsteometry},
	RoleDNAAnalyst: {PermRead, PermSpecimenWrite, PermKinship, PermFamilyWrite, PermEvidenceWrite, PermDNAWrite, PermIdentify, PermOsteometry},
	RoleReviewer:   {PermRead, PermAuditRead, PermKinship, PermReview, PermOsteometry},
	RoleLiaison:    {PermRead, PermFamilyWrite, PermEvidenceWrite, PermImport, PermContactRead},
	RoleViewer:     {PermRead},
}

// RoleCan reports whether role r grants p.
func RoleCan(r Role, p Permission) bool {
	if r == RoleAdmin {
		return true
	}
	return slices.Contains(rolePermissions[r], p)
}

// ParseRole validates a role name.
func ParseRole(s string) (Role, error) {
	r := Role(strings.TrimSpace(strings.ToLower(s)))
	if slices.Contains(Roles, r) {
		return r, nil
	}
	return "", FieldErrorf("user.roles", "unknown role %q (one of %v)", s, Roles)
}

// User is a person who signs in to Homeward.
type User struct {
	ID          int64  `json:"id"`
	Username    string `json:"username"`
	DisplayName string `json:"display_name"`
	Roles       []Role `json:"roles"`
	Disabled    bool   `json:"disabled"`
	// Language is the interface language the user chose; empty: the browser's. E-mails to the
	// user are written in it (English when empty).
	Language Language `json:"language,omitempty"`
	// Email is where the workflow's e-mails reach the user (a bare address; empty: none).
	Email     string    `json:"email,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	// PasswordHash is the argon2id PHC string; never serialised.
	PasswordHash string `json:"-"`
}

// Can reports whether any of the user's roles grants p.
func (u *User) Can(p Permission) bool {
	for _, r := range u.Roles {
		if RoleCan(r, p) {
			return true
		}
	}
	return false
}

var usernameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,62}$`)

// Validate checks the user's fields.
func (u *User) Validate() error {
	if !usernameRE.MatchString(u.Username) {
		return FieldErrorf("user.username", "%q is not a valid username (2-63 of a-z 0-9 . _ -, starting with a letter or digit)", u.Username)
	}
	if len(u.Roles) == 0 {
		return FieldErrorf("user.roles", "user %q needs at least one role", u.Username)
	}
	for _, r := range u.Roles {
		if _, err := ParseRole(string(r)); err != nil {
			return fmt.Errorf("user %q: %w", u.Username, err)
		}
	}
	if u.Language != "" && !slices.Contains(Languages, u.Language) {
		return FieldErrorf("user.language", "%q is not a language of the interface (en or ko; empty for the browser's)", u.Language)
	}
	return validateEmail(u.Email)
}

// validateEmail accepts an empty address or one bare address (name@host, no display name, no
// line breaks: it goes into a mail header).
func validateEmail(s string) error {
	if s == "" {
		return nil
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || len(s) > 254 || !strings.Contains(s[strings.LastIndex(s, "@")+1:], ".") {
		return FieldErrorf("user.email", "%q is not an e-mail address (name@example.org)", s)
	}
	return nil
}

// Language is an interface language, as a BCP 47 base language.
type Language string

const (
	LanguageEnglish Language = "en"
	LanguageKorean  Language = "ko"
)

// Session is a signed-in browser or CLI session. Only the SHA-256 of its token is stored.
type Session struct {
	TokenHash string    `json:"-"`
	UserID    int64     `json:"user_id"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
}

// APIToken is a long-lived credential for scripts. Only the SHA-256 of the secret is stored; the
// secret is shown once, at creation.
type APIToken struct {
	ID         int64      `json:"id"`
	UserID     int64      `json:"user_id"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix"` // first characters of the token, to recognise it in lists
	TokenHash  string     `json:"-"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  *time.Time `json:"expires_at,omitempty"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
}
