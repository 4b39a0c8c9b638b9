package demo

import "github.com/homeward/homeward"

// theatre is a cluster of loss incidents: a battle, a POW camp, or an area of air losses.
// Coordinates and dates are approximate public historical facts about the Korean War (battle and
// camp locations as given in general histories); everything generated around them is synthetic.
type theatre struct {
	Name       string
	Place      string // place names used for incidents in this theatre
	Lat, Lon   float64
	SpreadKm   float64 // how far incidents scatter around the centre
	From, To   string  // date range, YYYY-MM-DD
	Kind       homeward.IncidentKind
	Incidents  int // how many of the ~1,500 incidents fall here
	PersonsPer int // relative weight of people lost per incident
	Units      []unitWeight
	Villages   []string
}

type unitWeight struct {
	Branch string
	Unit   string
	Weight int
}

var (
	army7ID    = unitWeight{"Army", "7th Infantry Division", 0}
	marines1   = unitWeight{"Marine Corps", "1st Marine Division", 0}
	army2ID    = unitWeight{"Army", "2nd Infantry Division", 0}
	army1Cav   = unitWeight{"Army", "1st Cavalry Division", 0}
	army24ID   = unitWeight{"Army", "24th Infantry Division", 0}
	army25ID   = unitWeight{"Army", "25th Infantry Division", 0}
	army3ID    = unitWeight{"Army", "3rd Infantry Division", 0}
	army45ID   = unitWeight{"Army", "45th Infantry Division", 0}
	army40ID   = unitWeight{"Army", "40th Infantry Division", 0}
	usaf       = unitWeight{"Air Force", "Fifth Air Force", 0}
	usafFEAF   = unitWeight{"Air Force", "FEAF Bomber Command", 0}
	navyAir    = unitWeight{"Navy", "Task Force 77 (carrier air groups)", 0}
	marinesAir = unitWeight{"Marine Corps", "1st Marine Aircraft Wing", 0}
	navyShip   = unitWeight{"Navy", "Seventh Fleet", 0}
)

func w(u unitWeight, n int) unitWeight { u.Weight = n; return u }

var theatres = []theatre{
	{Name: "Chosin Reservoir", Place: "Chosin (Changjin) Reservoir", Lat: 40.45, Lon: 127.22, SpreadKm: 22, From: "1950-11-27", To: "1950-12-11",
		Kind: homeward.IncidentGroundAction, Incidents: 260, PersonsPer: 9,
		Units:    []unitWeight{w(marines1, 5), w(army7ID, 4)},
		Villages: []string{"Sinhung-ri", "Yudam-ni", "Hagaru-ri", "Koto-ri", "Hudong-ni", "Sasu-ri", "Funchilin Pass", "Toktong Pass", "Inchon-ri (Pungnyuri inlet)"}},
	{Name: "Unsan", Place: "Unsan", Lat: 39.95, Lon: 125.80, SpreadKm: 10, From: "1950-11-01", To: "1950-11-04",
		Kind: homeward.IncidentGroundAction, Incidents: 110, PersonsPer: 9,
		Units:    []unitWeight{w(army1Cav, 8), w(unitWeight{"ROK Army", "1st Infantry Division (ROK)", 0}, 1)},
		Villages: []string{"Unsan", "Ipsok", "Chodong", "Samtan River crossing", "Yongbyon road"}},
	{Name: "Ch'ongch'on River / Kunu-ri", Place: "Kunu-ri", Lat: 39.57, Lon: 125.95, SpreadKm: 18, From: "1950-11-25", To: "1950-12-01",
		Kind: homeward.IncidentGroundAction, Incidents: 150, PersonsPer: 7,
		Units:    []unitWeight{w(army2ID, 7), w(army25ID, 2), w(unitWeight{"Turkish Army", "Turkish Brigade", 0}, 1)},
		Villages: []string{"Kunu-ri", "Sunchon road (the Gauntlet)", "Kujang-dong", "Kaechon", "Wawon"}},
	{Name: "POW Camp 5, Pyoktong", Place: "Pyoktong (Camp 5)", Lat: 40.61, Lon: 125.44, SpreadKm: 3, From: "1951-01-20", To: "1952-06-30",
		Kind: homeward.IncidentPOWCamp, Incidents: 70, PersonsPer: 8,
		Units:    []unitWeight{w(army2ID, 3), w(army1Cav, 3), w(army24ID, 2), w(army25ID, 2), w(army7ID, 1)},
		Villages: []string{"Pyoktong"}},
	{Name: "POW Camp 1 and 3, Changsong", Place: "Changsong", Lat: 40.43, Lon: 125.22, SpreadKm: 6, From: "1951-03-01", To: "1952-10-31",
		Kind: homeward.IncidentPOWCamp, Incidents: 35, PersonsPer: 5,
		Units:    []unitWeight{w(army2ID, 2), w(army24ID, 2), w(army25ID, 1), w(unitWeight{"British Army", "29th Infantry Brigade", 0}, 1)},
		Villages: []string{"Changsong", "Chongsong"}},
	{Name: "Death Valley camp, Pukchin", Place: "Pukchin-Tarigol (Death Valley)", Lat: 40.18, Lon: 125.75, SpreadKm: 4, From: "1950-11-10", To: "1951-02-28",
		Kind: homeward.IncidentPOWCamp, Incidents: 30, PersonsPer: 8,
		Units:    []unitWeight{w(army2ID, 3), w(army1Cav, 2), w(army25ID, 1)},
		Villages: []string{"Pukchin", "Tarigol"}},
	{Name: "Bean Camp, Suan", Place: "Suan (Bean Camp)", Lat: 38.72, Lon: 126.37, SpreadKm: 4, From: "1951-03-01", To: "1951-06-30",
		Kind: homeward.IncidentPOWCamp, Incidents: 15, PersonsPer: 5,
		Units:    []unitWeight{w(army2ID, 2), w(army7ID, 1), w(army24ID, 1)},
		Villages: []string{"Suan"}},
	{Name: "Pusan Perimeter", Place: "Naktong River", Lat: 35.85, Lon: 128.45, SpreadKm: 30, From: "1950-08-04", To: "1950-09-18",
		Kind: homeward.IncidentGroundAction, Incidents: 120, PersonsPer: 3,
		Units:    []unitWeight{w(army24ID, 3), w(army25ID, 3), w(army2ID, 2), w(army1Cav, 2), w(unitWeight{"Marine Corps", "1st Provisional Marine Brigade", 0}, 1)},
		Villages: []string{"Naktong Bulge", "Taegu", "Masan", "Waegwan", "Yongsan", "Tabu-dong"}},
	{Name: "Taejon and the Kum River", Place: "Taejon", Lat: 36.35, Lon: 127.38, SpreadKm: 18, From: "1950-07-05", To: "1950-07-21",
		Kind: homeward.IncidentGroundAction, Incidents: 80, PersonsPer: 4,
		Units:    []unitWeight{w(army24ID, 1)},
		Villages: []string{"Taejon", "Osan (Task Force Smith)", "Chochiwon", "Kum River line", "Yongdong"}},
	{Name: "Hoengsong and Chipyong-ni", Place: "Hoengsong", Lat: 37.49, Lon: 127.98, SpreadKm: 20, From: "1951-02-11", To: "1951-02-15",
		Kind: homeward.IncidentGroundAction, Incidents: 90, PersonsPer: 4,
		Units:    []unitWeight{w(army2ID, 5), w(unitWeight{"Army", "23rd Infantry Regiment, 2nd Infantry Division", 0}, 1)},
		Villages: []string{"Hoengsong", "Massacre Valley", "Chipyong-ni", "Changbong-ni"}},
	{Name: "Central front, 1951-1953", Place: "central front", Lat: 38.25, Lon: 127.6, SpreadKm: 35, From: "1951-05-15", To: "1953-07-27",
		Kind: homeward.IncidentGroundAction, Incidents: 190, PersonsPer: 2,
		Units:    []unitWeight{w(army2ID, 2), w(army7ID, 2), w(army3ID, 2), w(army45ID, 1), w(army40ID, 1), w(army25ID, 1), w(marines1, 1)},
		Villages: []string{"Heartbreak Ridge", "Bloody Ridge", "Punchbowl", "Pork Chop Hill", "Old Baldy", "Iron Triangle", "Kumhwa", "Chorwon", "White Horse Hill"}},
	{Name: "Air losses over North Korea", Place: "North Korea", Lat: 39.6, Lon: 126.2, SpreadKm: 110, From: "1950-07-01", To: "1953-07-27",
		Kind: homeward.IncidentAirLoss, Incidents: 260, PersonsPer: 2,
		Units:    []unitWeight{w(usaf, 5), w(usafFEAF, 2), w(navyAir, 3), w(marinesAir, 1)},
		Villages: []string{"Sinuiju", "Sariwon", "Pyongyang", "Kanggye", "Hamhung", "Wonsan", "Chongju", "Anju", "Huichon", "Kaesong"}},
	{Name: "MiG Alley", Place: "Yalu River", Lat: 40.1, Lon: 124.9, SpreadKm: 35, From: "1951-01-01", To: "1953-07-27",
		Kind: homeward.IncidentAirLoss, Incidents: 70, PersonsPer: 1,
		Units:    []unitWeight{w(unitWeight{"Air Force", "4th Fighter-Interceptor Wing", 0}, 2), w(unitWeight{"Air Force", "51st Fighter-Interceptor Wing", 0}, 1)},
		Villages: []string{"Sinuiju", "Sakchu", "Uiju", "Namsi", "Taechon"}},
	{Name: "Losses at sea", Place: "coastal waters", Lat: 39.2, Lon: 127.9, SpreadKm: 30, From: "1950-09-01", To: "1953-07-27",
		Kind: homeward.IncidentMaritime, Incidents: 20, PersonsPer: 2,
		Units:    []unitWeight{w(navyShip, 3), w(navyAir, 1)},
		Villages: []string{"off Wonsan", "off Hungnam", "off Chinnampo", "off Inchon"}},
}

// Peninsula is a bounding box of the Korean peninsula (and its coastal waters), used to check that
// every generated coordinate is plausible.
var Peninsula = struct{ MinLat, MaxLat, MinLon, MaxLon float64 }{33.0, 43.1, 124.0, 131.0}

// Places of the 2018 turnover (approximate coordinates).
var wonsan = homeward.Coordinates{Lat: fptr(39.166), Lon: fptr(127.486), PrecisionM: fptr(2000)} // Kalma airfield, Wonsan

func fptr(f float64) *float64 { return &f }
