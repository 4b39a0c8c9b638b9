package auth

import (
	"strings"
	"testing"
)

func TestPasswordHashing(t *testing.T) {
	h, err := HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=65536,t=3,p=2$") {
		t.Errorf("hash %q", h)
	}
	if !VerifyPassword(h, "correct horse battery") {
		t.Error("right password rejected")
	}
	if VerifyPassword(h, "correct horse batterx") {
		t.Error("wrong password accepted")
	}
	h2, _ := HashPassword("correct horse battery")
	if h2 == h {
		t.Error("two hashes of one password are equal: salt missing")
	}
	for _, bad := range []string{"", "$argon2id$", "$argon2i$v=19$m=65536,t=3,p=2$AAAA$AAAA", strings.Replace(h, "t=3", "t=99", 1)} {
		if VerifyPassword(bad, "correct horse battery") {
			t.Errorf("malformed hash %q accepted", bad)
		}
	}
	if _, err := HashPassword("short"); err == nil || !strings.Contains(err.Error(), "12") {
		t.Errorf("short password: %v", err)
	}
}

func TestTokens(t *testing.T) {
	s1, h1, err := NewToken()
	if err != nil {
		t.Fatal(err)
	}
	s2, _, _ := NewToken()
	if s1 == s2 || !strings.HasPrefix(s1, "hw_") || len(h1) != 64 || HashToken(s1) != h1 {
		t.Errorf("tokens %q %q %q", s1, s2, h1)
	}
}
