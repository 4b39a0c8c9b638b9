package custodylog

import (
	"fmt"

	"golang.org/x/mod/sumdb/tlog"
)

// Tree is a Merkle tree held in memory: the stored hashes of tlog, in their storage order, so that
// tlog computes roots and proofs over it. Verification rebuilds the whole tree from the leaves
// this way, independently of the hashes a store keeps for its appends.
type Tree struct {
	hashes []tlog.Hash
	n      int64
}

// Append adds a leaf hash.
func (t *Tree) Append(leaf tlog.Hash) error {
	hs, err := tlog.StoredHashesForRecordHash(t.n, leaf, t)
	if err != nil {
		return fmt.Errorf("log leaf %d: %w", t.n, err)
	}
	t.hashes = append(t.hashes, hs...)
	t.n++
	return nil
}

// Size is the number of leaves.
func (t *Tree) Size() int64 { return t.n }

// ReadHashes implements tlog.HashReader.
func (t *Tree) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		if x < 0 || x >= int64(len(t.hashes)) {
			return nil, fmt.Errorf("log hash %d not in a tree of %d leaves", x, t.n)
		}
		out[i] = t.hashes[x]
	}
	return out, nil
}

// Root is the root hash over the first n leaves.
func (t *Tree) Root(n int64) (tlog.Hash, error) {
	if n > t.n {
		return tlog.Hash{}, fmt.Errorf("root of %d leaves asked of a tree of %d", n, t.n)
	}
	return tlog.TreeHash(n, t)
}

// Consistent checks, with an RFC 6962 consistency proof, that the checkpoint old is a prefix of
// this tree: the tree of old.Size leaves that old signed is the beginning of this one.
func (t *Tree) Consistent(old Checkpoint) error {
	if old.Size > t.n {
		return fmt.Errorf("the log holds %d entries, fewer than the %d of the checkpoint (entries were deleted)", t.n, old.Size)
	}
	root, err := t.Root(t.n)
	if err != nil {
		return err
	}
	proof, err := tlog.ProveTree(t.n, old.Size, t)
	if err != nil {
		return err
	}
	if err := tlog.CheckTree(proof, t.n, root, old.Size, old.Root); err != nil {
		return fmt.Errorf("the log's first %d entries are not those the checkpoint signed (the log was rewritten): %w", old.Size, err)
	}
	return nil
}
