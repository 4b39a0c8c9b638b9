package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"strings"

	"github.com/homeward/homeward"
)

func init() {
	register(command{name: "create", summary: "create a record from JSON on stdin: create missing-person|incident|family-member|operation|container|specimen|claim|profile|reference-family", run: runCreate})
	register(command{name: "list", summary: "list records as JSON: list missing-persons|incidents|operations|containers|specimens [-q TEXT] [-limit N]", run: runList})
	register(command{name: "show", summary: "show one record as JSON: show missing-person|incident|family-member|operation|specimen ID | show container ACCESSION", run: runShow})
}

// decodeStrict reads one JSON object from the CLI's stdin, refusing unknown fields.
func decodeStrict(env *cliEnv, record string, v any) error {
	dec := json.NewDecoder(env.stdin)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return homeward.FieldErrorf(record, "reading JSON from stdin: %v", err)
	}
	return nil
}

func printJSON(env *cliEnv, v any) error {
	enc := json.NewEncoder(env.stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// withStore parses the shared flags, opens the store and runs fn as the CLI user.
func withStore(ctx context.Context, env *cliEnv, name string, args []string, extra func(fs *flag.FlagSet), fn func(ctx context.Context, a *app, fs *flag.FlagSet) error) error {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	cfg := bindConfig(fs, env)
	if extra != nil {
		extra(fs)
	}
	if err := parseInterspersed(fs, args); err != nil {
		return usageError{err.Error()}
	}
	a, err := openApp(ctx, cfg, appOptions{})
	if err != nil {
		return err
	}
	defer a.Close()
	if ctx, err = a.asUser(ctx); err != nil {
		return err
	}
	return fn(ctx, a, fs)
}

func createOne[T any](ctx context.Context, env *cliEnv, record string, create func(context.Context, *T) error) error {
	var v T
	if err := decodeStrict(env, record, &v); err != nil {
		return err
	}
	if err := create(ctx, &v); err != nil {
		return err
	}
	return printJSON(env, &v)
}

func runCreate(ctx context.Context, env *cliEnv, args []string) error {
	return withStore(ctx, env, "create", args, nil, func(ctx context.Context, a *app, fs *flag.FlagSet) error {
		if fs.NArg() != 1 {
			return usageError{"usage: homeward create KIND < record.json"}
		}
		switch fs.Arg(0) {
		case "missing-person":
			return createOne(ctx, env, "missing_person", a.db.CreateMissingPerson)
		case "profile":
			return createOne(ctx, env, "profile", a.db.CreateProfile)
		case "reference-family":
			return createOne(ctx, env, "reference_family", a.db.CreateReferenceFamily)
		case "incident":
			return createOne(ctx, env, "incident", a.db.CreateIncident)
		case "family-member":
			return createOne(ctx, env, "family_member", a.db.CreateFamilyMember)
		case "operation":
			return createOne(ctx, env, "operation", a.db.CreateOperation)
		case "container":
			return createOne(ctx, env, "container", a.db.CreateContainer)
		case "specimen":
			return createOne(ctx, env, "specimen", a.db.CreateSpecimen)
		case "claim":
			return createOne(ctx, env, "claim", a.db.CreateClaim)
		}
		return usageError{fmt.Sprintf("unknown record kind %q", fs.Arg(0))}
	})
}

func runList(ctx context.Context, env *cliEnv, args []string) error {
	var q string
	var limit, offset int
	var container string
	extra := func(fs *flag.FlagSet) {
		fs.StringVar(&q, "q", "", "text to search for")
		fs.IntVar(&limit, "limit", 50, "records per page (at most 1000)")
		fs.IntVar(&offset, "offset", 0, "records to skip")
		fs.StringVar(&container, "container", "", "specimens: the container's accession number")
	}
	return withStore(ctx, env, "list", args, extra, func(ctx context.Context, a *app, fs *flag.FlagSet) error {
		if fs.NArg() != 1 {
			return usageError{"usage: homeward list KIND [-q TEXT] [-limit N] [-offset N]"}
		}
		p := homeward.Page{Limit: limit, Offset: offset}
		var v any
		var err error
		switch fs.Arg(0) {
		case "missing-persons":
			v, err = a.db.ListMissingPersons(ctx, homeward.MissingPersonFilter{Query: q, Page: p})
		case "incidents":
			v, err = a.db.ListIncidents(ctx, homeward.IncidentFilter{Query: q, Page: p})
		case "operations":
			v, err = a.db.ListOperations(ctx, p)
		case "containers":
			v, err = a.db.ListContainers(ctx, homeward.ContainerFilter{Query: q, Page: p})
		case "specimens":
			var id int64
			if container != "" {
				c, cerr := a.db.GetContainerByAccession(ctx, container)
				if cerr != nil {
					return cerr
				}
				id = c.ID
			}
			v, err = a.db.ListSpecimens(ctx, id, p)
		default:
			return usageError{fmt.Sprintf("unknown list %q (missing-persons, incidents, operations, containers, specimens)", fs.Arg(0))}
		}
		if err != nil {
			return err
		}
		return printJSON(env, v)
	})
}

func runShow(ctx context.Context, env *cliEnv, args []string) error {
	return withStore(ctx, env, "show", args, nil, func(ctx context.Context, a *app, fs *flag.FlagSet) error {
		if fs.NArg() != 2 {
			return usageError{"usage: homeward show KIND ID (container: ACCESSION)"}
		}
		kind, key := fs.Arg(0), fs.Arg(1)
		if kind == "container" {
			c, err := a.db.GetContainerByAccession(ctx, key)
			if err != nil {
				return err
			}
			return printJSON(env, c)
		}
		var id int64
		if _, err := fmt.Sscan(strings.TrimSpace(key), &id); err != nil || id <= 0 {
			return usageError{fmt.Sprintf("%q is not a record id", key)}
		}
		var v any
		var err error
		switch kind {
		case "missing-person":
			v, err = a.db.GetMissingPerson(ctx, id)
		case "incident":
			v, err = a.db.GetIncident(ctx, id)
		case "family-member":
			v, err = a.db.GetFamilyMember(ctx, id)
		case "operation":
			v, err = a.db.GetOperation(ctx, id)
		case "specimen":
			v, err = a.db.GetSpecimen(ctx, id)
		default:
			return usageError{fmt.Sprintf("unknown record kind %q", kind)}
		}
		if err != nil {
			return err
		}
		return printJSON(env, v)
	})
}

// parseInterspersed parses flags placed before, between or after positional arguments
// ("list missing-persons -q doe"); the positional ones are left in fs.Args().
func parseInterspersed(fs *flag.FlagSet, args []string) error {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	return fs.Parse(append([]string{"--"}, pos...))
}
