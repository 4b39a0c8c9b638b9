// Command homeward is the Homeward server and its command-line tools. It only assembles: the
// domain, science, storage and transport live in their own packages.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/homeward/homeward"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	finished, announced := make(chan struct{}), make(chan struct{})
	go func() {
		// The first Ctrl-C or SIGTERM cancels ctx, which every long computation watches; the
		// signals then get their default action back, so a second Ctrl-C exits at once.
		defer close(announced)
		select {
		case <-ctx.Done():
			stop()
			fmt.Fprintln(os.Stderr, "homeward: stopping (Ctrl-C again to quit at once)")
		case <-finished:
		}
	}()
	env := &cliEnv{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}
	err := run(ctx, env, os.Args[1:])
	if ctx.Err() == nil { // not interrupted: nothing to say (a signal arriving now is moot)
		close(finished)
	}
	<-announced // interrupted: the message is out before the process ends
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
