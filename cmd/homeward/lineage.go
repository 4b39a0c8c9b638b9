package main

import (
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/homeward/homeward/lineage/mtdna"
	"github.com/homeward/homeward/lineage/ystr"
)

func init() {
	register(command{name: "ystr", summary: "Y-STR haplotypes: ystr compare -a H -b H [-meioses N -freq F] | ystr count -haplotype H -reference FILE", run: runYSTR})
	register(command{name: "mtdna", summary: "mitochondrial DNA: mtdna compare -a-range R -a VARIANTS -b-range R -b VARIANTS | mtdna count -range R -variants V -reference FILE.csv", run: runMtDNA})
}

const usageMtDNA = `usage:
  homeward mtdna compare -a-range 16024-16569;1-576 -a "16519C 73G" -b-range ... -b "..."
  homeward mtdna count -range R -variants V -reference REFS.csv   (CSV: id,range,variants)`

func runMtDNA(ctx context.Context, env *cliEnv, args []string) error {
	if len(args) == 0 {
		return usageError{usageMtDNA}
	}
	fs := flag.NewFlagSet("mtdna "+args[0], flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	aRange := fs.String("a-range", "", "range of the first profile")
	a := fs.String("a", "", "variants of the first profile")
	bRange := fs.String("b-range", "", "range of the second profile")
	b := fs.String("b", "", "variants of the second profile")
	rng := fs.String("range", "", "range of the profile counted")
	vars := fs.String("variants", "", "variants of the profile counted")
	refs := fs.String("reference", "", "CSV of reference profiles: id,range,variants")
	if err := fs.Parse(args[1:]); err != nil {
		return usageError{err.Error()}
	}
	switch args[0] {
	case "compare":
		pa, err := mtdna.Parse(*aRange, *a)
		if err != nil {
			return fmt.Errorf("profile a: %w", err)
		}
		pb, err := mtdna.Parse(*bRange, *b)
		if err != nil {
			return fmt.Errorf("profile b: %w", err)
		}
		return printJSON(env, mtdna.Compare(pa, pb, mtdna.Options{}))
	case "count":
		p, err := mtdna.Parse(*rng, *vars)
		if err != nil {
			return err
		}
		f, err := os.Open(*refs)
		if err != nil {
			return err
		}
		defer f.Close()
		set, err := readMtDNASet(f, *refs)
		if err != nil {
			return err
		}
		return printJSON(env, mtdna.CountFrequency(p, set, mtdna.Options{}))
	}
	return usageError{usageMtDNA}
}

// readMtDNASet reads id,range,variants lines (a header line starting with "id" is skipped); errors
// name the line and profile.
func readMtDNASet(r io.Reader, name string) ([]mtdna.Profile, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = 3
	var out []mtdna.Profile
	for line := 1; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if line == 1 && rec[0] == "id" {
			continue
		}
		p, err := mtdna.Parse(rec[1], rec[2])
		if err != nil {
			return nil, fmt.Errorf("%s line %d (%s): %w", name, line, rec[0], err)
		}
		out = append(out, p)
	}
}

const usageYSTR = `usage:
  homeward ystr compare -a "DYS19=14; DYS385=11,14; ..." -b "..." [-meioses N -freq F]
  homeward ystr count -haplotype "..." -reference REFS.txt   (one haplotype per line: ID<TAB>DYS19=14; ...)`

type ystrResult struct {
	ystr.Comparison
	Meioses int      `json:"meioses,omitempty"`
	LR      *float64 `json:"lr,omitempty"`
}

func runYSTR(ctx context.Context, env *cliEnv, args []string) error {
	if len(args) == 0 {
		return usageError{usageYSTR}
	}
	fs := flag.NewFlagSet("ystr "+args[0], flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	a := fs.String("a", "", "first haplotype")
	b := fs.String("b", "", "second haplotype")
	meioses := fs.Int("meioses", 0, "meioses between them on the paternal line (with -freq: the lineage LR)")
	freq := fs.Float64("freq", 0, "frequency of the second haplotype in the population")
	hap := fs.String("haplotype", "", "haplotype counted")
	refs := fs.String("reference", "", "reference haplotypes, one per line: ID<TAB>haplotype")
	if err := fs.Parse(args[1:]); err != nil {
		return usageError{err.Error()}
	}
	switch args[0] {
	case "compare":
		ha, err := ystr.Parse(*a)
		if err != nil {
			return fmt.Errorf("haplotype a: %w", err)
		}
		hb, err := ystr.Parse(*b)
		if err != nil {
			return fmt.Errorf("haplotype b: %w", err)
		}
		res := ystrResult{Comparison: ystr.Compare(ha, hb)}
		if *meioses > 0 {
			lr, err := ystr.LineageLR(res.Comparison, *meioses, nil, *freq)
			if err != nil {
				return err
			}
			res.Meioses, res.LR = *meioses, &lr
		}
		return printJSON(env, res)
	case "count":
		h, err := ystr.Parse(*hap)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(*refs)
		if err != nil {
			return err
		}
		var set []ystr.Haplotype
		for i, line := range strings.Split(string(data), "\n") {
			if strings.TrimSpace(line) == "" {
				continue
			}
			id, text, ok := strings.Cut(line, "\t")
			if !ok {
				return fmt.Errorf("%s line %d: ID<TAB>haplotype expected", *refs, i+1)
			}
			r, err := ystr.Parse(text)
			if err != nil {
				return fmt.Errorf("%s line %d (%s): %w", *refs, i+1, id, err)
			}
			set = append(set, r)
		}
		return printJSON(env, ystr.CountFrequency(h, set))
	}
	return usageError{usageYSTR}
}
