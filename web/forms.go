package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/homeward/homeward"
)

// sentence is a sentence for a page in the catalog's terms: its English format and its values,
// written in the page's language when the page is rendered ({{say $.Lang .}}).
type sentence struct {
	Format string
	Args   []any
}

func say(format string, args ...any) sentence { return sentence{Format: format, Args: args} }

// postedForm is a posted form's content and, after a refusal, the message for each field (by the
// form's field name) and for the form as a whole: the page shows each message beside its field
// and keeps what was typed.
type postedForm struct {
	Values  map[string]string
	Errors  map[string]string
	Message string
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
	f.Errors = map[string]string{}
	if name, msg := refusedField(err); name != "" {
		if _, ok := f.Values[name]; ok {
			f.Errors[name] = msg
			return
		}
	}
	f.Message = homeward.ErrorMessage(err)
}

// refusedField is the form field a refusal names and its message: the last part of the error's
// field, its record and any index dropped (identification.summary is summary,
// custody_event.photos[2] is photos); "" when it names none.
func refusedField(err error) (name, message string) {
	var he *homeward.Error
	if !errors.As(err, &he) || he.Field == "" {
		return "", ""
	}
	name = he.Field
	if i := strings.Index(name, "["); i > 0 {
		name = name[:i]
	}
	if i := strings.LastIndex(name, "."); i >= 0 {
		name = name[i+1:]
	}
	return name, he.Message
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
