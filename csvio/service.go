package csvio

import (
	"context"
	"io"

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
func all[T any](list func(p homeward.Page) (homeward.List[T], error)) ([]T, error) {
	out := []T{}
	for off := 0; ; off += 1000 {
		l, err := list(homeward.Page{Limit: 1000, Offset: off})
		if err != nil {
			return nil, err
		}
		out = append(out, l.Items...)
		if off+len(l.Items) >= l.Total || len(l.Items) == 0 {
			return out, nil
		}
	}
}

func allIncidents(ctx context.Context, reg homeward.RegistryService) ([]homeward.Incident, error) {
	return all(func(p homeward.Page) (homeward.List[homeward.Incident], error) {
		return reg.ListIncidents(ctx, homeward.IncidentFilter{Page: p})
	})
}

func allMissingPersons(ctx context.Context, reg homeward.RegistryService) ([]homeward.MissingPerson, error) {
	return all(func(p homeward.Page) (homeward.List[homeward.MissingPerson], error) {
		return reg.ListMissingPersons(ctx, homeward.MissingPersonFilter{Page: p})
	})
}

func incidentIDs(ctx context.Context, reg homeward.RegistryService) (map[string]int64, error) {
	incs, err := allIncidents(ctx, reg)
	if err != nil {
		return nil, err
	}
	m := make(map[string]int64, len(incs))
	for _, i := range incs {
		m[i.Code] = i.ID
	}
	return m, nil
}

func serviceNumberIDs(ctx context.Context, reg homeward.RegistryService) (map[string]int64, error) {
	all, err := allMissingPersons(ctx, reg)
	if err != nil {
		return nil, err
	}
	m := make(map[string]int64, len(all))
	for _, p := range all {
		if p.ServiceNumber != "" {
			m[p.ServiceNumber] = p.ID
		}
	}
	return m, nil
}

// Export writes a whole register as CSV or JSON.
func Export(ctx context.Context, kind, format string, w io.Writer, reg homeward.RegistryService) error {
	if format != "csv" && format != "json" {
		return homeward.FieldErrorf("format", "%q is not csv or json", format)
	}
	switch kind {
	case "incidents":
		incs, err := allIncidents(ctx, reg)
		if err != nil {
			return err
		}
		if format == "json" {
			return WriteJSON(w, incs)
		}
		return WriteIncidents(w, incs)
	case "missing_persons":
		persons, err := allMissingPersons(ctx, reg)
		if err != nil {
			return err
		}
		if format == "json" {
			return WriteJSON(w, persons)
		}
		codes, err := incidentIDs(ctx, reg)
		if err != nil {
			return err
		}
		byID := make(map[int64]string, len(codes))
		for c, id := range codes {
			byID[id] = c
		}
		return WriteMissingPersons(w, persons, func(id int64) string { return byID[id] })
	case "family_members":
		members, err := all(func(p homeward.Page) (homeward.List[homeward.FamilyMember], error) {
			return reg.ListFamilyMembers(ctx, 0, p)
		})
		if err != nil {
			return err
		}
		if format == "json" {
			return WriteJSON(w, members)
		}
		persons, err := allMissingPersons(ctx, reg)
		if err != nil {
			return err
		}
		sn := make(map[int64]string, len(persons))
		for _, p := range persons {
			sn[p.ID] = p.ServiceNumber
		}
		return WriteFamilyMembers(w, members, func(id int64) string { return sn[id] })
	}
	return homeward.FieldErrorf("kind", "%q is not one of %v", kind, Kinds)
}
