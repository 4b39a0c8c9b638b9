package i18n

import (
	"net/http/httptest"
	"regexp"
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
	// Every entry is translated; a sentence with values (for Tf) has as many in Korean.
	verbs := regexp.MustCompile(`%(\[\d+\])?[ds]`)
	for en, ko := range korean {
		if strings.TrimSpace(ko) == "" || len(verbs.FindAllString(en, -1)) != len(verbs.FindAllString(ko, -1)) {
			t.Errorf("catalog entry %q: %q", en, ko)
		}
	}
}

// Sentences with values keep each value in its place in each language, reordered where Korean
// puts them in another order.
func TestTranslateWithValues(t *testing.T) {
	en := "The bones count more because %d of %d specimens have no DNA profile yet: people whose bones were not sampled are not in the DNA count."
	if got := Tf(language.Korean, en, 3, 12); !strings.Contains(got, "표본 12점 중 3점") {
		t.Errorf("Korean: %q", got)
	}
	if got := Tf(language.English, en, 3, 12); !strings.HasPrefix(got, "The bones count more because 3 of 12 specimens") {
		t.Errorf("English: %q", got)
	}
	if got := Tf(language.Korean, "not in the catalog: %d", 5); got != "not in the catalog: 5" {
		t.Errorf("untranslated: %q", got)
	}
}
