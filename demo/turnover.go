package demo

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/homeward/homeward"
)

// Custodians and places of the 2018 turnover.
const (
	CustodianHanding = "Korean People's Army (DPRK)"
	CustodianUNC     = "United Nations Command Repatriation Team"
	CustodianEscort  = "DPAA escort team"
	CustodianLab     = "DPAA Laboratory, Joint Base Pearl Harbor-Hickam"
	placeWonsan      = "Kalma airfield, Wonsan"
	placeOsan        = "Osan Air Base, Republic of Korea"
	placeHickam      = "Joint Base Pearl Harbor-Hickam, Hawaii"
	placeLab         = "DPAA Laboratory, Joint Base Pearl Harbor-Hickam"
)

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err) // constants only
	}
	return t
}

func tp(t time.Time) *time.Time { return &t }

// Times are UTC. Local: Korea UTC+9, Hawaii UTC-10.
var (
	tHandover   = at("2018-07-27T01:00:00Z")
	tDepartWon  = at("2018-07-27T02:30:00Z")
	tArriveOsan = at("2018-07-27T03:40:00Z")
	tCeremOsan  = at("2018-08-01T01:00:00Z")
	tTransfer   = at("2018-08-01T02:30:00Z")
	tDepartOsan = at("2018-08-01T19:30:00Z")
	tArriveHick = at("2018-08-02T05:00:00Z")
	tCeremHick  = at("2018-08-02T05:30:00Z")
	tLabIntake  = at("2018-08-02T09:00:00Z")
)

func (g *gen) turnover(w *World) {
	w.Operation = homeward.Operation{
		Code: OperationCode, Kind: homeward.OperationTurnover, Name: "2018 turnover of 55 cases at Wonsan",
		Site: placeWonsan, Coordinates: wonsan, StartDate: "2018-07-27", EndDate: "2018-08-02", HandingParty: HandingParty,
		Description: "55 cases said to hold remains of American service members, handed over at Wonsan, flown to Osan Air Base, " +
			"honoured at a repatriation ceremony and flown on to the DPAA laboratory in Hawaii (synthetic demo record).",
	}
	w.Legs = []homeward.TransportLeg{
		{Seq: 1, From: placeWonsan, To: placeOsan, Carrier: "USAF C-17 Globemaster III", DepartedAt: tp(tDepartWon), ArrivedAt: tp(tArriveOsan),
			Notes: "Received at Osan by an honour guard of UNC member nations"},
		{Seq: 2, From: placeOsan, To: placeHickam, Carrier: "USAF C-17 Globemaster III", DepartedAt: tp(tDepartOsan), ArrivedAt: tp(tArriveHick)},
	}
	w.Ceremonies = []homeward.Ceremony{
		{Name: "UNC repatriation ceremony", Place: placeOsan, HeldAt: tp(tCeremOsan), Description: "Honour guard of UNC member nations; cases carried to the aircraft"},
		{Name: "Honorable carry ceremony", Place: placeHickam, HeldAt: tp(tCeremHick), Description: "Cases received on arrival in Hawaii"},
	}
	dogTag := 1 + g.r.IntN(NumContainers)
	for n := 1; n <= NumContainers; n++ {
		w.Containers = append(w.Containers, g.container(n, n == dogTag))
	}
}

func (g *gen) container(n int, dogTag bool) Container {
	acc := fmt.Sprintf("%s-%03d", OperationCode, n)
	desc := "Wooden case with UN flag; commingled skeletal remains"
	var items []string
	for _, it := range []string{"boots", "canteen", "uniform buttons", "belt buckle", "ammunition pouch fragments"} {
		if g.chance(0.3) {
			items = append(items, it)
		}
	}
	if dogTag {
		items = append(items, "one US identification tag")
	}
	if len(items) > 0 {
		desc += "; material evidence: " + strings.Join(items, ", ")
	}
	c := Container{Record: homeward.Container{Accession: acc, Kind: homeward.ContainerCase, Description: desc}}
	c.Specimens = g.specimens(acc)
	c.Events = g.chain(n, acc)
	c.Claims = []homeward.Claim{g.claim(n)}
	return c
}

var sealUNC = "UNC-18-%04d"
var sealLab = "DPAA-LAB-%05d"

// chain builds the container's custody chain from hand-over to laboratory storage. Events are a
// few minutes apart per container so that every chain is in time order.
func (g *gen) chain(n int, acc string) []Event {
	off := time.Duration(n) * 2 * time.Minute
	intact := true
	uncSeal := fmt.Sprintf(sealUNC, 100+n)
	labSeal := fmt.Sprintf(sealLab, 18000+n)
	labDay := tLabIntake.Add(24 * time.Hour * time.Duration(1+(n-1)/5)) // five cases opened a day
	ev := func(k homeward.CustodyKind, t time.Time, e homeward.CustodyEvent) Event {
		e.Kind, e.OccurredAt = k, t
		return Event{Record: e}
	}
	evs := []Event{
		ev(homeward.CustodyReceipt, tHandover.Add(off), homeward.CustodyEvent{From: CustodianHanding, To: CustodianUNC,
			FromAck: "KPA liaison officer", ToAck: "UNC team chief (synthetic)", Location: placeWonsan,
			Notes: "Case " + acc + " received from the handing party"}),
		ev(homeward.CustodyOpening, tHandover.Add(off+20*time.Minute), homeward.CustodyEvent{Location: placeWonsan,
			Notes: "Field inspection by UNC forensic specialists; contents photographed"}),
		ev(homeward.CustodySealing, tHandover.Add(off+35*time.Minute), homeward.CustodyEvent{Location: placeWonsan, SealNumber: uncSeal}),
		ev(homeward.CustodyTransport, tArriveOsan.Add(off), homeward.CustodyEvent{Location: placeOsan,
			Notes: "Flown Wonsan to Osan by USAF C-17 (transport leg 1)"}),
		ev(homeward.CustodySealCheck, tArriveOsan.Add(off+30*time.Minute), homeward.CustodyEvent{Location: placeOsan, SealNumber: uncSeal, SealIntact: &intact}),
		ev(homeward.CustodyStorage, tArriveOsan.Add(off+60*time.Minute), homeward.CustodyEvent{Location: placeOsan + ", UNC holding area"}),
		ev(homeward.CustodyCeremony, tCeremOsan, homeward.CustodyEvent{Location: placeOsan, Notes: "UNC repatriation ceremony"}),
		ev(homeward.CustodyTransfer, tTransfer.Add(off), homeward.CustodyEvent{From: CustodianUNC, To: CustodianEscort,
			FromAck: "UNC team chief (synthetic)", ToAck: "DPAA escort officer (synthetic)", Location: placeOsan}),
		ev(homeward.CustodyTransport, tArriveHick.Add(off/2), homeward.CustodyEvent{Location: placeHickam,
			Notes: "Flown Osan to Hawaii by USAF C-17 (transport leg 2)"}),
		ev(homeward.CustodyCeremony, tCeremHick.Add(time.Hour), homeward.CustodyEvent{Location: placeHickam, Notes: "Honorable carry ceremony"}),
		ev(homeward.CustodySealCheck, tLabIntake.Add(off), homeward.CustodyEvent{Location: placeLab, SealNumber: uncSeal, SealIntact: &intact}),
		ev(homeward.CustodyTransfer, tLabIntake.Add(off+10*time.Minute), homeward.CustodyEvent{From: CustodianEscort, To: CustodianLab,
			FromAck: "DPAA escort officer (synthetic)", ToAck: "laboratory evidence custodian (synthetic)", Location: placeLab}),
		ev(homeward.CustodyOpening, labDay.Add(time.Duration((n-1)%5)*90*time.Minute), homeward.CustodyEvent{Location: placeLab, SealNumber: uncSeal,
			Notes: "Opened for inventory; contents photographed"}),
		ev(homeward.CustodySealing, labDay.Add(time.Duration((n-1)%5)*90*time.Minute+80*time.Minute), homeward.CustodyEvent{Location: placeLab, SealNumber: labSeal}),
		ev(homeward.CustodyStorage, labDay.Add(time.Duration((n-1)%5)*90*time.Minute+85*time.Minute), homeward.CustodyEvent{
			Location: fmt.Sprintf("%s, evidence bay %d", placeLab, 1+(n-1)/10)}),
	}
	evs[1].Photos = []Photo{
		g.photo(n, 0, acc+"-wonsan-1.png", "Case "+acc+" opened at Wonsan", evs[1].Record.OccurredAt),
		g.photo(n, 1, acc+"-wonsan-2.png", "Case "+acc+" contents at Wonsan", evs[1].Record.OccurredAt.Add(time.Minute)),
	}
	evs[12].Photos = []Photo{
		g.photo(n, 2, acc+"-lab-1.png", "Case "+acc+" opened at the laboratory", evs[12].Record.OccurredAt),
	}
	return evs
}

var elements = []struct {
	name    string
	weightG float64
	sided   bool
	count   int // relative frequency among recovered elements
}{
	{"cranium", 550, false, 3}, {"mandible", 80, false, 3}, {"femur", 380, true, 8}, {"tibia", 260, true, 7},
	{"humerus", 170, true, 7}, {"radius", 55, true, 4}, {"ulna", 65, true, 4}, {"fibula", 60, true, 4},
	{"clavicle", 22, true, 3}, {"scapula", 75, true, 3}, {"os coxae", 230, true, 4}, {"sacrum", 90, false, 2},
	{"lumbar vertebra", 35, false, 4}, {"thoracic vertebra", 18, false, 4}, {"rib", 12, true, 8}, {"calcaneus", 40, true, 2},
	{"talus", 30, true, 2}, {"metacarpal", 5, true, 2}, {"patella", 15, true, 1}, {"tooth (molar)", 2.5, false, 3},
}

var portions = []struct {
	name string
	frac float64
}{{"complete", 1}, {"proximal", 0.35}, {"distal", 0.3}, {"shaft", 0.45}, {"fragment", 0.12}}

func (g *gen) specimens(acc string) []homeward.Specimen {
	n := 2 + g.r.IntN(19) // 2..20
	out := make([]homeward.Specimen, n)
	for i := range out {
		e := elements[g.weightedIndex(func(j int) int { return elements[j].count }, len(elements))]
		p := portions[g.weightedIndex(func(j int) int { return []int{3, 2, 2, 3, 4}[j] }, len(portions))]
		if strings.HasPrefix(e.name, "tooth") {
			p = portions[0]
		}
		side := homeward.SideAxial
		if e.sided {
			side = []homeward.Side{homeward.SideLeft, homeward.SideRight, homeward.SideUnknown}[g.weightedIndex(func(j int) int { return []int{5, 5, 1}[j] }, 3)]
		}
		wt := math.Round(e.weightG*p.frac*(0.7+0.6*g.r.Float64())*10) / 10
		out[i] = homeward.Specimen{
			Code: fmt.Sprintf("%s-S%03d", acc, i+1), Element: e.name, Side: side, Portion: p.name, WeightG: &wt,
			Description: g.pick([]string{"taphonomic staining, dark brown", "root etching", "rodent gnawing", "weathered cortex", "soil adhering", "good preservation"}),
		}
	}
	return out
}

// Places the handing party named for the cases (claims, not facts).
var claimPlaces = []struct {
	place    string
	lat, lon float64
}{
	{"Sinhung-ri, Changjin County, South Hamgyong", 40.468, 127.245},
	{"Yudam-ni, Changjin County, South Hamgyong", 40.483, 127.106},
	{"Hagaru-ri, Changjin County, South Hamgyong", 40.389, 127.255},
	{"Unsan County, North Pyongan", 39.950, 125.800},
	{"Kujang County, North Pyongan", 39.860, 126.020},
	{"Kaechon, South Pyongan", 39.700, 125.900},
}

func (g *gen) claim(n int) homeward.Claim {
	cp := claimPlaces[g.weightedIndex(func(i int) int { return []int{6, 3, 2, 4, 2, 1}[i] }, len(claimPlaces))]
	year := 2008 + g.r.IntN(10)
	return homeward.Claim{
		Party:       HandingParty,
		Statement:   fmt.Sprintf("Remains in this case were found near %s during farm work in %d", strings.SplitN(cp.place, ",", 2)[0], year),
		Place:       cp.place,
		Coordinates: homeward.Coordinates{Lat: fptr(cp.lat), Lon: fptr(cp.lon), PrecisionM: fptr(5000)},
		ClaimedOn:   "2018-07-27",
		Assessment:  g.pick([]string{"", "", "Unverified; consistent with known loss areas", "Unverified; to be weighed against the loss incidents of the area"}),
	}
}
