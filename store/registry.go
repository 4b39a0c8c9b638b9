package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/homeward/homeward"
)

// isoPrefix is a date or its year or month, as the registry's date filters take them.
var isoPrefix = regexp.MustCompile(`^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$`)

var missingPersons = &record[homeward.MissingPerson]{
	table: "missing_persons", entity: "missing_person", field: "missing_person.service_number",
	columns: func(m *homeward.MissingPerson) ([]string, []any) {
		return []string{"family_name", "given_names", "service_number", "nationality", "status", "incident_id", "unit", "date_of_loss", "search_names"},
			[]any{m.FamilyName, m.GivenNames, nullStr(m.ServiceNumber), m.Nationality, string(m.Status), nullInt(m.IncidentID), m.Unit, string(m.DateOfLoss), homeward.SearchNames(m)}
	},
	id:   func(m *homeward.MissingPerson) *int64 { return &m.ID },
	meta: func(m *homeward.MissingPerson) *homeward.Meta { return &m.Meta },
}

var incidents = &record[homeward.Incident]{
	table: "incidents", entity: "incident", field: "incident.code",
	columns: func(i *homeward.Incident) ([]string, []any) {
		return []string{"code", "kind", "place", "date"}, []any{i.Code, string(i.Kind), i.Place, string(i.Date)}
	},
	id:   func(i *homeward.Incident) *int64 { return &i.ID },
	meta: func(i *homeward.Incident) *homeward.Meta { return &i.Meta },
}

var familyMembers = &record[homeward.FamilyMember]{
	table: "family_members", entity: "family_member", field: "family_member.missing_person_id",
	columns: func(f *homeward.FamilyMember) ([]string, []any) {
		return []string{"missing_person_id", "search_names"}, []any{f.MissingPersonID, homeward.FamilySearchNames(f)}
	},
	id:   func(f *homeward.FamilyMember) *int64 { return &f.ID },
	meta: func(f *homeward.FamilyMember) *homeward.Meta { return &f.Meta },
}

// create is the common path of every Create method: permission, validation, insert and audit in
// one transaction.
func create[T any](ctx context.Context, s *DB, r *record[T], perm homeward.Permission, v *T, validate func() error) error {
	if err := homeward.Require(ctx, perm); err != nil {
		return err
	}
	if err := homeward.CheckText(r.entity, v); err != nil {
		return err
	}
	if err := validate(); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error { return r.insert(ctx, s, tx, v) })
}

func get[T any](ctx context.Context, s *DB, r *record[T], id int64) (*T, error) {
	if err := homeward.Require(ctx, homeward.PermRead); err != nil {
		return nil, err
	}
	v, err := r.get(ctx, s.db, "id = $1", id)
	if homeward.ErrorCode(err) == homeward.ENOTFOUND {
		return nil, homeward.Errorf(homeward.ENOTFOUND, "%s %d not found", r.entity, id)
	}
	return v, err
}

func update[T any](ctx context.Context, s *DB, r *record[T], perm homeward.Permission, v *T, validate func() error) error {
	if err := homeward.Require(ctx, perm); err != nil {
		return err
	}
	if err := homeward.CheckText(r.entity, v); err != nil {
		return err
	}
	if err := validate(); err != nil {
		return err
	}
	return r.update(ctx, s, v)
}

func (s *DB) CreateMissingPerson(ctx context.Context, m *homeward.MissingPerson) error {
	return create(ctx, s, missingPersons, homeward.PermRegistryWrite, m, m.Validate)
}

func (s *DB) GetMissingPerson(ctx context.Context, id int64) (*homeward.MissingPerson, error) {
	return get(ctx, s, missingPersons, id)
}

func (s *DB) UpdateMissingPerson(ctx context.Context, m *homeward.MissingPerson) error {
	return update(ctx, s, missingPersons, homeward.PermRegistryWrite, m, m.Validate)
}

func (s *DB) ListMissingPersons(ctx context.Context, f homeward.MissingPersonFilter) (homeward.List[homeward.MissingPerson], error) {
	if err := homeward.Require(ctx, homeward.PermRead); err != nil {
		return homeward.List[homeward.MissingPerson]{}, err
	}
	if f.Close {
		return s.fuzzyMissingPersons(ctx, f)
	}
	var w where
	if f.Query != "" {
		// A name is looked for by its search key (any romanization, either order, Hangul: see
		// homeward.SearchNames), a service number as typed.
		key, q := homeward.NameSearchKey(f.Query), strings.TrimSpace(f.Query)
		if s.dialect == "sqlite" && utf8.RuneCountInString(key) >= 3 && utf8.RuneCountInString(q) >= 3 {
			// The trigram index finds the same substrings, case-insensitively, without a scan.
			w.add(`id IN (SELECT rowid FROM missing_persons_search WHERE missing_persons_search MATCH ?)`,
				"search_names : "+ftsPhrase(key)+" OR service_number : "+ftsPhrase(q))
		} else {
			w.add(`(search_names LIKE ? ESCAPE '\' OR LOWER(COALESCE(service_number,'')) LIKE ? ESCAPE '\')`, likePattern(key), likePattern(q))
		}
	}
	if f.Status != "" {
		w.add("status = ?", string(f.Status))
	}
	if f.Nationality != "" {
		w.add("nationality = ?", f.Nationality)
	}
	if f.IncidentID != 0 {
		w.add("incident_id = ?", f.IncidentID)
	}
	for _, d := range [][2]string{{"lost_from", f.LostFrom}, {"lost_to", f.LostTo}} {
		if d[1] != "" && !isoPrefix.MatchString(d[1]) {
			return homeward.List[homeward.MissingPerson]{}, homeward.FieldErrorf(d[0], "%q is not a date (YYYY, YYYY-MM or YYYY-MM-DD)", d[1])
		}
	}
	if f.Unit != "" {
		w.add(`LOWER(unit) LIKE ? ESCAPE '\'`, likePattern(f.Unit))
	}
	// Dates are ISO text (YYYY, YYYY-MM or YYYY-MM-DD): a prefix range compares as text; the upper
	// bound takes in everything that starts with it.
	if f.LostFrom != "" {
		w.add("date_of_loss >= ?", f.LostFrom)
	}
	if f.LostTo != "" {
		w.add("date_of_loss <= ? AND date_of_loss <> ''", f.LostTo+"~")
	}
	if f.Place != "" {
		w.add(`incident_id IN (SELECT id FROM incidents WHERE LOWER(place) LIKE ? ESCAPE '\')`, likePattern(f.Place))
	}
	order, err := personOrder(f.Sort)
	if err != nil {
		return homeward.List[homeward.MissingPerson]{}, err
	}
	return missingPersons.list(ctx, s, w.String(), w.args, order, f.Page)
}

func (s *DB) CreateIncident(ctx context.Context, i *homeward.Incident) error {
	return create(ctx, s, incidents, homeward.PermRegistryWrite, i, i.Validate)
}

func (s *DB) GetIncident(ctx context.Context, id int64) (*homeward.Incident, error) {
	return get(ctx, s, incidents, id)
}

func (s *DB) UpdateIncident(ctx context.Context, i *homeward.Incident) error {
	return update(ctx, s, incidents, homeward.PermRegistryWrite, i, i.Validate)
}

func (s *DB) ListIncidents(ctx context.Context, f homeward.IncidentFilter) (homeward.List[homeward.Incident], error) {
	if err := homeward.Require(ctx, homeward.PermRead); err != nil {
		return homeward.List[homeward.Incident]{}, err
	}
	var w where
	if f.Query != "" {
		p := likePattern(f.Query)
		w.add(`(LOWER(code) LIKE ? ESCAPE '\' OR LOWER(place) LIKE ? ESCAPE '\')`, p, p)
	}
	if f.Kind != "" {
		w.add("kind = ?", string(f.Kind))
	}
	for _, d := range [][2]string{{"from", f.From}, {"to", f.To}} {
		if d[1] != "" && !isoPrefix.MatchString(d[1]) {
			return homeward.List[homeward.Incident]{}, homeward.FieldErrorf(d[0], "%q is not a date (YYYY, YYYY-MM or YYYY-MM-DD)", d[1])
		}
	}
	if f.From != "" {
		w.add("date >= ?", f.From)
	}
	if f.To != "" {
		w.add("date <= ? AND date <> ''", f.To+"~")
	}
	order, err := listOrder(f.Sort, homeward.IncidentSorts, map[string]string{"code": "code", "date": "date", "place": "place", "kind": "kind"}, "code")
	if err != nil {
		return homeward.List[homeward.Incident]{}, err
	}
	return incidents.list(ctx, s, w.String(), w.args, order, f.Page)
}

func (s *DB) CreateFamilyMember(ctx context.Context, f *homeward.FamilyMember) error {
	f.ContactRedacted = false
	return create(ctx, s, familyMembers, homeward.PermFamilyWrite, f, f.Validate)
}

func (s *DB) GetFamilyMember(ctx context.Context, id int64) (*homeward.FamilyMember, error) {
	f, err := get(ctx, s, familyMembers, id)
	if err != nil {
		return nil, err
	}
	if err := s.protectContacts(ctx, []homeward.FamilyMember{*f}, func(i int, x homeward.FamilyMember) { *f = x }); err != nil {
		return nil, err
	}
	return f, nil
}

// UpdateFamilyMember changes a family member; a user who may not read contact details cannot
// change them either (the stored contact is kept, whatever the redacted record sent back says).
func (s *DB) UpdateFamilyMember(ctx context.Context, f *homeward.FamilyMember) error {
	if u := homeward.UserFromContext(ctx); u != nil && !u.Can(homeward.PermContactRead) {
		before, err := get(ctx, s, familyMembers, f.ID)
		if err != nil {
			return err
		}
		f.Contact = before.Contact
	}
	f.ContactRedacted = false
	return update(ctx, s, familyMembers, homeward.PermFamilyWrite, f, f.Validate)
}

// protectContacts blanks the contact details of family members for users who may not read them
// (marking them redacted), and records in the audit log which contacts a user who may was shown.
// set stores the possibly changed record i back.
func (s *DB) protectContacts(ctx context.Context, items []homeward.FamilyMember, set func(int, homeward.FamilyMember)) error {
	u := homeward.UserFromContext(ctx)
	var shown []int64
	for i, f := range items {
		if f.Contact == "" {
			continue
		}
		if u == nil || !u.Can(homeward.PermContactRead) {
			f.Contact, f.ContactRedacted = "", true
			set(i, f)
			continue
		}
		shown = append(shown, f.ID)
	}
	return s.auditContactReads(ctx, shown)
}

// ftsPhrase quotes a search as one FTS5 phrase: with the trigram tokenizer it matches the text as
// a substring of any column.
func ftsPhrase(q string) string {
	return `"` + strings.ReplaceAll(strings.TrimSpace(q), `"`, `""`) + `"`
}

// auditContactReads records that the acting user was shown these family members' contacts.
func (s *DB) auditContactReads(ctx context.Context, shown []int64) error {
	u := homeward.UserFromContext(ctx)
	if len(shown) == 0 || u == nil || strings.HasPrefix(u.Username, "system") {
		return nil
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		id := int64(0)
		if len(shown) == 1 {
			id = shown[0]
		}
		return s.audit(ctx, tx, "read", "family_member_contact", id, fmt.Sprintf("contact details of %d family member(s) shown", len(shown)), nil, map[string]any{"family_member_ids": shown})
	})
}

func (s *DB) ListFamilyMembers(ctx context.Context, missingPersonID int64, p homeward.Page) (homeward.List[homeward.FamilyMember], error) {
	if err := homeward.Require(ctx, homeward.PermRead); err != nil {
		return homeward.List[homeward.FamilyMember]{}, err
	}
	var w where
	if missingPersonID != 0 {
		w.add("missing_person_id = ?", missingPersonID)
	}
	l, err := familyMembers.list(ctx, s, w.String(), w.args, "id", p)
	if err != nil {
		return l, err
	}
	return l, s.protectContacts(ctx, l.Items, func(i int, x homeward.FamilyMember) { l.Items[i] = x })
}

// backfillSearchNames fills the search keys of the missing persons and relatives written before
// the store kept them (migrations 00013 and 00016).
func (s *DB) backfillSearchNames(ctx context.Context) error {
	err := backfillKeys(ctx, s, "missing_persons", func(data []byte) (string, error) {
		var m homeward.MissingPerson
		err := json.Unmarshal(data, &m)
		return homeward.SearchNames(&m), err
	})
	if err != nil {
		return err
	}
	return backfillKeys(ctx, s, "family_members", func(data []byte) (string, error) {
		var f homeward.FamilyMember
		err := json.Unmarshal(data, &f)
		return homeward.FamilySearchNames(&f), err
	})
}

// backfillKeys sets search_names from each row's record where it is empty, a batch at a time, each
// batch one transaction.
func backfillKeys(ctx context.Context, s *DB, table string, keysOf func([]byte) (string, error)) error {
	for {
		keys, err := emptyKeys(ctx, s, table, keysOf)
		if err != nil || len(keys) == 0 {
			return err
		}
		err = s.tx(ctx, func(tx *sql.Tx) error {
			for id, k := range keys {
				if _, err := tx.ExecContext(ctx, "UPDATE "+table+" SET search_names = $1 WHERE id = $2", k, id); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("store: search names of %s: %w", table, err)
		}
	}
}

// emptyKeys reads up to 500 rows of table without search keys and derives their keys.
func emptyKeys(ctx context.Context, s *DB, table string, keysOf func([]byte) (string, error)) (map[int64]string, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT id, data FROM "+table+" WHERE search_names = '' ORDER BY id LIMIT 500")
	if err != nil {
		return nil, fmt.Errorf("store: search names of %s: %w", table, err)
	}
	defer rows.Close()
	keys := map[int64]string{}
	for rows.Next() {
		var id int64
		var data []byte
		if err := rows.Scan(&id, &data); err != nil {
			return nil, fmt.Errorf("store: search names of %s: %w", table, err)
		}
		k, err := keysOf(data)
		if err != nil {
			return nil, fmt.Errorf("store: search names of %s %d: %w", table, id, err)
		}
		if k == "" {
			k = " " // a record with no name at all: not looked at again
		}
		keys[id] = k
	}
	return keys, rows.Err()
}

// FindFamilyMembers lists the relatives whose name matches the query (any romanization, either
// order, Hangul; as ListMissingPersons' query), in the order they were recorded, or whose name is
// close to it (best first); contacts as ListFamilyMembers shows them.
func (s *DB) FindFamilyMembers(ctx context.Context, f homeward.FamilyMemberSearch) (homeward.List[homeward.FamilyMember], error) {
	if err := homeward.Require(ctx, homeward.PermRead); err != nil {
		return homeward.List[homeward.FamilyMember]{}, err
	}
	var l homeward.List[homeward.FamilyMember]
	var err error
	if f.Close {
		l, err = fuzzyPage(ctx, s, familyMembers, fuzzyFamilyTable, f.Query, f.Page)
	} else {
		l, err = s.familyMembersNamed(ctx, f.Query, f.Page)
	}
	if err != nil {
		return l, err
	}
	return l, s.protectContacts(ctx, l.Items, func(i int, x homeward.FamilyMember) { l.Items[i] = x })
}

// familyMembersNamed is a page of the relatives whose name matches query.
func (s *DB) familyMembersNamed(ctx context.Context, query string, p homeward.Page) (homeward.List[homeward.FamilyMember], error) {
	key := homeward.NameSearchKey(query)
	if key == "" {
		return homeward.List[homeward.FamilyMember]{Items: []homeward.FamilyMember{}}, homeward.FieldErrorf("q", "give a name to look for")
	}
	var w where
	if s.dialect == "sqlite" && utf8.RuneCountInString(key) >= 3 {
		w.add(`id IN (SELECT rowid FROM family_members_search WHERE family_members_search MATCH ?)`, "search_names : "+ftsPhrase(key))
	} else {
		w.add(`search_names LIKE ? ESCAPE '\'`, likePattern(key))
	}
	return familyMembers.list(ctx, s, w.String(), w.args, "id", p)
}

// listOrder is the ORDER BY of a list order: the columns cols names for one of sorts (several,
// comma-separated, for one order such as a name; "-" first: each descending), then the tiebreak
// unless they are its columns; the request's text never reaches the SQL. cols[""] is the default.
func listOrder(sort string, sorts []string, cols map[string]string, tiebreak string) (string, error) {
	if err := homeward.ValidateSort(sort, sorts); err != nil {
		return "", err
	}
	col, ok := cols[strings.TrimPrefix(sort, "-")]
	if !ok {
		return tiebreak, nil
	}
	order := col
	if strings.HasPrefix(sort, "-") {
		parts := splitTopLevel(col) // commas inside COALESCE(a, b) do not separate columns
		for i, c := range parts {
			parts[i] = strings.TrimSpace(c) + " DESC"
		}
		order = strings.Join(parts, ", ")
	}
	if col == tiebreak {
		return order, nil
	}
	return order + ", " + tiebreak, nil
}

// personOrder is the ORDER BY of a list order of persons (homeward.PersonSorts). Ties fall to the
// name and then the id (record.list adds it), so pages are stable.
func personOrder(sort string) (string, error) {
	return listOrder(sort, homeward.PersonSorts, map[string]string{"": "family_name, given_names", "name": "family_name, given_names",
		"service_number": "COALESCE(service_number, '')", "date_of_loss": "date_of_loss", "status": "status"}, "family_name, given_names")
}
