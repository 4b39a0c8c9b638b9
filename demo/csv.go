package demo

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/csvio"
)

// WriteCSV writes the world's registers as import files (docs/import.md) into dir:
// incidents.csv, missing_persons.csv and family_members.csv. Importing them in that order into an
// empty store gives the same registers as Load.
func (w *World) WriteCSV(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("demo csv: %w", err)
	}
	write := func(name string, fn func(f *os.File) error) error {
		p := filepath.Join(dir, name)
		f, err := os.Create(p)
		if err != nil {
			return fmt.Errorf("demo csv: %w", err)
		}
		if err := fn(f); err != nil {
			f.Close()
			return fmt.Errorf("demo csv %s: %w", p, err)
		}
		if err := f.Close(); err != nil {
			return fmt.Errorf("demo csv %s: %w", p, err)
		}
		return nil
	}
	// Stand-in ids: index+1; the writers turn them back into codes and service numbers.
	persons := make([]homeward.MissingPerson, len(w.Persons))
	for i, p := range w.Persons {
		persons[i] = p.Record
		id := int64(p.Incident + 1)
		persons[i].IncidentID = &id
	}
	family := make([]homeward.FamilyMember, len(w.Relatives))
	for i, r := range w.Relatives {
		family[i] = r.Record
		family[i].MissingPersonID = int64(r.Person + 1)
	}
	if err := write("incidents.csv", func(f *os.File) error { return csvio.WriteIncidents(f, w.Incidents) }); err != nil {
		return err
	}
	if err := write("missing_persons.csv", func(f *os.File) error {
		return csvio.WriteMissingPersons(f, persons, func(id int64) string { return w.Incidents[id-1].Code })
	}); err != nil {
		return err
	}
	return write("family_members.csv", func(f *os.File) error {
		return csvio.WriteFamilyMembers(f, family, func(id int64) string { return w.Persons[id-1].Record.ServiceNumber })
	})
}
