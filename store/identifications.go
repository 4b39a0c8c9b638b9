package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"

	"github.com/homeward/homeward"
)

var identifications = &record[homeward.Identification]{
	table: "identifications", entity: "identification",
	columns: func(x *homeward.Identification) ([]string, []any) {
		return []string{"missing_person_id", "status"}, []any{x.MissingPersonID, string(x.Status)}
	},
	id:   func(x *homeward.Identification) *int64 { return &x.ID },
	meta: func(x *homeward.Identification) *homeward.Meta { return &x.Meta },
}

var evidenceLines = &record[homeward.EvidenceLine]{
	table: "evidence_lines", entity: "evidence_line",
	columns: func(e *homeward.EvidenceLine) ([]string, []any) {
		return []string{"identification_id"}, []any{e.IdentificationID}
	},
	id:   func(e *homeward.EvidenceLine) *int64 { return &e.ID },
	meta: func(e *homeward.EvidenceLine) *homeward.Meta { return &e.Meta },
}

// lockIdentification reads an identification for change: on PostgreSQL the row is locked until
// the transaction ends, so a second approval or a withdrawal waits and then sees the new state; on
// SQLite writers are serialised and the version check of the update catches a lost race.
func (s *DB) lockIdentification(ctx context.Context, tx *sql.Tx, id int64) (*homeward.Identification, error) {
	where := "id = $1"
	if s.dialect == "postgres" {
		where += " FOR UPDATE"
	}
	x, err := identifications.get(ctx, tx, where, id)
	if homeward.ErrorCode(err) == homeward.ENOTFOUND {
		return nil, homeward.Errorf(homeward.ENOTFOUND, "identification %d not found", id)
	}
	return x, err
}

func (s *DB) CreateIdentification(ctx context.Context, x *homeward.Identification) error {
	u, err := homeward.RequireUser(ctx)
	if err != nil {
		return err
	}
	if err := homeward.Require(ctx, homeward.PermIdentify); err != nil {
		return err
	}
	policy, err := reviewPolicy(ctx, s.db)
	if err != nil {
		return err
	}
	if err := x.Start(u.Username, *policy, homeward.Require(ctx, homeward.PermSettings) == nil, s.now()); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := missingPersons.get(ctx, tx, "id = $1", x.MissingPersonID); err != nil {
			return homeward.FieldErrorf("identification.missing_person_id", "missing person %d does not exist", x.MissingPersonID)
		}
		for _, pid := range x.ProfileIDs {
			p, err := profiles.get(ctx, tx, "id = $1", pid)
			if err != nil {
				return homeward.FieldErrorf("identification.profile_ids", "profile %d does not exist", pid)
			}
			if err := homeward.CanIdentify(p); err != nil {
				return err
			}
		}
		for _, sid := range x.SpecimenIDs {
			if _, err := specimens.get(ctx, tx, "id = $1", sid); err != nil {
				return homeward.FieldErrorf("identification.specimen_ids", "specimen %d does not exist", sid)
			}
		}
		return identifications.insert(ctx, s, tx, x)
	})
}

func (s *DB) GetIdentification(ctx context.Context, id int64) (*homeward.Identification, error) {
	return get(ctx, s, identifications, id)
}

func (s *DB) ListIdentifications(ctx context.Context, f homeward.IdentificationFilter) (homeward.List[homeward.Identification], error) {
	if err := homeward.Require(ctx, homeward.PermRead); err != nil {
		return homeward.List[homeward.Identification]{}, err
	}
	var w where
	if f.Status != "" {
		w.add("status = ?", string(f.Status))
	}
	order, err := listOrder(cmp.Or(f.Sort, "-number"), homeward.IdentificationSorts,
		map[string]string{"number": "id", "status": "status"}, "id")
	if err != nil {
		return homeward.List[homeward.Identification]{}, err
	}
	return identifications.list(ctx, s, w.String(), w.args, order, f.Page)
}

// IdentificationsOf lists one missing person's identifications, newest first (all of them: a person
// has few).
func (s *DB) IdentificationsOf(ctx context.Context, missingPersonID int64) ([]homeward.Identification, error) {
	if err := homeward.Require(ctx, homeward.PermRead); err != nil {
		return nil, err
	}
	l, err := identifications.list(ctx, s, "missing_person_id = $1", []any{missingPersonID}, "id DESC", homeward.Page{Limit: 1000})
	return l.Items, err
}

// inputRecords loads the records an evidence line was computed from, for its fingerprint.
func (s *DB) inputRecords(ctx context.Context, q querier, ins []homeward.InputRef) ([]any, error) {
	var out []any
	for _, in := range ins {
		switch in.Kind {
		case "profile":
			p, err := profiles.get(ctx, q, "id = $1", in.ID)
			if err != nil {
				return nil, homeward.FieldErrorf("evidence.inputs", "profile %d does not exist", in.ID)
			}
			out = append(out, p.Loci, p.Role)
		case "reference_family":
			f, err := referenceFamilies.get(ctx, q, "id = $1", in.ID)
			if err != nil {
				return nil, homeward.FieldErrorf("evidence.inputs", "reference family %d does not exist", in.ID)
			}
			out = append(out, f.Members, f.Target)
		case "frequency_db":
			f, err := frequencyDBs.get(ctx, q, "name || '@' || CAST(db_version AS TEXT) = $1", in.Name)
			if err != nil {
				return nil, homeward.FieldErrorf("evidence.inputs", "frequency database %s does not exist (give NAME@VERSION)", in.Name)
			}
			out = append(out, f.Markers)
		}
	}
	return out, nil
}

// AddEvidence records a line while the identification is a draft or returned, then recomputes the
// identification's combined DNA LR and posterior.
func (s *DB) AddEvidence(ctx context.Context, e *homeward.EvidenceLine) error {
	u, err := homeward.RequireUser(ctx)
	if err != nil {
		return err
	}
	if err := homeward.Require(ctx, homeward.PermIdentify); err != nil {
		return err
	}
	if err := e.Validate(); err != nil {
		return err
	}
	e.Analyst = u.Username
	if e.Date == "" {
		e.Date = homeward.Date(s.now().Format("2006-01-02"))
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		x, err := s.lockIdentification(ctx, tx, e.IdentificationID)
		if err != nil {
			return err
		}
		lines, err := s.evidenceOf(ctx, tx, x.ID)
		if err != nil {
			return err
		}
		if err := x.AddEvidence(append(lines, *e)); err != nil {
			return err
		}
		e.Stale = false // a read-time flag, never stored
		if len(e.Inputs) > 0 {
			recs, err := s.inputRecords(ctx, tx, e.Inputs)
			if err != nil {
				return err
			}
			e.Seal(recs)
		}
		if err := evidenceLines.insert(ctx, s, tx, e); err != nil {
			return err
		}
		return identifications.updateIn(ctx, s, tx, x, "evidence", fmt.Sprintf("%s line %d: %s", e.Kind, e.ID, e.Conclusion))
	})
}

func (s *DB) evidenceOf(ctx context.Context, tx *sql.Tx, id int64) ([]homeward.EvidenceLine, error) {
	rows, err := tx.QueryContext(ctx, "SELECT "+evidenceLines.selectCols()+" FROM evidence_lines WHERE identification_id = $1 ORDER BY id", id)
	if err != nil {
		return nil, mapErr(err, "evidence_line", "")
	}
	defer rows.Close()
	var out []homeward.EvidenceLine
	for rows.Next() {
		e, err := evidenceLines.scan(rows)
		if err != nil {
			return nil, mapErr(err, "evidence_line", "")
		}
		out = append(out, *e)
	}
	return out, mapErr(rows.Err(), "evidence_line", "")
}

// ListEvidence lists an identification's lines; a line whose inputs have changed since it was
// recorded is marked stale.
func (s *DB) ListEvidence(ctx context.Context, id int64) ([]homeward.EvidenceLine, error) {
	if err := homeward.Require(ctx, homeward.PermRead); err != nil {
		return nil, err
	}
	var out []homeward.EvidenceLine
	err := s.tx(ctx, func(tx *sql.Tx) error {
		lines, err := s.evidenceOf(ctx, tx, id)
		if err != nil {
			return err
		}
		for i := range lines {
			if len(lines[i].Inputs) == 0 {
				continue
			}
			recs, err := s.inputRecords(ctx, tx, lines[i].Inputs)
			lines[i].CheckStale(recs, err != nil)
		}
		out = lines
		return nil
	})
	if out == nil {
		out = []homeward.EvidenceLine{}
	}
	return out, err
}

func (s *DB) Submit(ctx context.Context, id int64, comment string) (*homeward.Identification, error) {
	u, err := homeward.RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	if err := homeward.Require(ctx, homeward.PermIdentify); err != nil {
		return nil, err
	}
	var x *homeward.Identification
	err = s.tx(ctx, func(tx *sql.Tx) error {
		if x, err = s.lockIdentification(ctx, tx, id); err != nil {
			return err
		}
		lines, err := s.evidenceOf(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := x.Submit(u.Username, len(lines), comment, s.now()); err != nil {
			return err
		}
		if err := s.enqueueNotices(ctx, tx, x, u.Username); err != nil {
			return err
		}
		return identifications.updateIn(ctx, s, tx, x, "submit", "to "+x.Stages[0])
	})
	return x, err
}

func (s *DB) Review(ctx context.Context, id int64, d homeward.ReviewDecision, comment string) (*homeward.Identification, error) {
	u, err := homeward.RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	if err := homeward.Require(ctx, homeward.PermReview); err != nil {
		return nil, err
	}
	var x *homeward.Identification
	err = s.tx(ctx, func(tx *sql.Tx) error {
		if x, err = s.lockIdentification(ctx, tx, id); err != nil {
			return err
		}
		t, err := x.Decide(d, u.Username, comment, s.now())
		if err != nil {
			return err
		}
		if x.Status == homeward.IdentApproved {
			if err := s.setIdentified(ctx, tx, x, true); err != nil {
				return err
			}
		}
		if err := s.enqueueNotices(ctx, tx, x, u.Username); err != nil {
			return err
		}
		return identifications.updateIn(ctx, s, tx, x, "review", fmt.Sprintf("%s at %s: %s", d, t.Stage, t.To))
	})
	return x, err
}

// setIdentified applies Identification.Identify to the stored missing person and victim
// profiles and persists them.
func (s *DB) setIdentified(ctx context.Context, tx *sql.Tx, x *homeward.Identification, on bool) error {
	m, err := missingPersons.get(ctx, tx, "id = $1", x.MissingPersonID)
	if err != nil {
		return err
	}
	var ps []*homeward.Profile
	for _, pid := range x.ProfileIDs {
		p, err := profiles.get(ctx, tx, "id = $1", pid)
		if err != nil {
			return err
		}
		ps = append(ps, p)
	}
	if err := x.Identify(m, ps, on); err != nil {
		return err
	}
	why := fmt.Sprintf("identification %d", x.ID)
	if err := missingPersons.updateIn(ctx, s, tx, m, "update", why); err != nil {
		return err
	}
	for _, p := range ps {
		if err := profiles.updateIn(ctx, s, tx, p, "update", why); err != nil {
			return err
		}
	}
	return nil
}

func (s *DB) Withdraw(ctx context.Context, id int64, reason string) (*homeward.Identification, error) {
	u, err := homeward.RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	if err := homeward.Require(ctx, homeward.PermWithdraw); err != nil {
		return nil, err
	}
	var x *homeward.Identification
	err = s.tx(ctx, func(tx *sql.Tx) error {
		if x, err = s.lockIdentification(ctx, tx, id); err != nil {
			return err
		}
		if err := x.Withdraw(u.Username, reason, s.now()); err != nil {
			return err
		}
		if err := s.setIdentified(ctx, tx, x, false); err != nil {
			return err
		}
		if err := s.enqueueNotices(ctx, tx, x, u.Username); err != nil {
			return err
		}
		return identifications.updateIn(ctx, s, tx, x, "withdraw", reason)
	})
	return x, err
}
