package profileimport_test

import (
	"os"
	"strings"
	"testing"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/labfmt/cmf"
	"github.com/homeward/homeward/profileimport"
	"github.com/homeward/homeward/store/storetest"
)

func TestImport(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			db := storetest.Open(t, d)
			ctx := storetest.Admin(t, db)
			total := func() int {
				l, err := db.ListProfiles(ctx, homeward.ProfileFilter{})
				if err != nil {
					t.Fatal(err)
				}
				return l.Total
			}
			open := func(name string) *os.File {
				f, err := os.Open("../labfmt/genemapper/testdata/" + name)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { f.Close() })
				return f
			}
			// A dry run stores nothing.
			rep, err := profileimport.Import(ctx, db, open("ref3.txt"), profileimport.Options{Role: homeward.ProfileReference, File: "ref3.txt", DryRun: true})
			if err != nil || !rep.DryRun || rep.Samples != 3 || total() != 0 {
				t.Fatalf("dry run: %v %+v, %d stored", err, rep, total())
			}
			rep, err = profileimport.Import(ctx, db, open("ref3.txt"), profileimport.Options{Role: homeward.ProfileReference, File: "ref3.txt"})
			if err != nil || rep.Created != 3 || rep.Unchanged != 0 {
				t.Fatalf("import: %v %+v", err, rep)
			}
			// Importing the same file again adds nothing.
			rep, err = profileimport.Import(ctx, db, open("ref3.txt"), profileimport.Options{Role: homeward.ProfileReference, File: "ref3.txt"})
			if err != nil || rep.Created != 0 || rep.Unchanged != 3 || total() != 3 {
				t.Fatalf("re-import: %v %+v, %d stored", err, rep, total())
			}
			// A file with rejected rows stores nothing unless partial import is accepted.
			_, err = profileimport.Import(ctx, db, open("set3.txt"), profileimport.Options{File: "set3.txt"})
			if homeward.ErrorCode(err) != homeward.EINVALID || !strings.Contains(err.Error(), "nothing stored") || total() != 3 {
				t.Fatalf("set3 without partial: %v, %d stored", err, total())
			}
			rep, err = profileimport.Import(ctx, db, open("set3.txt"), profileimport.Options{File: "set3.txt", AcceptPartial: true})
			if err != nil || rep.Created != 9 || total() != 12 {
				t.Fatalf("set3 partial: %v %+v, %d stored", err, rep.Created, total())
			}
			// The same sample with other alleles is a conflict, and nothing of the batch is kept.
			changed := "Sample Name\tMarker\tAllele 1\tAllele 2\nNEW-1\tTH01\t6\t7\nA2\tTH01\t8\t9\n"
			_, err = profileimport.Import(ctx, db, strings.NewReader(changed), profileimport.Options{Role: homeward.ProfileReference, File: "changed.txt"})
			if homeward.ErrorCode(err) != homeward.ECONFLICT || !strings.Contains(err.Error(), "A2") || total() != 12 {
				t.Fatalf("conflict: %v, %d stored", err, total())
			}
			// Elimination: a staff member's profile, then a victim sample that is that person.
			staff := "Sample Name\tMarker\tAllele 1\tAllele 2\n"
			victim := "Sample Name\tMarker\tAllele 1\tAllele 2\n"
			for i, m := range []string{"D3S1358", "vWA", "FGA", "D8S1179", "D21S11", "D18S51", "TH01"} {
				row := "\t" + m + "\t" + []string{"15", "16", "21", "13", "29", "14", "6"}[i] + "\t" + []string{"16", "17", "22", "14", "30", "15", "9.3"}[i] + "\n"
				staff += "STAFF-7" + row
				victim += "PM-99" + row
			}
			if _, err := profileimport.Import(ctx, db, strings.NewReader(staff), profileimport.Options{Role: homeward.ProfileElimination, File: "staff.txt"}); err != nil {
				t.Fatal(err)
			}
			dry, err := profileimport.Import(ctx, db, strings.NewReader(victim), profileimport.Options{File: "pm.txt", DryRun: true})
			if err != nil || len(dry.Contamination) != 1 || dry.Contamination[0].Elimination != "STAFF-7" {
				t.Errorf("dry-run contamination: %v %+v", err, dry.Contamination)
			}
			rep, err = profileimport.Import(ctx, db, strings.NewReader(victim), profileimport.Options{File: "pm.txt"})
			if err != nil || len(rep.Contamination) != 1 || rep.Contamination[0].Markers != 7 {
				t.Fatalf("contamination: %v %+v", err, rep.Contamination)
			}
			l, _ := db.ListProfiles(ctx, homeward.ProfileFilter{Query: "PM-99"})
			if len(l.Items) != 1 || len(l.Items[0].Contamination) != 1 {
				t.Errorf("flag not stored: %+v", l.Items)
			}
			if _, err := profileimport.Import(ctx, db, strings.NewReader(victim), profileimport.Options{Format: "cmf"}); homeward.ErrorCode(err) != homeward.EINVALID {
				t.Errorf("unknown format: %v", err)
			}
		})
	}
}

// CMF in and out: categories give roles; an export read back gives the same genotypes.
func TestCMFAndExport(t *testing.T) {
	db := storetest.Open(t, "sqlite")
	ctx := storetest.Admin(t, db)
	f, err := os.Open("../labfmt/cmf/testdata/missing-persons.xml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := profileimport.Import(ctx, db, f, profileimport.Options{Format: "cmf", File: "mp.xml"}); err == nil || !strings.Contains(err.Error(), "Forensic, Unknown") {
		t.Fatalf("unknown category should refuse the file: %v", err)
	}
	f.Seek(0, 0)
	rep, err := profileimport.Import(ctx, db, f, profileimport.Options{Format: "cmf", File: "mp.xml", AcceptPartial: true})
	if err != nil || rep.Created != 3 {
		t.Fatalf("cmf: %v %+v", err, rep)
	}
	for _, format := range []string{"csv", "genemapper", "cmf"} {
		var buf strings.Builder
		n, err := profileimport.Export(ctx, db, &buf, format, "", cmf.Header{SourceLab: "T"})
		if err != nil || n != 3 || !strings.Contains(buf.String(), "K55-S003") {
			t.Errorf("%s export: %d %v", format, n, err)
		}
		if format == "genemapper" {
			// Re-importing the export is a no-op.
			rep, err := profileimport.Import(ctx, db, strings.NewReader(buf.String()), profileimport.Options{File: "export.txt", Role: homeward.ProfileVictim})
			if homeward.ErrorCode(err) != homeward.ECONFLICT {
				t.Errorf("export re-imported as victims should conflict with the reference and staff roles: %v %+v", err, rep)
			}
		}
	}
	if _, err := profileimport.Export(ctx, db, &strings.Builder{}, "xls", "", cmf.Header{}); homeward.ErrorCode(err) != homeward.EINVALID {
		t.Errorf("unknown export format: %v", err)
	}
}

func TestImportPedigree(t *testing.T) {
	db := storetest.Open(t, "sqlite")
	ctx := storetest.Admin(t, db)
	ped := "id fid mid sex TH01 vWA\nFA 0 0 1 6/7 15/16\nMO 0 0 2 9/9.3 17/17\nMP FA MO 1 -/- -/-\n"
	fam, err := profileimport.ImportPedigree(ctx, db, strings.NewReader(ped), "PED-1", "MP", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(fam.Members) != 3 || fam.Members[0].ProfileID == nil || fam.Members[2].ProfileID != nil {
		t.Fatalf("%+v", fam)
	}
	p, err := db.GetProfile(ctx, *fam.Members[1].ProfileID)
	if err != nil || p.Sample != "PED-1/MO" || strings.Join(p.Loci["vWA"], "/") != "17/17" {
		t.Errorf("MO: %+v %v", p, err)
	}
	// The missing person typed, or a missing parent, is refused before anything is stored.
	before, _ := db.ListProfiles(ctx, homeward.ProfileFilter{})
	for _, bad := range []string{
		"id fid mid sex TH01\nFA 0 0 1 6/7\nMP FA MO 1 8/8\nMO 0 0 2 9/9\n",
		"id fid mid sex TH01\nFA 0 0 1 6/7\nMP FA XX 1 -/-\n",
	} {
		if _, err := profileimport.ImportPedigree(ctx, db, strings.NewReader(bad), "PED-2", "MP", nil); err == nil {
			t.Errorf("accepted:\n%s", bad)
		}
	}
	after, _ := db.ListProfiles(ctx, homeward.ProfileFilter{})
	if after.Total != before.Total {
		t.Errorf("profiles stored from refused files: %d -> %d", before.Total, after.Total)
	}
}
