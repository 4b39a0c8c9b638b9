// Package idreport assembles what an identification report says (the person, the remains, every
// evidence line with its figures, the DNA result recomputed from its stored inputs marker by marker,
// the pedigree, the reviews, the family's notification and the disposition) and renders it: as a
// PDF for the file and the review board, and as a plain-language summary for the family. It reads
// through the homeward service interfaces only.
package idreport

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/casebuild"
	"github.com/homeward/homeward/dvi"
	"github.com/homeward/homeward/kinship"
)

// Sources are the services a report reads.
type Sources struct {
	Registry   homeward.RegistryService
	Containers homeward.ContainerService
	DNA        homeward.DNAService
	Idents     homeward.IdentificationService
	Family     homeward.FamilyService // optional: notifications and disposition
}

// Report is everything an identification report shows.
type Report struct {
	// Lang is the language Write gives the report's own words and the family summary in ("ko";
	// else English); records, names and figures are as they are.
	Lang           string                   `json:"-"`
	Generated      time.Time                `json:"generated"`
	GeneratedBy    string                   `json:"generated_by"`
	Identification *homeward.Identification `json:"identification"`
	Person         *homeward.MissingPerson  `json:"person"`
	Incident       *homeward.Incident       `json:"incident,omitempty"`
	Remains        []Remains                `json:"remains"`
	Evidence       []Line                   `json:"evidence"`
	Relatives      []homeward.FamilyMember  `json:"relatives,omitempty"`
	Notifications  []homeward.Notification  `json:"notifications,omitempty"`
	Disposition    *homeward.Disposition    `json:"disposition,omitempty"`
	// Warnings are what a reader must know before relying on the report: stale evidence, a DNA
	// line whose recomputed LR differs from the recorded one, an identification not approved.
	Warnings []string   `json:"warnings,omitempty"`
	warnings []sentence // the same, to be written in another language (WarningsIn)
}

// Remains is one victim profile or specimen of the remains.
type Remains struct {
	Sample    string `json:"sample,omitempty"`
	Specimen  string `json:"specimen,omitempty"`
	Element   string `json:"element,omitempty"`
	Container string `json:"container,omitempty"`
}

// Line is an evidence line with, for a DNA line with stored inputs, its recomputation.
type Line struct {
	homeward.EvidenceLine
	DNA *DNADetail `json:"dna,omitempty"`
}

// DNADetail is an autosomal DNA line recomputed from the stored victim profile, reference family
// and frequency database it names.
type DNADetail struct {
	Victim      string `json:"victim"`
	Family      string `json:"family"`
	Target      string `json:"target"`
	FrequencyDB string `json:"frequency_db"`
	// Relatives are the typed family members, with their relationship to the missing person.
	Relatives []Relative     `json:"relatives"`
	Markers   []dvi.MarkerLR `json:"markers"`
	// LR is the product of the marker LRs; Agrees says it equals the recorded LR to 1e-6
	// (relative).
	LR       float64  `json:"lr"`
	Recorded *float64 `json:"recorded_lr,omitempty"` // the evidence line's LR, when there is one
	Agrees   bool     `json:"agrees"`
	Error    string   `json:"error,omitempty"` // why it could not be recomputed

	pedigree *kinship.Pedigree
	typed    map[string]bool
}

// Relative is a typed member of a reference family.
type Relative struct {
	ID       string `json:"id"`
	Relation string `json:"relation"`
}

// Gather reads the identification and everything its report shows.
func Gather(ctx context.Context, src Sources, id int64, by string, now time.Time) (*Report, error) {
	x, err := src.Idents.GetIdentification(ctx, id)
	if err != nil {
		return nil, err
	}
	r := &Report{Generated: now.UTC(), GeneratedBy: by, Identification: x}
	if r.Person, err = src.Registry.GetMissingPerson(ctx, x.MissingPersonID); err != nil {
		return nil, fmt.Errorf("identification %d: missing person %d: %w", id, x.MissingPersonID, err)
	}
	if r.Person.IncidentID != nil {
		if r.Incident, err = src.Registry.GetIncident(ctx, *r.Person.IncidentID); err != nil {
			return nil, fmt.Errorf("identification %d: incident %d: %w", id, *r.Person.IncidentID, err)
		}
	}
	rel, err := src.Registry.ListFamilyMembers(ctx, x.MissingPersonID, homeward.Page{Limit: 1000})
	if err != nil {
		return nil, err
	}
	r.Relatives = rel.Items
	if err := r.gatherRemains(ctx, src); err != nil {
		return nil, err
	}
	lines, err := src.Idents.ListEvidence(ctx, id)
	if err != nil {
		return nil, err
	}
	for _, e := range lines {
		l := Line{EvidenceLine: e}
		if e.Stale {
			r.warn("Evidence line %d (%s) is stale: an input changed after it was computed.", e.ID, e.Kind)
		}
		if e.Kind == homeward.EvidenceAutosomalDNA {
			l.DNA = recompute(ctx, src.DNA, e)
			if l.DNA != nil && l.DNA.Error == "" && !l.DNA.Agrees {
				r.warn("Evidence line %d: the LR recomputed from its stored inputs (%s) differs from the recorded LR (%s).", e.ID, FormatLR(l.DNA.LR), FormatLR(deref(e.LR)))
			}
		}
		r.Evidence = append(r.Evidence, l)
	}
	if src.Family != nil {
		if r.Notifications, err = src.Family.ListNotifications(ctx, id); err != nil {
			return nil, err
		}
		d, err := src.Family.GetDisposition(ctx, id)
		if err != nil && homeward.ErrorCode(err) != homeward.ENOTFOUND {
			return nil, err
		}
		r.Disposition = d
	}
	if x.Status != homeward.IdentApproved {
		r.warn("This identification is %s, not approved.", x.Status)
		// The status comes first.
		r.Warnings = append(r.Warnings[len(r.Warnings)-1:], r.Warnings[:len(r.Warnings)-1]...)
		r.warnings = append(r.warnings[len(r.warnings)-1:], r.warnings[:len(r.warnings)-1]...)
	}
	return r, nil
}

func (r *Report) gatherRemains(ctx context.Context, src Sources) error {
	x := r.Identification
	seen := map[int64]bool{}
	specimen := func(id int64) (Remains, error) {
		s, err := src.Containers.GetSpecimen(ctx, id)
		if err != nil {
			return Remains{}, fmt.Errorf("identification %d: specimen %d: %w", x.ID, id, err)
		}
		out := Remains{Specimen: s.Code, Element: s.Element}
		if s.Side == homeward.SideLeft || s.Side == homeward.SideRight {
			out.Element += " (" + string(s.Side) + ")"
		}
		if c, err := src.Containers.GetContainer(ctx, s.ContainerID); err == nil {
			out.Container = c.Accession
		}
		seen[id] = true
		return out, nil
	}
	for _, pid := range x.ProfileIDs {
		p, err := src.DNA.GetProfile(ctx, pid)
		if err != nil {
			return fmt.Errorf("identification %d: profile %d: %w", x.ID, pid, err)
		}
		rm := Remains{Sample: p.Sample}
		if p.SpecimenID != nil {
			s, err := specimen(*p.SpecimenID)
			if err != nil {
				return err
			}
			s.Sample = p.Sample
			rm = s
		}
		r.Remains = append(r.Remains, rm)
	}
	for _, sid := range x.SpecimenIDs {
		if seen[sid] {
			continue
		}
		s, err := specimen(sid)
		if err != nil {
			return err
		}
		r.Remains = append(r.Remains, s)
	}
	return nil
}

// recompute rebuilds a DNA line's result from its stored inputs: the victim profile placed as the
// family's missing person against unrelated, marker by marker. Lines without a profile and a
// family among their inputs give nil.
func recompute(ctx context.Context, dna homeward.DNAService, e homeward.EvidenceLine) *DNADetail {
	var profileID, familyID int64
	db := "nist-all"
	for _, in := range e.Inputs {
		switch in.Kind {
		case "profile":
			profileID = in.ID
		case "reference_family":
			familyID = in.ID
		case "frequency_db":
			db = in.Name
		}
	}
	if profileID == 0 || familyID == 0 {
		return nil
	}
	p, err := dna.GetProfile(ctx, profileID)
	if err != nil {
		return &DNADetail{FrequencyDB: db, Error: homeward.ErrorMessage(err)}
	}
	f, err := dna.GetReferenceFamily(ctx, familyID)
	if err != nil {
		return &DNADetail{FrequencyDB: db, Error: homeward.ErrorMessage(err)}
	}
	d := Pairing(ctx, dna, p, f, db)
	d.Recorded = e.LR
	d.Agrees = d.Error == "" && e.LR != nil && (*e.LR == d.LR || math.Abs(d.LR-*e.LR) <= 1e-6*math.Abs(*e.LR))
	return d
}

// Pairing computes the LR of "victim profile p is family f's missing person" against unrelated,
// marker by marker, with the frequency database named (NAME, NAME@V or a shipped name). Problems
// are reported in the result's Error.
func Pairing(ctx context.Context, dna homeward.DNAService, p *homeward.Profile, f *homeward.ReferenceFamily, db string) *DNADetail {
	d := &DNADetail{FrequencyDB: db, Victim: p.Sample, Family: f.Name, Target: f.Target}
	fail := func(err error) *DNADetail {
		d.Error = homeward.ErrorMessage(err)
		return d
	}
	var err error
	if d.pedigree, d.typed, err = casebuild.Pedigree(f); err != nil {
		return fail(err)
	}
	for _, m := range f.Members {
		if m.ProfileID == nil {
			continue
		}
		rel, err := d.pedigree.Describe(f.Target, m.ID)
		if err != nil {
			return fail(err)
		}
		d.Relatives = append(d.Relatives, Relative{ID: m.ID, Relation: rel})
	}
	c, _, err := casebuild.Build(ctx, dna, casebuild.Selection{Name: "pairing", Victims: []string{p.Sample}, Families: []string{f.Name}, FrequencyDB: db})
	if err != nil {
		return fail(err)
	}
	// The case names the database version it resolved (NAME@V) in its description.
	if _, label, ok := strings.Cut(c.Description, "(frequencies: "); ok {
		d.FrequencyDB = strings.TrimSuffix(label, ")")
	}
	prob, err := dvi.NewProblem(c)
	if err != nil {
		return fail(err)
	}
	rows, err := prob.MarkerLRs(p.Sample, f.Name+"/"+f.Target)
	if err != nil {
		return fail(err)
	}
	d.LR = 1
	for i := range rows {
		// Reference ids back to the family's own names.
		refs := map[string]string{}
		for k, v := range rows[i].References {
			refs[strings.TrimPrefix(k, f.Name+"/")] = v
		}
		rows[i].References = refs
		d.LR *= rows[i].LR
	}
	d.Markers = rows
	return d
}

func deref(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

// FormatLR writes a likelihood ratio for a report: four significant digits, in scientific notation
// from 10^6 (3.215e+09), "not computed" for a missing value.
func FormatLR(x float64) string {
	switch {
	case math.IsNaN(x):
		return "not computed"
	case x != 0 && (math.Abs(x) >= 1e6 || math.Abs(x) < 1e-3):
		return fmt.Sprintf("%.4g", x)
	default:
		return trimZeros(fmt.Sprintf("%.4f", x))
	}
}

func trimZeros(s string) string {
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// PedigreeSVG draws the family as SVG (kinship.Pedigree.SVG: ids escaped), typed members filled and
// the missing person marked; "" when there is no pedigree.
func (d *DNADetail) PedigreeSVG() string {
	if d == nil || d.pedigree == nil {
		return ""
	}
	return d.pedigree.SVG(d.typed, map[string]bool{d.Target: true})
}

// ReferenceIDs are the typed relatives' ids in order, the columns of the marker table.
func (d *DNADetail) ReferenceIDs() []string {
	var out []string
	for _, r := range d.Relatives {
		out = append(out, r.ID)
	}
	sort.Strings(out)
	return out
}

// sentence is a report sentence as its English format and values.
type sentence struct {
	format string
	args   []any
}

// warn adds a warning, kept both written in English and as its format and values.
func (r *Report) warn(format string, args ...any) {
	r.warnings = append(r.warnings, sentence{format, args})
	r.Warnings = append(r.Warnings, (&doc{}).say(format, args...))
}

// WarningsIn is the warnings in a language ("ko"; else English).
func (r *Report) WarningsIn(lang string) []string {
	if lang != "ko" || len(r.warnings) != len(r.Warnings) {
		return r.Warnings
	}
	d := &doc{lang: lang}
	out := make([]string, len(r.warnings))
	for i, w := range r.warnings {
		out[i] = d.say(w.format, w.args...)
	}
	return out
}
