// Command homeward is the Homeward server and its command-line tools. It only assembles: the
// domain, science, storage and transport live in their own packages.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"sort"
	"syscall"

	"github.com/homeward/homeward"
)

// command is one CLI verb. Each verb lives in its own file and registers itself in init.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env *cliEnv, args []string) error
}

// cliEnv carries the process's streams and environment so that tests can run verbs in-process.
type cliEnv struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
}

var commands = map[string]command{}

func register(c command) {
	if _, dup := commands[c.name]; dup {
		panic("duplicate command " + c.name)
	}
	commands[c.name] = c
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		// The first Ctrl-C or SIGTERM cancels ctx, which every long computation watches; the
		// signals then get their default action back, so a second Ctrl-C exits at once.
		<-ctx.Done()
		stop()
		if errors.Is(context.Cause(ctx), context.Canceled) {
			fmt.Fprintln(os.Stderr, "homeward: stopping (Ctrl-C again to quit at once)")
		}
	}()
	env := &cliEnv{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}
	err := run(ctx, env, os.Args[1:])
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "homeward:", homeward.ErrorMessageVerbose(err))
		var ue usageError
		if errors.As(err, &ue) {
			os.Exit(2)
		}
		var ve verificationError
		if errors.As(err, &ve) {
			os.Exit(3)
		}
		os.Exit(1)
	}
}

type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg }

func run(ctx context.Context, env *cliEnv, args []string) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(env.stdout)
		return nil
	}
	if args[0] == "--version" || args[0] == "-version" || args[0] == "version" {
		fmt.Fprintln(env.stdout, versionLine())
		return nil
	}
	c, ok := commands[args[0]]
	if !ok {
		usage(env.stderr)
		return usageError{fmt.Sprintf("unknown command %q", args[0])}
	}
	return c.run(ctx, env, args[1:])
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "homeward: accounting for the missing")
	fmt.Fprintln(w, "\nUsage: homeward <command> [flags] [args]\n\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-12s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun 'homeward <command> -h' for a command's flags; 'homeward --version' for the build.")
	fmt.Fprintln(w, "Exit status: 0 done, 1 failed, 2 usage error, 3 verification failed (custody).")
}

// versionLine says which build this is: the module version (a tag, a pseudo-version, or "(devel)"
// for a build from a checkout), the commit and its time with "modified" when the tree had
// uncommitted changes, and the Go version, as the build recorded them.
func versionLine() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "homeward (no build information)"
	}
	var rev, at, dirty string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = ", modified"
			}
		}
	}
	line := "homeward " + bi.Main.Version
	if rev != "" {
		line += fmt.Sprintf(" (commit %s, %s%s)", rev, at, dirty)
	}
	return line + " " + bi.GoVersion
}
