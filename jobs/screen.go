package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"sync"

	"github.com/riverqueue/river"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/casebuild"
	"github.com/homeward/homeward/dvi"
	"github.com/homeward/homeward/frequencies"
	"github.com/homeward/homeward/kinship"
	"github.com/homeward/homeward/labfmt/casejson"
	"github.com/homeward/homeward/labfmt/freqdb"
)

// ScreenShardArgs asks a worker to screen one shard of a screen: every victim profile the screen
// covers against the families whose id modulo the screen's shard count is Shard.
type ScreenShardArgs struct {
	ScreenID int64 `json:"screen_id"`
	Shard    int   `json:"shard"`
}

func (ScreenShardArgs) Kind() string { return "screen_shard" }

// InsertOpts makes a shard's job unique while it is queued, running or done, so resuming a screen
// never queues a shard twice.
func (ScreenShardArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// ScreenShardResult is recorded as the job's output.
type ScreenShardResult struct {
	Comparisons int64    `json:"comparisons"`
	Candidates  int      `json:"candidates"`
	Families    int      `json:"families"`
	Profiles    int      `json:"profiles"`
	Problems    []string `json:"problems"`
	Worker      string   `json:"worker"`
}

// screener is the identity shard jobs act under; the audit entry of each shard names the worker.
var screener = &homeward.User{Username: "system:screen", Roles: []homeward.Role{homeward.RoleDNAAnalyst}}

// ScreenWorker runs ScreenShardArgs jobs.
type ScreenWorker struct {
	river.WorkerDefaults[ScreenShardArgs]
	DNA  homeward.DNAService
	Name string

	mu    sync.Mutex
	cache map[int64]*victimSet // per screen: the encoded victim profiles, read once per process
}

type victimSet struct {
	profs    []dvi.EncodedProfile
	samples  map[int64]string
	problems []string
}

// PanelOf decodes a screen's frozen panel.
func PanelOf(sc *homeward.Screen) ([]*kinship.Marker, error) {
	var mj []casejson.MarkerJSON
	if err := json.Unmarshal(sc.Panel, &mj); err != nil {
		return nil, fmt.Errorf("screen %d: panel: %w", sc.ID, err)
	}
	return dvi.PanelMarkers(mj)
}

func (w *ScreenWorker) victims(ctx context.Context, sc *homeward.Screen, panel []*kinship.Marker) (*victimSet, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if v, ok := w.cache[sc.ID]; ok {
		return v, nil
	}
	v := &victimSet{samples: map[int64]string{}}
	enc := dvi.NewEncoder(panel)
	for p, err := range homeward.Profiles(ctx, w.DNA, homeward.ProfileFilter{Role: homeward.ProfileVictim, MaxID: sc.MaxProfileID}) {
		if err != nil {
			return nil, err
		}
		if len(p.Contamination) > 0 {
			v.problems = append(v.problems, fmt.Sprintf("sample %s left out: it matches elimination profile %v (contamination)", p.Sample, p.Contamination))
			continue
		}
		if len(p.Loci) == 0 {
			// Lineage data only (Y-STR, mtDNA): nothing for an autosomal screen, whose LR
			// would be 1 against every family.
			continue
		}
		ep, err := enc.Encode(p.ID, p.Sample, p.Loci)
		if err != nil {
			v.problems = append(v.problems, err.Error())
			continue
		}
		v.profs = append(v.profs, ep)
		v.samples[p.ID] = p.Sample
	}
	if w.cache == nil {
		w.cache = map[int64]*victimSet{}
	}
	w.cache[sc.ID] = v
	return v, nil
}

// ScreenFamily builds a family's screening input from its stored record: the pedigree and the
// typed members' genotypes on the panel.
func ScreenFamily(ctx context.Context, dna homeward.DNAService, panel []*kinship.Marker, f *homeward.ReferenceFamily) (dvi.ScreenFamily, error) {
	return ScreenFamilyOf(panel, f, func(id int64) (*homeward.Profile, error) { return dna.GetProfile(ctx, id) })
}

// ScreenFamilyOf is ScreenFamily with the members' reference profiles looked up by profile (a
// store, or records held in memory).
func ScreenFamilyOf(panel []*kinship.Marker, f *homeward.ReferenceFamily, profile func(id int64) (*homeward.Profile, error)) (dvi.ScreenFamily, error) {
	sf := dvi.ScreenFamily{ID: f.ID, Name: f.Name, Target: f.Target, Genos: make([]map[string]kinship.Genotype, len(panel))}
	ped, _, err := casebuild.Pedigree(f)
	if err != nil {
		return sf, err
	}
	sf.Ped = ped
	for i := range sf.Genos {
		sf.Genos[i] = map[string]kinship.Genotype{}
	}
	enc := dvi.NewEncoder(panel)
	for _, m := range f.Members {
		if m.ProfileID == nil {
			continue
		}
		p, err := profile(*m.ProfileID)
		if err != nil {
			return sf, fmt.Errorf("family %s member %s: %w", f.Name, m.ID, err)
		}
		ep, err := enc.Encode(p.ID, p.Sample, p.Loci)
		if err != nil {
			return sf, fmt.Errorf("family %s member %s: %w", f.Name, m.ID, err)
		}
		for mi, mk := range panel {
			if g, ok := ep.Genotype(mi, len(mk.Alleles)); ok {
				sf.Genos[mi][m.ID] = g
			}
		}
	}
	return sf, nil
}

func (w *ScreenWorker) Work(ctx context.Context, j *river.Job[ScreenShardArgs]) error {
	ctx = homeward.NewContextWithUser(ctx, screener)
	sc, err := w.DNA.GetScreen(ctx, j.Args.ScreenID)
	if err != nil {
		return err
	}
	panel, err := PanelOf(sc)
	if err != nil {
		return river.JobCancel(err) // a broken panel will not mend on retry
	}
	vs, err := w.victims(ctx, sc, panel)
	if err != nil {
		return err
	}
	res := ScreenShardResult{Worker: w.Name, Profiles: len(vs.profs), Problems: append([]string{}, vs.problems...)}
	var tabs []*dvi.FamilyTable
	names := map[int64]string{}
	for f, err := range homeward.ReferenceFamilies(ctx, w.DNA, homeward.FamilyFilter{Shard: j.Args.Shard, Shards: sc.Shards, MaxID: sc.MaxFamilyID}) {
		if err != nil {
			return err
		}
		sf, err := ScreenFamily(ctx, w.DNA, panel, &f)
		if err == nil {
			var t *dvi.FamilyTable
			if t, err = dvi.NewFamilyTable(panel, sf, sc.ExclusionAllowance); err == nil {
				tabs = append(tabs, t)
				names[f.ID] = f.Name
				continue
			}
		}
		res.Problems = append(res.Problems, err.Error())
	}
	res.Families = len(tabs)
	var dropout *kinship.Dropout
	if d := sc.Dropout; d != nil {
		dropout = &kinship.Dropout{DHet: d.DHet, DHom: d.DHom, DropIn: d.DropIn}
	}
	hits, n, err := dvi.Screen(ctx, panel, tabs, vs.profs, sc.Threshold, dropout, nil)
	if err != nil {
		return err
	}
	res.Comparisons, res.Candidates = n, len(hits)
	sr := homeward.ShardResult{ScreenID: sc.ID, Shard: j.Args.Shard, Comparisons: n, Worker: w.Name}
	for _, h := range hits {
		t, p := tabs[h.Family], vs.profs[h.Profile]
		sr.Candidates = append(sr.Candidates, homeward.Candidate{ScreenID: sc.ID, ProfileID: p.ID, FamilyID: t.ID,
			Sample: vs.samples[p.ID], Family: names[t.ID], LR: h.LR, Log10LR: math.Log10(h.LR), Markers: h.Compared, Exclusions: h.Exclusions})
	}
	if err := w.DNA.CompleteShard(ctx, sr); err != nil {
		return err
	}
	if done, err := w.DNA.PendingShards(ctx, sc.ID); err == nil && len(done) == 0 {
		w.mu.Lock()
		delete(w.cache, sc.ID)
		w.mu.Unlock()
	}
	return river.RecordOutput(ctx, res)
}

// StartScreen builds the panel from every stored profile, creates the screen and queues one job
// per shard.
func StartScreen(ctx context.Context, dna homeward.DNAService, q *Queue, r homeward.ScreenRequest) (*homeward.Screen, dvi.PanelReport, error) {
	var rep dvi.PanelReport
	if r.FrequencyDB == "" {
		r.FrequencyDB = "nist-all"
	}
	if r.Threshold == 0 {
		r.Threshold = 1e4
	}
	db, label, minFreq, err := frequencies.Resolve(ctx, dna, r.FrequencyDB)
	if err != nil {
		return nil, rep, err
	}
	if r.MinFreq == 0 {
		r.MinFreq = minFreq
	}
	var loci []map[string][]string
	families := 0
	for p, err := range homeward.Profiles(ctx, dna, homeward.ProfileFilter{}) {
		if err != nil {
			return nil, rep, err
		}
		if p.Role != homeward.ProfileElimination {
			loci = append(loci, p.Loci)
		}
	}
	if fl, err := dna.ListReferenceFamilies(ctx, homeward.FamilyFilter{Page: homeward.Page{Limit: 1}}); err == nil {
		families = fl.Total
	}
	if r.Shards == 0 {
		r.Shards = max(1, (families+499)/500)
	}
	rule := freqdb.MissingAlleleRule{MinFreq: r.MinFreq}
	if r.MinFreq == 0 {
		for _, m := range db.Markers {
			if m.N == 0 {
				rule.MinFreq = 0.001
			}
		}
	}
	panel, rep, err := dvi.BuildPanel(db, loci, rule)
	if err != nil {
		return nil, rep, homeward.FieldErrorf("screen.frequency_db", "%v", err)
	}
	pj, err := json.Marshal(panel)
	if err != nil {
		return nil, rep, err
	}
	sc := &homeward.Screen{Name: r.Name, FrequencyDB: label, Threshold: r.Threshold, Shards: r.Shards,
		ExclusionAllowance: r.ExclusionAllowance, Dropout: r.Dropout, Panel: pj}
	if err := dna.CreateScreen(ctx, sc); err != nil {
		return nil, rep, err
	}
	if _, err := ResumeScreen(ctx, dna, q, sc.ID); err != nil {
		return sc, rep, err
	}
	return sc, rep, nil
}

// ResumeScreen queues a job for every shard of the screen not yet finished (those still queued or
// running are not queued twice) and returns how many shards are pending.
func ResumeScreen(ctx context.Context, dna homeward.DNAService, q *Queue, screenID int64) (int, error) {
	pending, err := dna.PendingShards(ctx, screenID)
	if err != nil {
		return 0, err
	}
	var params []river.InsertManyParams
	for _, k := range pending {
		params = append(params, river.InsertManyParams{Args: ScreenShardArgs{ScreenID: screenID, Shard: k}})
	}
	if len(params) == 0 {
		return 0, nil
	}
	// Unique inserts go one by one (River skips a duplicate instead of failing).
	for _, p := range params {
		if _, err := q.Insert(ctx, p.Args, nil); err != nil {
			return 0, err
		}
	}
	return len(pending), nil
}

// Screens starts and resumes screens on a queue (for the HTTP API).
type Screens struct {
	DNA   homeward.DNAService
	Queue *Queue
}

// StartScreen starts a screen; the panel report's additions and unknown markers are returned
// with it.
func (s Screens) StartScreen(ctx context.Context, r homeward.ScreenRequest) (*homeward.Screen, any, error) {
	sc, rep, err := StartScreen(ctx, s.DNA, s.Queue, r)
	return sc, rep, err
}

// QueueDVI queues a screen's DVI analysis (DVIWorker).
func (s Screens) QueueDVI(ctx context.Context, screenID int64) error {
	return s.Queue.QueueDVI(ctx, screenID)
}

// ResumeScreen queues a screen's pending shards.
func (s Screens) ResumeScreen(ctx context.Context, id int64) (int, error) {
	return ResumeScreen(ctx, s.DNA, s.Queue, id)
}
