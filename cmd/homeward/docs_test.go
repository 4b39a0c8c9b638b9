package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Every command README.md and docs/ show, in blocks or inline, names a verb this binary has: a
// renamed or removed verb fails here instead of in a reader's shell. (The blocks themselves are
// run as written by TestDocumentedCommandsRun, in readme_test.go.)
func TestDocumentedVerbsExist(t *testing.T) {
	files, _ := filepath.Glob("../../docs/*.md")
	files = append(files, "../../README.md")
	cmd := regexp.MustCompile("(?:^|[\\s`$(])homeward ([a-z][a-z-]*)")
	seen := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			if !strings.HasPrefix(line, "    ") && !strings.Contains(line, "`homeward ") && !strings.Contains(line, "$ homeward ") {
				continue // only code: indented blocks and inline code
			}
			for _, m := range cmd.FindAllStringSubmatch(line, -1) {
				verb := m[1]
				if _, _, err := newRoot(&cliEnv{getenv: func(string) string { return "" }}).Find([]string{verb}); err != nil && !notAVerb[verb] {
					t.Errorf("%s:%d shows `homeward %s`, which is not a command", filepath.Base(f), i+1, verb)
				}
				seen++
			}
		}
	}
	if seen < 30 {
		t.Errorf("only %d documented commands found: is the pattern still right?", seen)
	}
}

// notAVerb are words that follow "homeward " in prose inside code (paths, the module name).
var notAVerb = map[string]bool{"is": true, "the": true, "data": true, "keys": true, "custody-key": true}
