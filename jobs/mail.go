package jobs

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/mailer"
	"github.com/homeward/homeward/notices"
)

// SendNoticesArgs asks a worker to send the outbox's pending notices. It runs every minute on a
// process with mail configured (SendNoticesPeriodic); River runs a periodic job on one process of
// the cluster at a time (its elected leader), so a notice is not sent twice by two workers.
type SendNoticesArgs struct{}

func (SendNoticesArgs) Kind() string { return "send_notices" }

// SendNoticesWorker sends notices through Sender.
type SendNoticesWorker struct {
	river.WorkerDefaults[SendNoticesArgs]
	Sender *mailer.Sender
	Outbox notices.Outbox
}

// postman is the system identity that marks notices sent.
var postman = &homeward.User{Username: "system:mail", Roles: []homeward.Role{homeward.RoleViewer}}

func (w *SendNoticesWorker) Work(ctx context.Context, _ *river.Job[SendNoticesArgs]) error {
	res, err := w.Sender.SendPending(homeward.NewContextWithUser(ctx, postman), w.Outbox, 200)
	if err != nil {
		return err
	}
	return river.RecordOutput(ctx, res)
}

// SendNoticesPeriodic schedules the sending every interval, and once at start.
func SendNoticesPeriodic(interval time.Duration) *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(interval), func() (river.JobArgs, *river.InsertOpts) {
		return SendNoticesArgs{}, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: interval}}
	}, &river.PeriodicJobOpts{RunOnStart: true})
}
