package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// `homeward --version` names the build; the usage lists the exit statuses.
func TestVersionAndUsage(t *testing.T) {
	out, err := runCLI(t, nil, "", "--version")
	if err != nil || !strings.HasPrefix(out, "homeward ") || !strings.Contains(out, "go1.") {
		t.Errorf("--version: %v %q", err, out)
	}
	if out, _ := runCLI(t, nil, "", "help"); !strings.Contains(out, "2 usage error, 3 verification failed") {
		t.Errorf("usage without exit statuses:\n%s", out)
	}
}

// Ctrl-C stops a long computation: a degraded-remains power study of hundreds of screens is
// interrupted and the process says so and ends with the cancellation, instead of running on.
func TestInterruptStopsLongComputation(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "homeward")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v %s", err, out)
	}
	levels := strings.TrimSuffix(strings.Repeat("0.2,", 200), ",") // minutes of work
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "screen", "power", "-victims", "2000", "-families", "500", "-dropout", levels)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1500 * time.Millisecond) // into the screens
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	if ctx.Err() != nil {
		t.Fatal("the computation ran on after Ctrl-C until the test's deadline")
	}
	if err == nil || !strings.Contains(stderr.String(), "stopping") || !strings.Contains(stderr.String(), "context canceled") {
		t.Errorf("after Ctrl-C: %v\n%s", err, stderr.String())
	}
}
