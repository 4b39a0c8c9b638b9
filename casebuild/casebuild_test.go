package casebuild_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/casebuild"
	"github.com/homeward/homeward/demo"
	"github.com/homeward/homeward/dvi"
	"github.com/homeward/homeward/labfmt/freqdb"
	"github.com/homeward/homeward/store/storetest"
)

// Stored profiles and families written as a case file solve to their true identities.
func TestBuildSolves(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			db := storetest.Open(t, d)
			ctx := storetest.Admin(t, db)
			nist, _ := freqdb.Load("nist-all")
			set, err := demo.GenerateDNA(3, nist, 23, 8, 6, 4)
			if err != nil {
				t.Fatal(err)
			}
			set.Victims[0].Loci["AMEL"] = []string{"X", "Y"}
			if err := demo.LoadDNA(ctx, db, set, nil); err != nil {
				t.Fatal(err)
			}
			var vics, fams []string
			for _, v := range set.Victims {
				vics = append(vics, v.Sample)
			}
			for _, f := range set.Families {
				fams = append(fams, f.Name)
			}
			c, rep, err := casebuild.Build(ctx, db, casebuild.Selection{Name: "stored", Victims: vics, Families: fams})
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Markers) != 23 || len(c.Victims) != 8 || len(c.Families) != 6 || c.Victims[0].Sex != 1 || c.Victims[1].Sex != 0 {
				t.Fatalf("case: %d markers, %d victims, %d families, sexes %d %d", len(rep.Markers), len(c.Victims), len(c.Families), c.Victims[0].Sex, c.Victims[1].Sex)
			}
			var buf bytes.Buffer
			if err := json.NewEncoder(&buf).Encode(c); err != nil {
				t.Fatal(err)
			}
			p, err := dvi.ReadProblem(&buf)
			if err != nil {
				t.Fatal(err)
			}
			sol, err := p.Solve(dvi.DefaultSolveOptions())
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range sol.PM {
				var k int
				fmt.Sscanf(*r.Sample, "DEMO-PM-%d", &k)
				want := ""
				if k <= 4 {
					want = fmt.Sprintf("DEMO-FAM-%05d/MP", k)
				}
				got := ""
				if r.Missing != nil {
					got = *r.Missing
				}
				if got != want {
					t.Errorf("%s: %s %q, want %q", *r.Sample, r.Conclusion, got, want)
				}
			}
			if _, _, err := casebuild.Build(ctx, db, casebuild.Selection{Victims: []string{"DEMO-FAM-00001-FA"}, Families: fams}); homeward.ErrorCode(err) != homeward.EINVALID || !strings.Contains(err.Error(), "not a victim") {
				t.Errorf("reference as victim: %v", err)
			}
			if _, _, err := casebuild.Build(ctx, db, casebuild.Selection{Victims: []string{"NOPE"}, Families: fams}); homeward.ErrorCode(err) != homeward.ENOTFOUND {
				t.Errorf("unknown victim: %v", err)
			}
		})
	}
}
