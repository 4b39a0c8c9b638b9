package csvio

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"

	"github.com/homeward/homeward"
)

// Kinds of register that Import and Export handle.
var Kinds = []string{"incidents", "missing_persons", "family_members"}

// Import reads a CSV register of the given kind and stores it through imp, all or nothing. Incident
// codes and service numbers are resolved against what reg already holds. Problems in the file (bad
// cells, unknown references) come back in the report with nothing stored; err is for failures of
// the reader or the store.
func Import(ctx context.Context, kind string, r io.Reader, reg homeward.RegistryService, imp homeward.ImportService) (homeward.ImportReport, error) {
	rep := homeward.ImportReport{Kind: kind, Rejected: []homeward.RowProblem{}}
	fail := func(read int, problems []homeward.RowProblem) (homeward.ImportReport, error) {
		rep.Read, rep.Rejected = read, problems
		return rep, nil
	}
	switch kind {
	case "incidents":
		rows, problems, err := ReadIncidents(r)
		if err != nil {
			return rep, err
		}
		if len(problems) > 0 {
			return fail(len(rows), problems)
		}
		recs, lines := Incidents(rows)
		return imp.ImportIncidents(ctx, recs, lines)
	case "missing_persons":
		rows, problems, err := ReadMissingPersons(r)
		if err != nil {
			return rep, err
		}
		codes, err := incidentIDs(ctx, reg)
		if err != nil {
			return rep, err
		}
		problems = append(problems, ResolveIncidents(rows, codes)...)
		if len(problems) > 0 {
			return fail(len(rows), problems)
		}
		recs, lines := MissingPersons(rows)
		return imp.ImportMissingPersons(ctx, recs, lines)
	case "family_members":
		rows, problems, err := ReadFamilyMembers(r)
		if err != nil {
			return rep, err
		}
		ids, err := serviceNumberIDs(ctx, reg)
		if err != nil {
			return rep, err
		}
		problems = append(problems, ResolveMissingPersons(rows, ids)...)
		if len(problems) > 0 {
			return fail(len(rows), problems)
		}
		recs, lines := FamilyMembers(rows)
		return imp.ImportFamilyMembers(ctx, recs, lines)
	}
	return rep, homeward.FieldErrorf("kind", "%q is not one of %v", kind, Kinds)
}

// all reads every page of a list.
func incidentIDs(ctx context.Context, reg homeward.RegistryService) (map[string]int64, error) {
	m := map[string]int64{}
	err := reg.Snapshot(ctx, func(snap homeward.RegistrySnapshot) error {
		return snap.EachIncident(func(in *homeward.Incident) error { m[in.Code] = in.ID; return nil })
	})
	return m, err
}

func serviceNumberIDs(ctx context.Context, reg homeward.RegistryService) (map[string]int64, error) {
	m := map[string]int64{}
	err := reg.Snapshot(ctx, func(snap homeward.RegistrySnapshot) error {
		return snap.ServiceNumbers(func(id int64, sn string) error {
			if sn != "" {
				m[sn] = id
			}
			return nil
		})
	})
	return m, err
}

// Export writes a whole register as CSV or JSON, streamed from one consistent snapshot of the store:
// rows written concurrently are either all in or all out, none twice, and memory stays flat
// (a map from ids to codes or service numbers aside).
func Export(ctx context.Context, kind, format string, w io.Writer, reg homeward.RegistryService) error {
	if format != "csv" && format != "json" {
		return homeward.FieldErrorf("format", "%q is not csv or json", format)
	}
	if !slices.Contains(Kinds, kind) {
		return homeward.FieldErrorf("kind", "%q is not one of %v", kind, Kinds)
	}
	return reg.Snapshot(ctx, func(snap homeward.RegistrySnapshot) error {
		switch kind {
		case "incidents":
			if format == "json" {
				return streamJSON(w, snap.EachIncident)
			}
			return StreamIncidents(w, snap.EachIncident)
		case "missing_persons":
			if format == "json" {
				return streamJSON(w, snap.EachMissingPerson)
			}
			codes := map[int64]string{}
			if err := snap.EachIncident(func(in *homeward.Incident) error { codes[in.ID] = in.Code; return nil }); err != nil {
				return err
			}
			return StreamMissingPersons(w, snap.EachMissingPerson, func(id int64) string { return codes[id] })
		default:
			if format == "json" {
				return streamJSON(w, snap.EachFamilyMember)
			}
			sn := map[int64]string{}
			if err := snap.ServiceNumbers(func(id int64, s string) error { sn[id] = s; return nil }); err != nil {
				return err
			}
			return StreamFamilyMembers(w, snap.EachFamilyMember, func(id int64) string { return sn[id] })
		}
	})
}

// streamJSON writes a JSON array of the records each gives, one at a time.
func streamJSON[T any](w io.Writer, each func(func(*T) error) error) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("[")
	first := true
	err := each(func(v *T) error {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		if !first {
			bw.WriteString(",")
		}
		first = false
		bw.WriteString("\n  ")
		_, err = bw.Write(b)
		return err
	})
	if err != nil {
		return fmt.Errorf("JSON export: %w", err)
	}
	bw.WriteString("\n]\n")
	return bw.Flush()
}
