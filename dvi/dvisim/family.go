package dvisim

import (
	"fmt"
	"strings"

	"github.com/homeward/homeward/dvi"
	"github.com/homeward/homeward/labfmt/casejson"
	"github.com/homeward/homeward/labfmt/freqdb"
)

// largeFamily is the reference family of dvir's `icmp` example (dvir 3.4.2, data-raw/icmp.R, after
// an ICMP workshop case presented at ISFG 2017): four generations, 12 missing persons (M1-M12) and
// 6 typed references (R1-R6), joined through 5 untyped founders and one untyped connecting
// relative. Columns: id, father, mother, sex (1 male, 2 female).
const largeFamily = `
1 - - 1
2 - - 2
3 - - 1
4 - - 2
5 1 2 1
M1 - - 2
R1 1 2 1
R2 3 4 1
R3 3 4 1
R4 3 4 1
M2 3 4 2
M3 5 M1 1
M4 5 M1 1
R5 - - 2
M5 5 M1 1
M6 - - 2
M7 M3 M2 2
R6 M4 R5 1
M8 M4 R5 1
M9 M4 R5 2
M10 M5 M6 1
M11 M5 M6 1
M12 M5 M6 2`

// LargeFamily is the 12-missing single-family case of issue 17's speed target: the icmp family
// above typed at the first nmarkers markers of forrel's Norwegian frequencies (up to 35), with 5
// victims carrying the profiles of M6, M10, M12, M8 and M1, as in dvir's icmp. missing may be 8 to
// keep only M1-M8 missing (M9-M12 become untyped relatives), the smaller case of the issue.
func LargeFamily(nmissing, nmarkers int, seed uint64) (*dvi.CaseFile, error) {
	if nmissing != 8 && nmissing != 12 {
		return nil, fmt.Errorf("large family: missing persons %d: want 8 or 12", nmissing)
	}
	db, err := freqdb.Load("forrel_NorwegianFrequencies")
	if err != nil {
		return nil, fmt.Errorf("large family: %w", err)
	}
	if nmarkers < 1 || nmarkers > len(db.Markers) {
		return nil, fmt.Errorf("large family: markers %d: want 1 to %d", nmarkers, len(db.Markers))
	}
	var markers []casejson.MarkerJSON
	for _, m := range db.Markers[:nmarkers] {
		markers = append(markers, casejson.MarkerJSON{Name: m.Name, Alleles: m.Alleles, Frequencies: m.Freqs})
	}
	s := Spec{
		Name: fmt.Sprintf("family%d-%dm", nmissing, nmarkers),
		Description: fmt.Sprintf("Simulated (homeward dvisim, seed %d): dvir's icmp family (4 generations, 6 references) with %d missing persons, "+
			"%d markers of forrel's Norwegian frequencies, no mutation; 5 victims carry M6, M10, M12, M8 and M1.", seed, nmissing, nmarkers),
		Family:     parseFamily(largeFamily),
		References: []string{"R1", "R2", "R3", "R4", "R5", "R6"},
		Markers:    markers,
		Seed:       seed,
	}
	for i := 1; i <= nmissing; i++ {
		s.Missing = append(s.Missing, fmt.Sprintf("M%d", i))
	}
	for i, from := range []string{"M6", "M10", "M12", "M8", "M1"} {
		s.Victims = append(s.Victims, VictimSpec{ID: fmt.Sprintf("V%d", i+1), Sex: 2 - i%2, From: from})
	}
	return Simulate(s)
}

func parseFamily(text string) []casejson.PersonJSON {
	var out []casejson.PersonJSON
	for _, line := range strings.Split(strings.TrimSpace(text), "\n") {
		f := strings.Fields(line)
		p := casejson.PersonJSON{ID: f[0], Sex: int(f[3][0] - '0')}
		if f[1] != "-" {
			p.Father, p.Mother = &f[1], &f[2]
		}
		out = append(out, p)
	}
	return out
}
