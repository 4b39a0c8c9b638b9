package custodylog

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// Origin is the first line of every checkpoint of a Homeward custody log.
const Origin = "homeward custody log v1"

// Leaf is the record of custody event seq of the container with the given accession number, whose
// hash (hex SHA-256) covers the event's whole content, its photo hashes and the previous event's
// hash.
func Leaf(accession string, seq int64, eventHash string) []byte {
	return fmt.Appendf(nil, "homeward custody event v1\n%s\n%d\n%s\n", strconv.Quote(accession), seq, eventHash)
}

// LeafHash is the Merkle leaf hash of an event (RFC 6962: SHA-256 of 0x00 and the record).
func LeafHash(accession string, seq int64, eventHash string) tlog.Hash {
	return tlog.RecordHash(Leaf(accession, seq, eventHash))
}

// Checkpoint is the state of the log: how many leaves, and the root hash over them.
type Checkpoint struct {
	Size int64
	Root tlog.Hash
}

// Text is the checkpoint's note body: origin, size and base64 root, one per line (the layout of
// C2SP checkpoints).
func (c Checkpoint) Text() string {
	return fmt.Sprintf("%s\n%d\n%s\n", Origin, c.Size, base64.StdEncoding.EncodeToString(c.Root[:]))
}

// ParseCheckpoint reads a checkpoint body.
func ParseCheckpoint(text string) (Checkpoint, error) {
	lines := strings.Split(text, "\n")
	if len(lines) < 4 || lines[0] != Origin {
		return Checkpoint{}, fmt.Errorf("checkpoint: not a %q checkpoint", Origin)
	}
	n, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || n < 0 {
		return Checkpoint{}, fmt.Errorf("checkpoint: size %q is not a count", lines[1])
	}
	root, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(root) != tlog.HashSize {
		return Checkpoint{}, errors.New("checkpoint: root is not a base64 SHA-256")
	}
	c := Checkpoint{Size: n}
	copy(c.Root[:], root)
	return c, nil
}

// Sign returns the checkpoint as a note signed with the keyring's current key.
func (k *Keyring) Sign(c Checkpoint) ([]byte, error) {
	s, err := k.Signer()
	if err != nil {
		return nil, err
	}
	return note.Sign(&note.Note{Text: c.Text()}, s)
}

// Open checks a signed checkpoint against the keyring's current and retired keys and returns it
// with the verifier key hash that signed it.
func (k *Keyring) Open(msg []byte) (Checkpoint, uint32, error) {
	vs, err := k.Verifiers()
	if err != nil {
		return Checkpoint{}, 0, err
	}
	n, err := note.Open(msg, vs)
	if err != nil {
		var unverified *note.UnverifiedNoteError
		if errors.As(err, &unverified) {
			return Checkpoint{}, 0, errors.New("checkpoint is not signed by this store's custody key (current or retired)")
		}
		return Checkpoint{}, 0, fmt.Errorf("checkpoint signature: %w", err)
	}
	c, err := ParseCheckpoint(n.Text)
	if err != nil {
		return Checkpoint{}, 0, err
	}
	return c, n.Sigs[0].Hash, nil
}

// OpenWith checks a signed checkpoint against verifier keys given as text (one per line), for a
// third party holding only the public keys (homeward custody key export).
func OpenWith(msg []byte, vkeys string) (Checkpoint, error) {
	var list []note.Verifier
	for _, l := range strings.Fields(vkeys) {
		v, err := note.NewVerifier(l)
		if err != nil {
			return Checkpoint{}, fmt.Errorf("verifier key %q: %w", l, err)
		}
		list = append(list, v)
	}
	if len(list) == 0 {
		return Checkpoint{}, errors.New("no verifier key given")
	}
	n, err := note.Open(msg, note.VerifierList(list...))
	if err != nil {
		return Checkpoint{}, fmt.Errorf("checkpoint signature: %w", err)
	}
	return ParseCheckpoint(n.Text)
}
