package web

import (
	"bytes"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/assets"
	"github.com/homeward/homeward/geo"
)

// The countries drawn: both Koreas and the neighbours that frame them (ISO 3166-1 numeric, as
// world-atlas names them).
var mapCountries = []struct{ id, class string }{
	{"156", "other"}, {"643", "other"}, {"392", "other"}, {"408", "korea"}, {"410", "korea"},
}

var outlines struct {
	once      sync.Once
	countries []geo.Country
	err       error
}

// loadOutlines decodes the embedded world-atlas once.
func loadOutlines() ([]geo.Country, error) {
	outlines.once.Do(func() {
		b, err := assets.WorldAtlas()
		if err != nil {
			outlines.err = err
			return
		}
		topo, err := geo.DecodeTopology(bytes.NewReader(b))
		if err != nil {
			outlines.err = err
			return
		}
		ids := make([]string, len(mapCountries))
		for i, c := range mapCountries {
			ids[i] = c.id
		}
		outlines.countries, outlines.err = topo.Countries("countries", ids...)
	})
	return outlines.countries, outlines.err
}

const (
	mapWidth     = 760.0
	mapCluster   = 26.0 // px: markers closer than this are drawn as one
	mapListLimit = 60
)

type mapShape struct {
	Class, Name, D string
}

type mapSymbol struct {
	X, Y, R  float64
	Kind     string // incident or site
	Count    int
	Href     string
	Title    string
	Label    string
	Shape    string // circle or square
	Members  []geo.Marker
	Position string
}

type mapData struct {
	Width, Height float64
	Shapes        []mapShape
	Symbols       []mapSymbol
	Outside       int
	NoPosition    int
	Error         *sentence
	// Filters, echoed in the form.
	Layer, Kind, From, To, BBox string
	Kinds                       []homeward.IncidentKind
	Zoomed                      bool
	Incidents, Sites            int
}

// mapPage draws loss incidents and recovery sites on the Korean peninsula: outlines from the
// embedded Natural Earth data, markers clustered on the server, each cluster a link (one record:
// its page; several: the map zoomed onto them), filterable by layer, incident kind and date.
func (h *Handler) mapPage(w http.ResponseWriter, r *http.Request, u *homeward.User) {
	ctx := r.Context()
	q := r.URL.Query()
	d := mapData{Layer: q.Get("layer"), Kind: q.Get("kind"), From: strings.TrimSpace(q.Get("from")), To: strings.TrimSpace(q.Get("to")), BBox: q.Get("bbox"),
		Kinds: []homeward.IncidentKind{homeward.IncidentGroundAction, homeward.IncidentAirLoss, homeward.IncidentPOWCamp, homeward.IncidentMaritime, homeward.IncidentDisaster, homeward.IncidentOther}}
	if d.Layer == "" {
		d.Layer = "all"
	}
	frame := geo.Korea(mapWidth)
	if d.BBox != "" {
		f, err := parseBBox(d.BBox)
		if err != nil {
			h.render(w, http.StatusBadRequest, "map", page{Title: "Map", User: u, Error: refusal(err), Data: d})
			return
		}
		frame, d.Zoomed = f, true
	}
	d.Width, d.Height = frame.Width, frame.Height()
	countries, err := loadOutlines()
	if err != nil {
		d.Error = saying("The map outlines are not in this build: %s", err.Error())
	}
	for i, c := range countries {
		if p := frame.Path(c.Polygons); p != "" {
			d.Shapes = append(d.Shapes, mapShape{Class: mapCountries[i].class, Name: c.Name, D: p})
		}
	}
	var incidents, sites []geo.Marker
	if d.Layer == "all" || d.Layer == "incidents" {
		f := homeward.IncidentFilter{Kind: homeward.IncidentKind(d.Kind), From: d.From, To: d.To}
		for in, err := range homeward.Walk(func(p homeward.Page) (homeward.List[homeward.Incident], error) {
			f.Page = p
			return h.cfg.Registry.ListIncidents(ctx, f)
		}) {
			if err != nil {
				if homeward.ErrorCode(err) == homeward.EINVALID {
					h.render(w, http.StatusBadRequest, "map", page{Title: "Map", User: u, Error: refusal(err), Data: d})
					return
				}
				h.fail(w, u, err)
				return
			}
			if in.Coordinates.Lat == nil || in.Coordinates.Lon == nil {
				d.NoPosition++
				continue
			}
			label := strings.TrimSpace(in.Code + " " + string(in.Date) + " " + in.Place)
			incidents = append(incidents, geo.Marker{ID: strconv.FormatInt(in.ID, 10), Kind: "incident", Label: label, Lon: *in.Coordinates.Lon, Lat: *in.Coordinates.Lat})
		}
	}
	if (d.Layer == "all" || d.Layer == "sites") && h.cfg.Operations != nil {
		l, err := h.cfg.Operations.ListOperations(ctx, homeward.Page{Limit: 1000})
		if err != nil {
			h.fail(w, u, err)
			return
		}
		for _, op := range l.Items {
			if op.Coordinates.Lat == nil || op.Coordinates.Lon == nil {
				d.NoPosition++
				continue
			}
			sites = append(sites, geo.Marker{ID: strconv.FormatInt(op.ID, 10), Kind: "site", Label: strings.TrimSpace(op.Code + " " + op.Name + " " + op.Site), Lon: *op.Coordinates.Lon, Lat: *op.Coordinates.Lat})
		}
	}
	d.Incidents, d.Sites = len(incidents), len(sites)
	for _, set := range [][]geo.Marker{incidents, sites} {
		groups, outside := geo.Cluster(set, frame, mapCluster)
		d.Outside += len(outside)
		for _, g := range groups {
			d.Symbols = append(d.Symbols, symbolFor(g, frame, q))
		}
	}
	sort.SliceStable(d.Symbols, func(i, j int) bool { return d.Symbols[i].Count > d.Symbols[j].Count })
	h.render(w, http.StatusOK, "map", page{Title: "Map", User: u, Data: d})
}

func symbolFor(g geo.Group, frame geo.Frame, q url.Values) mapSymbol {
	s := mapSymbol{X: g.X, Y: g.Y, Count: len(g.Members), Kind: g.Members[0].Kind, Members: g.Members}
	s.R = min(16, 6+2.5*math.Log2(float64(s.Count)))
	s.Shape = "circle"
	if s.Kind == "site" {
		s.Shape = "square"
	}
	noun := map[string][2]string{"incident": {"loss incident", "loss incidents"}, "site": {"recovery site", "recovery sites"}}[s.Kind]
	if s.Count == 1 {
		m := g.Members[0]
		s.Title = noun[0] + ": " + m.Label
		s.Label = m.Label
		s.Position = fmt.Sprintf("%.3f, %.3f", m.Lat, m.Lon)
		if s.Kind == "incident" {
			s.Href = "/persons?incident=" + m.ID
		} else {
			s.Href = "/containers?operation=" + m.ID
		}
		return s
	}
	var names []string
	minLon, minLat, maxLon, maxLat := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for i, m := range g.Members {
		if i < 5 {
			names = append(names, m.Label)
		}
		minLon, maxLon = min(minLon, m.Lon), max(maxLon, m.Lon)
		minLat, maxLat = min(minLat, m.Lat), max(maxLat, m.Lat)
	}
	more := ""
	if s.Count > 5 {
		more = fmt.Sprintf("; and %d more", s.Count-5)
	}
	s.Title = fmt.Sprintf("%d %s: %s%s", s.Count, noun[1], strings.Join(names, "; "), more)
	s.Label = fmt.Sprintf("%d %s", s.Count, noun[1])
	s.Position = fmt.Sprintf("around %.2f, %.2f", (minLat+maxLat)/2, (minLon+maxLon)/2)
	// Zoom onto the members: their box with a margin, at least 0.1° across, the page's proportions.
	pad := max(0.05, 0.15*max(maxLon-minLon, maxLat-minLat))
	z := url.Values{}
	for k, v := range q {
		z[k] = v
	}
	z.Set("bbox", fmt.Sprintf("%.4f,%.4f,%.4f,%.4f", minLon-pad, minLat-pad, maxLon+pad, maxLat+pad))
	s.Href = "/map?" + z.Encode()
	return s
}

// parseBBox reads "minLon,minLat,maxLon,maxLat" for a zoomed map.
func parseBBox(s string) (geo.Frame, error) {
	parts := strings.Split(s, ",")
	if len(parts) != 4 {
		return geo.Frame{}, homeward.FieldErrorf("bbox", "%q: give minLon,minLat,maxLon,maxLat", s)
	}
	var v [4]float64
	for i, p := range parts {
		x, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return geo.Frame{}, homeward.FieldErrorf("bbox", "%q is not a number", p)
		}
		v[i] = x
	}
	if v[0] < -180 || v[2] > 180 || v[1] < -85 || v[3] > 85 || v[2]-v[0] < 0.01 || v[3]-v[1] < 0.01 || v[2]-v[0] > 60 || v[3]-v[1] > 40 {
		return geo.Frame{}, homeward.FieldErrorf("bbox", "%q is not a box of 0.01 to 60 degrees inside the world", s)
	}
	f := geo.Frame{MinLon: v[0], MinLat: v[1], MaxLon: v[2], MaxLat: v[3], Width: mapWidth}
	// Keep the page's proportions (height between 0.6 and 1.3 of the width): widen or heighten
	// the box about its centre.
	if r := f.Height() / f.Width; r > 1.3 {
		grow := (f.MaxLon - f.MinLon) * (r/1.3 - 1) / 2
		f.MinLon, f.MaxLon = f.MinLon-grow, f.MaxLon+grow
	} else if r < 0.6 {
		grow := (f.MaxLat - f.MinLat) * (0.6/r - 1) / 2
		f.MinLat, f.MaxLat = f.MinLat-grow, f.MaxLat+grow
	}
	return f, nil
}
