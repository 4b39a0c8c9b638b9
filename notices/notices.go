// Package notices decides who the identification workflow tells of a change by e-mail, and writes
// each notice in its recipient's language (English or Korean). A notice carries no record's
// content — no name, summary or comment, only the identification's number, its stage, who acted
// and where to read it — because e-mail leaves the system: the reader signs in to see the rest.
// It imports no storage, HTTP or mail code.
package notices

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/homeward/homeward"
)

// Event is the kind of change a notice tells of.
type Event string

const (
	AwaitsReview Event = "awaits_review" // submitted, or approved at a stage with another to come
	Returned     Event = "returned"      // returned to its author
	Approved     Event = "approved"      // approved at its last stage
	Withdrawn    Event = "withdrawn"     // an approved identification withdrawn
)

// Events are the kinds of notice, for validation.
var Events = []Event{AwaitsReview, Returned, Approved, Withdrawn}

// Notice is one notice to one user, as the outbox keeps it until it is sent.
type Notice struct {
	ID               int64             `json:"id"`
	Username         string            `json:"username"`
	Address          string            `json:"address"`
	Lang             homeward.Language `json:"lang"`
	Event            Event             `json:"event"`
	IdentificationID int64             `json:"identification_id"`
	Stage            string            `json:"stage"`
	Actor            string            `json:"actor"` // who made the change
}

// EventOf is the event the identification's last change is, and whether it is one notices tell of.
func EventOf(x *homeward.Identification) (Event, bool) {
	switch x.Status {
	case homeward.IdentInReview:
		return AwaitsReview, true
	case homeward.IdentReturned:
		return Returned, true
	case homeward.IdentApproved:
		return Approved, true
	case homeward.IdentWithdrawn:
		return Withdrawn, true
	}
	return "", false
}

// For is the notices of the identification's last change, by actor, to the users it concerns who
// have an e-mail address and may sign in: the reviewers who may decide its new stage; the author
// when it is returned; the author and the family liaison officers when it is approved or
// withdrawn. The actor is not told of their own change.
func For(x *homeward.Identification, actor string, users []homeward.User) []Notice {
	ev, ok := EventOf(x)
	if !ok {
		return nil
	}
	var out []Notice
	for i := range users {
		u := &users[i]
		if u.Email == "" || u.Disabled || u.Username == actor || !concerned(ev, x, u) {
			continue
		}
		out = append(out, Notice{Username: u.Username, Address: u.Email, Lang: u.Language, Event: ev,
			IdentificationID: x.ID, Stage: stageOf(ev, x), Actor: actor})
	}
	return out
}

func concerned(ev Event, x *homeward.Identification, u *homeward.User) bool {
	switch ev {
	case AwaitsReview:
		return x.MayReview(u)
	case Returned:
		return u.Username == x.Author
	default:
		return u.Username == x.Author || slices.Contains(u.Roles, homeward.RoleLiaison)
	}
}

// stageOf is the stage a notice names: the one awaiting review, or the one decided last.
func stageOf(ev Event, x *homeward.Identification) string {
	if ev == AwaitsReview {
		return x.CurrentStage()
	}
	for i := len(x.History) - 1; i >= 0; i-- {
		if s := x.History[i].Stage; s != "" {
			return s
		}
	}
	return ""
}

// Validate checks a notice read back from the outbox.
func (n *Notice) Validate() error {
	if !slices.Contains(Events, n.Event) {
		return fmt.Errorf("notice %d: %q is not a notice event", n.ID, n.Event)
	}
	return nil
}

// Entry is a notice as the outbox lists it for administrators.
type Entry struct {
	Notice
	Subject   string     `json:"subject,omitempty"` // as sent
	CreatedAt time.Time  `json:"created_at"`
	SentAt    *time.Time `json:"sent_at,omitempty"`
	Attempts  int        `json:"attempts"`
	LastError string     `json:"last_error,omitempty"`
}

// Outbox keeps the notices until they are sent (the store implements it).
type Outbox interface {
	// ListOutbox is the newest notices, sent or not (administrators).
	ListOutbox(ctx context.Context, limit int) ([]Entry, error)
	// PendingNotices are the notices not yet sent nor given up, oldest first.
	PendingNotices(ctx context.Context, limit int) ([]Notice, error)
	NoticeSent(ctx context.Context, id int64, subject string) error
	NoticeFailed(ctx context.Context, id int64, reason string) error
}
