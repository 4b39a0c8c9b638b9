package demo

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/csvio"
)

// The demo registers pass the CSV importer unchanged: export, re-import, compare.
func TestWorldThroughCSV(t *testing.T) {
	w := seedWorld
	var buf bytes.Buffer
	if err := csvio.WriteIncidents(&buf, w.Incidents); err != nil {
		t.Fatal(err)
	}
	irows, problems, err := csvio.ReadIncidents(&buf)
	if err != nil || len(problems) > 0 {
		t.Fatalf("incidents: %v %v", err, problems)
	}
	incs, _ := csvio.Incidents(irows)
	if !reflect.DeepEqual(incs, w.Incidents) {
		t.Fatal("incidents changed through CSV")
	}

	ids := map[string]int64{}
	codeOf := map[int64]string{}
	for i, in := range w.Incidents {
		ids[in.Code] = int64(i + 1)
		codeOf[int64(i+1)] = in.Code
	}
	persons := make([]homeward.MissingPerson, len(w.Persons))
	for i, p := range w.Persons {
		persons[i] = p.Record
		id := int64(p.Incident + 1)
		persons[i].IncidentID = &id
	}
	buf.Reset()
	if err := csvio.WriteMissingPersons(&buf, persons, func(id int64) string { return codeOf[id] }); err != nil {
		t.Fatal(err)
	}
	prows, problems, err := csvio.ReadMissingPersons(&buf)
	if err != nil || len(problems) > 0 {
		t.Fatalf("persons: %v %v", err, problems[:min(len(problems), 5)])
	}
	if p := csvio.ResolveIncidents(prows, ids); len(p) > 0 {
		t.Fatal(p)
	}
	back, _ := csvio.MissingPersons(prows)
	if !reflect.DeepEqual(back, persons) {
		t.Fatal("missing persons changed through CSV")
	}

	snOf := map[int64]string{}
	snIDs := map[string]int64{}
	for i, p := range w.Persons {
		snOf[int64(i+1)] = p.Record.ServiceNumber
		snIDs[p.Record.ServiceNumber] = int64(i + 1)
	}
	fam := make([]homeward.FamilyMember, len(w.Relatives))
	for i, r := range w.Relatives {
		fam[i] = r.Record
		fam[i].MissingPersonID = int64(r.Person + 1)
	}
	buf.Reset()
	if err := csvio.WriteFamilyMembers(&buf, fam, func(id int64) string { return snOf[id] }); err != nil {
		t.Fatal(err)
	}
	frows, problems, err := csvio.ReadFamilyMembers(&buf)
	if err != nil || len(problems) > 0 {
		t.Fatalf("family: %v %v", err, problems[:min(len(problems), 5)])
	}
	if p := csvio.ResolveMissingPersons(frows, snIDs); len(p) > 0 {
		t.Fatal(p)
	}
	fback, _ := csvio.FamilyMembers(frows)
	if !reflect.DeepEqual(fback, fam) {
		t.Fatal("family members changed through CSV")
	}
}

func TestWriteCSV(t *testing.T) {
	dir := t.TempDir()
	if err := seedWorld.WriteCSV(dir); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(dir, "missing_persons.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, problems, err := csvio.ReadMissingPersons(f)
	if err != nil || len(problems) > 0 || len(rows) != NumPersons {
		t.Fatalf("%d rows, %v, %v", len(rows), err, problems)
	}
	if rows[0].IncidentCode != seedWorld.Incidents[seedWorld.Persons[0].Incident].Code {
		t.Errorf("first person's incident code %q", rows[0].IncidentCode)
	}
	for _, n := range []string{"incidents.csv", "family_members.csv"} {
		if fi, err := os.Stat(filepath.Join(dir, n)); err != nil || fi.Size() == 0 {
			t.Errorf("%s: %v", n, err)
		}
	}
}
