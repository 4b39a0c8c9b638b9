package store_test

import (
	"fmt"
	"testing"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/store/storetest"
)

// BenchmarkDeepPage reads the last page of 50 of 50,000 persons sorted by name, by offset and by
// the cursor of the page before it, on every dialect.
//
//	go test ./store -run XXX -bench DeepPage -benchtime 200x
func BenchmarkDeepPage(b *testing.B) {
	const n = 50000
	for _, d := range storetest.Dialects(b) {
		b.Run(d, func(b *testing.B) {
			db := storetest.Open(b, d)
			ctx := storetest.Admin(b, db)
			rows := make([]homeward.MissingPerson, n)
			for i := range rows {
				rows[i] = homeward.MissingPerson{FamilyName: fmt.Sprintf("Name%05d", (i*7919)%n), GivenNames: "Given", Nationality: "USA"}
			}
			if _, err := db.ImportMissingPersons(ctx, rows, nil); err != nil {
				b.Fatal(err)
			}
			before, err := db.ListMissingPersons(ctx, homeward.MissingPersonFilter{Sort: "name", Page: homeward.Page{Limit: 50, Offset: n - 100}})
			if err != nil || before.NextCursor == "" {
				b.Fatalf("page before the last: %v", err)
			}
			for _, c := range []struct {
				name string
				page homeward.Page
			}{{"offset", homeward.Page{Limit: 50, Offset: n - 50}}, {"cursor", homeward.Page{Limit: 50, Cursor: before.NextCursor}}} {
				b.Run(c.name, func(b *testing.B) {
					for b.Loop() {
						l, err := db.ListMissingPersons(ctx, homeward.MissingPersonFilter{Sort: "name", Page: c.page})
						if err != nil || len(l.Items) != 50 {
							b.Fatalf("%d items: %v", len(l.Items), err)
						}
					}
				})
			}
		})
	}
}
