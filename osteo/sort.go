package osteo

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"sort"

	"golang.org/x/sync/errgroup"
)

// Bone is one skeletal element of a commingled assemblage, with its measurements by code.
type Bone struct {
	ID      string             `json:"id"`
	Element string             `json:"element"` // "humerus", "femur", ...
	Side    string             `json:"side"`    // "left", "right", or "" for unpaired elements
	Values  map[string]float64 `json:"measurements"`
}

// PairTest configures pair-matching of one element type: the codes compared, the reference sample
// (A = left, B = right) and the options.
type PairTest struct {
	Element   string
	Codes     []string
	Reference []RefPair
	Options   Options
	Source    string // which reference sample, for the report
}

// CrossTest configures a test between two element types of one side: articulation (a t test on
// differences, CodesA[i] against CodesB[i]) or association (regression of log-sums; Options.Alpha
// only).
type CrossTest struct {
	Method             Method // Articulate or Associate
	ElementA, ElementB string
	CodesA, CodesB     []string
	Reference          []RefPair
	Options            Options
	Source             string
}

// Config is the set of tests a sorting runs.
type Config struct {
	Pairs []PairTest
	Cross []CrossTest
}

// Link is the outcome of one test between two bones. A sorting of thousands of bones makes
// millions, so a link is small and holds no pointer: the bones are indexes of the bones sorted (Sorting.BoneID),
// the test an index into Sorting.Tests and the measurements used an index into Sorting.Sets.
type Link struct {
	A, B       int32
	Test       int32
	Set        int32 // −1: the bones share no measurement
	P          float64
	RefN       int32
	Comparable bool
	Excluded   bool
}

// TestInfo describes one test a sorting ran, on one side.
type TestInfo struct {
	Method   Method  `json:"method"`
	ElementA string  `json:"element_a"`
	ElementB string  `json:"element_b"`
	Side     string  `json:"side,omitempty"` // for articulation and association
	Source   string  `json:"reference_source"`
	RefN     int     `json:"reference_individuals"`
	Options  Options `json:"options"`
}

// MeasurementSet is a set of measurements links used, and why its links have no p-value if so.
type MeasurementSet struct {
	Codes  []string `json:"measurements"`
	Reason string   `json:"reason,omitempty"`
}

// ElementMNI is the minimum number of individuals one element type shows: lefts and rights that
// cannot be excluded as pairs are paired as far as possible (a maximum matching), and every
// unpaired bone counts as one person (L + R − pairs).
type ElementMNI struct {
	Element  string `json:"element"`
	Left     int    `json:"left"`
	Right    int    `json:"right"`
	Unsided  int    `json:"unsided"`
	Pairs    int    `json:"possible_pairs"` // pairs in the maximum matching
	BySide   int    `json:"mni_by_side"`    // max(L, R, unsided): the count without measurements
	MNI      int    `json:"mni"`            // L + R − pairs (or unsided)
	Untested int    `json:"untested_pairs"` // left-right pairs not comparable (no shared measurement)
}

// Sorting is the outcome of sorting an assemblage: every link, the MNI by element, the candidate
// groupings and a sampling plan. Groupings are possibilities: bones in one group were not excluded
// from one person by any test that could compare them.
type Sorting struct {
	Bones    int              `json:"bones"`
	Tests    []TestInfo       `json:"tests"`
	Sets     []MeasurementSet `json:"-"`
	Links    []Link           `json:"-"`
	Elements []ElementMNI     `json:"elements"`
	MNI      int              `json:"mni"`
	Groups   []Group          `json:"groups"`
	Plan     []Sample         `json:"sampling_plan"`

	bones []Bone
	index map[string]int32
}

// maxBones bounds one sorting: all 55 boxes of the 2018 turnover hold a few thousand elements.
const maxBones = 50000

// Sort runs every configured test on every applicable pair of bones and groups the results. It
// stops when ctx is cancelled.
func Sort(ctx context.Context, bones []Bone, cfg Config) (*Sorting, error) {
	if len(bones) > maxBones {
		return nil, &FieldError{Field: "bones", Msg: fmt.Sprintf("%d bones; at most %d in one sorting", len(bones), maxBones)}
	}
	seen := map[string]bool{}
	for i, b := range bones {
		if b.ID == "" || seen[b.ID] {
			return nil, &FieldError{Field: fmt.Sprintf("bones[%d].id", i), Msg: fmt.Sprintf("%q is empty or given twice", b.ID)}
		}
		seen[b.ID] = true
		if b.Element == "" || len(b.Element) > 40 {
			return nil, &FieldError{Field: fmt.Sprintf("bones[%d].element", i), Msg: fmt.Sprintf("%q is not an element name", b.Element)}
		}
		if b.Side != "" && b.Side != "left" && b.Side != "right" {
			return nil, &FieldError{Field: fmt.Sprintf("bones[%d].side", i), Msg: fmt.Sprintf("%q is not left, right or empty", b.Side)}
		}
	}
	s := &Sorting{Bones: len(bones), bones: bones, index: map[string]int32{}}
	for i, b := range bones {
		s.index[b.ID] = int32(i)
	}
	if err := s.compare(ctx, groupBones(bones), cfg); err != nil {
		return nil, err
	}
	s.Elements = elementMNI(s, cfg)
	for _, e := range s.Elements {
		s.MNI = max(s.MNI, e.MNI)
	}
	s.Groups, s.Plan = group(s)
	return s, nil
}

type key struct{ element, side string }

func groupBones(bones []Bone) map[key][]Bone {
	out := map[key][]Bone{}
	for _, b := range bones {
		k := key{b.Element, b.Side}
		out[k] = append(out[k], b)
	}
	return out
}

// specimensOf puts bones' measurements in the order of codes (NaN where not measured).
func specimensOf(bones []Bone, codes []string) []Specimen {
	out := make([]Specimen, len(bones))
	for i, b := range bones {
		v := make([]float64, len(codes))
		for j, c := range codes {
			x, ok := b.Values[c]
			if !ok {
				x = math.NaN()
			}
			v[j] = x
		}
		out[i] = Specimen{ID: b.ID, Values: v}
	}
	return out
}

// job is one test over two sets of bones; its links go to s.Links[at : at+len(as)·len(bs)], and
// the measurement sets it meets to its own table, numbered into s.Sets once every job is done.
type job struct {
	test   int32
	at     int
	as, bs []Bone
	run    func(ctx context.Context, as, bs []Bone, emit func(result)) error
	sets   []MeasurementSet
}

// result is what a test says of one pair, before it is made a Link.
type result struct {
	a, b          string
	codes         []string // shared by every result on the same measurements
	reason        string
	p             float64
	refN          int
	comparable, x bool
}

// compare runs every test on every applicable pair of bones, the tests in parallel, each writing
// its links to its own part of s.Links, so that the order does not depend on the scheduling.
func (s *Sorting) compare(ctx context.Context, byType map[key][]Bone, cfg Config) error {
	var jobs []*job
	total := 0
	add := func(t TestInfo, as, bs []Bone, run func(context.Context, []Bone, []Bone, func(result)) error) {
		if len(as) > 0 && len(bs) > 0 {
			s.Tests = append(s.Tests, t)
			jobs = append(jobs, &job{test: int32(len(s.Tests) - 1), at: total, as: as, bs: bs, run: run})
			total += len(as) * len(bs)
		}
	}
	for _, pt := range cfg.Pairs {
		add(TestInfo{Method: PairMatch, ElementA: pt.Element, ElementB: pt.Element, Source: pt.Source, RefN: len(pt.Reference), Options: pt.Options},
			byType[key{pt.Element, "left"}], byType[key{pt.Element, "right"}], pt.links)
	}
	for _, ct := range cfg.Cross {
		for _, side := range []string{"left", "right"} {
			add(TestInfo{Method: ct.Method, ElementA: ct.ElementA, ElementB: ct.ElementB, Side: side, Source: ct.Source, RefN: len(ct.Reference), Options: ct.Options},
				byType[key{ct.ElementA, side}], byType[key{ct.ElementB, side}], ct.links)
		}
	}
	s.Links = make([]Link, total)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for _, j := range jobs {
		g.Go(func() error {
			if err := j.run(gctx, j.as, j.bs, s.emitter(j)); err != nil {
				t := s.Tests[j.test]
				return fmt.Errorf("%s %s-%s: %w", t.Method, t.ElementA, t.ElementB, err)
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	for _, j := range jobs {
		base := int32(len(s.Sets))
		s.Sets = append(s.Sets, j.sets...)
		for i := j.at; i < j.at+len(j.as)*len(j.bs); i++ {
			if s.Links[i].Set >= 0 {
				s.Links[i].Set += base
			}
		}
	}
	return nil
}

// emitter turns a job's results into its links, numbering measurement sets in the job's table.
func (s *Sorting) emitter(j *job) func(result) {
	type setKey struct {
		first  *string
		n      int
		reason string
	}
	sets := map[setKey]int32{}
	i := j.at
	return func(r result) {
		l := Link{A: s.index[r.a], B: s.index[r.b], Test: j.test, Set: -1, P: r.p, RefN: int32(r.refN), Comparable: r.comparable, Excluded: r.x}
		if len(r.codes) > 0 || r.reason != "" {
			k := setKey{n: len(r.codes), reason: r.reason}
			if len(r.codes) > 0 {
				k.first = &r.codes[0]
			}
			id, ok := sets[k]
			if !ok {
				id = int32(len(j.sets))
				j.sets = append(j.sets, MeasurementSet{Codes: r.codes, Reason: r.reason})
				sets[k] = id
			}
			l.Set = id
		}
		s.Links[i] = l
		i++
	}
}

func (pt PairTest) links(ctx context.Context, lefts, rights []Bone, emit func(result)) error {
	t, err := NewDiffTest(pt.Codes, pt.Codes, pt.Reference, pt.Options)
	if err != nil {
		return err
	}
	return t.Each(ctx, specimensOf(lefts, pt.Codes), specimensOf(rights, pt.Codes), diffResult(emit))
}

func diffResult(emit func(result)) func(Comparison) {
	return func(c Comparison) {
		emit(result{a: c.A, b: c.B, codes: c.Codes, reason: c.Reason, p: c.P, refN: c.RefN, comparable: c.Comparable, x: c.Excluded})
	}
}

func (ct CrossTest) links(ctx context.Context, as, bs []Bone, emit func(result)) error {
	sa, sb := specimensOf(as, ct.CodesA), specimensOf(bs, ct.CodesB)
	if ct.Method == Articulate {
		t, err := NewDiffTest(ct.CodesA, ct.CodesB, ct.Reference, ct.Options)
		if err != nil {
			return err
		}
		return t.Each(ctx, sa, sb, diffResult(emit))
	}
	if ct.Method != Associate {
		return &FieldError{Field: "method", Msg: fmt.Sprintf("%q is not articulation or association", ct.Method)}
	}
	a, err := NewAssociation(ct.CodesA, ct.CodesB, ct.Reference, ct.Options.Alpha)
	if err != nil {
		return err
	}
	return a.Each(ctx, sa, sb, func(r AssociationResult) {
		emit(result{a: r.A, b: r.B, codes: r.Codes, reason: r.Reason, p: r.P, refN: r.RefN, comparable: r.Comparable, x: r.Excluded})
	})
}

// elementMNI counts each element type's bones by side and pairs them by a maximum matching over
// the pair-matching links that do not exclude. An element type without a pair-matching test can
// pair any left with any right: min(L, R) pairs.
func elementMNI(s *Sorting, cfg Config) []ElementMNI {
	byElement := map[string]*ElementMNI{}
	slot := make([]int, len(s.bones)) // a bone's index among its element's lefts or rights
	rights := map[string]int{}
	for i, b := range s.bones {
		e := byElement[b.Element]
		if e == nil {
			e = &ElementMNI{Element: b.Element}
			byElement[b.Element] = e
		}
		switch b.Side {
		case "left":
			slot[i] = e.Left
			e.Left++
		case "right":
			slot[i] = e.Right
			e.Right++
		default:
			e.Unsided++
		}
		rights[b.Element] = e.Right
	}
	var open []ranked // pairs not excluded, strongest first; an untested pair is a possible pair
	for i, l := range s.Links {
		if s.Tests[l.Test].Method != PairMatch {
			continue
		}
		if !l.Comparable {
			byElement[s.bones[l.A].Element].Untested++
		}
		if !l.Excluded {
			open = append(open, ranked{l.P, int32(i)})
		}
	}
	sortRanked(open)
	adj := map[string][][]int{}
	for _, r := range open {
		l := s.Links[r.i]
		el := s.bones[l.A].Element
		if adj[el] == nil {
			adj[el] = make([][]int, byElement[el].Left)
		}
		adj[el][slot[l.A]] = append(adj[el][slot[l.A]], slot[l.B])
	}
	tested := map[string]bool{}
	for _, pt := range cfg.Pairs {
		tested[pt.Element] = true
	}
	var out []ElementMNI
	for name, e := range byElement {
		if !tested[name] {
			e.Pairs = min(e.Left, e.Right)
		} else if adj[name] != nil {
			for _, v := range maxMatching(adj[name], rights[name]) {
				if v >= 0 {
					e.Pairs++
				}
			}
		}
		e.BySide = max(e.Left, e.Right, e.Unsided)
		e.MNI = max(e.Left+e.Right-e.Pairs, e.Unsided)
		out = append(out, *e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Element < out[j].Element })
	return out
}

// BoneID names bone i of a link.
func (s *Sorting) BoneID(i int32) string { return s.bones[i].ID }

// LinkReport is a link as a report shows it, with names.
type LinkReport struct {
	A            string   `json:"a"`
	B            string   `json:"b"`
	Method       Method   `json:"method"`
	Side         string   `json:"side,omitempty"`
	Comparable   bool     `json:"comparable"`
	Excluded     bool     `json:"excluded"`
	P            *float64 `json:"p_value,omitempty"`
	RefN         int      `json:"ref_n"`
	Source       string   `json:"reference_source,omitempty"`
	Measurements []string `json:"measurements,omitempty"`
	Reason       string   `json:"reason,omitempty"`
}

// Report gives link i with names.
func (s *Sorting) Report(i int) LinkReport {
	l := s.Links[i]
	t := s.Tests[l.Test]
	r := LinkReport{A: s.BoneID(l.A), B: s.BoneID(l.B), Method: t.Method, Side: t.Side, Comparable: l.Comparable, Excluded: l.Excluded,
		RefN: int(l.RefN), Source: t.Source}
	if l.Comparable {
		p := l.P
		r.P = &p
	}
	if l.Set >= 0 {
		r.Measurements, r.Reason = s.Sets[l.Set].Codes, s.Sets[l.Set].Reason
	}
	return r
}
