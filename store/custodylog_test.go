package store_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/custodylog"
	"github.com/homeward/homeward/store"
	"github.com/homeward/homeward/store/storetest"
)

// chainOf makes a container with a receipt and n-1 storage events.
func chainOf(t *testing.T, db *store.DB, ctx context.Context, n int) *homeward.Container {
	t.Helper()
	c := newContainer(t, db, ctx)
	receipt(db, ctx, t, c)
	for i := 2; i <= n; i++ {
		if err := db.AppendCustodyEvent(ctx, c.ID, &homeward.CustodyEvent{Kind: homeward.CustodyStorage, OccurredAt: t0.Add(time.Duration(i) * time.Hour), Location: fmt.Sprint("vault ", i)}); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

func exec(t *testing.T, db *store.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.SQL().Exec(q, args...); err != nil {
		t.Fatalf("tamper %q: %v", q, err)
	}
}

// hasProblem reports whether the report names a problem of the kind (for the container, if given).
func hasProblem(r *homeward.CustodyLogReport, kind, container string) bool {
	for _, p := range r.Problems {
		if p.Kind == kind && (container == "" || p.Container == container) {
			return true
		}
	}
	return false
}

// Someone with write access to the database but not the key shortens a chain and rolls its head
// back, deletes a whole chain, or deletes a container: the chains alone look intact, the custody
// log names each, and the container accepts no further event.
func TestLogDetectsTruncationAndDeletion(t *testing.T) {
	tampers := []struct {
		name, kind string
		do         func(t *testing.T, db *store.DB, c *homeward.Container)
	}{
		{"truncate and roll the head back", custodylog.ProblemTruncated, func(t *testing.T, db *store.DB, c *homeward.Container) {
			exec(t, db, "DELETE FROM custody_events WHERE container_id = $1 AND seq > 2", c.ID)
			exec(t, db, "UPDATE containers SET head_seq = 2, head_hash = (SELECT hash FROM custody_events WHERE container_id = $1 AND seq = 2) WHERE id = $1", c.ID)
		}},
		{"delete the whole chain", custodylog.ProblemTruncated, func(t *testing.T, db *store.DB, c *homeward.Container) {
			exec(t, db, "DELETE FROM custody_events WHERE container_id = $1", c.ID)
			exec(t, db, "UPDATE containers SET head_seq = 0, head_hash = '' WHERE id = $1", c.ID)
		}},
		{"delete the container", custodylog.ProblemContainer, func(t *testing.T, db *store.DB, c *homeward.Container) {
			exec(t, db, "DELETE FROM custody_events WHERE container_id = $1", c.ID)
			exec(t, db, "DELETE FROM containers WHERE id = $1", c.ID)
		}},
	}
	for _, d := range storetest.Dialects(t) {
		for _, tt := range tampers {
			t.Run(d+"/"+tt.name, func(t *testing.T) {
				db := storetest.Open(t, d)
				ctx := storetest.Admin(t, db)
				c := chainOf(t, db, ctx, 4)
				other := chainOf(t, db, ctx, 2)
				if r, err := db.VerifyCustodyLog(ctx, nil); err != nil || !r.OK() {
					t.Fatalf("before tampering: %+v %v", r, err)
				}
				tt.do(t, db, c)
				r, err := db.VerifyCustodyLog(ctx, nil)
				if err != nil {
					t.Fatal(err)
				}
				if !hasProblem(r, tt.kind, c.Accession) {
					t.Errorf("want a %s problem for %s, got %+v", tt.kind, c.Accession, r.Problems)
				}
				for _, p := range r.Problems {
					if p.Container != c.Accession {
						t.Errorf("an untouched container is named: %+v", p)
					}
				}
				if tt.kind == custodylog.ProblemContainer {
					return
				}
				if p, err := db.VerifyCustody(ctx, c.ID); err != nil || p == nil {
					t.Errorf("per-container verify: %v %v", p, err)
				}
				err = db.AppendCustodyEvent(ctx, c.ID, &homeward.CustodyEvent{Kind: homeward.CustodyReceipt, OccurredAt: t0.Add(9 * time.Hour), To: "UNC", Location: "x"})
				if homeward.ErrorCode(err) != homeward.ECONFLICT || !strings.Contains(err.Error(), "custody log") {
					t.Errorf("append on top of a shortened chain: %v", err)
				}
				if p, err := db.VerifyCustody(ctx, other.ID); err != nil || p != nil {
					t.Errorf("untouched container: %v %v", p, err)
				}
			})
		}
	}
}

// An attacker who also deletes the log entries and the newer checkpoints, so that the database
// is consistent with an older state, still disagrees with the witness file outside the database
// and with an exported checkpoint.
func TestLogRolledBackIsCaughtByWitnessAndExport(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			witness := filepath.Join(t.TempDir(), "keys", "custody.checkpoint")
			db, err := store.Open(context.Background(), store.Options{URL: storetest.URL(t, d), CustodyKey: storetest.Key, Witness: witness})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if err := db.Migrate(context.Background()); err != nil {
				t.Fatal(err)
			}
			ctx := storetest.Admin(t, db)
			c := chainOf(t, db, ctx, 2)
			exported, err := db.NewestCheckpoint(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if err := db.AppendCustodyEvent(ctx, c.ID, &homeward.CustodyEvent{Kind: homeward.CustodyStorage, OccurredAt: t0.Add(5 * time.Hour), Location: "vault 3"}); err != nil {
				t.Fatal(err)
			}
			if err := db.SyncWitness(); err != nil {
				t.Fatal(err)
			}
			if w, err := os.ReadFile(witness); err != nil || !strings.Contains(string(w), "\n3\n") {
				t.Fatalf("witness after 3 appends: %q %v", w, err)
			}
			// Roll everything back to two events: chain, head, log, hashes and checkpoints.
			exec(t, db, "DELETE FROM custody_events WHERE container_id = $1 AND seq = 3", c.ID)
			exec(t, db, "UPDATE containers SET head_seq = 2, head_hash = (SELECT hash FROM custody_events WHERE container_id = $1 AND seq = 2) WHERE id = $1", c.ID)
			exec(t, db, "DELETE FROM custody_log WHERE n >= 2")
			exec(t, db, "DELETE FROM custody_log_hashes WHERE idx >= 3")
			exec(t, db, "DELETE FROM custody_checkpoints WHERE size > 2")
			r, err := db.VerifyCustodyLog(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !hasProblem(r, custodylog.ProblemRewritten, "") || !strings.Contains(fmt.Sprint(r.Problems), "fewer than the 3") {
				t.Errorf("witness: %+v", r.Problems)
			}
			// The exported checkpoint of size 2 is consistent with the rolled-back log (it was
			// taken before the deleted event): alone it does not see this rollback...
			os.Remove(witness)
			if r, _ := db.VerifyCustodyLog(ctx, [][]byte{exported}); !r.OK() {
				t.Errorf("the size-2 export should agree with a size-2 log: %+v", r.Problems)
			}
			// ...but it does see a rewrite of the history it covers (the hash recomputed; the MAC
			// cannot be without the key).
			events, err := db.ListCustodyEvents(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			events[0].Notes = "rewritten"
			exec(t, db, "UPDATE custody_events SET notes = $1, hash = $2 WHERE id = $3", events[0].Notes, events[0].ComputeHash(c.Accession), events[0].ID)
			r, _ = db.VerifyCustodyLog(ctx, [][]byte{exported})
			if !hasProblem(r, custodylog.ProblemRewritten, "") || !hasProblem(r, custodylog.ProblemChain, c.Accession) {
				t.Errorf("rewrite against the export: %+v", r.Problems)
			}
		})
	}
}

// An insider holding the key rewrites an event, recomputes the chain with the key and rebuilds
// the log and its checkpoints from scratch: the store verifies on its own, and only a checkpoint
// exported before, held by someone else, shows that history was rewritten.
func TestInsiderRewriteCaughtByExportedCheckpoint(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		ctx := storetest.Admin(t, db)
		c := chainOf(t, db, ctx, 3)
		exported, err := db.NewestCheckpoint(ctx)
		if err != nil {
			t.Fatal(err)
		}
		events, err := db.ListCustodyEvents(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		prev := ""
		for i := range events {
			e := &events[i]
			if e.Seq == 2 {
				e.Location = "somewhere else"
			}
			e.PrevHash = prev
			e.Seal(c.Accession, storetest.Key)
			prev = e.Hash
			exec(t, db, "UPDATE custody_events SET location = $1, prev_hash = $2, hash = $3, mac = $4 WHERE id = $5", e.Location, e.PrevHash, e.Hash, e.MAC, e.ID)
		}
		exec(t, db, "UPDATE containers SET head_hash = $1 WHERE id = $2", prev, c.ID)
		for _, table := range []string{"custody_log", "custody_log_hashes", "custody_checkpoints", "custody_keys"} {
			exec(t, db, "DELETE FROM "+table)
		}
		k, _ := custodylog.KeyringFromMAC(storetest.Key)
		if err := db.BindKeys(context.Background(), k); err != nil {
			t.Fatal(err)
		}
		if r, err := db.VerifyCustodyLog(ctx, nil); err != nil || !r.OK() {
			t.Fatalf("the rewritten store verifies on its own: %+v %v", r, err)
		}
		r, err := db.VerifyCustodyLog(ctx, [][]byte{exported})
		if err != nil || !hasProblem(r, custodylog.ProblemRewritten, "") {
			t.Errorf("against the exported checkpoint: %+v %v", r, err)
		}
	})
}

// Another key is refused at start (the store records the key that signs it), a forged
// checkpoint is refused, and a rotated key keeps old checkpoints verifiable.
func TestKeysReplacedForgedAndRotated(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		ctx := storetest.Admin(t, db)
		c := chainOf(t, db, ctx, 2)
		old, err := db.NewestCheckpoint(ctx)
		if err != nil {
			t.Fatal(err)
		}
		other, _ := custodylog.NewKeyring()
		var mismatch *store.KeyMismatchError
		if err := db.BindKeys(context.Background(), other); !errors.As(err, &mismatch) || mismatch.Given != other.VKey {
			t.Errorf("another key: %v", err)
		}
		// A checkpoint signed by another key, put in the database, is not believed.
		forged, _ := other.Sign(custodylog.Checkpoint{Size: 2})
		exec(t, db, "INSERT INTO custody_checkpoints (size, signed_note, created_at) VALUES (99, $1, $2)", string(forged), time.Now())
		r, _ := db.VerifyCustodyLog(ctx, nil)
		if !hasProblem(r, custodylog.ProblemCheckpoint, "") {
			t.Errorf("forged checkpoint: %+v", r.Problems)
		}
		if err := db.AppendCustodyEvent(ctx, c.ID, &homeward.CustodyEvent{Kind: homeward.CustodyStorage, OccurredAt: t0.Add(7 * time.Hour), Location: "y"}); homeward.ErrorCode(err) != homeward.ECONFLICT {
			t.Errorf("append over a forged checkpoint: %v", err)
		}
		exec(t, db, "DELETE FROM custody_checkpoints WHERE size = 99")
		// Rotation: the new key signs, the old checkpoint still verifies, appends go on.
		next, err := db.Keys().Rotate()
		if err != nil {
			t.Fatal(err)
		}
		if err := db.RotateKeys(ctx, next); err != nil {
			t.Fatal(err)
		}
		if err := db.AppendCustodyEvent(ctx, c.ID, &homeward.CustodyEvent{Kind: homeward.CustodyStorage, OccurredAt: t0.Add(8 * time.Hour), Location: "z"}); err != nil {
			t.Fatal(err)
		}
		r, err = db.VerifyCustodyLog(ctx, [][]byte{old})
		if err != nil || !r.OK() || r.LogSize != 3 {
			t.Errorf("after rotation: %+v %v", r, err)
		}
		newest, _ := db.NewestCheckpoint(ctx)
		if _, err := custodylog.OpenWith(newest, next.Retired[0]); err == nil {
			t.Error("the newest checkpoint verifies under the retired key alone")
		}
		if _, err := custodylog.OpenWith(newest, next.VKey); err != nil {
			t.Errorf("newest checkpoint under the new public key: %v", err)
		}
		// The old keyring alone no longer opens the store.
		prevRing, _ := custodylog.KeyringFromMAC(storetest.Key)
		if err := db.BindKeys(context.Background(), prevRing); !errors.As(err, &mismatch) {
			t.Errorf("the retired key opened the store: %v", err)
		}
	})
}

// Retries of one append racing each other (a client that timed out and retried, several times)
// store one event; every retry answers with it.
func TestIdempotentAppendsRace(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		ctx := storetest.Admin(t, db)
		c := chainOf(t, db, ctx, 1)
		const n = 8
		ids := make(chan int64, n)
		errs := make(chan error, n)
		for i := 0; i < n; i++ {
			go func() {
				e := &homeward.CustodyEvent{Kind: homeward.CustodyStorage, OccurredAt: t0.Add(time.Hour), Location: "vault"}
				_, err := db.AppendCustodyEventWith(ctx, c.ID, e, homeward.AppendOptions{IdempotencyKey: "retry-1"})
				errs <- err
				ids <- e.ID
			}()
		}
		seen := map[int64]bool{}
		for i := 0; i < n; i++ {
			if err := <-errs; err != nil {
				t.Error(err)
			}
			seen[<-ids] = true
		}
		events, _ := db.ListCustodyEvents(ctx, c.ID)
		if len(events) != 2 || len(seen) != 1 || !seen[events[1].ID] {
			t.Errorf("%d events, answers %v", len(events), seen)
		}
		head := events[1].Hash
		stale := events[0].Hash
		if _, err := db.AppendCustodyEventWith(ctx, c.ID, &homeward.CustodyEvent{Kind: homeward.CustodyStorage, OccurredAt: t0.Add(2 * time.Hour), Location: "x"},
			homeward.AppendOptions{ExpectHead: &stale}); homeward.ErrorCode(err) != homeward.EPRECONDITION {
			t.Errorf("stale head: %v", err)
		}
		if _, err := db.AppendCustodyEventWith(ctx, c.ID, &homeward.CustodyEvent{Kind: homeward.CustodyStorage, OccurredAt: t0.Add(2 * time.Hour), Location: "x"},
			homeward.AppendOptions{ExpectHead: &head}); err != nil {
			t.Errorf("current head: %v", err)
		}
	})
}

// A NUL character or invalid UTF-8 in a name is refused naming the field, on both stores (it was
// a 500 on PostgreSQL), in single records, imports and custody events alike.
func TestTextThatStoresCannotKeepIsRefused(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		ctx := storetest.Admin(t, db)
		for _, name := range []string{"Kim\x00Chul-min", "Kim \xff"} {
			err := db.CreateMissingPerson(ctx, &homeward.MissingPerson{FamilyName: name, ServiceNumber: "X-1", Nationality: "KOR"})
			if homeward.ErrorCode(err) != homeward.EINVALID || !strings.Contains(err.Error(), "missing_person.family_name") {
				t.Errorf("%q: %v", name, err)
			}
			rep, err := db.ImportMissingPersons(ctx, []homeward.MissingPerson{{FamilyName: name, ServiceNumber: "X-2", Nationality: "KOR"}}, nil)
			if err != nil || len(rep.Rejected) != 1 || rep.Rejected[0].Field != "missing_person.family_name" {
				t.Errorf("import %q: %+v %v", name, rep, err)
			}
		}
		c := chainOf(t, db, ctx, 1)
		err := db.AppendCustodyEvent(ctx, c.ID, &homeward.CustodyEvent{Kind: homeward.CustodyStorage, OccurredAt: t0.Add(time.Hour), Location: "shelf\x00"})
		if homeward.ErrorCode(err) != homeward.EINVALID || !strings.Contains(err.Error(), "custody_event.location") {
			t.Errorf("custody event: %v", err)
		}
	})
}
