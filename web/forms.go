package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/web/i18n"
	"golang.org/x/text/language"
)

// sentence is a sentence for a page in the catalog's terms: its English format and its values,
// written in the page's language when the page is rendered ({{say $.Lang .}}).
type sentence struct {
	Format string
	Args   []any
	// Field, when set, is written before the sentence as it is: the record field a refusal names.
	Field string
}

func say(format string, args ...any) sentence { return sentence{Format: format, Args: args} }

// saying is say for a message a page may or may not carry (nil: none).
func saying(format string, args ...any) *sentence { return &sentence{Format: format, Args: args} }

// in writes the sentence in the language: the catalog's translation of its format with its values
// put in, else the English. A sentence without values is a text (a "%" in it is not a verb).
func (s *sentence) in(tag language.Tag) string {
	if s == nil {
		return ""
	}
	text := i18n.T(tag, s.Format)
	if len(s.Args) > 0 {
		text = i18n.Tf(tag, s.Format, s.Args...)
	}
	if s.Field != "" {
		return s.Field + ": " + text
	}
	return text
}

// refusal is an error's message as a sentence for a page: a domain error's format and values (so
// a Korean page says it in Korean) with the field it names, "internal error" for any other (its
// detail is in the log).
func refusal(err error) *sentence {
	var he *homeward.Error
	if !errors.As(err, &he) {
		return saying("internal error")
	}
	s := &sentence{Format: he.Format, Args: he.Args, Field: he.Field}
	if s.Format == "" {
		s.Format, s.Args = he.Message, nil
	}
	return s
}

// postedForm is a posted form's content and, after a refusal, the message for each field (by the
// form's field name) and for the form as a whole: the page shows each message beside its field
// and keeps what was typed.
type postedForm struct {
	Values  map[string]string
	Errors  map[string]*sentence
	Message *sentence
}

// readForm keeps the named fields of a posted form.
func readForm(r *http.Request, names ...string) postedForm {
	f := postedForm{Values: map[string]string{}}
	for _, n := range names {
		f.Values[n] = strings.TrimSpace(r.FormValue(n))
	}
	return f
}

// refuse puts a refusal beside its field or above the form.
func (f *postedForm) refuse(err error) {
	f.Errors = map[string]*sentence{}
	if name, msg := refusedField(err); name != "" {
		if _, ok := f.Values[name]; ok {
			f.Errors[name] = msg
			return
		}
	}
	f.Message = refusal(err)
}

// refusedField is the form field a refusal names and its message (without the field): the last
// part of the error's field, its record and any index dropped (identification.summary is summary,
// custody_event.photos[2] is photos); "" when it names none.
func refusedField(err error) (name string, message *sentence) {
	var he *homeward.Error
	if !errors.As(err, &he) || he.Field == "" {
		return "", nil
	}
	name = he.Field
	if i := strings.Index(name, "["); i > 0 {
		name = name[:i]
	}
	if i := strings.LastIndex(name, "."); i >= 0 {
		name = name[i+1:]
	}
	message = refusal(err)
	message.Field = ""
	return name, message
}

func formInt(f postedForm, name string) (int64, error) {
	v := f.Values[name]
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, homeward.FieldErrorf(name, "%q is not a record id", v)
	}
	return n, nil
}

func formFloat(f postedForm, name string) (*float64, error) {
	v := f.Values[name]
	if v == "" {
		return nil, nil
	}
	x, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return nil, homeward.FieldErrorf(name, "%q is not a number (1e6 and 1000000 both do)", v)
	}
	return &x, nil
}
