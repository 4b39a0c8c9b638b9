package httpapi_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the API document file httpapi/apiclient/openapi.json")

const documentFile = "apiclient/openapi.json"

// The document the generated client was made from is the document the server serves: a change
// of a route or a type without regenerating the client fails here (-update rewrites the file,
// then go generate ./httpapi/apiclient regenerates the client).
func TestOpenAPIDocumentFile(t *testing.T) {
	e := newEnv(t, "sqlite")
	served, err := json.MarshalIndent(e.api.OpenAPI(), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	served = append(served, '\n')
	if *update {
		if err := os.WriteFile(documentFile, served, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	kept, err := os.ReadFile(documentFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(kept, served) {
		t.Fatalf("%s differs from the served document: run go test ./httpapi -run TestOpenAPIDocumentFile -update && go generate ./httpapi/apiclient", documentFile)
	}
}

// The generated client is what oapi-codegen makes of the document file today.
func TestGeneratedClientIsCurrent(t *testing.T) {
	if testing.Short() {
		t.Skip("runs oapi-codegen")
	}
	dir := t.TempDir()
	cfg, err := os.ReadFile("apiclient/oapi-codegen.yaml")
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "client.gen.go")
	cfg = bytes.Replace(cfg, []byte("output: client.gen.go"), []byte("output: "+out), 1)
	if err := os.WriteFile(filepath.Join(dir, "cfg.yaml"), cfg, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "tool", "oapi-codegen", "-config", filepath.Join(dir, "cfg.yaml"), "openapi.json")
	cmd.Dir = "apiclient"
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("oapi-codegen: %v\n%s", err, msg)
	}
	fresh, _ := os.ReadFile(out)
	kept, err := os.ReadFile("apiclient/client.gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(fresh, kept) {
		t.Fatal("apiclient/client.gen.go is not what oapi-codegen makes of openapi.json: run go generate ./httpapi/apiclient")
	}
}
