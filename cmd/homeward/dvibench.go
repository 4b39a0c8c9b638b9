package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/homeward/homeward/dvi"
)

const usageDVIBench = `usage: homeward dvi bench [-timeout 60s] CASE.json|CASE.fam...
  times each DVI case in this process: reading it, the pairwise LRs, and the whole analysis
  (undisputed step, joint default and full, conclusions), with the memory allocated; a case that
  runs past the timeout is stopped and said so`

// runDVIBench measures each case file's analysis, one after another, in this process.
func runDVIBench(ctx context.Context, env *cliEnv, args []string) error {
	fs := flag.NewFlagSet("dvi bench", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	timeout := fs.Duration("timeout", 60*time.Second, "stop a case's analysis after this long")
	if err := parseInterspersed(fs, args); err != nil {
		return usageError{err.Error()}
	}
	if fs.NArg() == 0 {
		return usageError{usageDVIBench}
	}
	w := tabwriter.NewWriter(env.stdout, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "case\tvictims\tmissing\tread ms\tpairwise ms\tanalysis ms\tallocated MB\tresult\t")
	for _, path := range fs.Args() {
		if err := benchCase(ctx, w, path, *timeout); err != nil {
			w.Flush()
			return err
		}
	}
	return w.Flush()
}

func benchCase(ctx context.Context, w *tabwriter.Writer, path string, timeout time.Duration) error {
	name := strings.TrimSuffix(strings.TrimSuffix(filepath.Base(path), ".json"), ".input")
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	cf, err := readDVICaseFile(path)
	if err != nil {
		return err
	}
	p, err := dvi.NewProblem(cf)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	read := time.Since(start)
	cctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	start = time.Now()
	if _, err := p.WithContext(cctx).PairwiseLR(); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%s: %w", path, err)
	}
	pairwise := time.Since(start)
	start = time.Now()
	result := "solved"
	if _, err := dvi.Analyse(p.WithContext(cctx), dvi.DefaultSolveOptions()); errors.Is(err, context.DeadlineExceeded) {
		result = fmt.Sprintf("stopped after %s", timeout)
	} else if err != nil {
		result = "refused: " + err.Error()
	}
	analysis := time.Since(start)
	runtime.ReadMemStats(&after)
	fmt.Fprintf(w, "%s\t%d\t%d\t%.1f\t%.1f\t%.1f\t%.1f\t%s\t\n", name, len(p.Victims), len(p.Missing),
		ms(read), ms(pairwise), ms(analysis), float64(after.TotalAlloc-before.TotalAlloc)/(1<<20), result)
	return nil
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
