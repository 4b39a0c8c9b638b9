package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/homeward/homeward"
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

// AppendCustodyEvent appends e to the container's chain. The container row is locked (FOR UPDATE
// on PostgreSQL; SQLite's immediate transactions admit one writer), the chain state is derived from
// the stored events, the rules are checked, and the event is sealed and inserted with the head
// advanced in the same transaction. UNIQUE(container_id, seq) is the last guard against a fork.
func (s *DB) AppendCustodyEvent(ctx context.Context, containerID int64, e *homeward.CustodyEvent) error {
	if err := homeward.Require(ctx, homeward.PermCustodyWrite); err != nil {
		return err
	}
	u := homeward.UserFromContext(ctx)
	return s.tx(ctx, func(tx *sql.Tx) error {
		lock := ""
		if s.dialect == "postgres" {
			lock = " FOR UPDATE"
		}
		var acc string
		var headSeq int64
		var headHash string
		err := tx.QueryRowContext(ctx, "SELECT accession, head_seq, head_hash FROM containers WHERE id = $1"+lock, containerID).Scan(&acc, &headSeq, &headHash)
		if err == sql.ErrNoRows {
			return homeward.Errorf(homeward.ENOTFOUND, "container %d not found", containerID)
		}
		if err != nil {
			return mapErr(err, "container", "")
		}
		events, err := s.listEvents(ctx, tx, containerID)
		if err != nil {
			return err
		}
		if p := homeward.VerifyChain(acc, s.key, events, headSeq, headHash); p != nil {
			return homeward.Errorf(homeward.ECONFLICT, "refusing to append to a broken chain: %s", p.Error())
		}
		st := homeward.DeriveCustodyState(events)
		if err := st.ValidateAppend(acc, e); err != nil {
			return err
		}
		e.ID, e.ContainerID = 0, containerID
		e.Seq = st.Events + 1
		e.PrevHash = st.HeadHash
		e.RecordedAt = s.now()
		e.RecordedBy = u.Username
		e.Seal(acc, s.key)
		var intact any
		if e.SealIntact != nil {
			intact = *e.SealIntact
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO custody_events (container_id, seq, kind, occurred_at, recorded_at, recorded_by,
			from_party, to_party, from_ack, to_ack, location, seal_number, seal_intact, notes, photos, prev_hash, hash, mac)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18) RETURNING id`,
			containerID, e.Seq, string(e.Kind), e.OccurredAt, e.RecordedAt, e.RecordedBy, e.From, e.To, e.FromAck, e.ToAck,
			e.Location, e.SealNumber, intact, e.Notes, strings.Join(e.Photos, ","), e.PrevHash, e.Hash, e.MAC).Scan(&e.ID)
		if err != nil {
			return mapErr(err, "custody_event", "custody_event.seq")
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

// VerifyCustody recomputes one container's chain.
func (s *DB) VerifyCustody(ctx context.Context, containerID int64) (*homeward.ChainProblem, error) {
	if err := homeward.Require(ctx, homeward.PermRead); err != nil {
		return nil, err
	}
	var acc, headHash string
	var headSeq int64
	err := s.db.QueryRowContext(ctx, "SELECT accession, head_seq, head_hash FROM containers WHERE id = $1", containerID).Scan(&acc, &headSeq, &headHash)
	if err == sql.ErrNoRows {
		return nil, homeward.Errorf(homeward.ENOTFOUND, "container %d not found", containerID)
	}
	if err != nil {
		return nil, mapErr(err, "container", "")
	}
	events, err := s.listEvents(ctx, s.db, containerID)
	if err != nil {
		return nil, err
	}
	return homeward.VerifyChain(acc, s.key, events, headSeq, headHash), nil
}

// VerifyAllCustody checks every container's chain, reporting progress.
func (s *DB) VerifyAllCustody(ctx context.Context, progress func(done, total int)) ([]homeward.ChainProblem, error) {
	if err := homeward.Require(ctx, homeward.PermRead); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, "SELECT id FROM containers ORDER BY accession")
	if err != nil {
		return nil, mapErr(err, "container", "")
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	problems := []homeward.ChainProblem{}
	for i, id := range ids {
		p, err := s.VerifyCustody(ctx, id)
		if err != nil {
			return nil, err
		}
		if p != nil {
			problems = append(problems, *p)
		}
		if progress != nil {
			progress(i+1, len(ids))
		}
	}
	return problems, nil
}
