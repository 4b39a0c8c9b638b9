package store_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/store"
	"github.com/homeward/homeward/store/storetest"
)

// Paging by cursor through persons sorted by name (ties on the name, descending and ascending)
// visits each person once although persons are added before and after the cursor meanwhile; an
// offset walk would repeat one. A cursor made for another order, an altered cursor, or a cursor
// with an offset is refused naming the cursor.
func TestCursorPaging(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		ctx := storetest.Admin(t, db)
		add := func(family, given string) {
			t.Helper()
			if err := db.CreateMissingPerson(ctx, &homeward.MissingPerson{FamilyName: family, GivenNames: given, Nationality: "KOR"}); err != nil {
				t.Fatal(err)
			}
		}
		for i := range 11 {
			add(fmt.Sprintf("Name%d", i%4), "Same") // three or two persons share each name
		}
		for _, sort := range []string{"name", "-name", "service_number", "-date_of_loss"} {
			var seen []int64
			p := homeward.Page{Limit: 3}
			for page := 0; ; page++ {
				l, err := db.ListMissingPersons(ctx, homeward.MissingPersonFilter{Sort: sort, Page: p})
				if err != nil {
					t.Fatalf("%s page %d: %v", sort, page, err)
				}
				for _, x := range l.Items {
					seen = append(seen, x.ID)
				}
				if page == 1 && sort == "name" {
					add("Name0", "Added") // sorts before the cursor: not in this walk
					add("Zulu", "Added")  // sorts after it: reached
				}
				if l.NextCursor == "" {
					break
				}
				p = homeward.Page{Limit: 3, Cursor: l.NextCursor}
			}
			want := 12 // the eleven and Zulu
			if sort != "name" {
				want = 13 // and Name0 too, added before these walks
			}
			if len(seen) != want || len(slices.Compact(slices.Sorted(slices.Values(seen)))) != want {
				t.Errorf("sort %s: %d persons seen (%d distinct), want %d", sort, len(seen), len(slices.Compact(slices.Sorted(slices.Values(seen)))), want)
			}
		}

		first, err := db.ListMissingPersons(ctx, homeward.MissingPersonFilter{Sort: "name", Page: homeward.Page{Limit: 2}})
		if err != nil || first.NextCursor == "" {
			t.Fatalf("first page: %v, cursor %q", err, first.NextCursor)
		}
		for name, p := range map[string]homeward.MissingPersonFilter{
			"another order": {Sort: "-name", Page: homeward.Page{Cursor: first.NextCursor}},
			"altered":       {Sort: "name", Page: homeward.Page{Cursor: first.NextCursor[:len(first.NextCursor)-2] + "zz"}},
			"not base64":    {Sort: "name", Page: homeward.Page{Cursor: "%%%"}},
			"with offset":   {Sort: "name", Page: homeward.Page{Cursor: first.NextCursor, Offset: 4}},
		} {
			_, err := db.ListMissingPersons(ctx, p)
			if e, ok := errors.AsType[*homeward.Error](err); !ok || e.Field != "cursor" {
				t.Errorf("%s: %v, want an error naming cursor", name, err)
			}
		}

		// The audit log (newest first) pages the same way: the first two entries of the walk are the
		// two newest.
		walk, err := homeward.Collect(homeward.Walk(func(p homeward.Page) (homeward.List[homeward.AuditEntry], error) {
			p.Limit = 2
			return db.ListAudit(ctx, homeward.AuditFilter{Page: p})
		}))
		if err != nil {
			t.Fatal(err)
		}
		all, err := db.ListAudit(ctx, homeward.AuditFilter{Page: homeward.Page{Limit: 1000}})
		if err != nil {
			t.Fatal(err)
		}
		if len(walk) != all.Total || walk[0].ID != all.Items[0].ID || walk[len(walk)-1].ID != all.Items[len(all.Items)-1].ID {
			t.Errorf("audit walk: %d entries from %d to %d, want %d", len(walk), walk[0].ID, walk[len(walk)-1].ID, all.Total)
		}
	})
}
