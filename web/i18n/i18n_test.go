package i18n

import (
	"net/http/httptest"
	"strings"
	"testing"

	"golang.org/x/text/language"
)

func TestLanguageOfARequest(t *testing.T) {
	for _, c := range []struct {
		accept, cookie string
		want           language.Tag
	}{
		{"", "", language.English},
		{"ko-KR,ko;q=0.9,en-US;q=0.8", "", language.Korean},
		{"en-US,en;q=0.9,ko;q=0.5", "", language.English},
		{"fr-FR", "", language.English},
		{"ko-KR", "en", language.English}, // the user's choice wins over the browser
		{"en-US", "ko", language.Korean},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("Accept-Language", c.accept)
		if c.cookie != "" {
			r.Header.Set("Cookie", Cookie+"="+c.cookie)
		}
		if got := FromRequest(r); got != c.want {
			t.Errorf("Accept-Language %q, cookie %q: %v, want %v", c.accept, c.cookie, got, c.want)
		}
	}
}

func TestTranslate(t *testing.T) {
	if got := T(language.Korean, "Missing persons"); got != "실종자" {
		t.Errorf("Korean: %q", got)
	}
	if got := T(language.English, "Missing persons"); got != "Missing persons" {
		t.Errorf("English: %q", got)
	}
	if got := T(language.Korean, "100% of K55-2018-001"); got != "100% of K55-2018-001" {
		t.Errorf("an untranslated text is changed: %q", got)
	}
	for en, ko := range korean {
		if strings.TrimSpace(ko) == "" || strings.Contains(en, "%") {
			t.Errorf("catalog entry %q: %q", en, ko)
		}
	}
}
