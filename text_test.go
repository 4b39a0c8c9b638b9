package homeward

import (
	"strings"
	"testing"
)

func TestCheckText(t *testing.T) {
	ok := &FamilyMember{FamilyName: "김", GivenNames: "철민", Relationship: "son", Consent: Consent{Scope: "DNA"}}
	if err := CheckText("family_member", ok); err != nil {
		t.Fatal(err)
	}
	for want, v := range map[string]any{
		"family_member.family_name: contains a NUL":   &FamilyMember{FamilyName: "Kim\x00"},
		"family_member.consent.scope: is not valid":   &FamilyMember{Consent: Consent{Scope: "\xff\xfe"}},
		"custody_event.photos: contains a NUL":        &CustodyEvent{Photos: []string{"a", "b\x00"}},
		"missing_person.family_name: is not valid UT": MissingPerson{FamilyName: string([]byte{0xc3})},
	} {
		var record string
		switch v.(type) {
		case *FamilyMember:
			record = "family_member"
		case *CustodyEvent:
			record = "custody_event"
		default:
			record = "missing_person"
		}
		if err := CheckText(record, v); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%T: %v, want %q", v, err, want)
		}
	}
}
