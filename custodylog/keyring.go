// Package custodylog makes Homeward's custody record a transparency log in the style of
// Certificate Transparency (RFC 6962/9162) and Go's checksum database: every custody event is a
// leaf of one append-only Merkle tree over all containers (golang.org/x/mod/sumdb/tlog), and
// every append ends with a checkpoint (tree size and root hash) signed with Ed25519 in the
// signed-note format (golang.org/x/mod/sumdb/note). It holds the keys, the leaf and checkpoint
// formats and the verification of a store's snapshot; it does no I/O of its own.
package custodylog

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"

	"golang.org/x/mod/sumdb/note"
)

// KeyName names Homeward's custody keys in signed notes.
const KeyName = "homeward-custody"

// Keyring holds the secrets of a custody log: the MAC key of the events' HMACs (it never changes:
// old events keep their MACs) and the Ed25519 key that signs checkpoints (it can be rotated: the
// verifier keys of earlier signing keys are kept to verify old checkpoints).
type Keyring struct {
	once      sync.Once
	signer    note.Signer
	verifiers note.Verifiers
	initErr   error

	MAC     []byte
	seed    []byte // Ed25519 seed of the current signing key
	derived bool   // seed derived from MAC (no sign: token)
	VKey    string // verifier key (public) of the current signing key
	Retired []string
}

// deriveSeed makes the signing key of a keyring given only its MAC key: a hex key of earlier
// versions stays a complete keyring, with no new secret to keep.
func deriveSeed(mac []byte) []byte {
	h := sha256.New()
	h.Write([]byte("homeward custody checkpoint signing key v1\x00"))
	h.Write(mac)
	return h.Sum(nil)
}

// KeyringFromMAC returns the keyring of a bare MAC key (the signing key derived from it).
func KeyringFromMAC(mac []byte) (*Keyring, error) {
	if len(mac) < 16 {
		return nil, errors.New("custody key: the MAC key must be at least 16 bytes (32 hex digits)")
	}
	return newKeyring(mac, deriveSeed(mac), true, nil)
}

// NewKeyring makes a fresh keyring from the system's random source.
func NewKeyring() (*Keyring, error) {
	mac := make([]byte, 32)
	if _, err := rand.Read(mac); err != nil {
		return nil, fmt.Errorf("custody key: %w", err)
	}
	return KeyringFromMAC(mac)
}

func newKeyring(mac, seed []byte, derived bool, retired []string) (*Keyring, error) {
	if len(seed) != ed25519.SeedSize {
		return nil, fmt.Errorf("custody key: the signing key must be %d bytes (%d hex digits)", ed25519.SeedSize, 2*ed25519.SeedSize)
	}
	pub := ed25519.NewKeyFromSeed(seed).Public().(ed25519.PublicKey)
	vkey, err := note.NewEd25519VerifierKey(KeyName, pub)
	if err != nil {
		return nil, fmt.Errorf("custody key: %w", err)
	}
	for _, r := range retired {
		if _, err := note.NewVerifier(r); err != nil {
			return nil, fmt.Errorf("custody key: retired verifier key %q: %w", r, err)
		}
	}
	return &Keyring{MAC: mac, seed: seed, derived: derived, VKey: vkey, Retired: retired}, nil
}

// ParseKeyring reads a keyring as written by Text: whitespace-separated tokens "mac:HEX" (required),
// "sign:HEX" (the Ed25519 seed; absent: derived from the MAC key) and "verify:VKEY" (retired
// verifier keys), lines starting with # ignored. A bare hex string, the format of earlier
// versions, is a MAC key.
func ParseKeyring(text string) (*Keyring, error) {
	var mac, seed []byte
	var retired []string
	var lines []string
	for _, l := range strings.Split(text, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "#") {
			lines = append(lines, l)
		}
	}
	tokens := strings.Fields(strings.Join(lines, " "))
	if len(tokens) == 1 && !strings.Contains(tokens[0], ":") {
		b, err := hex.DecodeString(tokens[0])
		if err != nil {
			return nil, errors.New("custody key: not hex digits")
		}
		return KeyringFromMAC(b)
	}
	for _, t := range tokens {
		kind, val, _ := strings.Cut(t, ":")
		var err error
		switch kind {
		case "mac":
			mac, err = hex.DecodeString(val)
		case "sign":
			seed, err = hex.DecodeString(val)
		case "verify":
			retired = append(retired, val)
		default:
			return nil, fmt.Errorf("custody key: unknown token %q (mac:, sign:, verify:)", kind+":")
		}
		if err != nil {
			return nil, fmt.Errorf("custody key: %s: not hex digits", kind)
		}
	}
	if len(mac) < 16 {
		return nil, errors.New("custody key: mac: at least 32 hex digits are required")
	}
	if seed == nil {
		return newKeyring(mac, deriveSeed(mac), true, retired)
	}
	return newKeyring(mac, seed, false, retired)
}

// Text writes the keyring in the format ParseKeyring reads.
func (k *Keyring) Text() string {
	var b strings.Builder
	b.WriteString("# Homeward custody key: secret. Keep it outside the data directory, back it up apart from the database.\n")
	fmt.Fprintf(&b, "mac:%s\n", hex.EncodeToString(k.MAC))
	if !k.derived {
		fmt.Fprintf(&b, "sign:%s\n", hex.EncodeToString(k.seed))
	}
	for _, r := range k.Retired {
		fmt.Fprintf(&b, "verify:%s\n", r)
	}
	return b.String()
}

// Rotate returns a keyring with a new random signing key; the current verifier key joins the
// retired ones, the MAC key stays.
func (k *Keyring) Rotate() (*Keyring, error) {
	seed := make([]byte, ed25519.SeedSize)
	if _, err := rand.Read(seed); err != nil {
		return nil, fmt.Errorf("custody key: %w", err)
	}
	return newKeyring(k.MAC, seed, false, append(append([]string{}, k.Retired...), k.VKey))
}

// init makes the signer and verifiers once (the Ed25519 key expansion costs more than a
// signature).
func (k *Keyring) init() {
	k.once.Do(func() {
		k.verifiers, k.initErr = k.makeVerifiers()
		if k.initErr != nil {
			return
		}
		v, err := note.NewVerifier(k.VKey)
		if err != nil {
			k.initErr = err
			return
		}
		k.signer = edSigner{priv: ed25519.NewKeyFromSeed(k.seed), hash: v.KeyHash()}
	})
}

// Verifiers trusts the current signing key and the retired ones.
func (k *Keyring) Verifiers() (note.Verifiers, error) {
	k.init()
	return k.verifiers, k.initErr
}

func (k *Keyring) makeVerifiers() (note.Verifiers, error) {
	var list []note.Verifier
	for _, vk := range append([]string{k.VKey}, k.Retired...) {
		v, err := note.NewVerifier(vk)
		if err != nil {
			return nil, fmt.Errorf("custody key: verifier %q: %w", vk, err)
		}
		list = append(list, v)
	}
	return note.VerifierList(list...), nil
}

// Signer signs checkpoints with the current key.
func (k *Keyring) Signer() (note.Signer, error) {
	k.init()
	return k.signer, k.initErr
}

// edSigner is a note.Signer over an Ed25519 key held as a seed (note.NewSigner wants the key in
// note's private-key text, which Homeward does not store).
type edSigner struct {
	priv ed25519.PrivateKey
	hash uint32
}

func (s edSigner) Name() string                    { return KeyName }
func (s edSigner) KeyHash() uint32                 { return s.hash }
func (s edSigner) Sign(msg []byte) ([]byte, error) { return ed25519.Sign(s.priv, msg), nil }
