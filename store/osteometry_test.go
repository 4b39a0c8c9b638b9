package store_test

import (
	"strings"
	"testing"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/store"
	"github.com/homeward/homeward/store/storetest"
)

func referenceBones() []homeward.ReferenceBone {
	var out []homeward.ReferenceBone
	for i, id := range []string{"R1", "R2", "R3"} {
		for _, side := range []homeward.Side{homeward.SideLeft, homeward.SideRight} {
			out = append(out, homeward.ReferenceBone{Individual: id, Element: "humerus", Side: side,
				Measurements: map[string]float64{"Hum_01": 300 + float64(i) + 0.1, "Hum_03": 44.5}})
		}
	}
	return out
}

// Reference samples are versioned by name, read back exactly, refused when a bone is wrong, and
// found out when their bones are altered in the database.
func TestReferenceSamples(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		analyst := storetest.User(t, db, "ana", homeward.RoleAnalyst)
		for v := 1; v <= 2; v++ {
			rs := &homeward.OsteoReferenceSample{Name: "synthetic", Source: "made up for the test"}
			if err := db.ImportReferenceSample(analyst, rs, referenceBones()); err != nil || rs.Version != v || rs.Individuals != 3 || rs.Bones != 6 {
				t.Fatalf("import %d: %+v %v", v, rs, err)
			}
		}
		for _, ref := range []string{"synthetic", "synthetic@2", "2"} {
			rs, bones, err := db.GetReferenceSample(analyst, ref)
			if err != nil || rs.Version != 2 || len(bones) != 6 || bones[4].Measurements["Hum_01"] != 302.1 || bones[5].Side != homeward.SideRight {
				t.Errorf("get %s: %+v %v %v", ref, rs, bones, err)
			}
		}
		if _, _, err := db.GetReferenceSample(analyst, "synthetic@9"); homeward.ErrorCode(err) != homeward.ENOTFOUND {
			t.Errorf("missing version: %v", err)
		}
		l, err := db.ListReferenceSamples(analyst)
		if err != nil || len(l) != 2 {
			t.Errorf("list: %v %v", l, err)
		}
		bad := referenceBones()
		bad[3].Measurements["Hum_01"] = -1
		if err := db.ImportReferenceSample(analyst, &homeward.OsteoReferenceSample{Name: "bad", Source: "x"}, bad); homeward.ErrorCode(err) != homeward.EINVALID ||
			!strings.Contains(err.Error(), "reference_sample.bones[3].measurements.Hum_01") {
			t.Errorf("negative measurement: %v", err)
		}
		custodian := storetest.User(t, db, "cus", homeward.RoleCustodian)
		if err := db.ImportReferenceSample(custodian, &homeward.OsteoReferenceSample{Name: "c", Source: "x"}, referenceBones()); homeward.ErrorCode(err) != homeward.EFORBIDDEN {
			t.Errorf("custodian import: %v", err)
		}
		// Someone with database access edits a bone: the sample no longer hashes to its record.
		if _, err := db.SQL().Exec(`UPDATE osteo_reference_bones SET measurements = '{"Hum_01":310,"Hum_03":44.5}' WHERE n = 0`); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.GetReferenceSample(analyst, "synthetic@1"); homeward.ErrorCode(err) != homeward.ECONFLICT {
			t.Errorf("altered sample read without complaint: %v", err)
		}
	})
}

// Measurements imported with specimens: new specimens created in their containers, existing ones
// updated, a dry run or one bad row stores nothing.
func TestImportMeasurements(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		analyst := storetest.User(t, db, "ana", homeward.RoleAnalyst)
		c := &homeward.Container{Accession: "K55-2018-007", Kind: homeward.ContainerBox}
		if err := db.CreateContainer(analyst, c); err != nil {
			t.Fatal(err)
		}
		old := &homeward.Specimen{ContainerID: c.ID, Code: "K55-007-S1", Element: "Femur", Side: homeward.SideLeft}
		if err := db.CreateSpecimen(analyst, old); err != nil {
			t.Fatal(err)
		}
		rows := []homeward.MeasuredSpecimen{
			{Line: 2, Container: "K55-2018-007", Code: "K55-007-S1", Element: "femur", Side: homeward.SideLeft, Measurements: map[string]float64{"Fem_01": 437.5}},
			{Line: 3, Container: "K55-2018-007", Code: "K55-007-S2", Element: "humerus", Side: homeward.SideRight, Measurements: map[string]float64{"Hum_01": 318}},
		}
		rep, err := db.ImportMeasurements(analyst, rows, true)
		if err != nil || rep.Created != 1 || rep.Updated != 1 || len(rep.Rejected) != 0 {
			t.Fatalf("dry run: %+v %v", rep, err)
		}
		if sp, _ := db.GetSpecimen(analyst, old.ID); len(sp.Measurements) != 0 {
			t.Errorf("dry run stored measurements: %+v", sp)
		}
		bad := append([]homeward.MeasuredSpecimen{}, rows...)
		bad = append(bad, homeward.MeasuredSpecimen{Line: 4, Container: "K55-2018-999", Code: "X", Element: "tibia", Side: homeward.SideLeft, Measurements: map[string]float64{"Tib_01": 360}})
		rep, err = db.ImportMeasurements(analyst, bad, false)
		if err != nil || len(rep.Rejected) != 1 || rep.Rejected[0].Line != 4 || rep.Rejected[0].Field != "container" || rep.Created != 0 {
			t.Fatalf("bad row: %+v %v", rep, err)
		}
		if l, _ := db.ListSpecimens(analyst, c.ID, homeward.Page{}); l.Total != 1 {
			t.Errorf("a refused import left %d specimens", l.Total)
		}
		rep, err = db.ImportMeasurements(analyst, rows, false)
		if err != nil || rep.Created != 1 || rep.Updated != 1 {
			t.Fatalf("import: %+v %v", rep, err)
		}
		sp, err := db.GetSpecimen(analyst, old.ID)
		if err != nil || sp.Measurements["Fem_01"] != 437.5 || sp.Element != "Femur" || sp.Version != 2 {
			t.Errorf("updated specimen: %+v %v", sp, err)
		}
		wrong := []homeward.MeasuredSpecimen{{Line: 2, Container: "K55-2018-007", Code: "K55-007-S1", Element: "tibia", Side: homeward.SideLeft, Measurements: map[string]float64{"Tib_01": 360}}}
		if rep, err := db.ImportMeasurements(analyst, wrong, false); err != nil || len(rep.Rejected) != 1 || rep.Rejected[0].Field != "element" {
			t.Errorf("a row naming another element: %+v %v", rep, err)
		}
	})
}
