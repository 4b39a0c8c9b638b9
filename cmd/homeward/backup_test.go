package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/homeward/homeward"
)

// A backup made while custody events are being recorded restores into an empty data directory
// (SQLite) or an empty database (PostgreSQL, through pg_dump and pg_restore) and verifies whole:
// every record the backup began with is there as it was, every chain and the log verify (on
// PostgreSQL, consistent with the checkpoint the backup recorded), every photo re-hashes; a
// damaged backup is refused naming the file, and nothing is restored from it.
func TestBackupUnderLoadAndRestore(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		root := t.TempDir()
		target := func(name string) map[string]string {
			return map[string]string{"HOMEWARD_DATA_DIR": filepath.Join(root, name)}
		}
		backupRoundTrip(t, root, target, "homeward.db")
	})
	base := os.Getenv("HOMEWARD_TEST_POSTGRES")
	if base == "" {
		return
	}
	t.Run("postgres", func(t *testing.T) {
		root := t.TempDir()
		target := func(name string) map[string]string {
			return map[string]string{"HOMEWARD_DATA_DIR": filepath.Join(root, name), "HOMEWARD_DATABASE_URL": freshDatabase(t, base)}
		}
		backupRoundTrip(t, root, target, pgDumpFile)
	})
}

// freshDatabase creates an empty database beside base's, dropped after the test.
func freshDatabase(t *testing.T, base string) string {
	t.Helper()
	ctx := context.Background()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	c, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	name := fmt.Sprintf("hw_backup_%d", time.Now().UnixNano())
	if _, err := c.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), base)
		if err == nil {
			c.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
			c.Close(context.Background())
		}
	})
	u.Path = "/" + name
	return u.String()
}

func backupRoundTrip(t *testing.T, root string, target func(name string) map[string]string, dumpFile string) {
	key := strings.Repeat("5a", 32)
	vars := target("data")
	vars["HOMEWARD_CUSTODY_KEY"] = key
	if out, err := runCLI(t, vars, "", "migrate"); err != nil {
		t.Fatalf("migrate: %v %s", err, out)
	}
	appConfig := func(v map[string]string) *config {
		return &config{DataDir: v["HOMEWARD_DATA_DIR"], DatabaseURL: v["HOMEWARD_DATABASE_URL"], CustodyKeyText: key, User: "admin"}
	}
	a, err := openApp(context.Background(), appConfig(vars), appOptions{needBlob: true})
	if err != nil {
		t.Fatal(err)
	}
	ctx, err := a.asUser(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	photo, _, err := a.blob.Put(ctx, strings.NewReader("photo of the box as opened"))
	if err != nil {
		t.Fatal(err)
	}
	var containers []*homeward.Container
	for i := 0; i < 5; i++ {
		c := &homeward.Container{Accession: fmt.Sprintf("B-%d", i), Kind: homeward.ContainerBox}
		if err := a.db.CreateContainer(ctx, c); err != nil {
			t.Fatal(err)
		}
		if err := a.db.AppendCustodyEvent(ctx, c.ID, &homeward.CustodyEvent{Kind: homeward.CustodyReceipt, OccurredAt: time.Now().Add(-time.Hour), To: "UNC", Photos: []string{photo}}); err != nil {
			t.Fatal(err)
		}
		containers = append(containers, c)
	}
	before := map[string][]homeward.CustodyEvent{}
	for _, c := range containers {
		before[c.Accession], _ = a.db.ListCustodyEvents(ctx, c.ID)
	}
	// Custody keeps being recorded while the backup runs.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			c := containers[i%len(containers)]
			if err := a.db.AppendCustodyEvent(ctx, c.ID, &homeward.CustodyEvent{Kind: homeward.CustodyStorage, OccurredAt: time.Now(), Location: fmt.Sprint("shelf ", i)}); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	backup := filepath.Join(root, "backup")
	out, err := runCLI(t, vars, "", "backup", backup)
	close(stop)
	wg.Wait()
	a.Close()
	if err != nil || !strings.Contains(out, "backup "+backup) {
		t.Fatalf("backup: %v %s", err, out)
	}
	restored := target("restored")
	restored["HOMEWARD_CUSTODY_KEY"] = key
	if out, err := runCLI(t, restored, "", "restore", backup); err != nil || !strings.Contains(out, "all verified") {
		t.Fatalf("restore: %v %s", err, out)
	}
	if _, err := runCLI(t, restored, "", "restore", backup); err == nil {
		t.Error("a restore over a restored store was accepted")
	}
	b, err := openApp(context.Background(), appConfig(restored), appOptions{needBlob: true})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	rctx, _ := b.asUser(context.Background())
	for acc, events := range before {
		c, err := b.db.GetContainerByAccession(rctx, acc)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := b.db.ListCustodyEvents(rctx, c.ID)
		for i, e := range events {
			if i >= len(got) || got[i].Hash != e.Hash || got[i].MAC != e.MAC {
				t.Fatalf("%s event %d not restored as it was", acc, e.Seq)
			}
		}
	}
	if rc, err := b.blob.Get(rctx, photo); err != nil {
		t.Errorf("photo: %v", err)
	} else {
		rc.Close()
	}
	// A damaged backup is refused before anything is restored.
	db := filepath.Join(backup, dumpFile)
	raw, _ := os.ReadFile(db)
	raw[len(raw)/2] ^= 0xff
	os.WriteFile(db, raw, 0o600)
	other := target("other")
	other["HOMEWARD_CUSTODY_KEY"] = key
	_, err = runCLI(t, other, "", "restore", backup)
	var ve verificationError
	if !errors.As(err, &ve) || !strings.Contains(err.Error(), dumpFile+" is damaged") {
		t.Errorf("damaged backup: %v", err)
	}
	if _, err := os.Stat(filepath.Join(root, "other", "homeward.db")); err == nil {
		t.Error("a damaged backup was restored")
	}
}

// notAFolder hides that a blob store is a folder, as an S3 bucket is not one.
type notAFolder struct{ homeward.BlobStore }

// corrupting answers other content than was stored.
type corrupting struct{ homeward.BlobStore }

func (c corrupting) Get(ctx context.Context, sha string) (io.ReadCloser, error) {
	return io.NopCloser(strings.NewReader("something else")), nil
}

// Photos and documents kept in a store that is not a folder (S3) are backed up through the blob
// store itself: every one the records refer to, checked against its hash, and restorable.
func TestBackupOfBlobsOutsideAFolder(t *testing.T) {
	root := t.TempDir()
	key := strings.Repeat("3d", 32)
	a, err := openApp(context.Background(), &config{DataDir: filepath.Join(root, "data"), CustodyKeyText: key, User: "admin"}, appOptions{needBlob: true})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	sys := homeward.NewContextWithUser(context.Background(), systemUser)
	if err := bootstrapAdmin(context.Background(), a, &cliEnv{stdout: io.Discard, getenv: func(string) string { return "" }}, "x"); err != nil {
		t.Fatal(err)
	}
	ctx, _ := a.asUser(sys)
	photo, _, err := a.blob.Put(ctx, strings.NewReader("the seal, intact"))
	if err != nil {
		t.Fatal(err)
	}
	c := &homeward.Container{Accession: "S3-1", Kind: homeward.ContainerBox}
	if err := a.db.CreateContainer(ctx, c); err != nil {
		t.Fatal(err)
	}
	if err := a.db.AppendCustodyEvent(ctx, c.ID, &homeward.CustodyEvent{Kind: homeward.CustodyReceipt, OccurredAt: time.Now(), To: "lab", Photos: []string{photo}}); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(root, "backup-blobs")
	if err := copyReferencedBlobs(ctx, a, notAFolder{a.blob}, out); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(out, photo)); err != nil || string(b) != "the seal, intact" {
		t.Errorf("backed-up photo: %q %v", b, err)
	}
	if err := restoreBlobs(ctx, out, filepath.Join(root, "restored-blobs")); err != nil {
		t.Errorf("restore of the copied blobs: %v", err)
	}
	if err := copyReferencedBlobs(ctx, a, corrupting{a.blob}, filepath.Join(root, "bad")); err == nil || !strings.Contains(err.Error(), "does not hash") {
		t.Errorf("altered content backed up: %v", err)
	}
}
