package web

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/homeward/homeward/web/i18n"
)

// operatorOnly are refusals only an operator meets, at the command line (which speaks English),
// and formats that only pass another message on.
var operatorOnly = map[string]bool{
	"%s": true, "%v": true, "%s: %v": true, "container %q: %v": true, "sample %s: %v": true,
	"backup: %s is not the embedded store":                                           true,
	"copy: the target store already holds %d row(s) in %s; copy into an empty store": true,
	"custody key rotation: the new keys must retire the current key":                 true,
	"custody log: %v":                    true,
	"custody log: newest checkpoint: %v": true,
	"the store has no custody key bound": true,
	"API token %s... expired":            true,
	"no user %s":                         true,
	"screen %d has no shard %d":          true,
	"reading JSON from stdin: %v":        true,
	"custody log: %d entries and no signed checkpoint; run homeward custody verify":                          true,
	"custody log: %d entries but the newest signed checkpoint covers %d; run homeward custody verify":        true,
	"custody log: its hashes do not give the signed root (the log was altered); run homeward custody verify": true,
	"idempotency key %q: the event it recorded (id %d) is gone; run homeward custody verify":                 true,
}

// Every refusal the domain, the stores, sign-in and the pages make can be said on a Korean page:
// the format of each homeward.Errorf, FieldErrorf and CodeFieldErrorf in their sources is a key of
// the catalog (its values are put into the Korean sentence).
func TestRefusalsSpeakKorean(t *testing.T) {
	var missing []string
	for _, dir := range []string{"..", "../store", "../auth", "."} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range files {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			for _, f := range refusalFormats(t, name) {
				if !i18n.Has(f) && !operatorOnly[f] {
					missing = append(missing, name+": "+strconv.Quote(f))
				}
			}
		}
	}
	for _, m := range missing {
		t.Errorf("no Korean for the refusal %s", m)
	}
}

// refusalFormats are the literal formats of the domain's error constructors called in a file.
func refusalFormats(t *testing.T, name string) []string {
	t.Helper()
	file, err := parser.ParseFile(token.NewFileSet(), name, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	formatAt := map[string]int{"Errorf": 1, "FieldErrorf": 1, "CodeFieldErrorf": 2}
	var out []string
	ast.Inspect(file, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		var fn string
		switch f := call.Fun.(type) {
		case *ast.SelectorExpr:
			if x, ok := f.X.(*ast.Ident); ok && x.Name == "homeward" {
				fn = f.Sel.Name
			}
		case *ast.Ident:
			if file.Name.Name == "homeward" {
				fn = f.Name
			}
		}
		i, ok := formatAt[fn]
		if !ok || len(call.Args) <= i {
			return true
		}
		if lit, ok := call.Args[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
			if s, err := strconv.Unquote(lit.Value); err == nil {
				out = append(out, s)
			}
		}
		return true
	})
	return out
}
