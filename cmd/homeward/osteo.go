package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	flag "github.com/spf13/pflag"

	"github.com/homeward/homeward/labfmt/osteometric"
	"github.com/homeward/homeward/osteo"
	"github.com/homeward/homeward/osteo/synth"
)

func init() {
	register(spec{use: "osteo", short: "osteometric sorting of commingled remains (OsteoSort's statistics): test, sort, stored measurements and reference samples", subs: []spec{
		{use: "test CASE.json", short: "one pair-matching, articulation or association case", example: "  homeward osteo test case.json", args: cobra.ExactArgs(1), define: runOsteoTest},
		{use: "sort BONES.csv", short: "every test on every applicable pair of bones against a reference sample: MNI by element, candidate groupings, a DNA sampling plan, reconciliation with DNA results",
			example: "  homeward osteo sort --reference reference.csv --dna dna.csv --links links.csv bones.csv", args: cobra.ExactArgs(1), define: runOsteoSort},
		{use: "example DIR", short: "write a synthetic reference sample, a box of 20 people and their DNA results", example: "  homeward osteo example osteo-example", args: cobra.ExactArgs(1), define: osteoExample},
		{use: "import BONES.csv", short: "import measurements into the store's specimens (created in their container when new), all or nothing",
			example: "  homeward osteo import --dry-run bones.csv", args: cobra.ExactArgs(1), define: runOsteoImport},
		{use: "import-reference REF.csv", short: "import a reference sample as the next version of its name",
			example: "  homeward osteo import-reference --name korea-2024 --source \"Lab X\" reference.csv", args: cobra.ExactArgs(1), define: runOsteoImportReference},
		{use: "references", short: "the stored reference samples", example: "  homeward osteo references", args: cobra.NoArgs, define: osteoReferences},
		{use: "sort-stored ACCESSION...", short: "sort the stored measured specimens of containers against a stored reference sample (--dna: reconcile with their DNA grouping)",
			example: "  homeward osteo sort-stored --reference-sample korea-2024 --dna K55-2018-001", args: cobra.MinimumNArgs(1), define: runOsteoSortStored},
	}})
}

func osteoExample(_ *flag.FlagSet, env *cliEnv) action {
	return func(_ context.Context, args []string) error { return writeOsteoExample(env, args[0]) }
}

func osteoReferences(fs *flag.FlagSet, env *cliEnv) action {
	return withStore(fs, env, nil, func(ctx context.Context, a *app, _ []string) error {
		l, err := a.db.ListReferenceSamples(ctx)
		if err != nil {
			return err
		}
		return printJSON(env, l)
	})
}

func runOsteoTest(_ *flag.FlagSet, env *cliEnv) action {
	return func(ctx context.Context, args []string) error {
		f, err := os.Open(args[0])
		if err != nil {
			return err
		}
		defer f.Close()
		c, err := osteo.ReadCase(f)
		if err != nil {
			return fmt.Errorf("%s: %w", args[0], err)
		}
		res, err := c.Run(ctx)
		if err != nil {
			return fmt.Errorf("%s: %w", args[0], err)
		}
		return printJSON(env, res)
	}
}

// osteoFlags are the options of osteo sort.
type osteoFlags struct {
	reference, links, dna, associate, articulate string
	alpha                                        float64
	tails                                        int
	absolute, zeroMean, yeoJohnson, json         bool
}

// bind registers the test options shared by osteo sort and sort-stored.
func (o *osteoFlags) bind(fs *flag.FlagSet) {
	def := osteo.DefaultOptions()
	fs.Float64Var(&o.alpha, "alpha", def.Alpha, "exclude where p <= alpha")
	fs.IntVar(&o.tails, "tails", def.Tails, "1 or 2")
	fs.BoolVar(&o.absolute, "absolute", false, "D = sum of |a-b|")
	fs.BoolVar(&o.zeroMean, "zero-mean", false, "test D against 0 instead of the reference mean")
	fs.BoolVar(&o.yeoJohnson, "yeo-johnson", false, "Yeo-Johnson transform of D")
	fs.StringVar(&o.associate, "associate", "", "element pairs tested by association, e.g. femur=tibia,humerus=femur")
	fs.StringVar(&o.articulate, "articulate", "", "articulations, e.g. femur:Fem_03=tibia:Tib_02")
	fs.StringVar(&o.links, "links", "", "write every comparison to this CSV file")
	fs.BoolVar(&o.json, "json", false, "print the result as JSON")
}

func runOsteoSort(fs *flag.FlagSet, env *cliEnv) action {
	var o osteoFlags
	o.bind(fs)
	fs.StringVar(&o.reference, "reference", "", "reference sample CSV (individual,element,side,codes...)")
	fs.StringVar(&o.dna, "dna", "", "DNA results CSV (bone,individual) to reconcile with")
	return func(ctx context.Context, args []string) error {
		if len(args) != 1 || o.reference == "" {
			return usageError{"--reference is required (see homeward osteo sort --help)"}
		}
		st, err := o.settings()
		if err != nil {
			return err
		}
		sample, err := readSample(o.reference)
		if err != nil {
			return err
		}
		rows, err := readRows(args[0], "id")
		if err != nil {
			return err
		}
		bones := make([]osteo.Bone, len(rows))
		for i, r := range rows {
			bones[i] = r.Bone
		}
		cfg, skipped, err := osteo.Configure(sample, bones, st)
		if err != nil {
			return err
		}
		s, err := osteo.Sort(ctx, bones, cfg)
		if err != nil {
			return err
		}
		var res *osteo.Resolution
		if o.dna != "" {
			dna, err := readDNA(o.dna)
			if err != nil {
				return err
			}
			res = osteo.Resolve(s, dna, osteo.RuleOut)
		}
		return o.report(env, s, skipped, res)
	}
}

// report writes the links file when asked and prints the sorting.
func (o osteoFlags) report(env *cliEnv, s *osteo.Sorting, skipped []string, res *osteo.Resolution) error {
	if o.links != "" {
		if err := writeLinks(o.links, s); err != nil {
			return err
		}
	}
	if o.json {
		return printJSON(env, map[string]any{"sorting": s, "skipped_tests": skipped, "resolution": res})
	}
	return printSorting(env, s, skipped, res)
}

func (o osteoFlags) settings() (osteo.Settings, error) {
	st := osteo.Settings{Options: osteo.Options{Alpha: o.alpha, Tails: o.tails, Absolute: o.absolute, ZeroMean: o.zeroMean, YeoJohnson: o.yeoJohnson},
		Associations: osteo.DefaultAssociations}
	if err := st.Options.Validate(); err != nil {
		return st, err
	}
	if o.associate != "" {
		st.Associations = nil
		for _, p := range strings.Split(o.associate, ",") {
			a, b, ok := strings.Cut(strings.TrimSpace(p), "=")
			if !ok || a == "" || b == "" {
				return st, fmt.Errorf("-associate: %q is not element=element", p)
			}
			st.Associations = append(st.Associations, [2]string{a, b})
		}
	}
	if o.articulate != "" {
		for _, p := range strings.Split(o.articulate, ",") {
			a, b, ok := strings.Cut(strings.TrimSpace(p), "=")
			ea, ca, okA := strings.Cut(a, ":")
			eb, cb, okB := strings.Cut(b, ":")
			if !ok || !okA || !okB || ea == "" || ca == "" || eb == "" || cb == "" {
				return st, fmt.Errorf("-articulate: %q is not element:code=element:code", p)
			}
			st.Articulations = append(st.Articulations, osteo.Articulation{ElementA: ea, CodeA: ca, ElementB: eb, CodeB: cb})
		}
	}
	return st, nil
}

func readRows(path, idColumn string) ([]osteometric.Row, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, _, err := osteometric.Read(f, idColumn)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return rows, nil
}

func readSample(path string) (*osteo.ReferenceSample, error) {
	rows, err := readRows(path, "individual")
	if err != nil {
		return nil, err
	}
	s := &osteo.ReferenceSample{Name: path}
	for _, r := range rows {
		s.Bones = append(s.Bones, r.Bone)
	}
	return s, nil
}

// readDNA reads bone,individual lines (a header line starting with "bone" is skipped).
func readDNA(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cr := csv.NewReader(f)
	cr.FieldsPerRecord = 2
	out := map[string]string{}
	for line := 1; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if line == 1 && strings.EqualFold(rec[0], "bone") {
			continue
		}
		if rec[0] == "" || rec[1] == "" {
			return nil, fmt.Errorf("%s line %d: bone and individual are both needed", path, line)
		}
		out[rec[0]] = rec[1]
	}
}

func writeLinks(path string, s *osteo.Sorting) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(f)
	cw.Write([]string{"a", "b", "method", "side", "comparable", "excluded", "p_value", "ref_n", "measurements", "reason"})
	for i := range s.Links {
		r := s.Report(i)
		p := ""
		if r.P != nil {
			p = strconv.FormatFloat(*r.P, 'g', -1, 64)
		}
		cw.Write([]string{r.A, r.B, string(r.Method), r.Side, strconv.FormatBool(r.Comparable), strconv.FormatBool(r.Excluded), p,
			strconv.Itoa(r.RefN), strings.Join(r.Measurements, " "), r.Reason})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func printSorting(env *cliEnv, s *osteo.Sorting, skipped []string, res *osteo.Resolution) error {
	w := tabwriter.NewWriter(env.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintf(w, "%d bones, %d comparisons, MNI %d (exclusions and possibilities, never matches)\n\n", s.Bones, len(s.Links), s.MNI)
	for _, t := range s.Tests {
		fmt.Fprintf(w, "test\t%s %s-%s %s\treference %s, %d individuals\n", t.Method, t.ElementA, t.ElementB, t.Side, t.Source, t.RefN)
	}
	for _, sk := range skipped {
		fmt.Fprintf(w, "not run\t%s (fewer than %d)\n", sk, osteo.MinReference)
	}
	fmt.Fprintln(w, "\nelement\tleft\tright\tunsided\tpossible pairs\tMNI")
	for _, e := range s.Elements {
		fmt.Fprintf(w, "%s\t%d\t%d\t%d\t%d\t%d\n", e.Element, e.Left, e.Right, e.Unsided, e.Pairs, e.MNI)
	}
	fmt.Fprintf(w, "\n%d candidate groupings; sample for DNA:\n", len(s.Groups))
	for i, g := range s.Groups {
		fmt.Fprintf(w, "%s\t%s\tsample %s\n", g.ID, strings.Join(g.Bones, " "), s.Plan[i].Bone)
	}
	if res != nil {
		fmt.Fprintf(w, "\nwith DNA: %d individuals, %d bones unresolved (type them next), %d conflicts\n", len(res.Individuals), len(res.Unresolved), len(res.Conflicts))
		for _, c := range res.Conflicts {
			fmt.Fprintf(w, "conflict\t%s and %s are both %s by DNA, but %s excluded them (p %.3g): review\n", c.A, c.B, c.Individual, c.Method, c.P)
		}
		if len(res.Unresolved) > 0 {
			fmt.Fprintf(w, "unresolved\t%s\n", strings.Join(res.Unresolved, " "))
		}
	}
	return w.Flush()
}

// writeOsteoExample writes a synthetic reference sample, a box of 20 people (bones mixed) and the
// DNA results of the bones the plan would sample, so that osteo sort can be tried at once.
func writeOsteoExample(env *cliEnv, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	m := synth.NewModel(20180727)
	sample := m.Sample("synthetic-reference", 150)
	bones, truth := m.Box(20, "K55-", 0.1, 0.1)
	var codes []string
	for _, el := range []string{"femur", "humerus", "tibia"} {
		codes = append(codes, synth.Codes(el)...)
	}
	var refRows, boxRows []osteometric.Row
	for _, b := range sample.Bones {
		refRows = append(refRows, osteometric.Row{Bone: b})
	}
	for _, b := range bones {
		boxRows = append(boxRows, osteometric.Row{Bone: b, Container: "K55-2018-001"})
	}
	write := func(name string, fn func(io.Writer) error) error {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		if err := fn(f); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}
	if err := write("reference.csv", func(w io.Writer) error { return osteometric.Write(w, "individual", refRows, codes) }); err != nil {
		return err
	}
	if err := write("box.csv", func(w io.Writer) error { return osteometric.Write(w, "id", boxRows, codes) }); err != nil {
		return err
	}
	err := write("dna.csv", func(w io.Writer) error {
		cw := csv.NewWriter(w)
		cw.Write([]string{"bone", "individual"})
		for _, b := range bones {
			cw.Write([]string{b.ID, truth[b.ID]})
		}
		cw.Flush()
		return cw.Error()
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "wrote %s: reference.csv (150 synthetic individuals), box.csv (%d bones of 20 people), dna.csv (every bone's person, as DNA would say)\n",
		dir, len(bones))
	return nil
}
