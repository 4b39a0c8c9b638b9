package idreport

import (
	"encoding/json"
	"io"
	"strings"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/assets"
)

// Formats a report is written in: the PDF, the gathered data as JSON, and the family summary as
// plain text.
var Formats = []string{"pdf", "json", "summary"}

// EmbeddedFonts are the fonts built into the binary (package assets).
func EmbeddedFonts() (Fonts, error) {
	reg, bold, err := assets.Report()
	if err != nil {
		return Fonts{}, ErrNoFonts
	}
	return Fonts{Regular: reg, Bold: bold}, nil
}

// ContentType is the media type of a format.
func ContentType(format string) string {
	switch format {
	case "pdf":
		return "application/pdf"
	case "json":
		return "application/json"
	default:
		return "text/plain; charset=utf-8"
	}
}

// Write writes the report in a format, with the embedded fonts for a PDF.
func (r *Report) Write(w io.Writer, format string) error {
	switch format {
	case "pdf":
		f, err := EmbeddedFonts()
		if err != nil {
			return err
		}
		return r.WritePDF(w, f)
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	case "summary":
		_, err := io.WriteString(w, strings.Join(r.FamilySummaryIn(r.Lang), "\n\n")+"\n")
		return err
	}
	return CheckFormat(format)
}

// CheckLang validates the language of a family summary: en (the default when empty) or ko.
func CheckLang(lang string) error {
	if lang != "" && lang != "en" && lang != "ko" {
		return homeward.FieldErrorf("lang", "%q is not a language of the family summary (en or ko)", lang)
	}
	return nil
}

// CheckFormat validates a format name before any work is done.
func CheckFormat(format string) error {
	for _, f := range Formats {
		if f == format {
			return nil
		}
	}
	return homeward.FieldErrorf("format", "%q is not one of %s", format, strings.Join(Formats, ", "))
}
