package homeward

import (
	"strings"
	"testing"
)

// Romanizations checked against the systems' published forms: RR examples of the National
// Institute of Korean Language's rules (names romanized syllable by syllable), MR as the Library
// of Congress romanizes names (with voicing inside the given name), the popular spellings people
// use for these syllables.
func TestRomanize(t *testing.T) {
	for _, c := range []struct{ hangul, rr, mr, popular string }{
		{"철민", "cheolmin", "ch'ŏlmin", "chulmin"},
		{"영길", "yeonggil", "yŏnggil", "yunggil"},
		{"민준", "minjun", "minjun", "minjun"},
		{"성호", "seongho", "sŏngho", "sungho"},
		{"길동", "gildong", "kildong", "gildong"},
		{"복남", "boknam", "poknam", "boknam"},
		{"정희", "jeonghui", "chŏnghŭi", "junghui"},
		{"한국", "hanguk", "han'guk", "hanguk"},
	} {
		rr, mr, pop := Romanize(c.hangul, "rr"), Romanize(c.hangul, "mr"), Romanize(c.hangul, "popular")
		if rr != c.rr || pop != c.popular {
			t.Errorf("%s: RR %q popular %q, want %q %q", c.hangul, rr, pop, c.rr, c.popular)
		}
		// MR writes han'guk with an apostrophe to keep n and g apart; keys drop apostrophes.
		if NameSearchKey(mr) != NameSearchKey(c.mr) {
			t.Errorf("%s: MR %q, want %q", c.hangul, mr, c.mr)
		}
	}
}

func TestSplitKoreanName(t *testing.T) {
	for _, c := range [][3]string{{"김철민", "김", "철민"}, {"남궁민수", "남궁", "민수"}, {"이 영", "이", "영"}, {"박", "박", ""}} {
		if f, g := SplitKoreanName(c[0]); f != c[1] || g != c[2] {
			t.Errorf("%s: %q %q", c[0], f, g)
		}
	}
}

// A Korean name is found by its Hangul, by RR, MR and the person's own spelling, with the family
// name first or last, whatever the spaces, hyphens, apostrophes and breves.
func TestSearchNames(t *testing.T) {
	m := &MissingPerson{FamilyName: "Kim", GivenNames: "Chul-min", NativeName: "김철민"}
	keys := SearchNames(m)
	for _, q := range []string{"Kim Chul-min", "Chul-min Kim", "김철민", "철민", "Gim Cheol-min", "Kim Cheolmin", "Kim Ch'ŏl-min", "kim chol min", "cheol-min kim"} {
		if !strings.Contains(keys, NameSearchKey(q)) {
			t.Errorf("%q is not found in %q", q, keys)
		}
	}
	for _, q := range []string{"Park Chul-min", "Kim Young-gil", "이철민"} {
		if strings.Contains(keys, NameSearchKey(q)) {
			t.Errorf("%q is found in %q", q, keys)
		}
	}
	// A name recorded in Hangul only is romanized all the same.
	if keys := SearchNames(&MissingPerson{FamilyName: "박", GivenNames: "영길"}); !strings.Contains(keys, "pakyonggil") || !strings.Contains(keys, "parkyeonggil") {
		t.Errorf("Hangul-only record: %q", keys)
	}
	if NameSearchKey("Ch'ŏl-min") != "cholmin" {
		t.Errorf("key %q", NameSearchKey("Ch'ŏl-min"))
	}
}
