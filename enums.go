package homeward

// The closed sets of values of the enumerated types: validation refuses anything else, and the
// API's OpenAPI document lists them as each field's enum (EnumValues), from these same lists.
var (
	Statuses            = []Status{StatusUnaccounted, StatusAccountedFor, StatusNonRecoverable}
	Sexes               = []Sex{SexUnknown, SexMale, SexFemale}
	IncidentKinds       = []IncidentKind{IncidentAirLoss, IncidentGroundAction, IncidentPOWCamp, IncidentMaritime, IncidentDisaster, IncidentOther}
	OperationKinds      = []OperationKind{OperationTurnover, OperationExcavation, OperationRecovery, OperationUnilateral}
	ContainerKinds      = []ContainerKind{ContainerCase, ContainerBox, ContainerBag}
	Sides               = []Side{SideLeft, SideRight, SideAxial, SideUnknown}
	ProfileRoles        = []ProfileRole{ProfileVictim, ProfileReference, ProfileElimination}
	ScreenStatuses      = []ScreenStatus{ScreenQueued, ScreenDone}
	IdentStatuses       = []IdentStatus{IdentDraft, IdentInReview, IdentReturned, IdentApproved, IdentWithdrawn}
	EvidenceKinds       = []EvidenceKind{EvidenceAutosomalDNA, EvidenceYSTR, EvidenceMtDNA, EvidenceDental, EvidenceRadiograph, EvidenceAnthropology, EvidenceMaterial, EvidenceHistorical}
	EvidenceConclusions = []EvidenceConclusion{ConclusionSupports, ConclusionConsistent, ConclusionInconclusive, ConclusionExcludes}
	ReviewDecisions     = []ReviewDecision{DecisionApprove, DecisionReturn}
	NotificationMethods = []NotificationMethod{NotifyInPerson, NotifyPhone, NotifyLetter, NotifyVideo}
	Languages           = []Language{LanguageEnglish, LanguageKorean}
	DispositionKinds    = []DispositionKind{DispositionBurial, DispositionCremation, DispositionRepatriation, DispositionOther}
)

func names[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

func (Language) EnumValues() []string           { return names(Languages) }
func (Status) EnumValues() []string             { return names(Statuses) }
func (Sex) EnumValues() []string                { return names(Sexes) }
func (IncidentKind) EnumValues() []string       { return names(IncidentKinds) }
func (OperationKind) EnumValues() []string      { return names(OperationKinds) }
func (ContainerKind) EnumValues() []string      { return names(ContainerKinds) }
func (Side) EnumValues() []string               { return names(Sides) }
func (ProfileRole) EnumValues() []string        { return names(ProfileRoles) }
func (ScreenStatus) EnumValues() []string       { return names(ScreenStatuses) }
func (IdentStatus) EnumValues() []string        { return names(IdentStatuses) }
func (EvidenceKind) EnumValues() []string       { return names(EvidenceKinds) }
func (EvidenceConclusion) EnumValues() []string { return names(EvidenceConclusions) }
func (ReviewDecision) EnumValues() []string     { return names(ReviewDecisions) }
func (NotificationMethod) EnumValues() []string { return names(NotificationMethods) }
func (DispositionKind) EnumValues() []string    { return names(DispositionKinds) }
func (CustodyKind) EnumValues() []string        { return names(CustodyKinds) }
func (Role) EnumValues() []string               { return names(Roles) }
