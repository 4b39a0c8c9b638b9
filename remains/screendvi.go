package remains

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/casebuild"
	"github.com/homeward/homeward/dvi"
)

// JointLimit bounds the joint enumeration of a screen's DVI analysis.
const JointLimit = 100000

// ScreenDVI is a screen's DVI analysis as its page shows it: dviSolve's tables and, when there are
// few enough assignments, the joint analysis's best rows.
type ScreenDVI struct {
	Solution  *dvi.Solution    `json:"solution"`
	Joint     *dvi.JointResult `json:"joint,omitempty"`
	JointNote string           `json:"joint_note,omitempty"`
}

// ScreenCase builds the DVI case of a screen's candidates from the store, and its SHA-256: what an
// analysis was computed from.
func ScreenCase(ctx context.Context, dna homeward.DNAService, sc *homeward.Screen) ([]byte, string, error) {
	c, _, err := casebuild.Build(ctx, dna, casebuild.Selection{Name: sc.Name, ScreenID: sc.ID, FrequencyDB: strings.TrimSuffix(sc.FrequencyDB, " (shipped)")})
	if err != nil {
		return nil, "", err
	}
	b, err := json.Marshal(c)
	if err != nil {
		return nil, "", fmt.Errorf("screen %d case: %w", sc.ID, err)
	}
	sum := sha256.Sum256(b)
	return b, hex.EncodeToString(sum[:]), nil
}

// SolveScreen analyses a screen's case: dviSolve with the default options, and the joint table's
// ten best rows when there are at most JointLimit assignments. It stops when ctx is cancelled.
func SolveScreen(ctx context.Context, caseJSON []byte) (*ScreenDVI, error) {
	p, err := dvi.ReadProblem(bytes.NewReader(caseJSON))
	if err != nil {
		return nil, err
	}
	sol, err := p.WithContext(ctx).Solve(dvi.DefaultSolveOptions())
	if err != nil {
		return nil, err
	}
	out := &ScreenDVI{Solution: sol}
	if n := p.CountAssignments(JointLimit); n > JointLimit {
		out.JointNote = fmt.Sprintf("More than %d assignments: the joint table is left to the pipeline above (homeward dvi solve gives it).", JointLimit)
		return out, nil
	}
	j, err := p.WithContext(ctx).Joint(JointLimit)
	if err != nil {
		out.JointNote = homeward.ErrorMessage(err)
		return out, nil
	}
	if len(j.Rows) > 10 {
		j.Rows = j.Rows[:10]
	}
	out.Joint = j
	return out, nil
}

// AnalyseScreen computes a screen's DVI analysis from the stored case and keeps it
// (AnalyseCase).
func AnalyseScreen(ctx context.Context, dna homeward.DNAService, results homeward.DVIResultService, screenID int64, now func() time.Time) (*homeward.DVIResult, error) {
	sc, err := dna.GetScreen(ctx, screenID)
	if err != nil {
		return nil, err
	}
	caseJSON, hash, err := ScreenCase(ctx, dna, sc)
	if err != nil {
		return nil, err
	}
	return AnalyseCase(ctx, results, screenID, caseJSON, hash, now)
}

// AnalyseCase computes the analysis of a screen's case (built by ScreenCase) and keeps it: done
// with the result, or failed with the reason.
func AnalyseCase(ctx context.Context, results homeward.DVIResultService, screenID int64, caseJSON []byte, hash string, now func() time.Time) (*homeward.DVIResult, error) {
	r := &homeward.DVIResult{ScreenID: screenID, CaseHash: hash, Status: "done"}
	a, err := SolveScreen(ctx, caseJSON)
	if ctx.Err() != nil {
		return nil, ctx.Err() // stopped, not failed: the next run computes it
	}
	if err != nil {
		r.Status, r.Error = "failed", homeward.ErrorMessage(err)
	} else if r.Result, err = json.Marshal(a); err != nil {
		return nil, err
	}
	r.ComputedAt = now()
	return r, results.SaveDVIResult(ctx, r)
}
