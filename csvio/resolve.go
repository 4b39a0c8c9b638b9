package csvio

import (
	"fmt"

	"github.com/homeward/homeward"
)

// ResolveIncidents sets each person's IncidentID from its incident code, using ids (code -> id, as
// stored or as in the same upload). Unknown codes are reported as row problems.
func ResolveIncidents(rows []MissingPersonRow, ids map[string]int64) []homeward.RowProblem {
	var out []homeward.RowProblem
	for i := range rows {
		r := &rows[i]
		if r.IncidentCode == "" {
			continue
		}
		id, ok := ids[r.IncidentCode]
		if !ok {
			out = append(out, homeward.RowProblem{Line: r.Line, Record: personKey(&r.Person), Field: "incident_code",
				Message: fmt.Sprintf("no incident with code %q", r.IncidentCode)})
			continue
		}
		r.Person.IncidentID = &id
	}
	return out
}

// ResolveMissingPersons sets each member's MissingPersonID from its service number, using ids
// (service number -> id). Unknown service numbers are reported as row problems.
func ResolveMissingPersons(rows []FamilyMemberRow, ids map[string]int64) []homeward.RowProblem {
	var out []homeward.RowProblem
	for i := range rows {
		r := &rows[i]
		if r.MissingServiceNumber == "" {
			continue
		}
		id, ok := ids[r.MissingServiceNumber]
		if !ok {
			out = append(out, homeward.RowProblem{Line: r.Line, Record: fmt.Sprintf("%s, %s (relative of %s)", r.Member.FamilyName, r.Member.GivenNames, r.MissingServiceNumber),
				Field: "missing_service_number", Message: fmt.Sprintf("no missing person with service number %q", r.MissingServiceNumber)})
			continue
		}
		r.Member.MissingPersonID = id
	}
	return out
}

func personKey(m *homeward.MissingPerson) string {
	if m.ServiceNumber != "" {
		return m.ServiceNumber
	}
	return fmt.Sprintf("%s, %s", m.FamilyName, m.GivenNames)
}

// Incidents splits rows into the records and line numbers ImportService takes.
func Incidents(rows []IncidentRow) ([]homeward.Incident, []int) {
	recs, lines := make([]homeward.Incident, len(rows)), make([]int, len(rows))
	for i, r := range rows {
		recs[i], lines[i] = r.Incident, r.Line
	}
	return recs, lines
}

// MissingPersons splits rows into the records and line numbers ImportService takes.
func MissingPersons(rows []MissingPersonRow) ([]homeward.MissingPerson, []int) {
	recs, lines := make([]homeward.MissingPerson, len(rows)), make([]int, len(rows))
	for i, r := range rows {
		recs[i], lines[i] = r.Person, r.Line
	}
	return recs, lines
}

// FamilyMembers splits rows into the records and line numbers ImportService takes.
func FamilyMembers(rows []FamilyMemberRow) ([]homeward.FamilyMember, []int) {
	recs, lines := make([]homeward.FamilyMember, len(rows)), make([]int, len(rows))
	for i, r := range rows {
		recs[i], lines[i] = r.Member, r.Line
	}
	return recs, lines
}
