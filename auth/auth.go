// Package auth hashes passwords with argon2id and makes session and API tokens. Only hashes are
// ever stored: the PHC string of a password, the SHA-256 of a token.
package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"sync/atomic"
	"unicode/utf8"

	"github.com/homeward/homeward"
	"golang.org/x/crypto/argon2"
)

// Parameters of new hashes (RFC 9106's second recommended option uses 64 MiB; t=3, p=2 here).
const (
	memoryKiB = 64 * 1024
	timeCost  = 3
	threads   = 2
	saltLen   = 16
	keyLen    = 32
	// MinPasswordLength is the shortest password accepted.
	MinPasswordLength = 12
)

// hashing bounds concurrent argon2id computations: each takes 64 MiB.
var hashing = make(chan struct{}, 4)

// verifications counts argon2id password verifications (tests check that every sign-in does one).
var verifications atomic.Int64

// CheckPasswordPolicy applies NIST SP 800-63B's rules for memorized secrets: at least
// MinPasswordLength characters, at most 256, and not one of the commonly used passwords
// (data/common-passwords.txt); no composition rules.
func CheckPasswordPolicy(pw string) error {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinPasswordLength:
		return homeward.FieldErrorf("password", "must be at least %d characters", MinPasswordLength)
	case n > 256:
		return homeward.FieldErrorf("password", "must be at most 256 characters")
	case !utf8.ValidString(pw) || strings.ContainsRune(pw, 0):
		return homeward.FieldErrorf("password", "must be valid text")
	case isCommon(pw):
		return homeward.FieldErrorf("password", "is one of the most common passwords (found in published password lists); choose another")
	}
	return nil
}

// HashPassword returns the argon2id PHC string of pw.
func HashPassword(pw string) (string, error) {
	if err := CheckPasswordPolicy(pw); err != nil {
		return "", err
	}
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	hashing <- struct{}{}
	key := argon2.IDKey([]byte(pw), salt, timeCost, memoryKiB, threads, keyLen)
	<-hashing
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, memoryKiB, timeCost, threads, enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// VerifyPassword reports whether pw matches the PHC string, in constant time. Malformed hashes
// never match.
func VerifyPassword(phc, pw string) bool {
	parts := strings.Split(phc, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var v int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return false
	}
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || m > 1<<21 || t == 0 || t > 10 || p == 0 {
		return false
	}
	enc := base64.RawStdEncoding
	salt, err1 := enc.DecodeString(parts[4])
	want, err2 := enc.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	hashing <- struct{}{}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	<-hashing
	verifications.Add(1)
	return subtle.ConstantTimeCompare(got, want) == 1
}

// NewToken returns a random token (shown once to its owner) and the hash to store.
func NewToken() (secret, hash string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", err
	}
	secret = "hw_" + base64.RawURLEncoding.EncodeToString(b)
	return secret, HashToken(secret), nil
}

// HashToken returns the hex SHA-256 under which a token is stored.
func HashToken(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}
