package jobs

import (
	"context"
	"fmt"

	"github.com/homeward/homeward"
	"github.com/riverqueue/river"
)

// VerifyCustodyArgs asks a worker to verify chains of custody: every chain, or those of the
// containers with ids in [FromID, ToID] when ToID > 0 (a shard of a sweep).
type VerifyCustodyArgs struct {
	FromID int64 `json:"from_id,omitempty"`
	ToID   int64 `json:"to_id,omitempty"`
}

func (VerifyCustodyArgs) Kind() string { return "verify_custody" }

// VerifyCustodyResult is recorded as the job's output.
type VerifyCustodyResult struct {
	Checked  int                     `json:"checked"`
	Problems []homeward.ChainProblem `json:"problems"`
	Worker   string                  `json:"worker"`
}

// VerifyCustodyWorker runs VerifyCustodyArgs jobs against the custody service.
type VerifyCustodyWorker struct {
	river.WorkerDefaults[VerifyCustodyArgs]
	Custody homeward.CustodyService
	// Name identifies the process in the recorded output.
	Name string
}

// sweeper is the system identity jobs act under: reading chains needs only read permission.
var sweeper = &homeward.User{Username: "system:jobs", Roles: []homeward.Role{homeward.RoleViewer}}

func (w *VerifyCustodyWorker) Work(ctx context.Context, j *river.Job[VerifyCustodyArgs]) error {
	ctx = homeward.NewContextWithUser(ctx, sweeper)
	res := VerifyCustodyResult{Problems: []homeward.ChainProblem{}, Worker: w.Name}
	if j.Args.ToID == 0 {
		probs, err := w.Custody.VerifyAllCustody(ctx, func(_, total int) { res.Checked = total })
		if err != nil {
			return err
		}
		res.Problems = probs
	} else {
		for id := j.Args.FromID; id <= j.Args.ToID; id++ {
			p, err := w.Custody.VerifyCustody(ctx, id)
			if homeward.ErrorCode(err) == homeward.ENOTFOUND {
				continue
			}
			if err != nil {
				return fmt.Errorf("verify container %d: %w", id, err)
			}
			res.Checked++
			if p != nil {
				res.Problems = append(res.Problems, *p)
			}
		}
	}
	return river.RecordOutput(ctx, res)
}
