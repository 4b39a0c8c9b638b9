package homeward

import (
	"math"
	"strings"
	"testing"
)

func fp(x float64) *float64 { return &x }
func ip(x int) *int         { return &x }
func i64p(x int64) *int64   { return &x }

// Distances checked against known city pairs: Seoul (37.5665, 126.9780) to Pyongyang (39.0392,
// 125.7625) is about 195 km; one degree of latitude is 111.2 km.
func TestDistanceKM(t *testing.T) {
	if d := DistanceKM(37.5665, 126.9780, 39.0392, 125.7625); math.Abs(d-195) > 3 {
		t.Errorf("Seoul-Pyongyang %v km", d)
	}
	if d := DistanceKM(0, 0, 1, 0); math.Abs(d-111.19) > 0.05 {
		t.Errorf("one degree %v km", d)
	}
}

func TestRankCandidates(t *testing.T) {
	incidents := map[int64]Incident{
		1: {ID: 1, Code: "CHOSIN", Coordinates: Coordinates{Lat: fp(40.45), Lon: fp(127.2)}},
		2: {ID: 2, Code: "BUSAN", Coordinates: Coordinates{Lat: fp(35.18), Lon: fp(129.07)}},
	}
	persons := []MissingPerson{
		{ID: 1, FamilyName: "A", Status: StatusUnaccounted, Sex: SexMale, StatureCM: fp(172), AgeAtLoss: ip(21), IncidentID: i64p(1)},
		{ID: 2, FamilyName: "B", Status: StatusUnaccounted, Sex: SexMale, StatureCM: fp(185), AgeAtLoss: ip(22), IncidentID: i64p(1)},
		{ID: 3, FamilyName: "C", Status: StatusUnaccounted, Sex: SexFemale, IncidentID: i64p(1)},
		{ID: 4, FamilyName: "D", Status: StatusUnaccounted, Sex: SexMale, StatureCM: fp(170), AgeAtLoss: ip(24), IncidentID: i64p(2)},
		{ID: 5, FamilyName: "E", Status: StatusUnaccounted},
		{ID: 6, FamilyName: "F", Status: StatusAccountedFor, Sex: SexMale},
	}
	r := RemainsProfile{Sex: SexMale, StatureMinCM: fp(165), StatureMaxCM: fp(178), AgeMin: ip(18), AgeMax: ip(25),
		Recovery: Coordinates{Lat: fp(40.40), Lon: fp(127.25)}, MaxKM: 100}
	got := RankCandidates(r, persons, incidents)
	if len(got) != 5 {
		t.Fatalf("%d candidates (accounted-for persons leave the list)", len(got))
	}
	var order []string
	for _, c := range got {
		mark := "-"
		if c.Kept {
			mark = "+"
		}
		order = append(order, mark+c.MissingPerson.FamilyName)
	}
	// A (near, fits) first, then E (nothing known), then the dropped: B (stature), C (sex),
	// D (Busan is 600 km away).
	if strings.Join(order, " ") != "+A +E -B -C -D" {
		t.Errorf("order %v", order)
	}
	for _, c := range got {
		if c.MissingPerson.FamilyName == "D" && !strings.Contains(strings.Join(c.Reasons, ";"), "BUSAN is") {
			t.Errorf("D's reasons: %v", c.Reasons)
		}
		if c.MissingPerson.FamilyName == "B" && !strings.Contains(strings.Join(c.Reasons, ";"), "stature 185 cm outside the remains' 165-178 cm") {
			t.Errorf("B's reasons: %v", c.Reasons)
		}
	}
}
