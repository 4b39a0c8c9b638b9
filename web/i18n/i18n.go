// Package i18n chooses the language of a page (Korean or English) and translates the interface's
// words, with golang.org/x/text: the language from the user's choice (a cookie) or else the
// browser's Accept-Language, and messages from a catalog keyed by their English text. Records
// (names, notes, places) are shown as they were entered, never translated.
package i18n

import (
	"net/http"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"
)

// Supported are the interface's languages, English first (the fallback).
var Supported = []language.Tag{language.English, language.Korean}

var matcher = language.NewMatcher(Supported)

// Cookie holds the language a user chose.
const Cookie = "homeward_lang"

// FromRequest returns the page language: the chosen one (cookie), else the best match of the
// browser's Accept-Language, else English.
func FromRequest(r *http.Request) language.Tag {
	var prefs []string
	if c, err := r.Cookie(Cookie); err == nil {
		prefs = append(prefs, c.Value)
	}
	prefs = append(prefs, r.Header.Get("Accept-Language"))
	tag, _ := language.MatchStrings(matcher, prefs...)
	base, _ := tag.Base()
	if base.String() == "ko" {
		return language.Korean
	}
	return language.English
}

// Parse accepts "en" or "ko" (a user's choice), else English.
func Parse(s string) language.Tag {
	if s == "ko" {
		return language.Korean
	}
	return language.English
}

var cat = func() catalog.Catalog {
	b := catalog.NewBuilder(catalog.Fallback(language.English))
	for en, ko := range korean {
		if err := b.SetString(language.Korean, en, ko); err != nil {
			panic(err) // a constant table
		}
	}
	return b
}()

// printers are made once per supported language.
var printers = func() map[language.Tag]*message.Printer {
	m := map[language.Tag]*message.Printer{}
	for _, tag := range Supported {
		m[tag] = message.NewPrinter(tag, message.Catalog(cat))
	}
	return m
}()

// Printer translates for one language (English for one not supported).
func Printer(tag language.Tag) *message.Printer {
	if p, ok := printers[tag]; ok {
		return p
	}
	return printers[language.English]
}

// Tf translates a sentence with values (the catalog's key is the English format, "%d" and "%s"
// for the values, which keep their places in each language's wording).
func Tf(tag language.Tag, en string, args ...any) string {
	if _, ok := korean[en]; !ok || tag != language.Korean {
		return message.NewPrinter(language.English).Sprintf(en, args...)
	}
	return Printer(tag).Sprintf(en, args...)
}

// T translates an interface text into the language (the English text when there is no
// translation).
func T(tag language.Tag, en string) string {
	if _, ok := korean[en]; !ok || tag != language.Korean {
		return en // not a catalog key: shown as it is (a "%" in it is not a verb)
	}
	return Printer(tag).Sprintf(en)
}

// Has reports whether the catalog translates en.
func Has(en string) bool {
	_, ok := korean[en]
	return ok
}

// Message translates a status line made of a catalog key and what it is about ("Created park",
// "Now approved"): the longest catalog key that begins it is translated and the rest kept, or
// translated too when it is itself a key (a status). A line without a key stays as it is.
func Message(tag language.Tag, s string) string {
	if tag != language.Korean || Has(s) {
		return T(tag, s)
	}
	words := strings.Fields(s)
	for n := len(words) - 1; n > 0; n-- {
		if key := strings.Join(words[:n], " "); Has(key) {
			return T(tag, key) + " " + T(tag, strings.Join(words[n:], " "))
		}
	}
	return s
}
