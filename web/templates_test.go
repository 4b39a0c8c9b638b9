package web_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/homeward/homeward/web/i18n"
)

var (
	tmplComment  = regexp.MustCompile(`(?s)\{\{/\*.*?\*/\}\}`)
	tmplAction   = regexp.MustCompile(`(?s)\{\{.*?\}\}`)
	tmplVerbatim = regexp.MustCompile(`(?s)<(script|style|code|pre)[^>]*>.*?</(script|style|code|pre)>`)
	tmplAttr     = regexp.MustCompile(`(?:aria-label|title|alt)="([^"]*)"`)
	tmplTag      = regexp.MustCompile(`<[^>]*>|&\w+;`)
	tmplWord     = regexp.MustCompile(`[A-Za-z][A-Za-z0-9-]+`)
	tmplKey      = regexp.MustCompile(`(?:\{\{-?\s*|\()(?:t|tf)\s+(?:\$?\.?Lang|\$l)\s+("(?:[^"\\]|\\.)*")`)
)

// sameInBoth are the words a page may show untranslated: names, abbreviations and units that
// Korean pages write the same way.
var sameInBoth = map[string]bool{"Homeward": true, "English": true, "DNA": true, "LR": true, "MNI": true, "PDF": true, "CSV": true,
	"QR": true, "mtDNA": true, "Y-STR": true, "log10": true, "SHA-256": true, "OsteoSort": true, "cm": true, "mm": true, "CLI": true}

// Every text a page shows (headings, table heads, explanations, labels for screen readers) goes
// through the catalog, and every catalog key the pages use has its Korean: a text written straight
// into a template would stay English on a Korean page.
func TestTemplatesSpeakBothLanguages(t *testing.T) {
	files, err := filepath.Glob("templates/*.html")
	if err != nil || len(files) < 20 {
		t.Fatalf("templates: %v %d", err, len(files))
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		src := string(b)
		for _, m := range tmplKey.FindAllStringSubmatch(src, -1) {
			key, err := strconv.Unquote(m[1])
			if err != nil || !i18n.Has(key) {
				t.Errorf("%s: %s is not in the Korean catalog", f, m[1])
			}
		}
		s := tmplVerbatim.ReplaceAllString(tmplAction.ReplaceAllString(tmplComment.ReplaceAllString(src, ""), "§"), "")
		var texts []string
		for _, m := range tmplAttr.FindAllStringSubmatch(s, -1) {
			texts = append(texts, m[1])
		}
		texts = append(texts, strings.Split(tmplTag.ReplaceAllString(s, "\n"), "\n")...)
		for _, text := range texts {
			for _, w := range tmplWord.FindAllString(text, -1) {
				if !sameInBoth[w] {
					t.Errorf("%s: %q is shown untranslated", f, strings.TrimSpace(text))
					break
				}
			}
		}
	}
}
