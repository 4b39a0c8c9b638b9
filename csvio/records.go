package csvio

import (
	"fmt"
	"io"
	"strconv"

	"github.com/homeward/homeward"
)

// IncidentColumns are the columns of an incidents CSV, in export order.
var incidentCols = []column{
	{name: "code", required: true}, {name: "date"}, {name: "kind", required: true}, {name: "place"},
	{name: "lat"}, {name: "lon"}, {name: "precision_m"}, {name: "description"},
}

var missingPersonCols = []column{
	{name: "service_number"}, {name: "family_name", required: true}, {name: "given_names"},
	{name: "nationality"}, {name: "branch"}, {name: "unit"}, {name: "rank"}, {name: "status"},
	{name: "incident_code"}, {name: "date_of_loss"}, {name: "sex"}, {name: "stature_cm"},
	{name: "age_at_loss"}, {name: "ancestry"}, {name: "dental_chart"}, {name: "notes"},
	{name: "native_name"}, // the name in Hangul (or another script), family name first
}

var familyMemberCols = []column{
	{name: "missing_service_number"}, {name: "missing_person_id"},
	{name: "family_name", required: true}, {name: "given_names"}, {name: "sex"},
	{name: "relationship", required: true}, {name: "consent_given"}, {name: "consent_date"},
	{name: "consent_scope"}, {name: "contact"}, {name: "notes"},
	{name: "native_name"}, // the name in Hangul (or another script), family name first
}

// Column names, for documentation and UI hints.
var (
	IncidentColumns      = names(incidentCols)
	MissingPersonColumns = names(missingPersonCols)
	FamilyMemberColumns  = names(familyMemberCols)
)

var incidentKinds = []string{
	string(homeward.IncidentAirLoss), string(homeward.IncidentGroundAction), string(homeward.IncidentPOWCamp),
	string(homeward.IncidentMaritime), string(homeward.IncidentDisaster), string(homeward.IncidentOther),
}
var statuses = []string{string(homeward.StatusUnaccounted), string(homeward.StatusAccountedFor), string(homeward.StatusNonRecoverable)}
var sexes = []string{string(homeward.SexMale), string(homeward.SexFemale)}

// IncidentRow is one parsed incident and the line it came from.
type IncidentRow struct {
	Line     int
	Incident homeward.Incident
}

// MissingPersonRow is one parsed missing person. IncidentCode is the incident the person was lost
// in, by code; the caller resolves it to Person.IncidentID against the store.
type MissingPersonRow struct {
	Line         int
	Person       homeward.MissingPerson
	IncidentCode string
}

// FamilyMemberRow is one parsed family member. The missing person is named by service number
// (MissingServiceNumber) or by id (Member.MissingPersonID); exactly one of them is set.
type FamilyMemberRow struct {
	Line                 int
	Member               homeward.FamilyMember
	MissingServiceNumber string
}

// ReadIncidents parses an incidents CSV. A header error is returned as err; row problems are all
// collected in problems (rows with problems are still returned, for the report).
func ReadIncidents(r io.Reader) (rows []IncidentRow, problems []homeward.RowProblem, err error) {
	t, err := openTable("incidents", r, incidentCols)
	if err != nil {
		return nil, nil, err
	}
	seen := map[string]int{}
	for {
		rw, err := t.next(len(rows))
		if err != nil {
			return nil, nil, err
		}
		if rw == nil {
			break
		}
		if rw.blank() {
			continue
		}
		var in homeward.Incident
		in.Code = rw.need("code")
		rw.key = in.Code
		if first, dup := seen[in.Code]; dup && in.Code != "" {
			rw.problem("code", "incident %q already appears on line %d", in.Code, first)
		} else if in.Code != "" {
			seen[in.Code] = rw.line
		}
		in.Date = rw.date("date")
		if rw.str("kind") == "" {
			rw.need("kind")
		} else {
			in.Kind = homeward.IncidentKind(rw.enum("kind", incidentKinds))
		}
		in.Place = rw.str("place")
		in.Coordinates = rw.coordinates()
		in.Description = rw.str("description")
		if len(rw.problems) == 0 {
			rw.validate(in.Validate())
		}
		problems = append(problems, rw.problems...)
		rows = append(rows, IncidentRow{Line: rw.line, Incident: in})
	}
	return rows, problems, nil
}

func (r *row) coordinates() homeward.Coordinates {
	c := homeward.Coordinates{Lat: r.float("lat"), Lon: r.float("lon"), PrecisionM: r.float("precision_m")}
	if (r.str("lat") != "") != (r.str("lon") != "") {
		r.problem("lon", "lat and lon must be given together")
	}
	if c.Lat != nil && (*c.Lat < -90 || *c.Lat > 90) {
		r.problem("lat", "%v is outside -90..90", *c.Lat)
	}
	if c.Lon != nil && (*c.Lon < -180 || *c.Lon > 180) {
		r.problem("lon", "%v is outside -180..180", *c.Lon)
	}
	if c.PrecisionM != nil && *c.PrecisionM < 0 {
		r.problem("precision_m", "must be zero or positive")
	}
	return c
}

// ReadMissingPersons parses a missing-persons CSV (see ReadIncidents for the result).
func ReadMissingPersons(r io.Reader) (rows []MissingPersonRow, problems []homeward.RowProblem, err error) {
	t, err := openTable("missing persons", r, missingPersonCols)
	if err != nil {
		return nil, nil, err
	}
	seen := map[string]int{}
	for {
		rw, err := t.next(len(rows))
		if err != nil {
			return nil, nil, err
		}
		if rw == nil {
			break
		}
		if rw.blank() {
			continue
		}
		var m homeward.MissingPerson
		m.ServiceNumber = rw.str("service_number")
		m.FamilyName = rw.str("family_name")
		m.GivenNames = rw.str("given_names")
		m.NativeName = rw.str("native_name")
		rw.key = m.ServiceNumber
		if rw.key == "" {
			rw.key = fmt.Sprintf("%s, %s", m.FamilyName, m.GivenNames)
		}
		if m.FamilyName == "" {
			rw.need("family_name")
		}
		if first, dup := seen[m.ServiceNumber]; dup && m.ServiceNumber != "" {
			rw.problem("service_number", "service number %q already appears on line %d", m.ServiceNumber, first)
		} else if m.ServiceNumber != "" {
			seen[m.ServiceNumber] = rw.line
		}
		m.Nationality = rw.str("nationality")
		if n := m.Nationality; n != "" && !isAlpha3(n) {
			rw.problem("nationality", "%q is not an ISO 3166-1 alpha-3 code (e.g. USA, KOR)", n)
		}
		m.Branch = rw.str("branch")
		m.Unit = rw.str("unit")
		m.Rank = rw.str("rank")
		m.Status = homeward.Status(rw.enum("status", statuses))
		if m.Status == "" {
			m.Status = homeward.StatusUnaccounted
		}
		code := rw.str("incident_code")
		m.DateOfLoss = rw.date("date_of_loss")
		m.Sex = homeward.Sex(rw.enum("sex", sexes))
		m.StatureCM = rw.float("stature_cm")
		m.AgeAtLoss = rw.int("age_at_loss")
		m.Ancestry = rw.str("ancestry")
		m.DentalChart = rw.str("dental_chart")
		m.Notes = rw.str("notes")
		if m.StatureCM != nil && (*m.StatureCM < 50 || *m.StatureCM > 250) {
			rw.problem("stature_cm", "%v cm is outside 50..250", *m.StatureCM)
		}
		if m.AgeAtLoss != nil && (*m.AgeAtLoss < 0 || *m.AgeAtLoss > 120) {
			rw.problem("age_at_loss", "%d is outside 0..120", *m.AgeAtLoss)
		}
		if len(rw.problems) == 0 {
			rw.validate(m.Validate())
		}
		problems = append(problems, rw.problems...)
		rows = append(rows, MissingPersonRow{Line: rw.line, Person: m, IncidentCode: code})
	}
	return rows, problems, nil
}

func isAlpha3(s string) bool {
	if len(s) != 3 {
		return false
	}
	for _, c := range s {
		if c < 'A' || c > 'Z' {
			return false
		}
	}
	return true
}

// ReadFamilyMembers parses a family-members CSV (see ReadIncidents for the result).
func ReadFamilyMembers(r io.Reader) (rows []FamilyMemberRow, problems []homeward.RowProblem, err error) {
	t, err := openTable("family members", r, familyMemberCols)
	if err != nil {
		return nil, nil, err
	}
	_, hasSN := t.index["missing_service_number"]
	_, hasID := t.index["missing_person_id"]
	if !hasSN && !hasID {
		return nil, nil, homeward.Errorf(homeward.EINVALID, "family members CSV header (line 1): needs column missing_service_number or missing_person_id to name the missing person")
	}
	for {
		rw, err := t.next(len(rows))
		if err != nil {
			return nil, nil, err
		}
		if rw == nil {
			break
		}
		if rw.blank() {
			continue
		}
		var f homeward.FamilyMember
		sn := rw.str("missing_service_number")
		idText := rw.str("missing_person_id")
		f.FamilyName = rw.str("family_name")
		f.GivenNames = rw.str("given_names")
		rw.key = fmt.Sprintf("%s, %s", f.FamilyName, f.GivenNames)
		if sn != "" {
			rw.key += " (relative of " + sn + ")"
		} else if idText != "" {
			rw.key += " (relative of #" + idText + ")"
		}
		switch {
		case sn != "" && idText != "":
			rw.problem("missing_person_id", "give missing_service_number or missing_person_id, not both")
		case sn == "" && idText == "":
			rw.problem("missing_service_number", "is required (or missing_person_id)")
		case idText != "":
			id, err := strconv.ParseInt(idText, 10, 64)
			if err != nil || id <= 0 {
				rw.problem("missing_person_id", "%q is not a record id", idText)
			}
			f.MissingPersonID = id
		}
		if f.FamilyName == "" {
			rw.need("family_name")
		}
		f.Sex = homeward.Sex(rw.enum("sex", sexes))
		f.Relationship = rw.need("relationship")
		f.NativeName = rw.str("native_name")
		f.Consent.Given = rw.bool("consent_given")
		f.Consent.Date = rw.date("consent_date")
		f.Consent.Scope = rw.str("consent_scope")
		f.Contact = rw.str("contact")
		f.Notes = rw.str("notes")
		if len(rw.problems) == 0 {
			v := f
			if v.MissingPersonID == 0 {
				v.MissingPersonID = 1 // resolved later from the service number
			}
			rw.validate(v.Validate())
		}
		problems = append(problems, rw.problems...)
		rows = append(rows, FamilyMemberRow{Line: rw.line, Member: f, MissingServiceNumber: sn})
	}
	return rows, problems, nil
}

// Each gives records one at a time to fn (a slice, or a store snapshot streaming rows).
type Each[T any] func(fn func(*T) error) error

// Slice gives a slice's records.
func Slice[T any](items []T) Each[T] {
	return func(fn func(*T) error) error {
		for i := range items {
			if err := fn(&items[i]); err != nil {
				return err
			}
		}
		return nil
	}
}

// WriteIncidents writes incidents as CSV in the import format.
func WriteIncidents(w io.Writer, incidents []homeward.Incident) error {
	return StreamIncidents(w, Slice(incidents))
}

// StreamIncidents writes incidents as CSV as each gives them.
func StreamIncidents(w io.Writer, each Each[homeward.Incident]) error {
	return writeAll(w, "incidents", IncidentColumns, func(emit func([]string) error) error {
		return each(func(in *homeward.Incident) error {
			c := in.Coordinates
			return emit([]string{in.Code, string(in.Date), string(in.Kind), in.Place, ftoa(c.Lat), ftoa(c.Lon), ftoa(c.PrecisionM), in.Description})
		})
	})
}

// WriteMissingPersons writes missing persons as CSV; incidentCode maps an incident id to its code.
func WriteMissingPersons(w io.Writer, persons []homeward.MissingPerson, incidentCode func(id int64) string) error {
	return StreamMissingPersons(w, Slice(persons), incidentCode)
}

// StreamMissingPersons writes missing persons as CSV as each gives them.
func StreamMissingPersons(w io.Writer, each Each[homeward.MissingPerson], incidentCode func(id int64) string) error {
	return writeAll(w, "missing persons", MissingPersonColumns, func(emit func([]string) error) error {
		return each(func(m *homeward.MissingPerson) error {
			code := ""
			if m.IncidentID != nil && incidentCode != nil {
				code = incidentCode(*m.IncidentID)
			}
			return emit([]string{m.ServiceNumber, m.FamilyName, m.GivenNames, m.Nationality, m.Branch, m.Unit, m.Rank,
				string(m.Status), code, string(m.DateOfLoss), string(m.Sex), ftoa(m.StatureCM), itoa(m.AgeAtLoss),
				m.Ancestry, m.DentalChart, m.Notes, m.NativeName})
		})
	})
}

// WriteFamilyMembers writes family members as CSV. serviceNumber maps a missing person's id to
// their service number; when it returns "" the id is written instead.
func WriteFamilyMembers(w io.Writer, members []homeward.FamilyMember, serviceNumber func(id int64) string) error {
	return StreamFamilyMembers(w, Slice(members), serviceNumber)
}

// StreamFamilyMembers writes family members as CSV as each gives them.
func StreamFamilyMembers(w io.Writer, each Each[homeward.FamilyMember], serviceNumber func(id int64) string) error {
	return writeAll(w, "family members", FamilyMemberColumns, func(emit func([]string) error) error {
		return each(func(f *homeward.FamilyMember) error {
			sn, id := "", ""
			if serviceNumber != nil {
				sn = serviceNumber(f.MissingPersonID)
			}
			if sn == "" {
				id = strconv.FormatInt(f.MissingPersonID, 10)
			}
			consent := "no"
			if f.Consent.Given {
				consent = "yes"
			}
			return emit([]string{sn, id, f.FamilyName, f.GivenNames, string(f.Sex), f.Relationship, consent,
				string(f.Consent.Date), f.Consent.Scope, f.Contact, f.Notes, f.NativeName})
		})
	})
}
