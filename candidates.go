package homeward

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
)

// RemainsProfile is what is known of post-mortem remains before DNA: the biological profile the
// anthropologist estimated and where they were recovered. Zero fields are unknown.
type RemainsProfile struct {
	Sex          Sex      `json:"sex,omitempty"`
	StatureMinCM *float64 `json:"stature_min_cm,omitempty"`
	StatureMaxCM *float64 `json:"stature_max_cm,omitempty"`
	AgeMin       *int     `json:"age_min,omitempty"`
	AgeMax       *int     `json:"age_max,omitempty"`
	Ancestry     string   `json:"ancestry,omitempty"`
	// Recovery place, and the radius (km) beyond which a loss incident is implausible.
	Recovery   Coordinates `json:"recovery"`
	MaxKM      float64     `json:"max_km,omitempty"`
	IncidentID *int64      `json:"incident_id,omitempty"` // when the recovery is tied to one incident
}

// ListedCandidate is one missing person on a candidate list, with the reasons they stay or drop.
type ListedCandidate struct {
	MissingPerson MissingPerson `json:"missing_person"`
	Kept          bool          `json:"kept"`
	Reasons       []string      `json:"reasons"`
	DistanceKM    *float64      `json:"distance_km,omitempty"`
}

// DistanceKM is the great-circle distance between two points (haversine, mean Earth radius
// 6,371 km).
func DistanceKM(lat1, lon1, lat2, lon2 float64) float64 {
	rad := math.Pi / 180
	dlat, dlon := (lat2-lat1)*rad, (lon2-lon1)*rad
	a := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 2 * 6371 * math.Asin(math.Min(1, math.Sqrt(a)))
}

// RankCandidates lists the unaccounted missing persons against what is known of the remains:
// sex, stature range, age range, ancestry, and the distance from the recovery place to each loss
// incident. A person drops when a known fact contradicts the remains; unknowns keep them (stated).
// Kept candidates come first, nearest first, then the dropped ones; every decision has its reason.
func RankCandidates(r RemainsProfile, persons []MissingPerson, incidents map[int64]Incident) []ListedCandidate {
	var out []ListedCandidate
	for _, m := range persons {
		if m.Status != StatusUnaccounted {
			continue
		}
		c := ListedCandidate{MissingPerson: m, Kept: true}
		drop := func(format string, args ...any) {
			c.Kept = false
			c.Reasons = append(c.Reasons, "drops: "+fmt.Sprintf(format, args...))
		}
		keep := func(format string, args ...any) {
			c.Reasons = append(c.Reasons, "stays: "+fmt.Sprintf(format, args...))
		}
		switch {
		case r.Sex == "" || m.Sex == "":
			keep("sex not known on both sides")
		case r.Sex != m.Sex:
			drop("sex %s, remains %s", m.Sex, r.Sex)
		default:
			keep("sex %s", m.Sex)
		}
		switch {
		case m.StatureCM == nil || (r.StatureMinCM == nil && r.StatureMaxCM == nil):
			keep("stature not known on both sides")
		case r.StatureMinCM != nil && *m.StatureCM < *r.StatureMinCM, r.StatureMaxCM != nil && *m.StatureCM > *r.StatureMaxCM:
			drop("stature %.0f cm outside the remains' %s", *m.StatureCM, rangeText(r.StatureMinCM, r.StatureMaxCM, "cm"))
		default:
			keep("stature %.0f cm within %s", *m.StatureCM, rangeText(r.StatureMinCM, r.StatureMaxCM, "cm"))
		}
		switch {
		case m.AgeAtLoss == nil || (r.AgeMin == nil && r.AgeMax == nil):
			keep("age not known on both sides")
		case r.AgeMin != nil && *m.AgeAtLoss < *r.AgeMin, r.AgeMax != nil && *m.AgeAtLoss > *r.AgeMax:
			drop("age at loss %d outside the remains' %d-%d", *m.AgeAtLoss, intOr(r.AgeMin, 0), intOr(r.AgeMax, 120))
		default:
			keep("age at loss %d within the estimate", *m.AgeAtLoss)
		}
		if r.Ancestry != "" && m.Ancestry != "" && !strings.EqualFold(r.Ancestry, m.Ancestry) {
			drop("ancestry %s, remains %s", m.Ancestry, r.Ancestry)
		}
		switch {
		case r.IncidentID != nil && m.IncidentID != nil && *r.IncidentID != *m.IncidentID:
			drop("lost in incident %d, the remains come from incident %d", *m.IncidentID, *r.IncidentID)
		case m.IncidentID == nil:
			keep("no loss incident recorded")
		default:
			in, ok := incidents[*m.IncidentID]
			if !ok || in.Coordinates.Lat == nil || r.Recovery.Lat == nil {
				keep("loss place or recovery place without coordinates")
				break
			}
			d := DistanceKM(*r.Recovery.Lat, *r.Recovery.Lon, *in.Coordinates.Lat, *in.Coordinates.Lon)
			c.DistanceKM = &d
			if r.MaxKM > 0 && d > r.MaxKM {
				drop("loss incident %s is %.0f km from the recovery place (limit %.0f)", in.Code, d, r.MaxKM)
			} else {
				keep("loss incident %s %.0f km away", in.Code, d)
			}
		}
		out = append(out, c)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Kept != out[j].Kept {
			return out[i].Kept
		}
		di, dj := math.Inf(1), math.Inf(1)
		if out[i].DistanceKM != nil {
			di = *out[i].DistanceKM
		}
		if out[j].DistanceKM != nil {
			dj = *out[j].DistanceKM
		}
		if di != dj {
			return di < dj
		}
		return out[i].MissingPerson.ID < out[j].MissingPerson.ID
	})
	return out
}

func rangeText(lo, hi *float64, unit string) string {
	switch {
	case lo != nil && hi != nil:
		return fmt.Sprintf("%.0f-%.0f %s", *lo, *hi, unit)
	case lo != nil:
		return fmt.Sprintf("at least %.0f %s", *lo, unit)
	case hi != nil:
		return fmt.Sprintf("at most %.0f %s", *hi, unit)
	}
	return "unknown"
}

func intOr(p *int, d int) int {
	if p == nil {
		return d
	}
	return *p
}

// CandidateList reads every missing person and loss incident through the registry and ranks them
// against the remains (RankCandidates).
func CandidateList(ctx context.Context, reg RegistryService, r RemainsProfile) ([]ListedCandidate, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	persons, err := Collect(Walk(func(p Page) (List[MissingPerson], error) {
		return reg.ListMissingPersons(ctx, MissingPersonFilter{Status: StatusUnaccounted, Page: p})
	}))
	if err != nil {
		return nil, err
	}
	incidents := map[int64]Incident{}
	for in, err := range Walk(func(p Page) (List[Incident], error) { return reg.ListIncidents(ctx, IncidentFilter{Page: p}) }) {
		if err != nil {
			return nil, err
		}
		incidents[in.ID] = in
	}
	return RankCandidates(r, persons, incidents), nil
}

// Validate checks the remains' profile: a known sex value, ranges with their low end below their
// high end, valid coordinates, a radius not below zero.
func (r RemainsProfile) Validate() error {
	if err := validateEnum("remains.sex", r.Sex, Sexes...); err != nil {
		return err
	}
	if r.StatureMinCM != nil && r.StatureMaxCM != nil && *r.StatureMinCM > *r.StatureMaxCM {
		return FieldErrorf("remains.stature_min_cm", "%.0f is above stature_max_cm %.0f", *r.StatureMinCM, *r.StatureMaxCM)
	}
	if r.AgeMin != nil && r.AgeMax != nil && *r.AgeMin > *r.AgeMax {
		return FieldErrorf("remains.age_min", "%d is above age_max %d", *r.AgeMin, *r.AgeMax)
	}
	if r.MaxKM < 0 {
		return FieldErrorf("remains.max_km", "%v is negative", r.MaxKM)
	}
	return r.Recovery.Validate("remains.recovery")
}
