package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/custodylog"
)

const eventCols = `id, container_id, seq, kind, occurred_at, recorded_at, recorded_by, from_party, to_party,
	from_ack, to_ack, location, seal_number, seal_intact, notes, photos, prev_hash, hash, mac`

type rowsQuerier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

// listEvents reads a chain as stored, ordered by seq then id (so inserted or reordered rows show).
func (s *DB) listEvents(ctx context.Context, q rowsQuerier, containerID int64) ([]homeward.CustodyEvent, error) {
	rows, err := q.QueryContext(ctx, "SELECT "+eventCols+" FROM custody_events WHERE container_id = $1 ORDER BY seq, id", containerID)
	if err != nil {
		return nil, mapErr(err, "custody_event", "")
	}
	return scanEvents(rows)
}

// scanEvents reads event rows (eventCols) and closes them.
func scanEvents(rows *sql.Rows) ([]homeward.CustodyEvent, error) {
	defer rows.Close()
	var out []homeward.CustodyEvent
	for rows.Next() {
		var e homeward.CustodyEvent
		var kind, photos string
		var intact sql.NullBool
		if err := rows.Scan(&e.ID, &e.ContainerID, &e.Seq, &kind, &e.OccurredAt, &e.RecordedAt, &e.RecordedBy, &e.From, &e.To,
			&e.FromAck, &e.ToAck, &e.Location, &e.SealNumber, &intact, &e.Notes, &photos, &e.PrevHash, &e.Hash, &e.MAC); err != nil {
			return nil, mapErr(err, "custody_event", "")
		}
		e.Kind = homeward.CustodyKind(kind)
		e.OccurredAt, e.RecordedAt = e.OccurredAt.UTC(), e.RecordedAt.UTC()
		if intact.Valid {
			v := intact.Bool
			e.SealIntact = &v
		}
		if photos != "" {
			e.Photos = strings.Split(photos, ",")
		}
		out = append(out, e)
	}
	return out, mapErr(rows.Err(), "custody_event", "")
}

// storedChain is a container's chain with the container's id.
type storedChain struct {
	custodylog.Chain
	id int64
}

// readChains reads every container's chain in two queries (containers, then all events).
func (s *DB) readChains(ctx context.Context, q rowsQuerier) ([]storedChain, error) {
	rows, err := q.QueryContext(ctx, "SELECT id, accession, head_seq, head_hash FROM containers ORDER BY accession")
	if err != nil {
		return nil, mapErr(err, "container", "")
	}
	var chains []storedChain
	index := map[int64]int{}
	for rows.Next() {
		var c storedChain
		if err := rows.Scan(&c.id, &c.Accession, &c.HeadSeq, &c.HeadHash); err != nil {
			rows.Close()
			return nil, mapErr(err, "container", "")
		}
		index[c.id] = len(chains)
		chains = append(chains, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, mapErr(err, "container", "")
	}
	erows, err := q.QueryContext(ctx, "SELECT "+eventCols+" FROM custody_events ORDER BY container_id, seq, id")
	if err != nil {
		return nil, mapErr(err, "custody_event", "")
	}
	events, err := scanEvents(erows)
	if err != nil {
		return nil, err
	}
	for _, e := range events {
		if i, ok := index[e.ContainerID]; ok {
			chains[i].Events = append(chains[i].Events, e)
		}
	}
	return chains, nil
}

// AppendCustodyEvent appends e to the container's chain and to the custody log. The container row
// is locked (FOR UPDATE on PostgreSQL; SQLite's immediate transactions admit one writer), the
// chain state is derived from the stored events, the chain and the container's log entries are
// verified, the rules are checked, and the event is sealed and inserted with the head advanced,
// its log entry added and a checkpoint signed, all in one transaction. UNIQUE(container_id, seq)
// is the last guard against a fork.
func (s *DB) AppendCustodyEvent(ctx context.Context, containerID int64, e *homeward.CustodyEvent) error {
	_, err := s.AppendCustodyEventWith(ctx, containerID, e, homeward.AppendOptions{})
	return err
}

// AppendCustodyEventWith appends under the options' conditions (idempotency key, expected head).
// Two retries racing with one key on PostgreSQL: the loser's key insert fails, and its second
// attempt finds the winner's event.
func (s *DB) AppendCustodyEventWith(ctx context.Context, containerID int64, e *homeward.CustodyEvent, o homeward.AppendOptions) (bool, error) {
	orig := *e
	replayed, err := s.appendWith(ctx, containerID, e, o)
	var he *homeward.Error
	if o.IdempotencyKey != "" && errors.As(err, &he) && he.Field == "idempotency_key" && he.Code == homeward.ECONFLICT && strings.Contains(he.Message, "already exists") {
		*e = orig
		return s.appendWith(ctx, containerID, e, o)
	}
	return replayed, err
}

func (s *DB) appendWith(ctx context.Context, containerID int64, e *homeward.CustodyEvent, o homeward.AppendOptions) (bool, error) {
	if err := homeward.Require(ctx, homeward.PermCustodyWrite); err != nil {
		return false, err
	}
	if err := o.Validate(); err != nil {
		return false, err
	}
	if err := homeward.CheckText("custody_event", e); err != nil {
		return false, err
	}
	if s.keys == nil {
		return false, homeward.Errorf(homeward.EUNAVAILABLE, "the store has no custody key bound")
	}
	u := homeward.UserFromContext(ctx)
	pre, err := s.verifyForAppend(ctx, containerID)
	if err != nil {
		return false, err
	}
	acc := pre.acc
	var signed *signedCheckpoint
	replayed := false
	err = s.tx(ctx, func(tx *sql.Tx) error {
		if o.IdempotencyKey != "" {
			first, err := s.replay(ctx, tx, u.Username, o.IdempotencyKey, containerID)
			if err != nil || first != nil {
				if first != nil {
					*e, replayed = *first, true
				}
				return err
			}
		}
		headSeq, err := s.appendEvent(ctx, tx, containerID, u.Username, e, o.ExpectHead, pre)
		if err != nil {
			return err
		}
		if o.IdempotencyKey != "" {
			if _, err := tx.ExecContext(ctx, "INSERT INTO custody_idempotency (username, idem_key, event_id, created_at) VALUES ($1, $2, $3, $4)",
				u.Username, o.IdempotencyKey, e.ID, s.now()); err != nil {
				return mapErr(err, "custody_event", "idempotency_key")
			}
		}
		if err := s.lockLog(ctx, tx); err != nil {
			return err
		}
		if signed, err = s.logAppend(ctx, tx, containerID, acc, e); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, "UPDATE containers SET head_seq = $1, head_hash = $2 WHERE id = $3 AND head_seq = $4",
			e.Seq, e.Hash, containerID, headSeq)
		if err != nil {
			return mapErr(err, "container", "")
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return homeward.Errorf(homeward.ECONFLICT, "container %s: the chain moved during the append; retry", acc)
		}
		return s.audit(ctx, tx, "append", "custody_event", e.ID, fmt.Sprintf("%s event %d (%s)", acc, e.Seq, e.Kind), nil, e)
	})
	if err != nil {
		return false, err
	}
	s.remember(signed)
	if !replayed {
		s.counters.appends.Add(1)
	}
	return replayed, s.writeWitness(signed)
}

// replay returns the event a first append with this user's key recorded, nil when the key is new;
// a key used for another container is refused.
func (s *DB) replay(ctx context.Context, tx *sql.Tx, username, key string, containerID int64) (*homeward.CustodyEvent, error) {
	var id int64
	err := tx.QueryRowContext(ctx, "SELECT event_id FROM custody_idempotency WHERE username = $1 AND idem_key = $2", username, key).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, mapErr(err, "custody_event", "")
	}
	rows, err := tx.QueryContext(ctx, "SELECT "+eventCols+" FROM custody_events WHERE id = $1", id)
	if err != nil {
		return nil, mapErr(err, "custody_event", "")
	}
	events, err := scanEvents(rows)
	if err != nil {
		return nil, err
	}
	if len(events) != 1 {
		return nil, homeward.Errorf(homeward.ECONFLICT, "idempotency key %q: the event it recorded (id %d) is gone; run homeward custody verify", key, id)
	}
	if events[0].ContainerID != containerID {
		return nil, homeward.CodeFieldErrorf(homeward.ECONFLICT, "idempotency_key", "idempotency key %q was used for another container's append", key)
	}
	return &events[0], nil
}

// verifiedChain is a container's chain as read and verified for an append.
type verifiedChain struct {
	acc      string
	headSeq  int64
	headHash string
	events   []homeward.CustodyEvent
}

// verifyForAppend reads and verifies a container's chain and its log entries in a read snapshot,
// outside the write transaction (which then only checks that the head is still the one verified):
// the costly part of an append holds no lock.
func (s *DB) verifyForAppend(ctx context.Context, containerID int64) (*verifiedChain, error) {
	var v *verifiedChain
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		var err error
		v, err = s.verifyChainIn(ctx, tx, containerID)
		return err
	})
	return v, err
}

// verifyChainIn reads and verifies a container's chain and its log entries through tx; a problem
// refuses the append.
func (s *DB) verifyChainIn(ctx context.Context, tx *sql.Tx, containerID int64) (*verifiedChain, error) {
	v, _, p, err := s.checkChain(ctx, tx, containerID)
	if err != nil {
		return nil, err
	}
	if p != nil && p.Kind == custodylog.ProblemTruncated {
		return nil, homeward.Errorf(homeward.ECONFLICT, "refusing to append to a chain that disagrees with the custody log: %s", p.Error())
	}
	if p != nil {
		return nil, homeward.Errorf(homeward.ECONFLICT, "refusing to append to a broken chain: %s", p.Error())
	}
	return v, nil
}

// checkChain reads a container's chain and checks it (hashes, MACs, head) and its entries in the
// custody log; p is the first problem found.
func (s *DB) checkChain(ctx context.Context, tx *sql.Tx, containerID int64) (v *verifiedChain, entries []custodylog.Entry, p *homeward.ChainProblem, err error) {
	v = &verifiedChain{}
	err = tx.QueryRowContext(ctx, "SELECT accession, head_seq, head_hash FROM containers WHERE id = $1", containerID).Scan(&v.acc, &v.headSeq, &v.headHash)
	if err == sql.ErrNoRows {
		return nil, nil, nil, homeward.Errorf(homeward.ENOTFOUND, "container %d not found", containerID)
	}
	if err != nil {
		return nil, nil, nil, mapErr(err, "container", "")
	}
	if v.events, err = s.listEvents(ctx, tx, containerID); err != nil {
		return nil, nil, nil, err
	}
	if p = homeward.VerifyChain(v.acc, s.key, v.events, v.headSeq, v.headHash); p != nil {
		return v, nil, p, nil
	}
	entries, p = s.containerLog(ctx, tx, containerID, v.acc, v.events)
	if p != nil {
		p.Kind = custodylog.ProblemTruncated
	}
	return v, entries, p, nil
}

// appendEvent locks the container, checks that its head is still the one verified in v (else
// verifies again under the lock), applies the custody rules and inserts the sealed event. It
// returns the head the event follows.
func (s *DB) appendEvent(ctx context.Context, tx *sql.Tx, containerID int64, username string, e *homeward.CustodyEvent, expect *string, v *verifiedChain) (int64, error) {
	lock := ""
	if s.dialect == "postgres" {
		lock = " FOR UPDATE"
	}
	var headHash string
	var headSeq int64
	err := tx.QueryRowContext(ctx, "SELECT head_seq, head_hash FROM containers WHERE id = $1"+lock, containerID).Scan(&headSeq, &headHash)
	if err == sql.ErrNoRows {
		return 0, homeward.Errorf(homeward.ENOTFOUND, "container %d not found", containerID)
	}
	if err != nil {
		return 0, mapErr(err, "container", "")
	}
	if expect != nil && *expect != headHash {
		return 0, homeward.Errorf(homeward.EPRECONDITION, "container %s: the chain's head is event %d (%.12s…), not the head given (%.12s…): someone appended since; read the chain again", v.acc, headSeq, headHash, *expect)
	}
	if headSeq != v.headSeq || headHash != v.headHash {
		// Someone appended since the verification outside the lock: verify again, inside it.
		if v, err = s.verifyChainIn(ctx, tx, containerID); err != nil {
			return 0, err
		}
	}
	acc, events := v.acc, v.events
	st := homeward.DeriveCustodyState(events)
	if err := st.ValidateAppend(acc, e); err != nil {
		return 0, err
	}
	e.ID, e.ContainerID = 0, containerID
	e.Seq = st.Events + 1
	e.PrevHash = st.HeadHash
	e.RecordedAt = s.now()
	e.RecordedBy = username
	e.Seal(acc, s.key)
	var intact any
	if e.SealIntact != nil {
		intact = *e.SealIntact
	}
	insert, err := s.prepared(ctx, tx, `INSERT INTO custody_events (container_id, seq, kind, occurred_at, recorded_at, recorded_by,
		from_party, to_party, from_ack, to_ack, location, seal_number, seal_intact, notes, photos, prev_hash, hash, mac)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18) RETURNING id`)
	if err != nil {
		return 0, err
	}
	err = insert.QueryRowContext(ctx,
		containerID, e.Seq, string(e.Kind), e.OccurredAt, e.RecordedAt, e.RecordedBy, e.From, e.To, e.FromAck, e.ToAck,
		e.Location, e.SealNumber, intact, e.Notes, strings.Join(e.Photos, ","), e.PrevHash, e.Hash, e.MAC).Scan(&e.ID)
	if err != nil {
		return 0, mapErr(err, "custody_event", "custody_event.seq")
	}
	return headSeq, nil
}

func (s *DB) ListCustodyEvents(ctx context.Context, containerID int64) ([]homeward.CustodyEvent, error) {
	if err := homeward.Require(ctx, homeward.PermRead); err != nil {
		return nil, err
	}
	events, err := s.listEvents(ctx, s.db, containerID)
	if events == nil {
		events = []homeward.CustodyEvent{}
	}
	return events, err
}

// VerifyCustody checks one container: its chain, its entries in the custody log, and each entry's
// inclusion (an RFC 6962 proof from the stored hashes) in the tree the newest checkpoint signed.
func (s *DB) VerifyCustody(ctx context.Context, containerID int64) (*homeward.ChainProblem, error) {
	if err := homeward.Require(ctx, homeward.PermRead); err != nil {
		return nil, err
	}
	if s.keys == nil {
		return nil, homeward.Errorf(homeward.EUNAVAILABLE, "the store has no custody key bound")
	}
	var p *homeward.ChainProblem
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		v, entries, problem, err := s.checkChain(ctx, tx, containerID)
		if err != nil || problem != nil {
			p = problem
			return err
		}
		p = s.proveIncluded(ctx, tx, v.acc, entries)
		return nil
	})
	if p != nil {
		s.counters.problems.Add(1)
	}
	return p, err
}

// VerifyAllCustody checks every chain and the custody log (VerifyCustodyLog) and returns the
// problems found.
func (s *DB) VerifyAllCustody(ctx context.Context, progress func(done, total int)) ([]homeward.ChainProblem, error) {
	r, err := s.VerifyCustodyLog(ctx, nil)
	if err != nil {
		return nil, err
	}
	if progress != nil {
		progress(r.Containers, r.Containers)
	}
	return r.Problems, nil
}
