package httpapi

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/homeward/homeward"
)

// FuzzDecode: any request body yields a record or an invalid/malformed/too_large error naming the record,
// never a panic.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{`{"family_name":"Doe"}`, `{"stature_cm":"x"}`, `{`, ``, `[]`, `{"a":1}`, `{"family_name":"A"} {}`, `{"coordinates":{"lat":1e400}}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		r := httptest.NewRequest("POST", "/", strings.NewReader(body))
		var m homeward.MissingPerson
		err := decode(r, "missing_person", &m)
		if err == nil {
			return
		}
		code := homeward.ErrorCode(err)
		if code != homeward.EINVALID && code != homeward.EMALFORMED && code != homeward.ETOOLARGE {
			t.Fatalf("code %s for %q: %v", code, body, err)
		}
		if !strings.HasPrefix(err.Error(), "missing_person") {
			t.Fatalf("error does not name the record: %v", err)
		}
	})
}
