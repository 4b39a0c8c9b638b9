package frequencies_test

import (
	"os"
	"strings"
	"testing"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/frequencies"
	"github.com/homeward/homeward/store/storetest"
)

// A STRidER file holds one database per country; the country is matched whatever its case (the file
// writes "AUSTRIA"), and an unknown one is refused with the list.
func TestImportSTRidERCountry(t *testing.T) {
	db := storetest.Open(t, "sqlite")
	ctx := storetest.Admin(t, db)
	for _, c := range []struct{ country, want string }{{"Austria", ""}, {"AUSTRIA ", ""}, {"Atlantis", "AUSTRIA, BELGIUM"}} {
		f, err := os.Open("../labfmt/freqdb/data/strider-2015.xml")
		if err != nil {
			t.Fatal(err)
		}
		d, err := frequencies.Import(ctx, db, f, frequencies.Options{Format: "strider", Name: "strider-at", Country: c.country, Source: "STRidER 2015"})
		f.Close()
		if c.want == "" && (err != nil || len(d.Markers) < 10) {
			t.Errorf("%q: %v", c.country, err)
		}
		if c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)) {
			t.Errorf("%q: %v", c.country, err)
		}
	}
}

func TestImportVersionsResolve(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			db := storetest.Open(t, d)
			ctx := storetest.Admin(t, db)
			open := func() *os.File {
				f, err := os.Open("../labfmt/freqdb/data/nist-all.csv")
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { f.Close() })
				return f
			}
			o := frequencies.Options{Format: "nist", Name: "lab-us", Source: "NIST 1036 (Hill et al.), via the lab's validation file"}
			v1, err := frequencies.Import(ctx, db, open(), o)
			if err != nil || v1.Version != 1 || len(v1.Markers) < 20 {
				t.Fatalf("import: %v %+v", err, v1)
			}
			o.MinFreq = 0.001
			v2, err := frequencies.Import(ctx, db, open(), o)
			if err != nil || v2.Version != 2 {
				t.Fatalf("second import: %v %+v", err, v2)
			}
			fdb, label, minFreq, err := frequencies.Resolve(ctx, db, "lab-us")
			if err != nil || label != "lab-us@2" || minFreq != 0.001 || fdb.Marker("TH01") == nil {
				t.Errorf("latest: %q %v %v", label, minFreq, err)
			}
			if _, label, minFreq, err := frequencies.Resolve(ctx, db, "lab-us@1"); err != nil || label != "lab-us@1" || minFreq != 0 {
				t.Errorf("version 1: %q %v %v", label, minFreq, err)
			}
			if _, label, _, err := frequencies.Resolve(ctx, db, "nist-all"); err != nil || label != "nist-all (shipped)" {
				t.Errorf("shipped: %q %v", label, err)
			}
			for _, bad := range []string{"lab-us@9", "lab-us@x", "no-such-db"} {
				if _, _, _, err := frequencies.Resolve(ctx, db, bad); err == nil {
					t.Errorf("%s resolved", bad)
				}
			}
			if _, err := frequencies.Import(ctx, db, open(), frequencies.Options{Format: "nist", Name: "x"}); homeward.ErrorCode(err) != homeward.EINVALID || !strings.Contains(err.Error(), "source") {
				t.Errorf("no source: %v", err)
			}
			if _, err := frequencies.Import(ctx, db, strings.NewReader("marker,allele,frequency\nTH01,6,1.7\n"), frequencies.Options{Format: "csv", Name: "bad", Source: "s"}); homeward.ErrorCode(err) != homeward.EINVALID {
				t.Errorf("bad frequency: %v", err)
			}
			if _, err := frequencies.Import(ctx, db, open(), frequencies.Options{Format: "nist", Name: "a@b", Source: "s"}); homeward.ErrorCode(err) != homeward.EINVALID {
				t.Errorf("name with @: %v", err)
			}
			l, err := db.ListFrequencyDBs(ctx)
			if err != nil || len(l) != 2 {
				t.Errorf("list: %d %v", len(l), err)
			}
		})
	}
}
