package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	flag "github.com/spf13/pflag"

	"github.com/homeward/homeward"
)

func init() {
	register(spec{creates: true, use: "create KIND", short: "create a record from JSON on stdin (missing-person, incident, family-member, operation, container, specimen, claim, profile, reference-family)",
		example: "  echo '{\"family_name\":\"Doe\",\"given_names\":\"John\",\"nationality\":\"USA\"}' | homeward create missing-person",
		args:    cobra.ExactArgs(1), kinds: []string{"missing-person", "incident", "family-member", "operation", "container", "specimen", "claim", "profile", "reference-family"}, define: runCreate})
	register(spec{use: "list KIND", short: "list records as JSON, a page at a time (missing-persons, incidents, operations, containers, specimens)",
		example: "  homeward list missing-persons --q doe --limit 20\n  homeward list specimens --container K55-2018-001",
		args:    cobra.ExactArgs(1), kinds: []string{"missing-persons", "incidents", "operations", "containers", "specimens"}, define: runList})
	register(spec{use: "show KIND ID", short: "show one record as JSON (missing-person, incident, family-member, operation, specimen by id; container by accession)",
		example: "  homeward show missing-person 1\n  homeward show container K55-2018-001",
		args:    cobra.ExactArgs(2), kinds: []string{"missing-person", "incident", "family-member", "operation", "specimen", "container"}, define: runShow})
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

// withStore is the action of a verb that works on the store: it binds the shared flags and
// extra's, then opens the store and runs fn as the CLI user.
func withStore(fs *flag.FlagSet, env *cliEnv, extra func(fs *flag.FlagSet), fn func(ctx context.Context, a *app, args []string) error) action {
	cfg := bindConfig(fs, env)
	if extra != nil {
		extra(fs)
	}
	return func(ctx context.Context, args []string) error {
		a, ctx, err := openAsUser(ctx, cfg)
		if err != nil {
			return err
		}
		defer a.Close()
		return fn(ctx, a, args)
	}
}

func createOne[T any](ctx context.Context, env *cliEnv, record string, create func(context.Context, *T) error) error {
	var v T
	if err := decodeStrict(env, record, &v); err != nil {
		return err
	}
	if err := create(ctx, &v); err != nil {
		return err
	}
	if env.idOnly {
		// A script's use: ID=$(... | homeward create KIND --id).
		b, err := json.Marshal(&v)
		if err != nil {
			return err
		}
		var rec struct {
			ID int64 `json:"id"`
		}
		if err := json.Unmarshal(b, &rec); err != nil {
			return err
		}
		_, err = fmt.Fprintln(env.stdout, rec.ID)
		return err
	}
	return printJSON(env, &v)
}

func runCreate(fs *flag.FlagSet, env *cliEnv) action {
	return withStore(fs, env, nil, func(ctx context.Context, a *app, args []string) error {
		if len(args) != 1 {
			return usageError{"usage: homeward create KIND < record.json"}
		}
		switch args[0] {
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
		return usageError{fmt.Sprintf("unknown record kind %q", args[0])}
	})
}

func runList(fs *flag.FlagSet, env *cliEnv) action {
	var q string
	var limit, offset int
	var container string
	extra := func(fs *flag.FlagSet) {
		fs.StringVar(&q, "q", "", "text to search for")
		fs.IntVar(&limit, "limit", 50, "records per page (at most 1000)")
		fs.IntVar(&offset, "offset", 0, "records to skip")
		fs.StringVar(&container, "container", "", "specimens: the container's accession number")
	}
	return withStore(fs, env, extra, func(ctx context.Context, a *app, args []string) error {
		if len(args) != 1 {
			return usageError{"usage: homeward list KIND [-q TEXT] [-limit N] [-offset N]"}
		}
		p := homeward.Page{Limit: limit, Offset: offset}
		var v any
		var err error
		switch args[0] {
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
			return usageError{fmt.Sprintf("unknown list %q (missing-persons, incidents, operations, containers, specimens)", args[0])}
		}
		if err != nil {
			return err
		}
		return printJSON(env, v)
	})
}

func runShow(fs *flag.FlagSet, env *cliEnv) action {
	return withStore(fs, env, nil, func(ctx context.Context, a *app, args []string) error {
		if len(args) != 2 {
			return usageError{"usage: homeward show KIND ID (container: ACCESSION)"}
		}
		kind, key := args[0], args[1]
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
