package homeward

import (
	"strings"
	"testing"
)

func ptr[T any](v T) *T { return &v }

func TestValidateNamesField(t *testing.T) {
	tests := []struct {
		name  string
		v     interface{ Validate() error }
		field string
	}{
		{"missing family name", &MissingPerson{}, "missing_person.family_name"},
		{"bad status", &MissingPerson{FamilyName: "A", Status: "lost"}, "missing_person.status"},
		{"bad date", &MissingPerson{FamilyName: "A", DateOfLoss: "1950-13-01"}, "missing_person.date_of_loss"},
		{"stature", &MissingPerson{FamilyName: "A", StatureCM: ptr(400.0)}, "missing_person.stature_cm"},
		{"age", &MissingPerson{FamilyName: "A", AgeAtLoss: ptr(-1)}, "missing_person.age_at_loss"},
		{"incident kind", &Incident{Code: "I1", Kind: "raid"}, "incident.kind"},
		{"lat only", &Incident{Code: "I1", Kind: IncidentAirLoss, Coordinates: Coordinates{Lat: ptr(40.0)}}, "incident.coordinates"},
		{"lat range", &Incident{Code: "I1", Kind: IncidentAirLoss, Coordinates: Coordinates{Lat: ptr(91.0), Lon: ptr(127.0)}}, "incident.coordinates.lat"},
		{"family relationship", &FamilyMember{MissingPersonID: 1, FamilyName: "B"}, "family_member.relationship"},
		{"operation dates", &Operation{Code: "K55", Name: "n", Kind: OperationTurnover, StartDate: "2018-07-27", EndDate: "2018-07-01"}, "operation.end_date"},
		{"container kind", &Container{Accession: "A", Kind: "crate"}, "container.kind"},
		{"specimen side", &Specimen{ContainerID: 1, Code: "S", Element: "femur", Side: "middle"}, "specimen.side"},
		{"claim subject", &Claim{Party: "DPRK", Statement: "found near Sinhung-ri", Subject: Subject{Type: "planet", ID: 1}}, "claim.subject_type"},
		{"attachment sha", &Attachment{SHA256: "abc", Kind: "photo", Filename: "a.jpg"}, "attachment.sha256"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.v.Validate()
			if ErrorCode(err) != EINVALID || !strings.HasPrefix(err.Error(), tt.field) {
				t.Errorf("got %v (%s), want invalid naming %s", err, ErrorCode(err), tt.field)
			}
		})
	}
	ok := &MissingPerson{FamilyName: "Doe", StatureCM: ptr(175.0), DateOfLoss: "1950-11-28"}
	if err := ok.Validate(); err != nil || ok.Status != StatusUnaccounted {
		t.Errorf("valid record: %v, status %q", err, ok.Status)
	}
}

func TestRolePermissions(t *testing.T) {
	viewer := &User{Username: "v", Roles: []Role{RoleViewer}}
	cust := &User{Username: "c", Roles: []Role{RoleCustodian}}
	admin := &User{Username: "a", Roles: []Role{RoleAdmin}}
	if viewer.Can(PermCustodyWrite) || !viewer.Can(PermRead) {
		t.Error("viewer permissions wrong")
	}
	if !cust.Can(PermCustodyWrite) || cust.Can(PermUserAdmin) || cust.Can(PermRegistryWrite) {
		t.Error("custodian permissions wrong")
	}
	if !admin.Can(PermUserAdmin) || !admin.Can(PermKinship) {
		t.Error("admin must hold every permission")
	}
	for _, r := range Roles {
		if !RoleCan(r, PermRead) {
			t.Errorf("role %s cannot read", r)
		}
	}
	if _, err := ParseRole("wizard"); err == nil {
		t.Error("unknown role accepted")
	}
}
