package i18n

import (
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

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
	// Every entry is translated; a sentence with values (for Tf) has as many in Korean, of the
	// same kinds (a %q stays a %q, a %.4f a %.4f).
	verbs := regexp.MustCompile(`%(\[\d+\])?([.\d]*[dsqvgf])`)
	kinds := func(s string) []string {
		var out []string
		for _, m := range verbs.FindAllStringSubmatch(s, -1) {
			out = append(out, m[2])
		}
		slices.Sort(out)
		return out
	}
	for en, ko := range korean {
		if strings.TrimSpace(ko) == "" || !slices.Equal(kinds(en), kinds(ko)) {
			t.Errorf("catalog entry %q: %q", en, ko)
		}
	}
}

// A key in two parts of the catalog would be translated by whichever part came last.
func TestCatalogPartsApart(t *testing.T) {
	seen := map[string]int{}
	for i, part := range koreanParts {
		for en := range part {
			if j, ok := seen[en]; ok {
				t.Errorf("%q is in catalog parts %d and %d", en, j, i)
			}
			seen[en] = i
		}
	}
}

// A refusal's values keep their places in Korean, reordered where Korean puts them first; record
// names stay the API's (container), only the sentence is Korean.
func TestRefusalsWithValues(t *testing.T) {
	for _, c := range []struct {
		en   string
		args []any
		want string
	}{
		{"%q is not a number (1e6 and 1000000 both do)", []any{"abc"}, `"abc"은(는) 숫자가 아닙니다`},
		{"the %s %s of %q is given twice", []any{"left", "humerus", "K-1"}, `"K-1"의 left humerus이(가)`},
		{"database %s marker %s: frequencies sum to %.4f, more than 0.05 from 1", []any{"NIST", "D3S1358", 1.2}, "1.2000로"},
		{"%s %d was changed by someone else (version %d, you sent %d): reload and retry", []any{"container", 4, 7, 6}, "container 4을(를) 다른 사람이 바꾸었습니다 (버전 7, 보낸 버전 6)"},
	} {
		got := Tf(language.Korean, c.en, c.args...)
		if !strings.Contains(got, c.want) || strings.Contains(got, "%!") {
			t.Errorf("%q: %q, want it to hold %q", c.en, got, c.want)
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

// Dates in each language's order, partial dates as far as they are known; what is not a date is
// left alone.
func TestDates(t *testing.T) {
	at := time.Date(2026, 12, 6, 19, 5, 0, 0, time.FixedZone("KST", 9*3600)) // 10:05 UTC
	for _, c := range []struct {
		tag      language.Tag
		in, want string
	}{
		{language.English, "1950-11-28", "Nov 28, 1950"},
		{language.Korean, "1950-11-28", "1950년 11월 28일"},
		{language.English, "1950-11", "Nov 1950"},
		{language.Korean, "1950-11", "1950년 11월"},
		{language.Korean, "1950", "1950년"},
		{language.English, "1950", "1950"},
		{language.Korean, "late 1950", "late 1950"},
		{language.Korean, "1950-13-01", "1950-13-01"},
		{language.English, "1950-1-2", "1950-1-2"},
		{language.English, "", ""},
	} {
		if got := Date(c.tag, c.in); got != c.want {
			t.Errorf("%v %q: %q, want %q", c.tag, c.in, got, c.want)
		}
	}
	if got := Time(language.Korean, at); got != "2026년 12월 6일 10:05 UTC" {
		t.Errorf("Korean time: %q", got)
	}
	if got := Time(language.English, at); got != "Dec 6, 2026 10:05 UTC" {
		t.Errorf("English time: %q", got)
	}
	if Time(language.English, time.Time{}) != "" {
		t.Error("the zero time is written")
	}
}

// A status line is translated by its key, what it names kept (or translated when a status).
func TestMessage(t *testing.T) {
	for in, want := range map[string]string{"Created park": "만들었습니다: park", "Now approved": "현재 상태: 승인됨", "Withdrawn": "철회했습니다",
		"Revoked token 12": "토큰을 폐기했습니다: 12", "Nothing known 3": "Nothing known 3"} {
		if got := Message(language.Korean, in); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
		if got := Message(language.English, in); got != in {
			t.Errorf("English %q: %q", in, got)
		}
	}
}
