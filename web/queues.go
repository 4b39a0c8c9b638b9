package web

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/homeward/homeward"
)

// Queues is each role's work waiting on the start page, each item linking to where it is done.
type Queues struct {
	// AwaitingReceipt: containers registered that no one has received yet (custodians; the first
	// 50 of the dashboard's scan).
	AwaitingReceipt []homeward.Container
	// Awaiting counts every container awaiting receipt, and AwaitingOps by operation, each
	// linking to its list, where a whole turnover is received at once.
	Awaiting    int
	AwaitingOps []awaitingOp
	// Drafts: the user's own identifications that are drafts or came back from review (authors).
	Drafts []homeward.Identification
	// ToNotify: approved identifications whose family has not been told yet (family liaison).
	ToNotify []homeward.Identification
}

// awaitingOp is how many of an operation's containers await receipt.
type awaitingOp struct {
	ID    int64
	Code  string
	Count int
}

// noteAwaiting counts a container no one has received yet, keeping the first 50 to list.
func (q *Queues) noteAwaiting(c homeward.Container, ops map[int64]int) {
	q.Awaiting++
	if len(q.AwaitingReceipt) < 50 {
		q.AwaitingReceipt = append(q.AwaitingReceipt, c)
	}
	if c.OperationID != nil {
		ops[*c.OperationID]++
	}
}

// nameAwaitingOps lists the operations with containers awaiting receipt, by their codes.
func (h *Handler) nameAwaitingOps(ctx context.Context, q *Queues, ops map[int64]int) {
	for id, n := range ops {
		code := "#" + strconv.FormatInt(id, 10)
		if o, err := h.cfg.Operations.GetOperation(ctx, id); err == nil {
			code = o.Code
		}
		q.AwaitingOps = append(q.AwaitingOps, awaitingOp{ID: id, Code: code, Count: n})
	}
	slices.SortFunc(q.AwaitingOps, func(a, b awaitingOp) int { return strings.Compare(a.Code, b.Code) })
}

// fillQueues reads the queues of the roles the user has (the custodian's comes with the
// dashboard's one pass over the containers).
func (h *Handler) fillQueues(ctx context.Context, u *homeward.User, d *dashboardData) {
	if d.Analyst {
		for _, st := range []homeward.IdentStatus{homeward.IdentReturned, homeward.IdentDraft} {
			if l, err := h.cfg.Idents.ListIdentifications(ctx, homeward.IdentificationFilter{Status: st, Page: homeward.Page{Limit: 200}}); err == nil {
				for _, x := range l.Items {
					if x.Author == u.Username {
						d.Drafts = append(d.Drafts, x)
					}
				}
			}
		}
	}
	if homeward.Require(ctx, homeward.PermFamilyWrite) == nil && h.cfg.Families != nil {
		if l, err := h.cfg.Idents.ListIdentifications(ctx, homeward.IdentificationFilter{Status: homeward.IdentApproved, Page: homeward.Page{Limit: 200}}); err == nil {
			for _, x := range l.Items {
				if ns, err := h.cfg.Families.ListNotifications(ctx, x.ID); err == nil && len(ns) == 0 {
					d.ToNotify = append(d.ToNotify, x)
				}
			}
		}
	}
}
