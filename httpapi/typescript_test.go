package httpapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers/legacy"
)

const tsDir = "apiclient/typescript"

// The TypeScript types that openapi-typescript generates from the served document accept the
// server's real answers: the walk-through's every JSON answer is written as a literal of the
// type its operation documents, and tsc (strict) checks them all. A field the document lacks, a
// required one the server leaves out, or a null where the type allows none fails here. The kept
// api.d.ts is what openapi-typescript makes of the document today.
func TestTypeScriptTypesAcceptTheAnswers(t *testing.T) {
	if testing.Short() {
		t.Skip("installs openapi-typescript and typescript with npm")
	}
	npmInstall(t)
	fresh := filepath.Join(t.TempDir(), "api.d.ts")
	npx(t, "openapi-typescript", "../openapi.json", "-o", fresh)
	if a, b := readFile(t, fresh), readFile(t, filepath.Join(tsDir, "api.d.ts")); !bytes.Equal(a, b) {
		t.Fatalf("%s/api.d.ts is not what openapi-typescript makes of openapi.json: run npm run generate in %s", tsDir, tsDir)
	}
	e := newEnv(t, "sqlite")
	rec := &recorder{}
	walk(t, e, rec)
	check := tsChecks(t, e.api.OpenAPI(), rec.answers)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "api.d.ts"), readFile(t, fresh), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "check.ts"), []byte(check), 0o644); err != nil {
		t.Fatal(err)
	}
	tsc, _ := filepath.Abs(filepath.Join(tsDir, "node_modules", ".bin", "tsc"))
	cmd := exec.Command(tsc, "--noEmit", "--strict", "--target", "es2022", "--moduleResolution", "bundler", "--module", "esnext", "check.ts")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("tsc refuses the server's answers: %v\n%s", err, out)
	}
}

// answer is one exchange of the walk-through.
type answer struct {
	req    *http.Request
	status int
	ct     string
	body   []byte
}

type recorder struct{ answers []answer }

func (r *recorder) Do(req *http.Request) (*http.Response, error) {
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		return nil, err
	}
	res.Body = io.NopCloser(bytes.NewReader(b))
	r.answers = append(r.answers, answer{req: req, status: res.StatusCode, ct: res.Header.Get("Content-Type"), body: b})
	return res, nil
}

// tsChecks writes each JSON answer as a constant of the schema its operation documents.
func tsChecks(t *testing.T, doc *openapi3.T, answers []answer) string {
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("import type { components } from \"./api\";\ntype S = components[\"schemas\"];\n")
	n := 0
	for i, a := range answers {
		local := a.req.Clone(a.req.Context()) // as the server sees it: a path, no host
		local.URL = &url.URL{Path: a.req.URL.Path, RawQuery: a.req.URL.RawQuery}
		route, _, err := router.FindRoute(local)
		if err != nil || len(a.body) == 0 {
			continue
		}
		ct, _, _ := strings.Cut(a.ct, ";")
		resp := route.Operation.Responses.Status(a.status)
		if resp == nil {
			resp = route.Operation.Responses.Default()
		}
		mt := resp.Value.Content.Get(ct)
		if mt == nil || mt.Schema == nil || mt.Schema.Ref == "" {
			t.Errorf("%s %s answered %d %s, which the document does not describe", a.req.Method, a.req.URL.Path, a.status, ct)
			continue
		}
		var v any
		if err := json.Unmarshal(a.body, &v); err != nil {
			t.Fatalf("answer %d: %v", i, err)
		}
		fmt.Fprintf(&b, "// %s %s -> %d\nexport const a%d: S[%q] = %s;\n", a.req.Method, a.req.URL.Path, a.status, i, path0(mt.Schema.Ref), a.body)
		n++
	}
	if n < 12 {
		t.Errorf("only %d answers to check", n)
	}
	return b.String()
}

func path0(ref string) string { return ref[strings.LastIndex(ref, "/")+1:] }

// npmInstall installs the pinned tools of package-lock.json once (node_modules is not kept).
func npmInstall(t *testing.T) {
	if _, err := os.Stat(filepath.Join(tsDir, "node_modules", ".bin", "tsc")); err == nil {
		return
	}
	cmd := exec.Command("npm", "ci", "--no-audit", "--no-fund")
	cmd.Dir = tsDir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("npm ci in %s: %v\n%s", tsDir, err, out)
	}
}

func npx(t *testing.T, tool string, args ...string) {
	bin, _ := filepath.Abs(filepath.Join(tsDir, "node_modules", ".bin", tool))
	cmd := exec.Command(bin, args...)
	cmd.Dir = tsDir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", tool, err, out)
	}
}

func readFile(t *testing.T, p string) []byte {
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
