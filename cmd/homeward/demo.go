package main

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"
	flag "github.com/spf13/pflag"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/demo"
	"github.com/homeward/homeward/labfmt/freqdb"
)

func init() {
	register(spec{use: "demo", short: "load the synthetic demo world into an empty store", example: "  homeward demo --seed 1", args: cobra.NoArgs, define: runDemo})
}

func runDemo(fs *flag.FlagSet, env *cliEnv) action {
	cfg := bindConfig(fs, env)
	seed := fs.Int64("seed", demo.DefaultSeed, "seed of the synthetic world (same seed, same world)")
	return func(ctx context.Context, args []string) error {
		a, err := openApp(ctx, cfg, appOptions{needBlob: true})
		if err != nil {
			return err
		}
		defer a.Close()
		if err := bootstrapAdmin(ctx, a, env, "127.0.0.1:8080"); err != nil {
			return err
		}
		return loadDemo(ctx, a, env, *seed, false)
	}
}

// loadDemo generates and loads the demo world as the CLI user. With skipIfLoaded, a store that
// already holds it is left alone (serve --demo on a second start).
func loadDemo(ctx context.Context, a *app, env *cliEnv, seed int64, skipIfLoaded bool) error {
	ctx, err := a.asUser(ctx)
	if err != nil {
		return err
	}
	start := time.Now()
	w := demo.Generate(seed)
	svc := demo.Services{Registry: a.db, Operations: a.db, Containers: a.db, Custody: a.db, Evidence: a.db, Import: a.db, Blob: a.blob}
	bars := map[string]func(int, int){}
	err = demo.Load(ctx, w, svc, func(stage string, done, total int) {
		if bars[stage] == nil {
			bars[stage] = progressPrinter(env, "demo: "+stage)
		}
		bars[stage](done, total)
	})
	if err != nil {
		if skipIfLoaded && homeward.ErrorCode(err) == homeward.ECONFLICT {
			fmt.Fprintln(env.stdout, "demo: the store already holds data; not loading the demo world again")
			return nil
		}
		return fmt.Errorf("load demo world: %w", err)
	}
	// DNA for screens: reference families and victim profiles, some of them true pairs.
	nist, err := freqdb.Load("nist-all")
	if err != nil {
		return err
	}
	set, err := demo.GenerateDNA(seed, nist, 23, demoVictims, demoFamilies, demoTruePairs)
	if err != nil {
		return err
	}
	// Victims typed from the turnover's specimens; families of unaccounted missing persons.
	var specimens, missing []int64
	for off := 0; len(specimens) < demoVictims; off += 100 {
		cl, err := a.db.ListContainers(ctx, homeward.ContainerFilter{Page: homeward.Page{Limit: 100, Offset: off}})
		if err != nil {
			return err
		}
		for _, c := range cl.Items {
			sl, err := a.db.ListSpecimens(ctx, c.ID, homeward.Page{Limit: 1000})
			if err != nil {
				return err
			}
			for _, sp := range sl.Items {
				specimens = append(specimens, sp.ID)
			}
		}
		if len(cl.Items) < 100 {
			break
		}
	}
	ml, err := a.db.ListMissingPersons(ctx, homeward.MissingPersonFilter{Status: homeward.StatusUnaccounted, Page: homeward.Page{Limit: demoFamilies}})
	if err != nil {
		return err
	}
	for _, m := range ml.Items {
		missing = append(missing, m.ID)
	}
	set.Attach(specimens, missing)
	if err := demo.LoadDNA(ctx, a.db, set, func(stage string, done, total int) {
		if bars[stage] == nil {
			bars[stage] = progressPrinter(env, "demo: "+stage)
		}
		bars[stage](done, total)
	}); err != nil {
		return fmt.Errorf("load demo DNA: %w", err)
	}
	rs, bones := demo.ReferenceSample(seed)
	if err := a.db.ImportReferenceSample(ctx, rs, bones); err != nil {
		return fmt.Errorf("load demo reference sample: %w", err)
	}
	fmt.Fprintf(env.stdout, "demo: loaded the world of seed %d in %s (with %d victim profiles and %d reference families: try homeward screen start; and the reference sample %s: try homeward osteo sort-stored -reference-sample %s %s-001)\n",
		seed, time.Since(start).Round(time.Millisecond), demoVictims, demoFamilies, rs.Name, rs.Name, demo.OperationCode)
	return nil
}

// The demo's DNA: victims, families, and how many victims are a family's missing person.
const demoVictims, demoFamilies, demoTruePairs = 300, 150, 30
