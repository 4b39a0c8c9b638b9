package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/custodylog"
)

// KeyMismatchError says the store's custody log is signed by another key than the one given.
type KeyMismatchError struct {
	Recorded, Given string // verifier keys (public)
}

func (e *KeyMismatchError) Error() string {
	return fmt.Sprintf("custody key mismatch: this store's custody log is signed by %s, but the key given is %s; "+
		"start with the store's own key (a new key is never made for an existing store)", e.Recorded, e.Given)
}

// RecordedKey returns the verifier key the store records as signing its custody log ("" when
// none) and how many custody events it holds, so that a caller without a key can tell a new store
// (make a key) from an existing one (refuse).
func (s *DB) RecordedKey(ctx context.Context) (vkey string, events int64, err error) {
	err = s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM custody_events").Scan(&events)
	if err != nil {
		return "", 0, mapErr(err, "custody_event", "")
	}
	err = s.db.QueryRowContext(ctx, "SELECT vkey FROM custody_keys WHERE retired_at IS NULL").Scan(&vkey)
	if errors.Is(err, sql.ErrNoRows) {
		return "", events, nil
	}
	return vkey, events, mapErr(err, "custody_key", "")
}

// BindKeys makes k the store's custody keys. A store that records another signing key refuses
// them (KeyMismatchError). A store that records none takes k's: a new store, or a store written
// before the custody log, whose chains must then verify under k's MAC key before its events
// enter the log (in append order) under one signed checkpoint.
func (s *DB) BindKeys(ctx context.Context, k *custodylog.Keyring) error {
	if homeward.UserFromContext(ctx) == nil {
		// The process itself binds its keys at start; a finished rotation is audited as such.
		ctx = homeward.NewContextWithUser(ctx, &homeward.User{Username: "system"})
	}
	var signed *signedCheckpoint
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.lockLog(ctx, tx); err != nil {
			return err
		}
		var active string
		err := tx.QueryRowContext(ctx, "SELECT vkey FROM custody_keys WHERE retired_at IS NULL").Scan(&active)
		switch {
		case err == nil && active == k.VKey:
			return nil
		case err == nil && slices.Contains(k.Retired, active):
			// The key file retires the store's key: a rotation whose store half did not happen
			// (homeward custody key rotate writes the file first). Finish it.
			var err2 error
			signed, err2 = s.rotateIn(ctx, tx, active, k)
			return err2
		case err == nil:
			return &KeyMismatchError{Recorded: active, Given: k.VKey}
		case !errors.Is(err, sql.ErrNoRows):
			return mapErr(err, "custody_key", "")
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO custody_keys (vkey, created_at) VALUES ($1, $2)", k.VKey, s.now()); err != nil {
			return mapErr(err, "custody_key", "")
		}
		prev := s.keys
		s.keys, s.key = k, k.MAC
		var err2 error
		signed, err2 = s.adoptChains(ctx, tx)
		if err2 != nil {
			s.keys = prev
			if prev != nil {
				s.key = prev.MAC
			}
		}
		return err2
	})
	if err != nil {
		return err
	}
	s.keys, s.key = k, k.MAC
	return s.writeWitness(signed)
}

// adoptChains enters the events of a store written before the custody log into the log, after
// checking every chain under the MAC key (a wrong key is refused here, not adopted).
func (s *DB) adoptChains(ctx context.Context, tx *sql.Tx) (*signedCheckpoint, error) {
	var logged int64
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM custody_log").Scan(&logged); err != nil {
		return nil, mapErr(err, "custody_log", "")
	}
	chains, err := s.readChains(ctx, tx)
	if err != nil {
		return nil, err
	}
	type ev struct {
		acc string
		cid int64
		e   homeward.CustodyEvent
	}
	var all []ev
	for _, c := range chains {
		if p := homeward.VerifyChain(c.Accession, s.key, c.Events, c.HeadSeq, c.HeadHash); p != nil {
			return nil, fmt.Errorf("custody key: the store's chains do not verify under this key (%s); is it the store's own key?", p.Error())
		}
		for _, e := range c.Events {
			all = append(all, ev{c.Accession, c.id, e})
		}
	}
	if logged > 0 || len(all) == 0 {
		return nil, nil
	}
	// Append order is event id order.
	byID := map[int64]ev{}
	ids := make([]int64, 0, len(all))
	for _, x := range all {
		byID[x.e.ID] = x
		ids = append(ids, x.e.ID)
	}
	slices.Sort(ids)
	for i, id := range ids {
		x := byID[id]
		if err := s.addEntry(ctx, tx, int64(i), x.cid, x.acc, &x.e); err != nil {
			return nil, err
		}
	}
	return s.signCheckpoint(ctx, tx, int64(len(ids)))
}

// RotateKeys replaces the store's signing key by next's (next.Rotate() of the current keys): the
// current key is recorded as retired, the new one as active, and a checkpoint of the log as it
// stands is signed with the new key, in one transaction.
func (s *DB) RotateKeys(ctx context.Context, next *custodylog.Keyring) error {
	if err := homeward.Require(ctx, homeward.PermSettings); err != nil {
		return err
	}
	if s.keys == nil || len(next.Retired) == 0 || next.Retired[len(next.Retired)-1] != s.keys.VKey {
		return homeward.Errorf(homeward.EINVALID, "custody key rotation: the new keys must retire the current key")
	}
	var signed *signedCheckpoint
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.lockLog(ctx, tx); err != nil {
			return err
		}
		var err error
		signed, err = s.rotateIn(ctx, tx, s.keys.VKey, next)
		return err
	})
	if err != nil {
		return err
	}
	s.keys, s.key = next, next.MAC
	return s.writeWitness(signed)
}

// rotateIn records next as the active key in place of the key old, and signs a checkpoint of the
// log as it stands with next, after checking the log under the keys it was signed with.
func (s *DB) rotateIn(ctx context.Context, tx *sql.Tx, old string, next *custodylog.Keyring) (*signedCheckpoint, error) {
	prev := s.keys
	s.keys = next // next trusts old (retired), so the log head checks under it
	defer func() { s.keys = prev }()
	n, err := s.logHead(ctx, tx)
	if err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE custody_keys SET retired_at = $1 WHERE vkey = $2 AND retired_at IS NULL", s.now(), old); err != nil {
		return nil, mapErr(err, "custody_key", "")
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO custody_keys (vkey, created_at) VALUES ($1, $2)", next.VKey, s.now()); err != nil {
		return nil, mapErr(err, "custody_key", "")
	}
	var signed *signedCheckpoint
	if n > 0 {
		if signed, err = s.signCheckpoint(ctx, tx, n); err != nil {
			return nil, err
		}
	}
	if err := s.audit(ctx, tx, "rotate", "custody_key", 0, "custody signing key", map[string]string{"vkey": old}, map[string]string{"vkey": next.VKey}); err != nil {
		return nil, err
	}
	return signed, nil
}

// CustodyVerifierKeys returns the public verifier keys of the custody log, current first.
func (s *DB) CustodyVerifierKeys() []string {
	if s.keys == nil {
		return nil
	}
	return append([]string{s.keys.VKey}, s.keys.Retired...)
}

// Keys returns the store's custody keys.
func (s *DB) Keys() *custodylog.Keyring { return s.keys }

// NewestCheckpoint returns the newest signed checkpoint of the custody log (signed-note text).
func (s *DB) NewestCheckpoint(ctx context.Context) ([]byte, error) {
	if err := homeward.Require(ctx, homeward.PermRead); err != nil {
		return nil, err
	}
	msg, err := newestNote(ctx, s.db)
	if err != nil {
		return nil, err
	}
	if msg == "" {
		return nil, homeward.Errorf(homeward.ENOTFOUND, "the custody log has no checkpoint yet (no custody event was recorded)")
	}
	return []byte(msg), nil
}
