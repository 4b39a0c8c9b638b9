package remains_test

import (
	"math"
	"strings"
	"testing"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/labfmt/freqdb"
	"github.com/homeward/homeward/remains"
	"github.com/homeward/homeward/store/storetest"
)

func TestMNIAndGroup(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			db := storetest.Open(t, d)
			ctx := storetest.Admin(t, db)
			box := &homeward.Container{Accession: "K55-001", Kind: homeward.ContainerBox}
			other := &homeward.Container{Accession: "K55-002", Kind: homeward.ContainerBox}
			for _, c := range []*homeward.Container{box, other} {
				if err := db.CreateContainer(ctx, c); err != nil {
					t.Fatal(err)
				}
			}
			spec := func(c *homeward.Container, code, el string, side homeward.Side) *homeward.Specimen {
				s := &homeward.Specimen{ContainerID: c.ID, Code: code, Element: el, Side: side, Portion: "complete"}
				if err := db.CreateSpecimen(ctx, s); err != nil {
					t.Fatal(err)
				}
				return s
			}
			// Two left femora in the first box: at least two people; one in the second.
			f1 := spec(box, "S1", "femur", homeward.SideLeft)
			f2 := spec(box, "S2", "femur", homeward.SideLeft)
			h1 := spec(box, "S3", "humerus", homeward.SideRight)
			f3 := spec(other, "S4", "femur", homeward.SideLeft)
			mni, err := remains.MNI(ctx, db, nil)
			if err != nil {
				t.Fatal(err)
			}
			if mni.PerContainer["K55-001"].MNI != 2 || mni.PerContainer["K55-002"].MNI != 1 || mni.Pooled.MNI != 3 || mni.SumOfContainers != 3 {
				t.Errorf("MNI: %+v", mni)
			}
			one, err := remains.MNI(ctx, db, []string{"K55-002"})
			if err != nil || len(one.PerContainer) != 1 || one.Pooled.MNI != 1 {
				t.Errorf("one container: %+v %v", one, err)
			}
			if _, err := remains.MNI(ctx, db, []string{"NOPE"}); homeward.ErrorCode(err) != homeward.ENOTFOUND {
				t.Errorf("unknown container: %v", err)
			}
			// DNA: S1 and S3 are one man (S3 partial); S2 is his son; S4 in the other box.
			father := map[string][]string{"D3S1358": {"15", "16"}, "vWA": {"16", "17"}, "FGA": {"21", "22"}, "D8S1179": {"13", "14"}, "D21S11": {"29", "30"},
				"D18S51": {"14", "15"}, "D5S818": {"11", "12"}, "D13S317": {"11", "12"}, "D7S820": {"10", "11"}, "TH01": {"6", "9.3"}}
			son := map[string][]string{"D3S1358": {"15", "17"}, "vWA": {"17", "18"}, "FGA": {"22", "24"}, "D8S1179": {"13", "15"}, "D21S11": {"29", "31"},
				"D18S51": {"15", "17"}, "D5S818": {"11", "13"}, "D13S317": {"12", "14"}, "D7S820": {"10", "12"}, "TH01": {"6", "7"}}
			partial := map[string][]string{}
			for k, v := range father {
				if k != "FGA" && k != "TH01" {
					partial[k] = v
				}
			}
			stranger := map[string][]string{"D3S1358": {"18", "18"}, "vWA": {"14", "15"}, "FGA": {"19", "20"}, "D8S1179": {"10", "11"}, "D21S11": {"27", "28"},
				"D18S51": {"12", "13"}, "D5S818": {"8", "9"}, "D13S317": {"8", "9"}, "D7S820": {"8", "9"}, "TH01": {"8", "10"}}
			for _, p := range []homeward.Profile{
				{Sample: "PM-S1", Role: homeward.ProfileVictim, SpecimenID: &f1.ID, Loci: father},
				{Sample: "PM-S3", Role: homeward.ProfileVictim, SpecimenID: &h1.ID, Loci: partial},
				{Sample: "PM-S2", Role: homeward.ProfileVictim, SpecimenID: &f2.ID, Loci: son},
				{Sample: "PM-S4", Role: homeward.ProfileVictim, SpecimenID: &f3.ID, Loci: stranger},
			} {
				if err := db.CreateProfile(ctx, &p); err != nil {
					t.Fatal(err)
				}
			}
			g, err := remains.Group(ctx, db, db, remains.GroupOptions{Container: "K55-001", Threshold: 1e6, MinMarkers: 8, KinshipThreshold: 1})
			if err != nil {
				t.Fatal(err)
			}
			if g.Profiles != 3 || len(g.Individuals) != 2 || len(g.Links) != 1 {
				t.Fatalf("group: %+v", g)
			}
			var man int
			for i, ind := range g.Individuals {
				if strings.Join(ind.Samples, ",") == "PM-S1,PM-S3" {
					man = i
				}
			}
			if got := g.Individuals[man].Consensus["FGA"]; len(got) != 2 || got[0] != "21" {
				t.Errorf("consensus FGA %v", got)
			}
			// The son carries one of his father's alleles and one other at every marker, so the
			// parent-child LR is the product of 1/(4 p) over the shared alleles (NIST frequencies).
			nist, _ := freqdb.Load("nist-all")
			want := 1.0
			for mk, al := range son {
				m := nist.Marker(mk)
				for i, a := range m.Alleles {
					if a == al[0] {
						want /= 4 * m.Freqs[i]
					}
				}
			}
			if len(g.Related) != 1 || g.Related[0].Relationship != "parent-child" || g.Related[0].Markers != 10 || math.Abs(g.Related[0].LR-want) > 1e-12*want {
				t.Errorf("related: %+v, want parent-child LR %v", g.Related, want)
			}
			all, err := remains.Group(ctx, db, db, remains.GroupOptions{Threshold: 1e6, KinshipThreshold: 10})
			if err != nil || all.Profiles != 4 || len(all.Individuals) != 3 {
				t.Errorf("all containers: %+v %v", all, err)
			}
		})
	}
}

func TestRepeats(t *testing.T) {
	sp := func(code, el string, side homeward.Side, portion string) homeward.Specimen {
		return homeward.Specimen{Code: code, Element: el, Side: side, Portion: portion}
	}
	for _, c := range []struct {
		in   []homeward.Specimen
		want string
	}{
		{[]homeward.Specimen{sp("A", "femur", homeward.SideLeft, "complete"), sp("B", "Femur", homeward.SideLeft, "distal")}, "femur (left) more than once: A, B"},
		{[]homeward.Specimen{sp("A", "femur", homeward.SideLeft, "proximal"), sp("B", "femur", homeward.SideLeft, "distal")}, ""},
		{[]homeward.Specimen{sp("A", "femur", homeward.SideLeft, "complete"), sp("B", "femur", homeward.SideRight, "complete")}, ""},
		{[]homeward.Specimen{sp("A", "femur", homeward.SideUnknown, "complete"), sp("B", "femur", homeward.SideUnknown, "complete")}, ""},
		{[]homeward.Specimen{sp("A", "cranium", homeward.SideAxial, ""), sp("B", "cranium", homeward.SideAxial, "fragment"), sp("C", "femur", homeward.SideLeft, "shaft")}, "cranium (axial) more than once: A, B"},
	} {
		var lines []string
		for _, r := range remains.Repeats(c.in) {
			lines = append(lines, r.String())
		}
		if got := strings.Join(lines, "; "); got != c.want {
			t.Errorf("%v: %q, want %q", c.in, got, c.want)
		}
	}
}
