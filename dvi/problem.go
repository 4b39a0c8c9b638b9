package dvi

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"runtime"
	"slices"
	"sort"
	"strings"

	"github.com/homeward/homeward/kinship"
	"github.com/homeward/homeward/labfmt/casejson"
	"golang.org/x/sync/errgroup"
)

// Victim is a post-mortem sample.
type Victim struct {
	ID  string `json:"id"`
	Sex int    `json:"sex"`
}

// Family is a reference pedigree holding one or more missing persons and typed relatives.
type Family struct {
	Name string
	Ped  *kinship.Pedigree
}

// Problem is a DVI problem: victims, families, and which victim may be which missing person.
type Problem struct {
	Markers  []*kinship.Marker
	Victims  []Victim
	Families []Family
	Missing  []string
	familyOf map[string]int // missing id -> family index
	// Genos holds per marker the genotypes of victims and references.
	Genos []map[string]kinship.Genotype
	// Obs holds per marker what degraded victims' samples showed (victim -> observation); a
	// victim has either a genotype or an observation at a marker.
	Obs []map[string]kinship.Observation
	// Pairings lists for each victim the admissible missing persons ("*" = nobody).
	Pairings map[string][]string
	// Prior weights pairings from non-DNA evidence (the case's optional "prior"); nil is flat.
	Prior Prior

	// ctx stops long computations (nil: never): checked before every family likelihood computed
	// (each takes milliseconds) and every 256 joint assignments.
	ctx context.Context

	famCache map[string]float64
	// memo holds per marker the family terms already computed (see memoKey).
	memo     []markerMemo
	vicCache map[string]float64
	// noMutation marks families computed without mutation models (dvir's default for families
	// whose reference data need none).
	noMutation map[int]bool
	// fixed holds identifications already made (missing id -> victim id): the victim's data sit in
	// the family as reference data.
	fixed map[string]string
	// undisputedVictims are left out of LR0 while a joint step after the undisputed one runs.
	undisputedVictims map[string]bool
}

// CaseFile is the DVI form of a homeward/case/v1 file (docs: ../shared/docs/formats/case-json.md).
type CaseFile struct {
	Schema      string                         `json:"schema,omitempty"`
	Type        string                         `json:"type"`
	Name        string                         `json:"case"`
	Description string                         `json:"description,omitempty"`
	Markers     []casejson.MarkerJSON          `json:"markers"`
	Victims     []Victim                       `json:"victims"`
	Families    []CaseFamily                   `json:"families"`
	Missing     []string                       `json:"missing"`
	References  []string                       `json:"references"`
	Genotypes   map[string]map[string][]string `json:"genotypes"`
	Pairings    map[string][]string            `json:"pairings"`
	Prior       Prior                          `json:"prior,omitempty"`
	// Extensions, AlleleObservations and Dropout are the case format's extensions: victims seen
	// only through degraded samples (allele sets under relMix's dropout model), X markers.
	Extensions         []string                       `json:"extensions,omitempty"`
	AlleleObservations map[string]map[string][]string `json:"allele_observations,omitempty"`
	Dropout            *casejson.DropoutJSON          `json:"dropout,omitempty"`
}

// CaseFamily is one reference family of a case file.
type CaseFamily struct {
	Name        string                `json:"name"`
	Individuals []casejson.PersonJSON `json:"individuals"`
}

// ReadProblem decodes the DVI form of a homeward/case/v1 file. Errors name the sample, family or
// marker.
func ReadProblem(r io.Reader) (*Problem, error) {
	var j CaseFile
	if err := json.NewDecoder(r).Decode(&j); err != nil {
		return nil, fmt.Errorf("dvi case: %w", err)
	}
	return NewProblem(&j)
}

// NewProblem checks a decoded case file (from JSON or another format's reader) and builds the
// problem. Errors name the sample, family or marker.
func NewProblem(cf *CaseFile) (*Problem, error) {
	j := *cf
	if j.Type != "dvi" {
		return nil, fmt.Errorf("dvi case %s: type %q is not dvi", j.Name, j.Type)
	}
	c := casejson.Case{Name: j.Name, Markers: j.Markers, Genotypes: j.Genotypes, Extensions: j.Extensions,
		AlleleObservations: j.AlleleObservations, Dropout: j.Dropout}
	if err := c.CheckExtensions(); err != nil {
		return nil, err
	}
	markers, err := c.KinshipMarkers()
	if err != nil {
		return nil, err
	}
	for id := range j.AlleleObservations {
		if !slices.ContainsFunc(j.Victims, func(v Victim) bool { return v.ID == id }) {
			return nil, fmt.Errorf("dvi case %s: allele_observations of %s: only victims may be seen through degraded samples (references are typed)", j.Name, id)
		}
	}
	obs, err := c.Observations(markers)
	if err != nil {
		return nil, err
	}
	p := &Problem{Markers: markers, Victims: j.Victims, Missing: j.Missing, familyOf: map[string]int{}, Pairings: j.Pairings, Prior: j.Prior,
		Obs: obs, famCache: map[string]float64{}, vicCache: map[string]float64{}, memo: make([]markerMemo, len(markers))}
	if err := p.families(&j); err != nil {
		return nil, err
	}
	if err := p.missingFamilies(&j); err != nil {
		return nil, err
	}
	if err := p.genotypes(&j); err != nil {
		return nil, err
	}
	p.defaultPairings()
	return p, nil
}

// families builds each family's pedigree, refusing an id a victim, a typed person or a missing
// person shares with another.
func (p *Problem) families(j *CaseFile) error {
	ids := map[string]string{}
	for _, v := range j.Victims {
		if ids[v.ID] != "" {
			return fmt.Errorf("dvi case %s: victim %s is listed twice", j.Name, v.ID)
		}
		ids[v.ID] = "victim"
	}
	for _, f := range j.Families {
		for _, pj := range f.Individuals {
			// Ids are local to a family, so untyped connecting relatives may share names
			// ("Father") across families; a typed person or a missing person may not, nor may
			// anyone share a victim's id.
			if prev := ids[pj.ID]; prev != "" {
				_, typed := j.Genotypes[pj.ID]
				if prev == "victim" || typed || slices.Contains(j.Missing, pj.ID) {
					return fmt.Errorf("dvi case %s: family %s: %s is already used (as a %s)", j.Name, f.Name, pj.ID, prev)
				}
			}
			ids[pj.ID] = "family member"
		}
		ped, err := kinship.NewPedigree(casejson.People(f.Individuals))
		if err != nil {
			return fmt.Errorf("dvi case %s: family %s: %w", j.Name, f.Name, err)
		}
		p.Families = append(p.Families, Family{Name: f.Name, Ped: ped})
	}
	return nil
}

// missingFamilies finds each missing person's family; every family must hold one.
func (p *Problem) missingFamilies(j *CaseFile) error {
	for _, m := range j.Missing {
		found := -1
		for fi, f := range p.Families {
			if f.Ped.Index(m) >= 0 {
				found = fi
			}
		}
		if found < 0 {
			return fmt.Errorf("dvi case %s: missing person %s is in no family", j.Name, m)
		}
		p.familyOf[m] = found
	}
	for fi, f := range p.Families {
		has := false
		for _, fidx := range p.familyOf {
			has = has || fidx == fi
		}
		if !has {
			return fmt.Errorf("dvi case %s: family %s holds no missing person", j.Name, f.Name)
		}
	}
	return nil
}

// genotypes reads every typed person's genotypes as allele indexes of the case's markers.
func (p *Problem) genotypes(j *CaseFile) error {
	markers := p.Markers
	p.Genos = make([]map[string]kinship.Genotype, len(markers))
	for i := range p.Genos {
		p.Genos[i] = map[string]kinship.Genotype{}
	}
	for id, byMarker := range j.Genotypes {
		for mk, al := range byMarker {
			mi := -1
			for i, m := range markers {
				if m.Name == mk {
					mi = i
				}
			}
			if mi < 0 {
				return fmt.Errorf("dvi case %s: sample %s is typed at marker %s, which the case does not define", j.Name, id, mk)
			}
			if len(al) != 2 {
				return fmt.Errorf("dvi case %s: sample %s marker %s: %d alleles, want 2", j.Name, id, mk, len(al))
			}
			var g kinship.Genotype
			for k, a := range al {
				if g[k] = markers[mi].AlleleIndex(a); g[k] < 0 {
					return fmt.Errorf("dvi case %s: sample %s marker %s: allele %s is not in the frequency database", j.Name, id, mk, a)
				}
			}
			p.Genos[mi][id] = g
		}
	}
	return nil
}

// defaultPairings lets a victim without stated pairings pair with any missing person of
// compatible sex (unknown sex on either side is compatible), or with no one ("*").
func (p *Problem) defaultPairings() {
	if p.Pairings == nil {
		p.Pairings = map[string][]string{}
	}
	for _, v := range p.Victims {
		if _, ok := p.Pairings[v.ID]; ok {
			continue
		}
		list := []string{"*"}
		for _, m := range p.Missing {
			f := p.Families[p.familyOf[m]].Ped
			ms := f.People[f.Index(m)].Sex
			if v.Sex == 0 || ms == 0 || v.Sex == ms {
				list = append(list, m)
			}
		}
		p.Pairings[v.ID] = list
	}
}

// victimLoglik is the log-likelihood of a victim's data on its own.
func (p *Problem) victimLoglik(v string) (float64, error) {
	if l, ok := p.vicCache[v]; ok {
		return l, nil
	}
	h := p.victimAlone(v)
	total := 0.0
	for mi, m := range p.Markers {
		g := map[string]kinship.Genotype{}
		if x, ok := p.Genos[mi][v]; ok {
			g[v] = x
		}
		l, err := kinship.LikelihoodObserved(h, m, g, p.observedAs(mi, map[string]string{v: v}), 0)
		if err != nil {
			return 0, err
		}
		total += math.Log(l)
	}
	p.vicCache[v] = total
	return total, nil
}

// observedAs returns the observations at marker mi of the victims placed (slot -> victim), under
// the ids of their slots; nil when none was observed.
func (p *Problem) observedAs(mi int, placed map[string]string) map[string]kinship.Observation {
	if p.Obs == nil || len(p.Obs[mi]) == 0 {
		return nil
	}
	var out map[string]kinship.Observation
	for slot, v := range placed {
		if o, ok := p.Obs[mi][v]; ok {
			if out == nil {
				out = map[string]kinship.Observation{}
			}
			out[slot] = o
		}
	}
	return out
}

// WithContext makes the problem's computations stop, with ctx's error, once ctx is done.
func (p *Problem) WithContext(ctx context.Context) *Problem {
	p.ctx = ctx
	return p
}

// stopped returns the context's error once it is done.
func (p *Problem) stopped() error {
	if p.ctx == nil {
		return nil
	}
	if err := p.ctx.Err(); err != nil {
		return fmt.Errorf("dvi: stopped: %w", err)
	}
	return nil
}

// victimAlone is the hypothesis of victim v on its own, with its sex (which X markers need).
func (p *Problem) victimAlone(v string) kinship.Hypothesis {
	sex := 0
	for _, x := range p.Victims {
		if x.ID == v {
			sex = x.Sex
		}
	}
	ped, _ := kinship.NewPedigree([]kinship.Person{{ID: v, Sex: sex}})
	return kinship.Hypothesis{Name: v, Components: []*kinship.Pedigree{ped}}
}

// familyLoglik is the log-likelihood of a family with the given victims placed as its missing
// persons (missing id -> victim id).
func (p *Problem) familyLoglik(fi int, placed map[string]string) (float64, error) {
	return p.familyLoglikWith(fi, placed, true, false)
}

// familyLoglikWith computes a family's log-likelihood with the given victims placed; without refs
// the reference genotypes are left out, so only the placed victims' data (and their relationships
// to each other through the pedigree) count.
//
// With refs, the identifications already fixed in the family count as reference data; with
// stripMutations every marker is computed without its mutation model (as exclusion counts are).
func (p *Problem) familyLoglikWith(fi int, placed map[string]string, refs, stripMutations bool) (float64, error) {
	if refs && len(p.fixed) > 0 {
		placed = p.placedWith(fi, placed)
	}
	noMut := stripMutations || p.noMutation[fi]
	keys := make([]string, 0, len(placed))
	for m, v := range placed {
		keys = append(keys, m+"="+v)
	}
	sort.Strings(keys)
	key := fmt.Sprint(fi, ":", refs, ":", noMut, ":", strings.Join(keys, ","))
	if l, ok := p.famCache[key]; ok {
		return l, nil
	}
	if err := p.stopped(); err != nil {
		return 0, err
	}
	terms := make([]float64, len(p.Markers))
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for mi := range p.Markers {
		g.Go(func() (err error) {
			terms[mi], err = p.familyMarkerLoglik(fi, mi, placed, refs, noMut)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return 0, err
	}
	// Summed in marker order, so the result is the same however the markers were shared out.
	total := 0.0
	for _, l := range terms {
		total += l
	}
	p.famCache[key] = total
	return total, nil
}

// familyMarkerLoglik is one marker's term of familyLoglikWith (placed already merged).
func (p *Problem) familyMarkerLoglik(fi, mi int, placed map[string]string, refs, noMut bool) (float64, error) {
	m := p.Markers[mi]
	if noMut && (m.MutFemale != nil || m.MutMale != nil) {
		m = &kinship.Marker{Name: m.Name, Alleles: m.Alleles, Freqs: m.Freqs, X: m.X}
	}
	key := p.memoKey(fi, mi, placed, refs, noMut)
	memo := &p.memo[mi]
	memo.mu.Lock()
	l, ok := memo.vals[key]
	memo.mu.Unlock()
	if ok {
		return l, nil
	}
	l, err := p.computeMarkerLoglik(fi, mi, m, placed, refs)
	if err != nil {
		return 0, err
	}
	memo.mu.Lock()
	if memo.vals == nil {
		memo.vals = map[string]float64{}
	}
	memo.vals[key] = l
	memo.mu.Unlock()
	return l, nil
}

// computeMarkerLoglik computes familyMarkerLoglik's term.
func (p *Problem) computeMarkerLoglik(fi, mi int, m *kinship.Marker, placed map[string]string, refs bool) (float64, error) {
	f := p.Families[fi]
	h := kinship.Hypothesis{Name: f.Name, Components: []*kinship.Pedigree{f.Ped}}
	g := map[string]kinship.Genotype{}
	if refs {
		for _, pe := range f.Ped.People {
			if x, ok := p.Genos[mi][pe.ID]; ok {
				if _, isMissing := p.familyOf[pe.ID]; !isMissing {
					g[pe.ID] = x
				}
			}
		}
	}
	for ms, v := range placed {
		if x, ok := p.Genos[mi][v]; ok {
			g[ms] = x
		}
	}
	l, err := kinship.LikelihoodObserved(h, m, g, p.observedAs(mi, placed), 0)
	if err != nil {
		return 0, fmt.Errorf("family %s marker %s: %w", f.Name, m.Name, err)
	}
	return math.Log(l), nil
}

// typed reports whether a person has a genotype at some marker.
func (p *Problem) typed(id string) bool {
	for _, g := range p.Genos {
		if _, ok := g[id]; ok {
			return true
		}
	}
	return false
}
