// Package demo builds a synthetic, deterministic Homeward world modelled on the Korean War story
// of docs/PRODUCT.md (missing persons, loss incidents, family members, and the 2018 turnover of
// 55 containers with complete chains of custody) and loads it through the services.
//
// Everything about people is invented: names are drawn from hand-made lists, service numbers are
// random. Battle places, dates and the 2018 turnover's route follow public history.
package demo

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/homeward/homeward"
)

// DefaultSeed is the seed of the documented demo world.
const DefaultSeed = 1950

// Target sizes of the world.
const (
	NumIncidents  = 1500
	NumPersons    = 7500
	NumContainers = 55
	OperationCode = "K55-2018"
	HandingParty  = "DPRK"
)

// World is a whole generated world. Cross-references are indexes into the world's slices because
// database ids exist only once loaded.
type World struct {
	Seed       int64
	Incidents  []homeward.Incident
	Persons    []Person
	Relatives  []Relative
	Operation  homeward.Operation
	Legs       []homeward.TransportLeg
	Ceremonies []homeward.Ceremony
	Containers []Container
}

// Person is a missing person and the index of their loss incident in World.Incidents.
type Person struct {
	Record   homeward.MissingPerson
	Incident int
}

// Relative is a family member and the index of their missing person in World.Persons.
type Relative struct {
	Record homeward.FamilyMember
	Person int
}

// Container is one container of the turnover with everything recorded about it.
type Container struct {
	Record    homeward.Container
	Specimens []homeward.Specimen
	Events    []Event
	Claims    []homeward.Claim
}

// Event is a custody event and the photos taken at it (PNG bytes). Record.Photos is filled with
// their SHA-256 when loaded.
type Event struct {
	Record homeward.CustodyEvent
	Photos []Photo
}

// Photo is a generated evidence image.
type Photo struct {
	Filename string
	Caption  string
	PNG      []byte
	TakenAt  time.Time
}

// Summary counts a world's records.
type Summary struct {
	Seed          int64
	Incidents     int
	IncidentKinds map[string]int
	Persons       int
	Nationalities map[string]int
	Branches      map[string]int
	Relatives     int
	WithFamily    int
	Containers    int
	Specimens     int
	Events        int
	Photos        int
	Claims        int
	Hash          string
}

// Summary returns counts and the world's hash.
func (w *World) Summary() Summary {
	s := Summary{Seed: w.Seed, Incidents: len(w.Incidents), Persons: len(w.Persons), Relatives: len(w.Relatives),
		Containers: len(w.Containers), IncidentKinds: map[string]int{}, Nationalities: map[string]int{}, Branches: map[string]int{}, Hash: w.Hash()}
	for _, in := range w.Incidents {
		s.IncidentKinds[string(in.Kind)]++
	}
	for _, p := range w.Persons {
		s.Nationalities[p.Record.Nationality]++
		s.Branches[p.Record.Branch]++
	}
	has := make([]bool, len(w.Persons))
	for _, r := range w.Relatives {
		has[r.Person] = true
	}
	for _, h := range has {
		if h {
			s.WithFamily++
		}
	}
	for _, c := range w.Containers {
		s.Specimens += len(c.Specimens)
		s.Events += len(c.Events)
		s.Claims += len(c.Claims)
		for _, e := range c.Events {
			s.Photos += len(e.Photos)
		}
	}
	return s
}

// Hash is the SHA-256 of the world's JSON encoding: equal worlds have equal hashes.
func (w *World) Hash() string {
	h := sha256.New()
	if err := json.NewEncoder(h).Encode(w); err != nil {
		panic(err) // only plain data: cannot fail
	}
	return hex.EncodeToString(h.Sum(nil))
}

// gen carries the random source; every draw goes through it in a fixed order.
type gen struct {
	r       *rand.Rand
	usedSN  map[string]bool
	pngPool pngPool
}

// Generate builds the world for seed. It is pure: the same seed gives a byte-identical world.
func Generate(seed int64) *World {
	g := &gen{r: rand.New(rand.NewPCG(uint64(seed), 0x486f6d6577617264)), usedSN: map[string]bool{}}
	w := &World{Seed: seed}
	th := g.incidents(w)
	g.persons(w, th)
	g.relatives(w)
	g.turnover(w)
	measure(w, seed)
	return w
}

func (g *gen) pick(list []string) string { return list[g.r.IntN(len(list))] }

func (g *gen) chance(p float64) bool { return g.r.Float64() < p }

func parseDay(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err) // constant tables only
	}
	return t
}

// incidents generates NumIncidents incidents over the theatres and returns, per incident, the
// index of its theatre.
func (g *gen) incidents(w *World) []int {
	var th []int
	perMonth := map[string]int{}
	for ti, t := range theatres {
		from, to := parseDay(t.From), parseDay(t.To)
		days := int(to.Sub(from).Hours()/24) + 1
		for range t.Incidents {
			var in homeward.Incident
			day := from.AddDate(0, 0, g.r.IntN(days))
			in.Date = homeward.Date(day.Format("2006-01-02"))
			month := day.Format("2006-01")
			perMonth[month]++
			in.Code = fmt.Sprintf("KW-%s-%04d", month, perMonth[month])
			in.Kind = t.Kind
			village := g.pick(t.Villages)
			in.Place = village
			if !strings.Contains(village, t.Place) && t.Place != "North Korea" {
				in.Place = village + ", " + t.Place
			}
			// Scatter around the centre: a Gaussian in km, clipped to the peninsula box.
			lat := t.Lat + g.r.NormFloat64()*t.SpreadKm/2/111.0
			lon := t.Lon + g.r.NormFloat64()*t.SpreadKm/2/(111.0*math.Cos(t.Lat*math.Pi/180))
			lat = math.Round(clamp(lat, Peninsula.MinLat+0.1, Peninsula.MaxLat-0.1)*1e4) / 1e4
			lon = math.Round(clamp(lon, Peninsula.MinLon+0.1, Peninsula.MaxLon-0.1)*1e4) / 1e4
			prec := []float64{100, 500, 1000, 2000, 5000, 10000}[g.r.IntN(6)]
			if t.Kind == homeward.IncidentAirLoss || t.Kind == homeward.IncidentMaritime {
				prec = []float64{5000, 10000, 25000}[g.r.IntN(3)]
			}
			in.Coordinates = homeward.Coordinates{Lat: fptr(lat), Lon: fptr(lon), PrecisionM: fptr(prec)}
			in.Description = g.describe(t, village)
			w.Incidents = append(w.Incidents, in)
			th = append(th, ti)
		}
	}
	// Order by date, then code, as an agency register would list them.
	idx := make([]int, len(w.Incidents))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		return strings.Compare(string(w.Incidents[a].Date)+w.Incidents[a].Code, string(w.Incidents[b].Date)+w.Incidents[b].Code)
	})
	inc := make([]homeward.Incident, len(idx))
	ths := make([]int, len(idx))
	for i, j := range idx {
		inc[i], ths[i] = w.Incidents[j], th[j]
	}
	w.Incidents = inc
	return ths
}

func clamp(v, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, v)) }

func (g *gen) describe(t theatre, village string) string {
	switch t.Kind {
	case homeward.IncidentAirLoss:
		ac := g.pick([]string{"F-51D Mustang", "F-80C Shooting Star", "F-84E Thunderjet", "F-86A Sabre", "B-26 Invader", "B-29 Superfortress", "F4U Corsair", "AD Skyraider", "F9F Panther", "RF-80A"})
		return fmt.Sprintf("%s lost near %s; %s", ac, village, g.pick([]string{"shot down by anti-aircraft fire", "seen to crash after a strafing run", "failed to return from an armed reconnaissance mission", "downed by MiG-15s", "crew reported bailing out"}))
	case homeward.IncidentPOWCamp:
		return fmt.Sprintf("Died in captivity at %s; buried by fellow prisoners near the camp", t.Place)
	case homeward.IncidentMaritime:
		return fmt.Sprintf("Lost at sea %s", village)
	}
	return fmt.Sprintf("%s: %s near %s", t.Name, g.pick([]string{"position overrun during a night attack", "missing after a withdrawal under fire", "last seen during a roadblock ambush", "missing after a counterattack", "killed in action, body not recovered"}), village)
}

// persons distributes NumPersons over the incidents: each incident at least one person, the rest
// drawn in proportion to the theatre's weight.
func (g *gen) persons(w *World, th []int) {
	counts := make([]int, len(w.Incidents))
	cum := make([]int, len(w.Incidents))
	total := 0
	for i := range w.Incidents {
		counts[i] = 1
		total += theatres[th[i]].PersonsPer
		cum[i] = total
	}
	for range NumPersons - len(w.Incidents) {
		x := g.r.IntN(total)
		i, _ := slices.BinarySearch(cum, x+1)
		counts[i]++
	}
	for i, n := range counts {
		t := theatres[th[i]]
		// One unit per incident (a crew or a company is lost together), mostly.
		u := g.unit(t)
		for range n {
			if g.chance(0.15) {
				u = g.unit(t)
			}
			w.Persons = append(w.Persons, Person{Record: g.person(t, u, w.Incidents[i]), Incident: i})
		}
	}
}

func (g *gen) unit(t theatre) unitWeight {
	sum := 0
	for _, u := range t.Units {
		sum += u.Weight
	}
	x := g.r.IntN(sum)
	for _, u := range t.Units {
		if x < u.Weight {
			return u
		}
		x -= u.Weight
	}
	return t.Units[0]
}

var regiments = map[string][]string{
	"7th Infantry Division":  {"31st Infantry Regiment", "32nd Infantry Regiment", "17th Infantry Regiment", "57th Field Artillery Battalion"},
	"1st Marine Division":    {"5th Marines", "7th Marines", "1st Marines", "11th Marines"},
	"2nd Infantry Division":  {"9th Infantry Regiment", "23rd Infantry Regiment", "38th Infantry Regiment", "503rd Field Artillery Battalion"},
	"1st Cavalry Division":   {"8th Cavalry Regiment", "5th Cavalry Regiment", "7th Cavalry Regiment", "99th Field Artillery Battalion"},
	"24th Infantry Division": {"19th Infantry Regiment", "21st Infantry Regiment", "34th Infantry Regiment", "63rd Field Artillery Battalion"},
	"25th Infantry Division": {"24th Infantry Regiment", "27th Infantry Regiment", "35th Infantry Regiment"},
	"3rd Infantry Division":  {"7th Infantry Regiment", "15th Infantry Regiment", "65th Infantry Regiment"},
	"45th Infantry Division": {"179th Infantry Regiment", "180th Infantry Regiment", "279th Infantry Regiment"},
	"40th Infantry Division": {"160th Infantry Regiment", "223rd Infantry Regiment", "224th Infantry Regiment"},
}

var armyRanks = []string{"PVT", "PVT", "PFC", "PFC", "PFC", "CPL", "CPL", "SGT", "SFC", "MSG", "2LT", "1LT", "CPT"}
var marineRanks = []string{"Pvt", "PFC", "PFC", "Cpl", "Sgt", "SSgt", "2ndLt", "1stLt"}
var airRanks = []string{"2LT", "1LT", "1LT", "CPT", "CPT", "MAJ", "SSGT", "TSGT", "A1C"}
var navyRanks = []string{"ENS", "LTJG", "LT", "AN", "AMM3", "SN", "SA", "FN"}

func (g *gen) person(t theatre, u unitWeight, in homeward.Incident) homeward.MissingPerson {
	m := homeward.MissingPerson{Status: homeward.StatusUnaccounted, DateOfLoss: in.Date, Sex: homeward.SexMale}
	switch nat := g.nationality(t, u); nat {
	case "USA":
		g.american(&m, u)
	case "KOR":
		g.korean(&m, u)
	default:
		g.otherNation(&m, nat)
	}
	g.antemortem(&m)
	switch {
	case t.Kind == homeward.IncidentMaritime && g.chance(0.7):
		m.Status = homeward.StatusNonRecoverable
		m.Notes = "Lost at sea; remains deemed non-recoverable."
	case g.chance(0.012):
		m.Status = homeward.StatusAccountedFor
		m.Notes = "Accounted for (synthetic example)."
	}
	return m
}

// nationality draws a person's nationality from the theatre and the unit.
func (g *gen) nationality(t theatre, u unitWeight) string {
	nat := "USA"
	switch x := g.r.Float64(); {
	case strings.HasPrefix(u.Branch, "ROK") || x < 0.07:
		nat = "KOR"
	case x < 0.105 && t.Kind == homeward.IncidentGroundAction || x < 0.09 && t.Kind == homeward.IncidentPOWCamp:
		nat = "UN"
	}
	switch {
	case strings.HasPrefix(u.Branch, "Turkish"):
		nat = "TUR"
	case strings.HasPrefix(u.Branch, "British"):
		nat = "GBR"
	}
	return nat
}

// american draws an American's name, unit, rank and service number.
func (g *gen) american(m *homeward.MissingPerson, u unitWeight) {
	m.Nationality = "USA"
	m.FamilyName = g.pick(usFamilyNames)
	m.GivenNames = g.pick(usMaleGiven)
	if g.chance(0.8) {
		m.GivenNames += " " + string(usMiddleInitials[g.r.IntN(len(usMiddleInitials))]) + "."
	}
	m.Branch = u.Branch
	m.Unit = u.Unit
	if regs := regiments[u.Unit]; len(regs) > 0 {
		m.Unit = g.pick(regs) + ", " + u.Unit
	}
	switch u.Branch {
	case "Army":
		m.Rank = g.pick(armyRanks)
		m.ServiceNumber = g.serial(g.pick([]string{"RA", "RA", "US", "ER"}), 8)
		if strings.HasSuffix(m.Rank, "LT") || m.Rank == "CPT" {
			m.ServiceNumber = g.serial("O-", 7)
		}
	case "Marine Corps":
		m.Rank = g.pick(marineRanks)
		m.ServiceNumber = g.serial("", 7)
	case "Air Force":
		m.Rank = g.pick(airRanks)
		m.ServiceNumber = g.serial("AF", 8)
	default:
		m.Rank = g.pick(navyRanks)
		m.ServiceNumber = g.serial("", 7)
	}
	m.Ancestry = g.weighted([]string{"European", "African", "Hispanic", "Native American", "Asian"}, []int{80, 12, 5, 2, 1})
}

// korean draws a South Korean's name (romanized and in Hangul), branch, unit and rank.
func (g *gen) korean(m *homeward.MissingPerson, u unitWeight) {
	m.Nationality = "KOR"
	m.FamilyName = g.pick(korFamilyNames)
	m.GivenNames = g.pick(korSyllables) + "-" + strings.ToLower(g.pick(korSyllables))
	m.NativeName = koreanName(m.FamilyName, m.GivenNames)
	if u.Branch == "Army" || u.Branch == "Marine Corps" {
		m.Branch = "ROK Army"
		m.Unit = "KATUSA attached to " + u.Unit
	} else if strings.HasPrefix(u.Branch, "ROK") {
		m.Branch, m.Unit = u.Branch, u.Unit
	} else {
		m.Branch, m.Unit = "ROK Army", g.pick([]string{"1st Infantry Division (ROK)", "6th Infantry Division (ROK)", "8th Infantry Division (ROK)", "Capital Division (ROK)"})
	}
	m.Rank = g.pick([]string{"Private", "Private First Class", "Corporal", "Sergeant"})
	m.ServiceNumber = g.serial("K", 8)
	m.Ancestry = "Asian"
}

// otherNation draws a person of another UN nation (nat: TUR and GBR fixed by the unit).
func (g *gen) otherNation(m *homeward.MissingPerson, nat string) {
	n := otherNations[g.weightedIndex(func(i int) int { return otherNations[i].Weight }, len(otherNations))]
	switch nat {
	case "TUR":
		n = otherNations[1]
	case "GBR":
		n = otherNations[0]
	}
	m.Nationality = n.Code
	m.FamilyName = g.pick(n.Family)
	m.GivenNames = g.pick(n.Given)
	m.Branch = n.Branch
	m.Unit = g.pick(n.Unit)
	m.Rank = g.pick([]string{"Private", "Private", "Corporal", "Sergeant", "Lieutenant"})
	m.ServiceNumber = g.serial(n.Code+"-", 7)
	m.Ancestry = n.Ancestry
}

// antemortem draws age, stature and the dental chart.
func (g *gen) antemortem(m *homeward.MissingPerson) {
	age := 17 + int(math.Abs(g.r.NormFloat64())*4.5) + g.r.IntN(3)
	if age > 45 {
		age = 45
	}
	m.AgeAtLoss = &age
	mean := 173.0
	if m.Nationality == "KOR" || m.Ancestry == "Asian" {
		mean = 165
	}
	st := math.Round(clamp(mean+g.r.NormFloat64()*6.5, 150, 198)*10) / 10
	m.StatureCM = &st
	m.DentalChart = g.dental()
}

func (g *gen) relatives(w *World) {
	for pi, p := range w.Persons {
		if !g.chance(0.86) {
			continue
		}
		n := 1 + g.r.IntN(4)
		for range n {
			k := relationships[g.weightedIndex(func(i int) int { return relationships[i].weight }, len(relationships))]
			f := homeward.FamilyMember{Relationship: k.rel, Sex: k.sex}
			f.FamilyName = p.Record.FamilyName
			if !k.same && p.Record.Nationality != "KOR" && g.chance(0.7) {
				f.FamilyName = g.familyName(p.Record.Nationality)
			}
			if k.sex == homeward.SexFemale {
				f.GivenNames = g.femaleGiven(p.Record.Nationality)
			} else {
				f.GivenNames = g.maleGiven(p.Record.Nationality)
			}
			if g.chance(0.9) {
				year := 1992 + g.r.IntN(32)
				day := time.Date(year, time.Month(1+g.r.IntN(12)), 1+g.r.IntN(28), 0, 0, 0, 0, time.UTC)
				f.Consent = homeward.Consent{Given: true, Date: homeward.Date(day.Format("2006-01-02")), Scope: g.pick([]string{
					"DNA reference comparison only", "DNA reference comparison; contact about identification", "DNA reference comparison and retention of the sample"})}
			}
			f.Contact = fmt.Sprintf("family-%05d@example.org", pi)
			w.Relatives = append(w.Relatives, Relative{Record: f, Person: pi})
		}
	}
}
