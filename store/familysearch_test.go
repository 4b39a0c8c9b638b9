package store_test

import (
	"fmt"
	"testing"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/store"
	"github.com/homeward/homeward/store/storetest"
)

// Relatives are found by name as missing persons are: Hangul, Revised Romanization, McCune–
// Reischauer, either order; rows written before the keys existed get them when the store opens.
func TestFamilyMemberSearch(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		ctx := storetest.Admin(t, db)
		mp := &homeward.MissingPerson{FamilyName: "Kim", GivenNames: "Chul-min", Nationality: "KOR"}
		if err := db.CreateMissingPerson(ctx, mp); err != nil {
			t.Fatal(err)
		}
		for _, f := range []homeward.FamilyMember{
			{FamilyName: "Kim", GivenNames: "Young-ja", NativeName: "김영자", Relationship: "sister"},
			{FamilyName: "Park", GivenNames: "Sun-hee", NativeName: "박선희", Relationship: "niece"},
			{FamilyName: "Smith", GivenNames: "Ann", Relationship: "cousin"},
		} {
			f.MissingPersonID = mp.ID
			if err := db.CreateFamilyMember(ctx, &f); err != nil {
				t.Fatal(err)
			}
		}
		find := func(q string) string {
			l, err := db.FindFamilyMembers(ctx, homeward.FamilyMemberSearch{Query: q})
			if err != nil {
				return "error " + err.Error()
			}
			var names []string
			for _, f := range l.Items {
				names = append(names, f.GivenNames)
			}
			return fmt.Sprint(l.Total, names)
		}
		for q, want := range map[string]string{"김영자": "1 [Young-ja]", "Gim Yeongja": "1 [Young-ja]", "Kim Yŏng-ja": "1 [Young-ja]", "Youngja Kim": "1 [Young-ja]",
			"영자": "1 [Young-ja]", "Pak Sŏn-hŭi": "1 [Sun-hee]", "ann smith": "1 [Ann]", "kim": "1 [Young-ja]", "Lee": "0 []"} {
			if got := find(q); got != want {
				t.Errorf("%q: %s, want %s", q, got, want)
			}
		}
		if got := find("  "); got != "error q: give a name to look for" {
			t.Errorf("an empty search: %s", got)
		}
		if _, err := db.SQL().ExecContext(ctx, "UPDATE family_members SET search_names = ''"); err != nil {
			t.Fatal(err)
		}
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if got := find("Pak Sŏn-hŭi"); got != "1 [Sun-hee]" {
			t.Errorf("after the backfill: %s", got)
		}
		// A relative's name typed with a letter wrong: found among the close names, best first.
		for q, want := range map[string]string{"Park Sunhie": "1 [Sun-hee]", "Kim Youngje": "1 [Young-ja]", "Smyth Anne": "0 []", "Lee": "error"} {
			l, err := db.FindFamilyMembers(ctx, homeward.FamilyMemberSearch{Query: q, Close: true})
			got := "error"
			if err == nil {
				var names []string
				for _, f := range l.Items {
					names = append(names, f.GivenNames)
				}
				got = fmt.Sprint(l.Total, names)
			} else if he, ok := err.(*homeward.Error); !ok || he.Field != "q" {
				got = err.Error()
			}
			if got != want {
				t.Errorf("close to %q: %s, want %s", q, got, want)
			}
		}
	})
}

// A name typed with a letter or two wrong finds the close names, best first; a name sharing too
// little finds nothing; a query too short to tell is refused naming q.
func TestCloseNameSearch(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		ctx := storetest.Admin(t, db)
		for _, p := range []homeward.MissingPerson{
			{FamilyName: "Kim", GivenNames: "Chul-min", NativeName: "김철민", Nationality: "KOR"},
			{FamilyName: "Kim", GivenNames: "Chul-soo", Nationality: "KOR"},
			{FamilyName: "Harlan", GivenNames: "Ruth", Nationality: "USA"},
			{FamilyName: "Oakley", GivenNames: "Jonathan", Nationality: "USA"},
		} {
			if err := db.CreateMissingPerson(ctx, &p); err != nil {
				t.Fatal(err)
			}
		}
		find := func(q string) string {
			l, err := db.ListMissingPersons(ctx, homeward.MissingPersonFilter{Query: q, Close: true})
			if err != nil {
				return "error " + err.Error()
			}
			var names []string
			for _, p := range l.Items {
				names = append(names, p.GivenNames)
			}
			return fmt.Sprint(l.Total, names)
		}
		for q, want := range map[string]string{
			"Kim Chulmim":    "2 [Chul-min Chul-soo]", // one letter wrong: the meant name first
			"Jonathon Okley": "1 [Jonathan]",
			"Harlen":         "1 [Ruth]",
			"Smith":          "0 []",
			"kim":            "error q: a close-name search needs 4 to 42 letters",
		} {
			if got := find(q); got != want {
				t.Errorf("%q: %s, want %s", q, got, want)
			}
		}
	})
}
