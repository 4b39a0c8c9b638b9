package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
	flag "github.com/spf13/pflag"
)

// action runs a command with its positional arguments, its flags already parsed.
type action func(ctx context.Context, args []string) error

// definer adds a command's flags to fs and returns what runs it. Flags are defined when the
// command tree is built, so that cobra parses them wherever they stand, lists them in --help
// and completes them in the shell.
type definer func(fs *flag.FlagSet, env *cliEnv) action

// spec is one command of the tree: a verb with an action, or a group of verbs (subs).
type spec struct {
	use     string // name and arguments: "verify [ACCESSION...]"
	short   string // one line for the list of commands
	long    string // more, for --help
	example string // at least one command line, as a user would type it
	args    cobra.PositionalArgs
	kinds   []string // the values of the first argument, for shell completion
	records bool     // prints records as a table: --json prints them as JSON instead
	creates bool     // creates a record: --id prints only its id
	define  definer
	subs    []spec
}

// specs are the top-level commands; each file registers its own in init.
var specs []spec

func register(s spec) { specs = append(specs, s) }

// cliEnv carries the process's streams and environment so that tests can run verbs in-process.
type cliEnv struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
	// cfg is the shared configuration of this run: the global flags (--data-dir, --database,
	// --as, ...) that every command takes, bound once on the root.
	cfg *config
	// asJSON is the --json flag of a command that prints records as a table by default.
	asJSON bool
	// idOnly is the --id flag of a command that creates a record: print only its id.
	idOnly bool
}

// usageError is a command line that cannot be run as written (exit status 2).
type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg }

const exitStatuses = "Exit status: 0 done, 1 failed, 2 usage error, 3 verification failed (custody)."

// newRoot builds the command tree for one run.
func newRoot(env *cliEnv) *cobra.Command {
	root := &cobra.Command{
		Use:           "homeward",
		Short:         "homeward: accounting for the missing",
		Long:          "homeward: accounting for the missing. The server, its worker and the command-line tools.\n\n" + exitStatuses,
		Version:       versionLine(),
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetVersionTemplate("{{.Version}}\n")
	root.SetIn(env.stdin)
	root.SetOut(env.stdout)
	root.SetErr(env.stderr)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageError{fmt.Sprintf("%s: %v (see %s --help)", c.CommandPath(), err, c.CommandPath())}
	})
	env.cfg = nil
	env.cfg = bindConfig(root.PersistentFlags(), env)
	for _, s := range specs {
		root.AddCommand(build(s, env, "homeward"))
	}
	root.InitDefaultCompletionCmd() // homeward completion bash|zsh|fish|powershell (also for Find)
	root.AddCommand(&cobra.Command{Use: "version", Short: "print the build (as --version)", Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			_, err := fmt.Fprintln(env.stdout, versionLine())
			return err
		}})
	return root
}

// build makes the cobra command of a spec, its flags defined now.
func build(s spec, env *cliEnv, parent string) *cobra.Command {
	c := &cobra.Command{Use: s.use, Short: s.short, Long: s.long, Example: s.example, Args: usageArgs(s.args), ValidArgs: s.kinds}
	if c.Long == "" {
		c.Long = s.short
	}
	path := parent + " " + c.Name()
	// The flag set is named by the command's path: a configuration file's [table] is its verb.
	c.Flags().Init(strings.TrimPrefix(path, "homeward "), flag.ContinueOnError)
	if s.records {
		c.Flags().BoolVar(&env.asJSON, "json", false, "print the records as JSON instead of a table")
	}
	if s.creates {
		c.Flags().BoolVar(&env.idOnly, "id", false, "print only the new record's id (for scripts)")
	}
	if s.define != nil {
		act := s.define(c.Flags(), env)
		c.RunE = func(c *cobra.Command, args []string) error {
			env.cfg.fs = c.Flags() // the command's flags and the global ones: what a configuration file may set
			return act(c.Context(), args)
		}
	} else {
		c.RunE = func(c *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageError{fmt.Sprintf("%s: unknown command %q (see %s --help)", path, args[0], path)}
			}
			return usageError{fmt.Sprintf("%s: name a command: %s (see %s --help)", path, strings.Join(names(c), ", "), path)}
		}
	}
	for _, sub := range s.subs {
		c.AddCommand(build(sub, env, path))
	}
	return c
}

func names(c *cobra.Command) []string {
	var out []string
	for _, s := range c.Commands() {
		out = append(out, s.Name())
	}
	return out
}

// usageArgs makes a wrong number of arguments a usage error.
func usageArgs(check cobra.PositionalArgs) cobra.PositionalArgs {
	if check == nil {
		return nil
	}
	return func(c *cobra.Command, args []string) error {
		if err := check(c, args); err != nil {
			return usageError{fmt.Sprintf("%s: %v; usage: %s", c.CommandPath(), err, c.UseLine())}
		}
		return nil
	}
}

// run runs one command line.
func run(ctx context.Context, env *cliEnv, args []string) error {
	root := newRoot(env)
	root.SetArgs(longFlags(root, args))
	err := root.ExecuteContext(ctx)
	var ue usageError
	if err != nil && !errors.As(err, &ue) && strings.HasPrefix(err.Error(), "unknown command") {
		return usageError{err.Error() + " (see homeward --help)"}
	}
	return err
}

// longFlags rewrites flags written with one dash (-name X, the form of Go's flag package that
// earlier versions took) as the conventional --name X, for the flags the command has, so that
// scripts written for those versions keep working. "-h" and arguments after "--" are left alone.
func longFlags(root *cobra.Command, args []string) []string {
	c, _, err := root.Find(args)
	if err != nil {
		return args
	}
	out := make([]string, len(args))
	copy(out, args)
	for i, a := range out {
		if a == "--" {
			break
		}
		if !strings.HasPrefix(a, "-") || strings.HasPrefix(a, "--") || len(a) < 2 {
			continue
		}
		name, _, _ := strings.Cut(a[1:], "=")
		if c.Flags().Lookup(name) != nil || c.InheritedFlags().Lookup(name) != nil {
			out[i] = "-" + a
		}
	}
	return out
}
