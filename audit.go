package homeward

import (
	"encoding/json"
	"time"
)

// AuditEntry records one change: who, when, what, before and after. Entries are written in the same
// transaction as the change they describe.
type AuditEntry struct {
	ID       int64     `json:"id"`
	At       time.Time `json:"at"`
	UserID   int64     `json:"user_id"`
	Username string    `json:"username"`
	// Operator is the operating-system account and host of a local CLI change made without a
	// credential ("alice@lab-pc"); empty for changes made through the web or the API.
	Operator string          `json:"operator,omitempty"`
	Action   string          `json:"action"` // create, update, delete, append, import, login, ...
	Entity   string          `json:"entity"` // missing_person, container, custody_event, user, ...
	EntityID int64           `json:"entity_id"`
	Summary  string          `json:"summary,omitempty"`
	Before   json.RawMessage `json:"before,omitempty"`
	After    json.RawMessage `json:"after,omitempty"`
}

// AuditFilter selects audit entries; zero fields do not filter.
type AuditFilter struct {
	Username string
	Entity   string
	EntityID int64
	Action   string
	Since    *time.Time
	Until    *time.Time
	Page
}
