package web

import (
	"html/template"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
)

// A page whose template fails answers 500 with a message, not a blank page with 200 (an empty
// shared template once made every list page blank).
func TestBrokenTemplateIs500(t *testing.T) {
	h := &Handler{cfg: Config{Logger: slog.New(slog.DiscardHandler)}, tmpl: map[string]*template.Template{
		"broken": template.Must(template.New("layout.html").Parse(`<p>start</p>{{template "missing" .}}`)),
		"fine":   template.Must(template.New("layout.html").Parse(`<p>{{.Title}}</p>`)),
	}}
	rec := httptest.NewRecorder()
	h.render(rec, 200, "broken", page{Title: "x"})
	if rec.Code != 500 || strings.Contains(rec.Body.String(), "start") || !strings.Contains(rec.Body.String(), "could not be made") {
		t.Errorf("broken: %d %q", rec.Code, rec.Body.String())
	}
	rec = httptest.NewRecorder()
	h.render(rec, 201, "fine", page{Title: "made"})
	if rec.Code != 201 || rec.Body.String() != "<p>made</p>" {
		t.Errorf("fine: %d %q", rec.Code, rec.Body.String())
	}
}
