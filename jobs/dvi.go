package jobs

import (
	"context"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/remains"
)

// DVIArgs asks for a screen's DVI analysis (remains.AnalyseScreen), kept for its page.
type DVIArgs struct {
	ScreenID int64 `json:"screen_id"`
}

func (DVIArgs) Kind() string { return "screen_dvi" }

// InsertOpts makes the analysis of a screen unique while it is queued or running: views of the
// page while it computes do not queue it again.
func (DVIArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
		rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning, rivertype.JobStateRetryable, rivertype.JobStateScheduled}}}
}

// DVIWorker computes screens' DVI analyses and stores them.
type DVIWorker struct {
	river.WorkerDefaults[DVIArgs]
	DNA     homeward.DNAService
	Results homeward.DVIResultService
}

// Timeout bounds one analysis (the joint step is bounded by remains.JointLimit assignments).
func (w *DVIWorker) Timeout(*river.Job[DVIArgs]) time.Duration { return 10 * time.Minute }

func (w *DVIWorker) Work(ctx context.Context, j *river.Job[DVIArgs]) error {
	ctx = homeward.NewContextWithUser(ctx, &homeward.User{Username: "system:dvi", Roles: []homeward.Role{homeward.RoleViewer}})
	_, err := remains.AnalyseScreen(ctx, w.DNA, w.Results, j.Args.ScreenID, func() time.Time { return time.Now().UTC() })
	return err
}

// QueueDVI queues a screen's analysis.
func (q *Queue) QueueDVI(ctx context.Context, screenID int64) error {
	_, err := q.Insert(ctx, DVIArgs{ScreenID: screenID}, nil)
	return err
}
