package demo

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/homeward/homeward"
)

var update = flag.Bool("update", false, "rewrite golden files")

// one generation shared by the tests that only read it.
var seedWorld = Generate(DefaultSeed)

func TestGenerateDeterministic(t *testing.T) {
	a, err := json.Marshal(seedWorld)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(Generate(DefaultSeed))
	if !bytes.Equal(a, b) {
		t.Fatal("two generations from the same seed differ")
	}
	if Generate(DefaultSeed+1).Hash() == seedWorld.Hash() {
		t.Fatal("different seeds gave the same world")
	}
}

func TestGoldenSummary(t *testing.T) {
	got, err := json.MarshalIndent(seedWorld.Summary(), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	p := filepath.Join("testdata", "summary-seed1950.json")
	if *update {
		os.WriteFile(p, got, 0o644)
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("summary differs from %s (a change to the generator changes the documented demo world; refresh with -update if intended):\n%s", p, got)
	}
}

func inPeninsula(c homeward.Coordinates) bool {
	return c.Lat != nil && c.Lon != nil && *c.Lat >= Peninsula.MinLat && *c.Lat <= Peninsula.MaxLat &&
		*c.Lon >= Peninsula.MinLon && *c.Lon <= Peninsula.MaxLon
}

func TestPlausible(t *testing.T) {
	w := seedWorld
	if len(w.Incidents) != NumIncidents || len(w.Persons) != NumPersons || len(w.Containers) != NumContainers {
		t.Fatalf("sizes %d incidents, %d persons, %d containers", len(w.Incidents), len(w.Persons), len(w.Containers))
	}
	codes := map[string]bool{}
	for _, in := range w.Incidents {
		if err := in.Validate(); err != nil {
			t.Fatalf("incident %s: %v", in.Code, err)
		}
		if codes[in.Code] {
			t.Fatalf("incident code %s twice", in.Code)
		}
		codes[in.Code] = true
		if !inPeninsula(in.Coordinates) {
			t.Errorf("incident %s at %v,%v is off the peninsula", in.Code, *in.Coordinates.Lat, *in.Coordinates.Lon)
		}
		if in.Date < "1950-06-25" || in.Date > "1953-07-27" {
			t.Errorf("incident %s dated %s, outside the war", in.Code, in.Date)
		}
	}
	// Density: the Chosin Reservoir area (Nov-Dec 1950) holds more losses than any other theatre.
	chosin, usa, kor := 0, 0, 0
	sns := map[string]bool{}
	perIncident := make([]int, len(w.Incidents))
	for _, p := range w.Persons {
		m := p.Record
		if p.Incident < 0 || p.Incident >= len(w.Incidents) {
			t.Fatalf("person %s: incident index %d does not exist", m.ServiceNumber, p.Incident)
		}
		perIncident[p.Incident]++
		if err := m.Validate(); err != nil {
			t.Fatalf("person %s: %v", m.ServiceNumber, err)
		}
		if m.ServiceNumber == "" || sns[m.ServiceNumber] {
			t.Fatalf("service number %q empty or repeated", m.ServiceNumber)
		}
		sns[m.ServiceNumber] = true
		if m.DateOfLoss != w.Incidents[p.Incident].Date {
			t.Errorf("person %s lost %s, incident %s", m.ServiceNumber, m.DateOfLoss, w.Incidents[p.Incident].Date)
		}
		if m.Sex != homeward.SexMale || m.StatureCM == nil || m.AgeAtLoss == nil || m.DentalChart == "" || m.Unit == "" {
			t.Errorf("person %s lacks a biological profile or unit: %+v", m.ServiceNumber, m)
		}
		if strings.Contains(w.Incidents[p.Incident].Place, "Chosin") {
			chosin++
		}
		switch m.Nationality {
		case "USA":
			usa++
		case "KOR":
			kor++
		}
	}
	for i, n := range perIncident {
		if n == 0 {
			t.Errorf("incident %s has nobody lost in it", w.Incidents[i].Code)
		}
	}
	if chosin < NumPersons/5 {
		t.Errorf("only %d persons lost around the Chosin Reservoir", chosin)
	}
	if usa < NumPersons*8/10 || kor < NumPersons/20 || usa+kor == NumPersons {
		t.Errorf("nationalities: %d USA, %d KOR of %d (want mostly USA, some KOR, some other)", usa, kor, NumPersons)
	}
	// Family: most persons have 1-4 relatives.
	per := make([]int, len(w.Persons))
	for _, r := range w.Relatives {
		per[r.Person]++
		f := r.Record
		f.MissingPersonID = 1
		if err := f.Validate(); err != nil {
			t.Fatalf("relative of %d: %v", r.Person, err)
		}
	}
	with := 0
	for _, n := range per {
		if n > 4 {
			t.Fatalf("a person has %d relatives", n)
		}
		if n > 0 {
			with++
		}
	}
	if with < NumPersons*3/4 {
		t.Errorf("only %d of %d persons have family", with, NumPersons)
	}
}

func TestTurnoverChains(t *testing.T) {
	w := seedWorld
	if err := w.Operation.Validate(); err != nil {
		t.Fatal(err)
	}
	if len(w.Legs) != 2 || !strings.Contains(w.Legs[0].From, "Wonsan") || !strings.Contains(w.Legs[0].To, "Osan") || !strings.Contains(w.Legs[1].To, "Hickam") {
		t.Errorf("legs %+v", w.Legs)
	}
	accs := map[string]bool{}
	for i, c := range w.Containers {
		want := fmt.Sprintf("%s-%03d", OperationCode, i+1)
		if c.Record.Accession != want {
			t.Errorf("container %d accession %s, want %s", i, c.Record.Accession, want)
		}
		accs[c.Record.Accession] = true
		commingled := i >= len(w.Containers)-commingledCases
		if n := len(c.Specimens); n < 2 || n > 20 && !commingled || commingled && n < 20+commingledPeople*3 {
			t.Errorf("%s has %d specimens", c.Record.Accession, n)
		}
		for _, s := range c.Specimens {
			s.ContainerID = 1
			if err := s.Validate(); err != nil {
				t.Errorf("%s: %v", s.Code, err)
			}
		}
		// Replay the chain through the domain's own custody rules, as the store will.
		var events []homeward.CustodyEvent
		for j, e := range c.Events {
			st := homeward.DeriveCustodyState(events)
			ev := e.Record
			for range e.Photos {
				ev.Photos = append(ev.Photos, strings.Repeat("a", 64))
			}
			if err := st.ValidateAppend(c.Record.Accession, &ev); err != nil {
				t.Fatalf("%s event %d: %v", c.Record.Accession, j+1, err)
			}
			ev.Seq = int64(j + 1)
			events = append(events, ev)
		}
		st := homeward.DeriveCustodyState(events)
		if st.Custodian != CustodianLab || !strings.Contains(st.Location, "evidence bay") || st.Open {
			t.Errorf("%s ends with %+v", c.Record.Accession, st)
		}
		if c.Events[0].Record.From != CustodianHanding || !strings.Contains(c.Events[0].Record.Location, "Wonsan") {
			t.Errorf("%s first event %+v", c.Record.Accession, c.Events[0].Record)
		}
		if len(c.Claims) == 0 || c.Claims[0].Party != HandingParty {
			t.Errorf("%s claims %+v", c.Record.Accession, c.Claims)
		}
		photos := 0
		for _, e := range c.Events {
			for _, p := range e.Photos {
				if !bytes.HasPrefix(p.PNG, []byte("\x89PNG")) {
					t.Errorf("%s photo %s is not PNG", c.Record.Accession, p.Filename)
				}
				photos++
			}
		}
		if photos < 2 {
			t.Errorf("%s has %d photos", c.Record.Accession, photos)
		}
	}
	if len(accs) != NumContainers {
		t.Errorf("%d distinct accessions", len(accs))
	}
}

func BenchmarkGenerate(b *testing.B) {
	for b.Loop() {
		Generate(DefaultSeed)
	}
}
