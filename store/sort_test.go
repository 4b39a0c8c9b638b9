package store_test

import (
	"strings"
	"testing"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/store"
	"github.com/homeward/homeward/store/storetest"
)

// Identifications list newest first unless sorted by number or status, and a cursor walk in any
// of those orders sees each once; containers sort by kind. An order the list does not have is
// refused naming sort.
func TestListOrders(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		ctx := storetest.Admin(t, db)
		mp := &homeward.MissingPerson{FamilyName: "Kim", GivenNames: "Chul-min", Nationality: "KOR"}
		if err := db.CreateMissingPerson(ctx, mp); err != nil {
			t.Fatal(err)
		}
		vic := &homeward.Profile{Sample: "PM-9", Role: homeward.ProfileVictim, Loci: map[string][]string{"TH01": {"6", "7"}}}
		if err := db.CreateProfile(ctx, vic); err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for range 5 {
			x := &homeward.Identification{MissingPersonID: mp.ID, ProfileIDs: []int64{vic.ID}, Summary: "PM-9"}
			if err := db.CreateIdentification(ctx, x); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, x.ID)
		}
		firstOf := func(sort string) int64 {
			t.Helper()
			l, err := db.ListIdentifications(ctx, homeward.IdentificationFilter{Sort: sort, Page: homeward.Page{Limit: 2}})
			if err != nil || len(l.Items) == 0 {
				t.Fatalf("sort %q: %v", sort, err)
			}
			return l.Items[0].ID
		}
		if got := firstOf(""); got != ids[4] {
			t.Errorf("default order starts with %d, want the newest %d", got, ids[4])
		}
		if got := firstOf("number"); got != ids[0] {
			t.Errorf("by number starts with %d, want %d", got, ids[0])
		}
		for _, sort := range []string{"", "number", "status", "-status"} {
			seen := map[int64]bool{}
			p := homeward.Page{Limit: 2}
			for {
				l, err := db.ListIdentifications(ctx, homeward.IdentificationFilter{Sort: sort, Page: p})
				if err != nil {
					t.Fatal(err)
				}
				for _, x := range l.Items {
					seen[x.ID] = true
				}
				if l.NextCursor == "" {
					break
				}
				p = homeward.Page{Limit: 2, Cursor: l.NextCursor}
			}
			if len(seen) != 5 {
				t.Errorf("sort %q: a cursor walk saw %d of 5", sort, len(seen))
			}
		}
		_, err := db.ListIdentifications(ctx, homeward.IdentificationFilter{Sort: "author"})
		if he, ok := err.(*homeward.Error); !ok || he.Field != "sort" {
			t.Errorf("unknown order: %v", err)
		}
		// Persons by name the other way: family names descending, then given names descending.
		for _, p := range []homeward.MissingPerson{{FamilyName: "Yi", GivenNames: "Andrew"}, {FamilyName: "Yi", GivenNames: "Bora"}, {FamilyName: "Abe", GivenNames: "Zed"}} {
			p.Nationality = "KOR"
			if err := db.CreateMissingPerson(ctx, &p); err != nil {
				t.Fatal(err)
			}
		}
		pl, err := db.ListMissingPersons(ctx, homeward.MissingPersonFilter{Sort: "-name"})
		var names []string
		for _, p := range pl.Items {
			names = append(names, p.FamilyName+" "+p.GivenNames)
		}
		if err != nil || strings.Join(names, ", ") != "Yi Bora, Yi Andrew, Kim Chul-min, Abe Zed" {
			t.Errorf("persons by name descending: %v %v", names, err)
		}
		// An order whose column holds a comma (COALESCE(service_number, '')), reversed.
		if _, err := db.ListMissingPersons(ctx, homeward.MissingPersonFilter{Sort: "-service_number"}); err != nil {
			t.Errorf("persons by service number descending: %v", err)
		}
		for _, c := range []*homeward.Container{{Accession: "B-1", Kind: homeward.ContainerCase}, {Accession: "A-1", Kind: homeward.ContainerBox}, {Accession: "C-1", Kind: homeward.ContainerBag}} {
			if err := db.CreateContainer(ctx, c); err != nil {
				t.Fatal(err)
			}
		}
		l, err := db.ListContainers(ctx, homeward.ContainerFilter{Sort: "-kind"})
		if err != nil || len(l.Items) != 3 || l.Items[0].Kind != homeward.ContainerCase || l.Items[2].Kind != homeward.ContainerBag {
			t.Errorf("containers by kind, descending: %+v %v", l.Items, err)
		}
	})
}
