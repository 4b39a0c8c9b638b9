package custodylog

import (
	"encoding/hex"
	"fmt"
	"sort"

	"github.com/homeward/homeward"
	"golang.org/x/mod/sumdb/tlog"
)

// Chain is one container's custody chain as stored, with the head recorded on the container.
type Chain struct {
	Accession string
	HeadSeq   int64
	HeadHash  string
	Events    []homeward.CustodyEvent // ordered by seq, then id
}

// Entry is one leaf of the log as stored: which event it records.
type Entry struct {
	N         int64
	EventID   int64
	Accession string
	Seq       int64
	LeafHash  string // hex
}

// Snapshot is everything verification reads, from one consistent read of the store.
type Snapshot struct {
	Chains  []Chain
	Entries []Entry // ordered by N
	// Newest is the newest signed checkpoint the store keeps (nil: none).
	Newest []byte
}

// Problem kinds name what verification found.
const (
	ProblemChain      = "chain"             // an event edited, forged, deleted, inserted or reordered within its chain
	ProblemTruncated  = "truncated"         // a logged event is gone from its chain
	ProblemContainer  = "container-deleted" // a logged container is gone
	ProblemUnlogged   = "unlogged"          // an event that is in no log entry
	ProblemEdited     = "edited"            // a logged event's content differs from what was logged
	ProblemLog        = "log"               // log entries missing, duplicated or out of order
	ProblemCheckpoint = "checkpoint"        // no signed checkpoint, a bad signature, or the log disagrees with it
	ProblemRewritten  = "rewritten"         // the log is not an extension of an earlier checkpoint
	ProblemUnsigned   = "unsigned-entries"  // entries after the newest signed checkpoint
)

// Problem and Report are the domain's.
type (
	Problem = homeward.ChainProblem
	Report  = homeward.CustodyLogReport
)

// Verify checks a snapshot with the keyring: every chain (hashes, MACs, head), every log entry
// against the event it records, every event against the log, the tree rebuilt from the events
// against the newest signed checkpoint, and that tree against each earlier checkpoint given
// (exported ones, a witness copy), so that truncation, deletion of a chain or container,
// reordering, insertion and edits are each found and named.
func Verify(s Snapshot, k *Keyring, earlier ...[]byte) (*Report, *Tree) {
	r := &Report{Containers: len(s.Chains), Problems: []Problem{}}
	add := func(p Problem) { r.Problems = append(r.Problems, p) }
	type key struct {
		acc string
		seq int64
	}
	events := map[key]*homeward.CustodyEvent{}
	for _, c := range s.Chains {
		r.Events += len(c.Events)
		if p := homeward.VerifyChain(c.Accession, k.MAC, c.Events, c.HeadSeq, c.HeadHash); p != nil {
			add(Problem{Kind: ProblemChain, Container: p.Container, Seq: p.Seq, EventID: p.EventID, Reason: p.Reason})
		}
		for i := range c.Events {
			events[key{c.Accession, c.Events[i].Seq}] = &c.Events[i]
		}
	}
	accessions := map[string]bool{}
	for _, c := range s.Chains {
		accessions[c.Accession] = true
	}
	tree := &Tree{}
	logged := map[int64]bool{}
	for i, en := range s.Entries {
		n := en.N
		if en.N != int64(i) {
			add(Problem{Kind: ProblemLog, LogEntry: &n, Reason: fmt.Sprintf("log entry %d stands where entry %d was expected (entries were deleted or inserted)", en.N, i)})
		}
		leaf, err := DecodeHash(en.LeafHash)
		if err != nil {
			add(Problem{Kind: ProblemLog, LogEntry: &n, Container: en.Accession, Seq: en.Seq, Reason: "log leaf hash " + err.Error()})
		}
		e := events[key{en.Accession, en.Seq}]
		switch {
		case e == nil && !accessions[en.Accession]:
			add(Problem{Kind: ProblemContainer, LogEntry: &n, Container: en.Accession, Seq: en.Seq, Reason: "the container is in the log but no longer in the store (it was deleted)"})
		case e == nil:
			add(Problem{Kind: ProblemTruncated, LogEntry: &n, Container: en.Accession, Seq: en.Seq, Reason: "the event is in the log but no longer in its chain (the chain was shortened)"})
		default:
			logged[e.ID] = true
			if e.ID != en.EventID {
				add(Problem{Kind: ProblemEdited, LogEntry: &n, Container: en.Accession, Seq: en.Seq, Reason: fmt.Sprintf("the log recorded event id %d here, the store holds id %d (the event was replaced)", en.EventID, e.ID)})
			}
			if now := LeafHash(en.Accession, en.Seq, e.Hash); now != leaf {
				add(Problem{Kind: ProblemEdited, LogEntry: &n, Container: en.Accession, Seq: en.Seq, Reason: "the event differs from what the log recorded (edited or recomputed)"})
			}
			leaf = LeafHash(en.Accession, en.Seq, e.Hash) // the tree is rebuilt from the events as they are now
		}
		if err := tree.Append(leaf); err != nil {
			add(Problem{Kind: ProblemLog, LogEntry: &n, Reason: err.Error()})
			return r, tree
		}
	}
	for _, c := range s.Chains {
		for _, e := range c.Events {
			if !logged[e.ID] {
				add(Problem{Kind: ProblemUnlogged, Container: c.Accession, Seq: e.Seq, Reason: "the event is in no log entry (it was inserted outside Homeward)"})
			}
		}
	}
	r.LogSize = tree.Size()
	root, _ := tree.Root(tree.Size())
	r.Root = hex.EncodeToString(root[:])
	checkNewest(r, s, k, tree)
	for i, msg := range earlier {
		c, _, err := k.Open(msg)
		if err != nil {
			add(Problem{Kind: ProblemCheckpoint, Reason: fmt.Sprintf("earlier checkpoint %d: %v", i+1, err)})
			continue
		}
		if err := tree.Consistent(c); err != nil {
			add(Problem{Kind: ProblemRewritten, Reason: fmt.Sprintf("against the checkpoint of size %d: %v", c.Size, err)})
		}
	}
	sort.SliceStable(r.Problems, func(i, j int) bool { return r.Problems[i].Container < r.Problems[j].Container })
	return r, tree
}

// checkNewest compares the rebuilt tree with the newest signed checkpoint.
func checkNewest(r *Report, s Snapshot, k *Keyring, tree *Tree) {
	add := func(p Problem) { r.Problems = append(r.Problems, p) }
	if s.Newest == nil {
		if tree.Size() > 0 {
			add(Problem{Kind: ProblemCheckpoint, Reason: fmt.Sprintf("the log has %d entries and no signed checkpoint (checkpoints were deleted)", tree.Size())})
		}
		return
	}
	c, hash, err := k.Open(s.Newest)
	if err != nil {
		add(Problem{Kind: ProblemCheckpoint, Reason: "newest checkpoint: " + err.Error()})
		return
	}
	r.CheckpointSize, r.SignedBy = c.Size, fmt.Sprintf("%08x", hash)
	if tree.Size() > c.Size {
		add(Problem{Kind: ProblemUnsigned, Reason: fmt.Sprintf("the log has %d entries but the newest signed checkpoint covers %d (entries were added outside Homeward, or newer checkpoints deleted)", tree.Size(), c.Size)})
	}
	if err := tree.Consistent(c); err != nil {
		add(Problem{Kind: ProblemCheckpoint, Reason: "newest checkpoint: " + err.Error()})
	}
}

// DecodeHash reads a hash written as hex (leaf and stored hashes as the store keeps them).
func DecodeHash(s string) (tlog.Hash, error) {
	var h tlog.Hash
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != tlog.HashSize {
		return h, fmt.Errorf("%q is not a hex SHA-256", s)
	}
	copy(h[:], b)
	return h, nil
}
