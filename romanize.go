package homeward

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Korean names are written in Hangul and romanized in several ways: the Revised Romanization of
// Korean (RR, 2000, South Korea's official system: 김철민 Gim Cheol-min), McCune-Reischauer (MR,
// 1939, used in older records and by many libraries: Kim Ch'ŏl-min) and the spellings people
// choose for themselves (Kim Chul-min). Searches must find a person from any of them. The tables
// below follow the National Institute of Korean Language's RR rules and the MR rules as the
// Library of Congress applies them, syllable by syllable; sound changes across syllables are left
// out (a name's syllables are romanized one by one), except MR's voicing of k, t, p, ch inside a
// given name.

var (
	rrInitial = []string{"g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h"}
	mrInitial = []string{"k", "kk", "n", "t", "tt", "r", "m", "p", "pp", "s", "ss", "", "ch", "tch", "ch'", "k'", "t'", "p'", "h"}
	rrVowel   = []string{"a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi", "yu", "eu", "ui", "i"}
	mrVowel   = []string{"a", "ae", "ya", "yae", "ŏ", "e", "yŏ", "ye", "o", "wa", "wae", "oe", "yo", "u", "wŏ", "we", "wi", "yu", "ŭ", "ŭi", "i"}
	// Finals in RR and MR alike (the sound each ends with).
	finals = []string{"", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t"}
)

// voicedMR is the MR initial of k, t, p and ch inside a word after a voiced sound (g, d, b, j).
var voicedMR = map[string]string{"k": "g", "t": "d", "p": "b", "ch": "j"}

// syllable splits a Hangul syllable into its initial, vowel and final indexes.
func syllable(r rune) (i, v, f int, ok bool) {
	if r < 0xAC00 || r > 0xD7A3 {
		return 0, 0, 0, false
	}
	n := int(r - 0xAC00)
	return n / (21 * 28), n / 28 % 21, n % 28, true
}

// Romanize writes Hangul in a system: "rr" (Revised Romanization), "mr" (McCune-Reischauer, with
// its breves and apostrophes) or "popular" (RR with eo written u, as many Koreans write their
// names: 철 Chul, 성 Sung). Other characters are kept.
func Romanize(hangul, system string) string {
	var b strings.Builder
	prevVoiced := false
	for _, r := range hangul {
		i, v, f, ok := syllable(r)
		if !ok {
			b.WriteRune(r)
			prevVoiced = false
			continue
		}
		switch system {
		case "mr":
			ini := mrInitial[i]
			if g, ok := voicedMR[ini]; ok && prevVoiced {
				ini = g
			}
			b.WriteString(ini + mrVowel[v] + finals[f])
		case "popular":
			b.WriteString(rrInitial[i] + strings.ReplaceAll(rrVowel[v], "eo", "u") + finals[f])
		default:
			b.WriteString(rrInitial[i] + rrVowel[v] + finals[f])
		}
		prevVoiced = f == 0 || finals[f] == "n" || finals[f] == "m" || finals[f] == "ng" || finals[f] == "l"
	}
	return b.String()
}

// compoundSurnames are the two-syllable family names.
var compoundSurnames = []string{"남궁", "황보", "제갈", "선우", "독고", "사공", "서문", "동방"}

// SplitKoreanName splits a Hangul name written family name first (김철민) into family and given
// names: the first syllable, or the first two when they make a two-syllable family name.
func SplitKoreanName(name string) (family, given string) {
	rs := []rune(strings.ReplaceAll(strings.TrimSpace(name), " ", ""))
	if len(rs) >= 3 {
		for _, c := range compoundSurnames {
			if string(rs[:2]) == c {
				return c, string(rs[2:])
			}
		}
	}
	if len(rs) < 2 {
		return string(rs), ""
	}
	return string(rs[:1]), string(rs[1:])
}

// surnameSpellings are the usual romanized spellings of common family names, beside RR and MR
// (Statistics Korea's most frequent surnames; the spellings of passports and of the US and UN
// records of the war).
var surnameSpellings = map[string][]string{
	"김": {"kim"}, "이": {"lee", "yi", "rhee", "ri"}, "박": {"park", "pak", "bak"}, "최": {"choi", "choe"},
	"정": {"jung", "jeong", "chung"}, "강": {"kang"}, "조": {"cho", "jo"}, "윤": {"yoon", "yun"},
	"장": {"jang", "chang"}, "임": {"lim", "im", "rim"}, "한": {"han"}, "오": {"oh", "o"}, "서": {"seo", "suh"},
	"신": {"shin", "sin"}, "권": {"kwon", "gwon"}, "황": {"hwang"}, "안": {"ahn", "an"}, "송": {"song"},
	"류": {"ryu", "yoo", "yu"}, "유": {"yoo", "yu"}, "전": {"jeon", "chun", "chon"}, "홍": {"hong"},
	"고": {"ko", "go"}, "문": {"moon", "mun"}, "양": {"yang"}, "손": {"son", "sohn"}, "배": {"bae", "pae"},
	"백": {"baek", "paik", "paek"}, "허": {"heo", "huh", "ho"}, "남": {"nam"}, "심": {"shim", "sim"},
	"노": {"noh", "roh", "no"}, "하": {"ha"}, "곽": {"kwak", "gwak"}, "성": {"sung", "seong"},
	"차": {"cha"}, "주": {"joo", "ju", "chu"}, "우": {"woo", "u"}, "구": {"koo", "gu", "ku"}, "민": {"min"},
}

// NameSearchKey is what a name is compared by in searches: lower case, letters and digits only
// (spaces, hyphens and apostrophes dropped), Latin accents and breves removed (ŏ is o); Hangul is
// kept as it is. "Kim Ch'ŏl-min" and "kim cholmin" have the same key.
func NameSearchKey(s string) string {
	var b strings.Builder
	for _, r := range s {
		if _, _, _, ok := syllable(r); ok {
			b.WriteRune(r)
			continue
		}
		for _, d := range norm.NFD.String(string(r)) {
			if unicode.IsLetter(d) || unicode.IsDigit(d) {
				b.WriteRune(unicode.ToLower(d))
			}
		}
	}
	return b.String()
}

// SearchNames is what a missing person's name is found by: the name as recorded in both orders,
// and for a name in Hangul the Hangul itself and its romanizations (RR, MR, the popular spelling,
// and the usual spellings of the family name), each in both orders, as search keys separated by
// spaces. A search's key is looked for inside it.
func SearchNames(m *MissingPerson) string { return nameKeys(m.FamilyName, m.GivenNames, m.NativeName) }

// FamilySearchNames is SearchNames for a relative.
func FamilySearchNames(f *FamilyMember) string {
	return nameKeys(f.FamilyName, f.GivenNames, f.NativeName)
}

// nameKeys is the search keys of a name recorded as family and given names, with its native form.
func nameKeys(family, given, nativeName string) string {
	seen := map[string]bool{}
	var keys []string
	add := func(parts ...string) {
		k := NameSearchKey(strings.Join(parts, ""))
		if k != "" && !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	add(family, given)
	add(given, family)
	native := strings.TrimSpace(nativeName)
	if HasHangul(family + given) {
		native = strings.TrimSpace(family + given)
	}
	if native != "" {
		add(native)
		fam, g := SplitKoreanName(native)
		add(g)
		families := append([]string{Romanize(fam, "rr"), Romanize(fam, "mr")}, surnameSpellings[fam]...)
		for _, r := range []string{Romanize(g, "rr"), Romanize(g, "mr"), Romanize(g, "popular")} {
			for _, f := range families {
				add(f, r)
				add(r, f)
			}
		}
	}
	return strings.Join(keys, " ")
}
