package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/homeward/homeward/blob"
	"github.com/homeward/homeward/custodylog"
)

// The custody log from the command line: a checkpoint exported and proven later, the key outside
// the data directory and never silently replaced, rotation, a third party checking a checkpoint
// with public keys only, and exit status 3 for a failed verification.
func TestCLICustodyLog(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "data")
	vars := map[string]string{"HOMEWARD_DATA_DIR": dir}
	out, err := runCLI(t, vars, "", "migrate")
	if err != nil {
		t.Fatalf("migrate: %v %s", err, out)
	}
	keyFile := filepath.Join(root, "data-keys", "custody.key")
	if !strings.Contains(out, "created the custody key "+keyFile) {
		t.Errorf("first start does not say where the key went: %s", out)
	}
	if fi, err := os.Stat(keyFile); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", fi, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "custody.key")); err == nil {
		t.Error("a key was written into the data directory")
	}
	// Custody events are signed statements: recorded only with the recorder's credential.
	if out, err := runCLI(t, vars, "", "custody", "append", "K55-2018-001", "-kind", "receipt", "-to", "UNC"); err == nil || !strings.Contains(err.Error(), "HOMEWARD_TOKEN") {
		t.Errorf("append without a credential: %v %s", err, out)
	}
	vars = with(vars, "HOMEWARD_TOKEN", tokenFor(t, vars, "admin"))
	mustRun := func(stdin string, args ...string) string {
		t.Helper()
		out, err := runCLI(t, vars, stdin, args...)
		if err != nil {
			t.Fatalf("%v: %v %s", args, err, out)
		}
		return out
	}
	mustRun(`{"accession": "K55-2018-001", "kind": "case"}`, "create", "container")
	receipt := []string{"custody", "append", "K55-2018-001", "-kind", "receipt", "-to", "UNC", "-location", "Wonsan", "-at", "2018-07-27T01:00:00Z", "--idempotency-key", "k55-001-receipt", "--expect-head", "none"}
	first := mustRun("", receipt...)
	if again := mustRun("", receipt...); !strings.Contains(again, "already appended with this idempotency key: "+strings.TrimSpace(first)) {
		t.Errorf("retry: %s, first %s", again, first)
	}
	if out, err := runCLI(t, vars, "", "custody", "append", "K55-2018-001", "-kind", "storage", "-location", "x", "--expect-head", "none"); err == nil || !strings.Contains(err.Error(), "someone appended since") {
		t.Errorf("stale head: %v %s", err, out)
	}
	cp := filepath.Join(root, "checkpoint-1.txt")
	if err := os.WriteFile(cp, []byte(mustRun("", "custody", "checkpoint")), 0o644); err != nil {
		t.Fatal(err)
	}
	// A photo of the opening, kept in the blob store and named by the event.
	bs, err := blob.Open(t.Context(), filepath.Join(dir, "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	photo, _, err := bs.Put(t.Context(), strings.NewReader("photo of the opened box"))
	if err != nil {
		t.Fatal(err)
	}
	mustRun("", "custody", "append", "K55-2018-001", "-kind", "storage", "-location", "Honolulu", "-at", "2018-08-01T01:00:00Z", "-photos", photo)
	if out := mustRun("", "custody", "verify", "--since", cp); !strings.Contains(out, "1 earlier checkpoint(s) checked") || !strings.Contains(out, "1 photo/document reference(s) checked, 0 problem(s)") {
		t.Errorf("verify --since: %s", out)
	}
	// Public keys only: a partner checks the checkpoint's signature without the secret.
	keys := filepath.Join(root, "keys.txt")
	if err := os.WriteFile(keys, []byte(mustRun("", "custody", "key", "export")), 0o644); err != nil {
		t.Fatal(err)
	}
	if out := mustRun("", "custody", "check-checkpoint", "--keys", keys, cp); !strings.Contains(out, "valid signature, 1 entries") {
		t.Errorf("check-checkpoint: %s", out)
	}
	// Rotation: the old checkpoint still proves, the new export lists both keys.
	if out := mustRun("", "custody", "key", "rotate"); !strings.Contains(out, "rotated") {
		t.Errorf("rotate: %s", out)
	}
	if out := mustRun("", "custody", "verify", "--since", cp); !strings.Contains(out, "0 problem(s)") {
		t.Errorf("verify after rotation: %s", out)
	}
	if n := strings.Count(strings.TrimSpace(mustRun("", "custody", "key", "export")), "\n"); n != 1 {
		t.Errorf("export after rotation lists %d+1 keys", n)
	}
	// A lost key stops every command; a replaced key too; neither makes a new key.
	if err := os.Rename(keyFile, keyFile+".away"); err != nil {
		t.Fatal(err)
	}
	if out, err := runCLI(t, vars, "", "custody", "verify"); err == nil || !strings.Contains(err.Error(), "custody key missing") {
		t.Errorf("lost key: %v %s", err, out)
	}
	if _, err := os.Stat(keyFile); err == nil {
		t.Error("a new key was made for an existing store")
	}
	other, _ := custodylog.NewKeyring()
	os.WriteFile(keyFile, []byte(other.Text()), 0o600)
	if out, err := runCLI(t, vars, "", "list", "containers"); err == nil || !strings.Contains(err.Error(), "custody key mismatch") {
		t.Errorf("replaced key: %v %s", err, out)
	}
	os.Rename(keyFile+".away", keyFile)
	// The key of earlier versions, inside the data directory, is refused with the way out.
	os.MkdirAll(filepath.Join(root, "old"), 0o700)
	os.WriteFile(filepath.Join(root, "old", "custody.key"), []byte(strings.Repeat("ab", 32)), 0o600)
	if _, err := runCLI(t, map[string]string{"HOMEWARD_DATA_DIR": filepath.Join(root, "old")}, "", "migrate"); err == nil || !strings.Contains(err.Error(), "inside the data directory") {
		t.Errorf("key in the data directory: %v", err)
	}
	// An edited photo is found by re-hashing, naming the event that refers to it.
	dirBlobs, ok := bs.(*blob.Dir)
	if !ok {
		t.Fatalf("blob store %T", bs)
	}
	os.Chmod(dirBlobs.Path(photo), 0o644)
	if err := os.WriteFile(dirBlobs.Path(photo), []byte("another photo"), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := runCLI(t, vars, "", "custody", "verify"); err == nil || !strings.Contains(out, "BROKEN [blob] container K55-2018-001 custody event 2: photo or document") {
		t.Errorf("edited photo: %v %s", err, out)
	}
	// A failed verification is exit status 3.
	a, err := openApp(t.Context(), &config{DataDir: dir, User: "admin"}, appOptions{})
	if err != nil {
		t.Fatal(err)
	}
	a.db.SQL().Exec("UPDATE custody_events SET location = 'Pyongyang' WHERE seq = 1")
	a.Close()
	_, err = runCLI(t, vars, "", "custody", "verify", "--since", cp)
	var ve verificationError
	if !errors.As(err, &ve) {
		t.Errorf("tampered: %v, want a verification error (exit 3)", err)
	}
}

// tokenFor makes an API token for user (as the administrator) and returns it.
func tokenFor(t *testing.T, vars map[string]string, user string) string {
	t.Helper()
	out, err := runCLI(t, vars, "", "user", "token", user, "-name", "cli test")
	if err != nil {
		t.Fatalf("token for %s: %v %s", user, err, out)
	}
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "hw_") {
			return strings.TrimSpace(l)
		}
	}
	t.Fatalf("no token in %q", out)
	return ""
}

// with returns vars plus the given settings.
func with(vars map[string]string, kv ...string) map[string]string {
	out := map[string]string{}
	for k, v := range vars {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}
