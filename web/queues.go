package web

import (
	"context"

	"github.com/homeward/homeward"
)

// Queues is each role's work waiting on the start page, each item linking to where it is done.
type Queues struct {
	// AwaitingReceipt: containers registered that no one has received yet (custodians; the first
	// 50 of the dashboard's scan).
	AwaitingReceipt []homeward.Container
	// Drafts: the user's own identifications that are drafts or came back from review (authors).
	Drafts []homeward.Identification
	// ToNotify: approved identifications whose family has not been told yet (family liaison).
	ToNotify []homeward.Identification
}

// fillQueues reads the queues of the roles the user has (the custodian's comes with the
// dashboard's one pass over the containers).
func (h *Handler) fillQueues(ctx context.Context, u *homeward.User, d *dashboardData) {
	if d.Analyst {
		for _, st := range []homeward.IdentStatus{homeward.IdentReturned, homeward.IdentDraft} {
			if l, err := h.cfg.Idents.ListIdentifications(ctx, st, homeward.Page{Limit: 200}); err == nil {
				for _, x := range l.Items {
					if x.Author == u.Username {
						d.Drafts = append(d.Drafts, x)
					}
				}
			}
		}
	}
	if homeward.Require(ctx, homeward.PermFamilyWrite) == nil && h.cfg.Families != nil {
		if l, err := h.cfg.Idents.ListIdentifications(ctx, homeward.IdentApproved, homeward.Page{Limit: 200}); err == nil {
			for _, x := range l.Items {
				if ns, err := h.cfg.Families.ListNotifications(ctx, x.ID); err == nil && len(ns) == 0 {
					d.ToNotify = append(d.ToNotify, x)
				}
			}
		}
	}
}
