package main

import (
	"errors"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// leaves lists every runnable command of the tree.
func leaves(c *cobra.Command) []*cobra.Command {
	var out []*cobra.Command
	for _, s := range c.Commands() {
		if s.Name() == "help" || s.Name() == "completion" {
			continue
		}
		if s.HasSubCommands() {
			out = append(out, leaves(s)...)
		} else {
			out = append(out, s)
		}
	}
	return out
}

// Every command has --help with at least one example, and every example is a command line the
// tree accepts: the command exists, its flags are the command's, its arguments are as many as it
// takes. (Running them is the README-usage test's work; examples name files a reader has.)
func TestEveryCommandHasAWorkingExample(t *testing.T) {
	root := newRoot(&cliEnv{getenv: func(string) string { return "" }})
	n := 0
	for _, c := range leaves(root) {
		if c.Name() == "version" {
			continue
		}
		if c.Example == "" {
			t.Errorf("%s has no example", c.CommandPath())
			continue
		}
		out, err := runCLI(t, nil, "", append(strings.Fields(strings.TrimPrefix(c.CommandPath(), "homeward ")), "--help")...)
		if err != nil || !strings.Contains(out, "Examples:") || !strings.Contains(out, "Global Flags:") {
			t.Errorf("%s --help: %v\n%s", c.CommandPath(), err, out)
		}
		for _, line := range strings.Split(c.Example, "\n") {
			args, ok := commandLine(line)
			if !ok {
				t.Errorf("%s: example %q does not run homeward", c.CommandPath(), line)
				continue
			}
			if err := parses(args); err != nil {
				t.Errorf("%s: example %q: %v", c.CommandPath(), line, err)
			}
			n++
		}
	}
	if n < 60 {
		t.Errorf("only %d examples checked", n)
	}
}

// parses checks a command line against the tree without running it.
func parses(args []string) error {
	root := newRoot(&cliEnv{getenv: func(string) string { return "" }})
	args = longFlags(root, args)
	c, rest, err := root.Find(args)
	if err != nil {
		return err
	}
	if err := c.ParseFlags(rest); err != nil {
		return err
	}
	if c.Args != nil {
		return c.Args(c, c.Flags().Args())
	}
	return nil
}

// commandLine takes the homeward command out of a shell line: the words after "homeward" in
// its last pipeline stage, quotes removed, redirections dropped.
func commandLine(line string) ([]string, bool) {
	stages := strings.Split(line, "|")
	words := shellWords(stages[len(stages)-1])
	for i, w := range words {
		if w == "homeward" {
			var out []string
			for j := i + 1; j < len(words); j++ {
				if words[j] == ">" || words[j] == "<" {
					j++
					continue
				}
				out = append(out, words[j])
			}
			return out, true
		}
	}
	return nil, false
}

// shellWords splits a line as a POSIX shell would for the simple lines of documents: words
// separated by blanks, single and double quotes grouping, $(...) kept as one word.
func shellWords(s string) []string {
	var words []string
	var cur strings.Builder
	inWord := false
	var quote rune
	for _, r := range s {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			cur.WriteRune(r)
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == ' ' || r == '\t':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words
}

// Flags go anywhere, with one dash or two; a wrong command line is a usage error (exit 2).
func TestCommandLineConventions(t *testing.T) {
	vars := map[string]string{"HOMEWARD_DATA_DIR": t.TempDir()}
	if _, err := runCLI(t, vars, "", "migrate"); err != nil {
		t.Fatal(err)
	}
	var first string
	for i, args := range [][]string{
		{"list", "incidents", "--limit", "1", "--q", "x"},
		{"list", "--limit", "1", "incidents", "--q", "x"},
		{"list", "-limit", "1", "-q=x", "incidents"},
		{"list", "incidents", "-q", "x", "--limit=1"},
	} {
		out, err := runCLI(t, vars, "", args...)
		if err != nil || !strings.Contains(out, `"total": 0`) {
			t.Fatalf("%v: %v %s", args, err, out)
		}
		if i == 0 {
			first = out
		} else if out != first {
			t.Errorf("%v answered differently:\n%s\n%s", args, out, first)
		}
	}
	for _, args := range [][]string{
		{"nosuch"},
		{"custody"},
		{"custody", "nosuch"},
		{"custody", "list"},
		{"custody", "list", "A", "B"},
		{"custody", "verify", "--nosuch"},
		{"list", "incidents", "--limit", "many"},
	} {
		_, err := runCLI(t, vars, "", args...)
		var ue usageError
		if !errors.As(err, &ue) {
			t.Errorf("%v: %v is not a usage error", args, err)
		}
	}
}

// Shell completion: cobra's scripts, and completions of commands, kinds and flags.
func TestShellCompletion(t *testing.T) {
	for _, sh := range []string{"bash", "zsh", "fish", "powershell"} {
		if out, err := runCLI(t, nil, "", "completion", sh); err != nil || !strings.Contains(out, "homeward") || len(out) < 1000 {
			t.Errorf("completion %s: %v %.200s", sh, err, out)
		}
	}
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"__complete", "cust"}, []string{"custody"}},
		{[]string{"__complete", "custody", ""}, []string{"verify", "list", "append", "key"}},
		{[]string{"__complete", "custody", "append", "--k"}, []string{"--kind", "--key-dir"}},
		{[]string{"__complete", "list", ""}, []string{"missing-persons", "containers"}},
	} {
		out, err := runCLI(t, nil, "", c.args...)
		for _, w := range c.want {
			if err != nil || !strings.Contains(out, w+"\t") && !strings.Contains(out, w+"\n") {
				t.Errorf("%v: %q missing: %v\n%s", c.args, w, err, out)
			}
		}
	}
}
