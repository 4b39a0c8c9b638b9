package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/homeward/homeward/assets"
)

// docBlock is a fenced block of a document.
type docBlock struct {
	file   string
	line   int
	lang   string
	notRun string // the reason given in <!-- not run: ... --> just before it
	text   string
}

var notRunRE = regexp.MustCompile(`<!--\s*not run:\s*(.+?)\s*-->`)

// docBlocks reads the fenced blocks of README.md and docs/*.md.
func docBlocks(t *testing.T) []docBlock {
	files, _ := filepath.Glob("../../docs/*.md")
	files = append([]string{"../../README.md"}, files...)
	var out []docBlock
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(b), "\n")
		for i := 0; i < len(lines); i++ {
			if !strings.HasPrefix(lines[i], "```") {
				continue
			}
			blk := docBlock{file: filepath.Base(f), line: i + 1, lang: strings.TrimPrefix(lines[i], "```")}
			if i > 0 {
				if m := notRunRE.FindStringSubmatch(lines[i-1]); m != nil {
					blk.notRun = m[1]
				}
			}
			var body []string
			for i++; i < len(lines) && !strings.HasPrefix(lines[i], "```"); i++ {
				body = append(body, lines[i])
			}
			blk.text = strings.Join(body, "\n")
			out = append(out, blk)
		}
	}
	return out
}

// commandRE finds a command in a line of code: homeward, a project script, curl, go or npm.
var commandRE = regexp.MustCompile(`^(\$ )?([A-Z_]+=\S+ )*(homeward|scripts/[a-z-]+|curl|go|npm) `)

// synopsisRE marks a line as a synopsis: optional parts in brackets, alternatives, or a
// placeholder in capitals (ID, FILE.json).
var synopsisRE = regexp.MustCompile(`[\[|]|\.\.\.|\b[A-Z][A-Z0-9_-]+\b`)

// Commands are shown in ```sh blocks, which the README-usage test runs; a synopsis of a
// command's arguments goes in a ```text block, and an indented block holds no command.
func TestDocumentedCommandsAreInShellBlocks(t *testing.T) {
	for _, b := range docBlocks(t) {
		if b.lang == "text" {
			for _, l := range strings.Split(b.text, "\n") {
				if commandRE.MatchString(l) && !synopsisRE.MatchString(l) {
					t.Errorf("%s:%d: %q is a command, not a synopsis: show it in a ```sh block", b.file, b.line, l)
				}
			}
		}
	}
	for _, f := range append([]string{"../../README.md"}, must(filepath.Glob("../../docs/*.md"))...) {
		fenced := false
		for i, l := range strings.Split(string(must(os.ReadFile(f))), "\n") {
			if strings.HasPrefix(l, "```") {
				fenced = !fenced
			}
			if !fenced && strings.HasPrefix(l, "    ") && commandRE.MatchString(strings.TrimSpace(l)) {
				t.Errorf("%s:%d: a command in an indented block: show it in a ```sh block (run by the README-usage test) or a synopsis in ```text", filepath.Base(f), i+1)
			}
		}
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// The README-usage test: every ```sh block of README.md and docs/ runs, exactly as written, in a
// fresh directory holding a copy of the demo store (homeward demo) and links to the repository's
// folders (so that testdata paths resolve), with this build of homeward first on PATH. The blocks
// of one document run in order in one shell (set -e), so a later block may use what an earlier
// one made; a command ending in & runs in the background until the document ends. A block that
// cannot run here says why in <!-- not run: ... --> and is counted.
func TestDocumentedCommandsRun(t *testing.T) {
	if testing.Short() {
		t.Skip("builds homeward, loads the demo world and runs every documented command")
	}
	if _, _, err := assets.Report(); err != nil && os.Getenv("HOMEWARD_REQUIRE_ASSETS") != "1" {
		t.Skipf("the report fonts are not in place (scripts/assets; scripts/test runs it): %v", err)
	}
	bin := t.TempDir()
	if out, err := exec.Command("go", "build", "-o", filepath.Join(bin, "homeward"), ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v %s", err, out)
	}
	demo := t.TempDir()
	if out, err := shell(t, demo, bin, "homeward demo", 5*time.Minute); err != nil {
		t.Fatalf("homeward demo: %v\n%s", err, out)
	}
	byFile := map[string][]docBlock{}
	var order []string
	skipped := 0
	for _, b := range docBlocks(t) {
		if b.lang != "sh" {
			continue
		}
		if b.notRun != "" {
			skipped++
			continue
		}
		if byFile[b.file] == nil {
			order = append(order, b.file)
		}
		byFile[b.file] = append(byFile[b.file], b)
	}
	for _, f := range order {
		t.Run(f, func(t *testing.T) {
			dir := sandbox(t, demo)
			var script strings.Builder
			for _, b := range byFile[f] {
				fmt.Fprintf(&script, "echo '>>> %s:%d'\n%s\n", b.file, b.line, b.text)
			}
			if out, err := shell(t, dir, bin, script.String(), 10*time.Minute); err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
		})
	}
	t.Logf("%d documents' shell blocks run; %d blocks marked not run", len(order), skipped)
	if skipped > 8 {
		t.Errorf("%d blocks are not run: make them runnable", skipped)
	}
}

// sandbox makes a directory with a copy of the demo store and links to the repository's folders.
func sandbox(t *testing.T, demo string) string {
	dir := t.TempDir()
	repo, _ := filepath.Abs("../..")
	entries, err := os.ReadDir(repo)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries { // folders for testdata paths, go.mod and go.sum for go commands
		if !strings.HasPrefix(e.Name(), ".") && !strings.HasPrefix(e.Name(), "homeward-data") && (e.IsDir() || strings.HasPrefix(e.Name(), "go.")) {
			if err := os.Symlink(filepath.Join(repo, e.Name()), filepath.Join(dir, e.Name())); err != nil {
				t.Fatal(err)
			}
		}
	}
	if out, err := exec.Command("cp", "-a", filepath.Join(demo, "homeward-data"), filepath.Join(demo, "homeward-data-keys"), dir).CombinedOutput(); err != nil {
		t.Fatalf("copy the demo store: %v %s", err, out)
	}
	return dir
}

// shell runs a script with bash -e in dir, homeward from bin first on PATH, and kills what it
// left in the background.
func shell(t *testing.T, dir, bin, script string, limit time.Duration) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	full := "set -euo pipefail\ntrap 'kill $(jobs -p) 2>/dev/null || true' EXIT\n" + script + "\n"
	cmd := exec.CommandContext(ctx, "bash", "-c", full)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	for _, k := range []string{"HOMEWARD_DATA_DIR", "HOMEWARD_DATABASE_URL", "HOMEWARD_KEY_DIR", "HOMEWARD_TOKEN", "HOMEWARD_USER", "HOMEWARD_CONFIG", "HOMEWARD_CUSTODY_KEY", "HOMEWARD_BLOB_URL"} {
		cmd.Env = append(cmd.Env, k+"=")
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.Bytes(), err
}
