package store

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/custodylog"
	"golang.org/x/mod/sumdb/tlog"
)

// logLockID is the PostgreSQL advisory lock that serialises appends to the custody log (SQLite's
// immediate transactions already admit one writer).
const logLockID = 7_212_026_001

// txHashes reads the log's stored hashes inside a transaction, for tlog.
type txHashes struct {
	ctx context.Context
	q   rowsQuerier
}

func (h txHashes) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	if len(indexes) == 0 {
		return nil, nil
	}
	marks := make([]string, len(indexes))
	args := make([]any, len(indexes))
	for i, x := range indexes {
		marks[i] = "$" + strconv.Itoa(i+1)
		args[i] = x
	}
	rows, err := h.q.QueryContext(h.ctx, "SELECT idx, hash FROM custody_log_hashes WHERE idx IN ("+strings.Join(marks, ",")+")", args...)
	if err != nil {
		return nil, fmt.Errorf("read log hashes: %w", err)
	}
	defer rows.Close()
	got := map[int64]tlog.Hash{}
	for rows.Next() {
		var idx int64
		var s string
		if err := rows.Scan(&idx, &s); err != nil {
			return nil, err
		}
		h, err := custodylog.DecodeHash(s)
		if err != nil {
			return nil, fmt.Errorf("log hash %d: %w", idx, err)
		}
		got[idx] = h
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		h, ok := got[x]
		if !ok {
			return nil, fmt.Errorf("log hash %d is missing (the log's hashes were deleted)", x)
		}
		out[i] = h
	}
	return out, nil
}

// logHead returns the log's size and its newest signed checkpoint, checked: the checkpoint must
// carry a valid signature, cover exactly the log's entries, and match the stored hashes. An append
// refuses to sign on top of a log that fails any of these.
func (s *DB) logHead(ctx context.Context, q *sql.Tx) (int64, error) {
	// MAX(n) reads the primary key's last entry; entries deleted below it are found by verification
	// (the tree rebuilt from the entries no longer gives the signed root).
	var n int64
	head, err := s.prepared(ctx, q, "SELECT COALESCE(MAX(n)+1, 0) FROM custody_log")
	if err != nil {
		return 0, err
	}
	if err := head.QueryRowContext(ctx).Scan(&n); err != nil {
		return 0, mapErr(err, "custody_log", "")
	}
	msg, err := newestNote(ctx, q)
	if err != nil {
		return 0, err
	}
	if msg == "" {
		if n == 0 {
			return 0, nil
		}
		return 0, homeward.Errorf(homeward.ECONFLICT, "custody log: %d entries and no signed checkpoint; run homeward custody verify", n)
	}
	c, err := s.openNewest(msg)
	if err != nil {
		return 0, homeward.Errorf(homeward.ECONFLICT, "custody log: newest checkpoint: %v", err)
	}
	if c.Size != n {
		return 0, homeward.Errorf(homeward.ECONFLICT, "custody log: %d entries but the newest signed checkpoint covers %d; run homeward custody verify", n, c.Size)
	}
	root, err := tlog.TreeHash(n, txHashes{ctx, q})
	if err != nil {
		return 0, homeward.Errorf(homeward.ECONFLICT, "custody log: %v", err)
	}
	if root != c.Root {
		return 0, homeward.Errorf(homeward.ECONFLICT, "custody log: its hashes do not give the signed root (the log was altered); run homeward custody verify")
	}
	return n, nil
}

// newestNote returns the newest signed checkpoint as stored ("" when there is none).
func newestNote(ctx context.Context, q interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}) (string, error) {
	var msg string
	err := q.QueryRowContext(ctx, "SELECT signed_note FROM custody_checkpoints ORDER BY size DESC LIMIT 1").Scan(&msg)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return msg, mapErr(err, "custody_checkpoint", "")
}

// logAppend records event e of container acc as the log's next entry: the leaf, the stored hashes
// tlog needs, and a checkpoint over the new tree signed with the current key. It runs inside the
// append's transaction, so the event, its entry and the checkpoint commit together.
func (s *DB) logAppend(ctx context.Context, tx *sql.Tx, containerID int64, acc string, e *homeward.CustodyEvent) (*signedCheckpoint, error) {
	n, err := s.logHead(ctx, tx)
	if err != nil {
		return nil, err
	}
	if err := s.addEntry(ctx, tx, n, containerID, acc, e); err != nil {
		return nil, err
	}
	return s.signCheckpoint(ctx, tx, n+1)
}

// openNewest opens the newest checkpoint, remembering the last one this process signed or
// verified: the same bytes need no second signature check (changed bytes are checked again).
func (s *DB) openNewest(msg string) (custodylog.Checkpoint, error) {
	s.lastMu.Lock()
	defer s.lastMu.Unlock()
	if s.lastNote != "" && msg == s.lastNote && s.lastKeys == s.keys {
		return s.lastCheckpoint, nil
	}
	c, _, err := s.keys.Open([]byte(msg))
	if err != nil {
		return c, err
	}
	s.lastNote, s.lastCheckpoint, s.lastKeys = msg, c, s.keys
	return c, nil
}

// signedCheckpoint is a checkpoint this process signed: the note as stored, and what it says.
type signedCheckpoint struct {
	note []byte
	cp   custodylog.Checkpoint
}

// remember trusts a checkpoint this process signed, once its transaction committed (a rolled-back
// one must never be trusted later).
func (s *DB) remember(sc *signedCheckpoint) {
	if sc == nil {
		return
	}
	s.lastMu.Lock()
	s.lastNote, s.lastCheckpoint, s.lastKeys = string(sc.note), sc.cp, s.keys
	s.lastMu.Unlock()
}

// addEntry stores event e as log entry n with the hashes tlog needs for it.
func (s *DB) addEntry(ctx context.Context, tx *sql.Tx, n, containerID int64, acc string, e *homeward.CustodyEvent) error {
	leaf := custodylog.LeafHash(acc, e.Seq, e.Hash)
	hs, err := tlog.StoredHashesForRecordHash(n, leaf, txHashes{ctx, tx})
	if err != nil {
		return fmt.Errorf("custody log entry %d: %w", n, err)
	}
	base := tlog.StoredHashCount(n)
	ins, err := s.prepared(ctx, tx, "INSERT INTO custody_log_hashes (idx, hash) VALUES ($1, $2)")
	if err != nil {
		return err
	}
	for i, h := range hs {
		if _, err := ins.ExecContext(ctx, base+int64(i), hex.EncodeToString(h[:])); err != nil {
			return mapErr(err, "custody_log", "")
		}
	}
	entry, err := s.prepared(ctx, tx, "INSERT INTO custody_log (n, event_id, container_id, accession, seq, leaf_hash) VALUES ($1,$2,$3,$4,$5,$6)")
	if err != nil {
		return err
	}
	_, err = entry.ExecContext(ctx, n, e.ID, containerID, acc, e.Seq, hex.EncodeToString(leaf[:]))
	return mapErr(err, "custody_log", "")
}

// signCheckpoint signs and keeps a checkpoint of the first size entries.
func (s *DB) signCheckpoint(ctx context.Context, tx *sql.Tx, size int64) (*signedCheckpoint, error) {
	root, err := tlog.TreeHash(size, txHashes{ctx, tx})
	if err != nil {
		return nil, fmt.Errorf("custody log root: %w", err)
	}
	cp := custodylog.Checkpoint{Size: size, Root: root}
	msg, err := s.keys.Sign(cp)
	if err != nil {
		return nil, fmt.Errorf("sign custody checkpoint: %w", err)
	}
	ins, err := s.prepared(ctx, tx, "INSERT INTO custody_checkpoints (size, signed_note, created_at) VALUES ($1, $2, $3)")
	if err != nil {
		return nil, err
	}
	if _, err := ins.ExecContext(ctx, size, string(msg), s.now()); err != nil {
		return nil, mapErr(err, "custody_checkpoint", "")
	}
	return &signedCheckpoint{note: msg, cp: cp}, nil
}

// lockLog serialises appends to the log across processes on PostgreSQL.
func (s *DB) lockLog(ctx context.Context, tx *sql.Tx) error {
	if s.dialect != "postgres" {
		return nil
	}
	_, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", int64(logLockID))
	return mapErr(err, "custody_log", "")
}

// containerLog checks that the log holds exactly the container's events, in order: an event
// missing from its chain (truncation), one the log never recorded (insertion) or one edited
// since show here.
func (s *DB) containerLog(ctx context.Context, q rowsQuerier, containerID int64, acc string, events []homeward.CustodyEvent) ([]custodylog.Entry, *homeward.ChainProblem) {
	rows, err := q.QueryContext(ctx, "SELECT n, event_id, seq, leaf_hash FROM custody_log WHERE container_id = $1 ORDER BY n", containerID)
	if err != nil {
		return nil, &homeward.ChainProblem{Container: acc, Reason: "custody log unreadable: " + err.Error()}
	}
	defer rows.Close()
	var entries []custodylog.Entry
	for rows.Next() {
		en := custodylog.Entry{Accession: acc}
		if err := rows.Scan(&en.N, &en.EventID, &en.Seq, &en.LeafHash); err != nil {
			return nil, &homeward.ChainProblem{Container: acc, Reason: "custody log unreadable: " + err.Error()}
		}
		entries = append(entries, en)
	}
	for i, en := range entries {
		if i >= len(events) {
			return entries, &homeward.ChainProblem{Container: acc, Seq: en.Seq, EventID: en.EventID, Reason: fmt.Sprintf(
				"the custody log holds %d events of this container but its chain has %d (the chain was shortened)", len(entries), len(events))}
		}
		e := events[i]
		if e.Seq != en.Seq || e.ID != en.EventID {
			return entries, &homeward.ChainProblem{Container: acc, Seq: en.Seq, EventID: en.EventID, Reason: fmt.Sprintf(
				"the custody log recorded event %d (id %d) here, the chain holds event %d (id %d)", en.Seq, en.EventID, e.Seq, e.ID)}
		}
		if l := custodylog.LeafHash(acc, e.Seq, e.Hash); hex.EncodeToString(l[:]) != en.LeafHash {
			return entries, &homeward.ChainProblem{Container: acc, Seq: e.Seq, EventID: e.ID, Reason: "the event differs from what the custody log recorded"}
		}
	}
	if len(events) > len(entries) {
		e := events[len(entries)]
		return entries, &homeward.ChainProblem{Container: acc, Seq: e.Seq, EventID: e.ID, Reason: "the event is in no custody log entry (it was inserted outside Homeward)"}
	}
	return entries, nil
}

// writeWitness keeps the newest checkpoint in a file outside the database (the key directory by
// default), replacing it only by a larger one: someone who rolls the database back, log and
// checkpoints included, still disagrees with it. Under a stream of appends the file is written at
// most every witnessEvery; the newest checkpoint waits for the next append or SyncWitness (Close
// calls it).
func (s *DB) writeWitness(sc *signedCheckpoint) error {
	if s.witness == "" || sc == nil {
		return nil
	}
	s.witnessMu.Lock()
	defer s.witnessMu.Unlock()
	s.witnessPending = sc
	if time.Since(s.witnessAt) < witnessEvery {
		return nil
	}
	return s.flushWitness()
}

// witnessEvery bounds how often appends rewrite the witness file.
const witnessEvery = 200 * time.Millisecond

// SyncWitness writes the newest checkpoint this process made to the witness file now.
func (s *DB) SyncWitness() error {
	if s.witness == "" {
		return nil
	}
	s.witnessMu.Lock()
	defer s.witnessMu.Unlock()
	return s.flushWitness()
}

func (s *DB) flushWitness() error {
	sc := s.witnessPending
	if sc == nil {
		return nil
	}
	if s.witnessSize == 0 {
		// First write of this process: learn the size of the file left by earlier ones.
		if old, err := os.ReadFile(s.witness); err == nil {
			if oc, _, err := s.keys.Open(old); err == nil {
				s.witnessSize = oc.Size
			}
		}
	}
	s.witnessPending, s.witnessAt = nil, time.Now()
	if sc.cp.Size <= s.witnessSize {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(s.witness), 0o700); err != nil {
		return err
	}
	tmp := s.witness + ".tmp"
	if err := os.WriteFile(tmp, sc.note, 0o600); err != nil {
		return err
	}
	if err := os.Rename(tmp, s.witness); err != nil {
		return err
	}
	s.witnessSize = sc.cp.Size
	return nil
}

// proveIncluded proves each of a container's log entries included in the tree of the newest
// signed checkpoint, from the stored hashes (tlog.ProveRecord and CheckRecord).
func (s *DB) proveIncluded(ctx context.Context, tx *sql.Tx, acc string, entries []custodylog.Entry) *homeward.ChainProblem {
	if len(entries) == 0 {
		return nil
	}
	msg, err := newestNote(ctx, tx)
	if err != nil || msg == "" {
		return &homeward.ChainProblem{Kind: custodylog.ProblemCheckpoint, Container: acc, Reason: "the custody log has no signed checkpoint (checkpoints were deleted)"}
	}
	c, _, err := s.keys.Open([]byte(msg))
	if err != nil {
		return &homeward.ChainProblem{Kind: custodylog.ProblemCheckpoint, Container: acc, Reason: "newest checkpoint: " + err.Error()}
	}
	r := txHashes{ctx, tx}
	for _, en := range entries {
		leaf, err := custodylog.DecodeHash(en.LeafHash)
		bad := func(reason string) *homeward.ChainProblem {
			n := en.N
			return &homeward.ChainProblem{Kind: custodylog.ProblemCheckpoint, Container: acc, Seq: en.Seq, EventID: en.EventID, LogEntry: &n, Reason: reason}
		}
		if err != nil {
			return bad("log entry: " + err.Error())
		}
		if en.N >= c.Size {
			return bad(fmt.Sprintf("log entry %d is beyond the newest signed checkpoint (%d entries)", en.N, c.Size))
		}
		proof, err := tlog.ProveRecord(c.Size, en.N, r)
		if err == nil {
			err = tlog.CheckRecord(proof, c.Size, c.Root, en.N, leaf)
		}
		if err != nil {
			return bad("the entry is not in the tree the newest checkpoint signed (the log was altered): " + err.Error())
		}
	}
	return nil
}

// VerifyCustodyLog checks, on one consistent snapshot, every chain and the whole custody log: the
// tree rebuilt from the events against the newest signed checkpoint, the witness file's checkpoint
// and each earlier checkpoint given (exported ones).
func (s *DB) VerifyCustodyLog(ctx context.Context, earlier [][]byte) (*homeward.CustodyLogReport, error) {
	if err := homeward.Require(ctx, homeward.PermRead); err != nil {
		return nil, err
	}
	if s.keys == nil {
		return nil, homeward.Errorf(homeward.EUNAVAILABLE, "the store has no custody key bound")
	}
	var snap custodylog.Snapshot
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		chains, err := s.readChains(ctx, tx)
		if err != nil {
			return err
		}
		for _, c := range chains {
			snap.Chains = append(snap.Chains, c.Chain)
		}
		if snap.Entries, err = readEntries(ctx, tx); err != nil {
			return err
		}
		msg, err := newestNote(ctx, tx)
		if msg != "" {
			snap.Newest = []byte(msg)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if s.witness != "" {
		if err := s.SyncWitness(); err != nil {
			return nil, fmt.Errorf("custody witness %s: %w", s.witness, err)
		}
		if w, err := os.ReadFile(s.witness); err == nil {
			earlier = append(earlier, w)
		}
	}
	r, _ := custodylog.Verify(snap, s.keys, earlier...)
	s.counters.problems.Add(int64(len(r.Problems)))
	return r, nil
}

func readEntries(ctx context.Context, q rowsQuerier) ([]custodylog.Entry, error) {
	rows, err := q.QueryContext(ctx, "SELECT n, event_id, accession, seq, leaf_hash FROM custody_log ORDER BY n")
	if err != nil {
		return nil, mapErr(err, "custody_log", "")
	}
	defer rows.Close()
	var out []custodylog.Entry
	for rows.Next() {
		var en custodylog.Entry
		if err := rows.Scan(&en.N, &en.EventID, &en.Accession, &en.Seq, &en.LeafHash); err != nil {
			return nil, mapErr(err, "custody_log", "")
		}
		out = append(out, en)
	}
	return out, mapErr(rows.Err(), "custody_log", "")
}

// BlobRefs lists every blob the records refer to: custody events' photos and attachments.
func (s *DB) BlobRefs(ctx context.Context) ([]homeward.BlobRef, error) {
	if err := homeward.Require(ctx, homeward.PermRead); err != nil {
		return nil, err
	}
	var refs []homeward.BlobRef
	rows, err := s.db.QueryContext(ctx, `SELECT c.accession, e.seq, e.photos FROM custody_events e JOIN containers c ON c.id = e.container_id
		WHERE e.photos <> '' ORDER BY c.accession, e.seq`)
	if err != nil {
		return nil, mapErr(err, "custody_event", "")
	}
	for rows.Next() {
		var acc, photos string
		var seq int64
		if err := rows.Scan(&acc, &seq, &photos); err != nil {
			rows.Close()
			return nil, mapErr(err, "custody_event", "")
		}
		for _, p := range strings.Split(photos, ",") {
			refs = append(refs, homeward.BlobRef{SHA256: p, Where: fmt.Sprintf("container %s custody event %d", acc, seq)})
		}
	}
	rows.Close()
	rows, err = s.db.QueryContext(ctx, "SELECT id, sha256, subject_type, subject_id FROM attachments ORDER BY id")
	if err != nil {
		return nil, mapErr(err, "attachment", "")
	}
	defer rows.Close()
	for rows.Next() {
		var id, subject int64
		var sha, kind string
		if err := rows.Scan(&id, &sha, &kind, &subject); err != nil {
			return nil, mapErr(err, "attachment", "")
		}
		refs = append(refs, homeward.BlobRef{SHA256: sha, Where: fmt.Sprintf("attachment %d (%s %d)", id, kind, subject)})
	}
	return refs, mapErr(rows.Err(), "attachment", "")
}
