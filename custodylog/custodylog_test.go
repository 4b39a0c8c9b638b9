package custodylog

import (
	"encoding/hex"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/tlog"
)

func TestKeyringFormats(t *testing.T) {
	mac := strings.Repeat("ab", 32)
	legacy, err := ParseKeyring(mac + "\n")
	if err != nil {
		t.Fatal(err)
	}
	// A bare hex key and the same MAC key written as a token are one keyring (derived signer).
	tok, err := ParseKeyring("# comment\nmac:" + mac + "\n")
	if err != nil || tok.VKey != legacy.VKey || hex.EncodeToString(tok.MAC) != mac {
		t.Fatalf("mac token: %v %v", err, tok)
	}
	rot, err := legacy.Rotate()
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseKeyring(rot.Text())
	if err != nil || back.VKey != rot.VKey || len(back.Retired) != 1 || back.Retired[0] != legacy.VKey || string(back.MAC) != string(legacy.MAC) {
		t.Fatalf("rotated keyring round trip: %v %+v", err, back)
	}
	for _, bad := range []string{"zz", "mac:abcd", "sign:00 mac:" + mac, "mac:" + mac + " verify:nonsense", "colour:red mac:" + mac} {
		if _, err := ParseKeyring(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestCheckpointSignAndOpen(t *testing.T) {
	k, err := NewKeyring()
	if err != nil {
		t.Fatal(err)
	}
	c := Checkpoint{Size: 7, Root: tlog.RecordHash([]byte("x"))}
	msg, err := k.Sign(c)
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := k.Open(msg)
	if err != nil || got != c {
		t.Fatalf("open: %v %+v", err, got)
	}
	if got, err := OpenWith(msg, k.VKey); err != nil || got != c {
		t.Errorf("open with the public key: %v", err)
	}
	other, _ := NewKeyring()
	if _, _, err := other.Open(msg); err == nil {
		t.Error("another key opened the checkpoint")
	}
	tampered := strings.Replace(string(msg), "\n7\n", "\n8\n", 1)
	if _, _, err := k.Open([]byte(tampered)); err == nil {
		t.Error("a changed size kept its signature")
	}
	rot, _ := k.Rotate()
	if _, _, err := rot.Open(msg); err != nil {
		t.Errorf("a rotated keyring no longer opens old checkpoints: %v", err)
	}
	for _, bad := range []string{"", "other origin\n1\nAAAA\n", Origin + "\n-1\n\n", Origin + "\n1\nnot base64\n"} {
		if _, err := ParseCheckpoint(bad); err == nil {
			t.Errorf("checkpoint %q parsed", bad)
		}
	}
}

// The in-memory tree gives tlog's roots, and a tree that extends another proves consistent with it
// while a changed leaf does not.
func TestTreeConsistency(t *testing.T) {
	var a, b Tree
	for i := 0; i < 13; i++ {
		l := LeafHash("K55-2018-001", int64(i+1), strings.Repeat("0", 63)+string(rune('a'+i%6)))
		a.Append(l)
		if i == 4 {
			l = LeafHash("K55-2018-001", int64(i+1), "edited")
		}
		b.Append(l)
	}
	for n := int64(1); n <= 13; n++ {
		root, _ := a.Root(n)
		if err := a.Consistent(Checkpoint{Size: n, Root: root}); err != nil {
			t.Fatalf("prefix %d: %v", n, err)
		}
		if err := b.Consistent(Checkpoint{Size: n, Root: root}); (err == nil) != (n <= 4) {
			t.Errorf("edited tree against prefix %d: %v", n, err)
		}
	}
	if err := a.Consistent(Checkpoint{Size: 14}); err == nil || !strings.Contains(err.Error(), "fewer") {
		t.Errorf("larger checkpoint: %v", err)
	}
}

func FuzzParseKeyring(f *testing.F) {
	f.Add(strings.Repeat("ab", 32))
	f.Add("mac:" + strings.Repeat("01", 16) + "\nsign:" + strings.Repeat("02", 32) + "\nverify:homeward-custody+12345678+AQID")
	f.Fuzz(func(t *testing.T, s string) {
		k, err := ParseKeyring(s)
		if err != nil {
			return
		}
		again, err := ParseKeyring(k.Text())
		if err != nil || again.VKey != k.VKey {
			t.Fatalf("round trip: %v", err)
		}
	})
}

func FuzzParseCheckpoint(f *testing.F) {
	f.Add(Checkpoint{Size: 3, Root: tlog.RecordHash(nil)}.Text())
	f.Add(Origin + "\n0\n\n")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCheckpoint(s)
		if err != nil {
			return
		}
		if back, err := ParseCheckpoint(c.Text()); err != nil || back != c {
			t.Fatalf("round trip %+v: %v", c, err)
		}
	})
}
