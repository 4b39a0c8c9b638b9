package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strings"
	"text/tabwriter"
	"time"

	flag "github.com/spf13/pflag"

	"github.com/homeward/homeward/dvi"
)

const usageDVIBench = `usage: homeward dvi bench [-timeout 60s] [-dvir TIMINGS.json] CASE.json|CASE.fam...
  times each DVI case in this process, each step from a freshly read case (no cached
  likelihoods): the pairwise LRs, dviSolve (undisputed step, then the families jointly), the
  joint step after the undisputed one (dvir's jointDVI default) and the full joint enumeration,
  with the assignments enumerated, the largest heap in use and the memory allocated; a case that
  runs past the timeout is stopped and said so. With -dvir, a second table sets each step beside
  dvir's time for the same case (JSON {"cases": {name: {"pairwiseLR", "dviSolve",
  "jointDVI_default", "jointDVI_full"}}} in seconds, as dvi/testdata/dvir-timings.json)`

// runDVIBench measures each case file's analysis, one after another, in this process.
func runDVIBench(fs *flag.FlagSet, env *cliEnv) action {
	timeout := fs.Duration("timeout", 60*time.Second, "stop a case's analysis after this long")
	dvirFile := fs.String("dvir", "", "JSON file of dvir's times per case, to print beside Homeward's")
	return func(ctx context.Context, args []string) error {
		if len(args) == 0 {
			return usageError{usageDVIBench}
		}
		var ref struct {
			Cases map[string]map[string]*float64 `json:"cases"`
		}
		if *dvirFile != "" {
			b, err := os.ReadFile(*dvirFile)
			if err != nil {
				return err
			}
			if err := json.Unmarshal(b, &ref); err != nil || ref.Cases == nil {
				return fmt.Errorf("dvir timings %s: want {\"cases\": {name: {step: seconds}}}: %v", *dvirFile, err)
			}
		}
		var measured []caseTimes
		w := tabwriter.NewWriter(env.stdout, 2, 4, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(w, "case\tvictims\tmissing\tmarkers\tpairwise ms\tsolve ms\tdefault ms\tassignments\tfull ms\tassignments\tpeak heap MB\tallocated MB\tresult\t")
		for _, path := range args {
			ct, err := benchCase(ctx, w, path, *timeout)
			if err != nil {
				w.Flush()
				return err
			}
			measured = append(measured, ct)
		}
		if err := w.Flush(); err != nil || ref.Cases == nil {
			return err
		}
		return printBeside(env, measured, ref.Cases)
	}
}

// caseTimes is one case's measured steps, in benchSteps order.
type caseTimes struct {
	name  string
	steps []benchStep
}

// benchSteps names the steps as dvir's functions are named.
var benchSteps = []string{"pairwiseLR", "dviSolve", "jointDVI_default", "jointDVI_full"}

// printBeside sets every measured step beside dvir's time for it and the factor between them.
func printBeside(env *cliEnv, measured []caseTimes, ref map[string]map[string]*float64) error {
	fmt.Fprintln(env.stdout)
	w := tabwriter.NewWriter(env.stdout, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "case\tstep\thomeward ms\tdvir ms\tfaster\t")
	for _, ct := range measured {
		for i, st := range ct.steps {
			d := ref[ct.name][benchSteps[i]]
			if d == nil || st.took < 0 {
				continue
			}
			h := float64(st.took) / float64(time.Millisecond)
			fmt.Fprintf(w, "%s\t%s\t%.1f\t%.0f\t%.1fx\t\n", ct.name, benchSteps[i], h, *d*1000, *d*1000/math.Max(h, 0.01))
		}
	}
	return w.Flush()
}

// benchStep is one timed step: its duration and the assignments it enumerated (-1: none).
type benchStep struct {
	took  time.Duration
	count int
}

func benchCase(ctx context.Context, w *tabwriter.Writer, path string, timeout time.Duration) (caseTimes, error) {
	name := strings.TrimSuffix(strings.TrimSuffix(filepath.Base(path), ".json"), ".input")
	cf, err := readDVICaseFile(path)
	if err != nil {
		return caseTimes{}, err
	}
	fresh := func() *dvi.Problem {
		p, _ := dvi.NewProblem(cf) // checked below, before any step
		return p
	}
	p, err := dvi.NewProblem(cf)
	if err != nil {
		return caseTimes{}, fmt.Errorf("%s: %w", path, err)
	}
	cctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	o := dvi.DefaultSolveOptions()
	steps := []func(p *dvi.Problem) (int, error){
		func(p *dvi.Problem) (int, error) { _, err := p.PairwiseLR(); return -1, err },
		func(p *dvi.Problem) (int, error) { _, err := p.Solve(o); return -1, err },
		func(p *dvi.Problem) (int, error) {
			j, _, err := p.JointWithUndisputed(o.Threshold, o.Strict, o.MaxAssign)
			return assignments(j), err
		},
		func(p *dvi.Problem) (int, error) { j, err := p.Joint(o.MaxAssign); return assignments(j), err },
	}
	peak := watchHeap()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	var times []benchStep
	result := "solved"
	for _, step := range steps {
		start := time.Now()
		n, err := step(fresh().WithContext(cctx))
		times = append(times, benchStep{time.Since(start), n})
		if errors.Is(err, context.DeadlineExceeded) {
			result = fmt.Sprintf("stopped after %s", timeout)
			break
		} else if err != nil {
			msg, _, _ := strings.Cut(err.Error(), ";")
			result = "refused: " + msg
		}
	}
	runtime.ReadMemStats(&after)
	heap := peak()
	for len(times) < len(steps) {
		times = append(times, benchStep{-1, -1})
	}
	fmt.Fprintf(w, "%s\t%d\t%d\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%.1f\t%.1f\t%s\t\n", name, len(p.Victims), len(p.Missing), len(p.Markers),
		msText(times[0].took), msText(times[1].took), msText(times[2].took), countText(times[2].count), msText(times[3].took), countText(times[3].count),
		float64(heap)/(1<<20), float64(after.TotalAlloc-before.TotalAlloc)/(1<<20), result)
	return caseTimes{name: name, steps: times}, nil
}

func assignments(j *dvi.JointResult) int {
	if j == nil {
		return -1
	}
	return j.NAssignments
}

func msText(d time.Duration) string {
	if d < 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f", float64(d)/float64(time.Millisecond))
}

func countText(n int) string {
	if n < 0 {
		return "-"
	}
	return fmt.Sprint(n)
}

// watchHeap samples the heap in use every 2 ms until the returned function is called, which
// gives the largest value seen.
func watchHeap() func() uint64 {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var peak uint64
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			peak = max(peak, sample[0].Value.Uint64())
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 {
		close(done)
		<-stopped
		return peak
	}
}
