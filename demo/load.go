package demo

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/blob"
)

// Services are what Load writes through.
type Services struct {
	Registry   homeward.RegistryService
	Operations homeward.OperationService
	Containers homeward.ContainerService
	Custody    homeward.CustodyService
	Evidence   homeward.EvidenceService
	Import     homeward.ImportService
	Blob       homeward.BlobStore
}

// ThumbnailSide is the longer side of the thumbnails Load stores with each photo.
const ThumbnailSide = 256

// Load writes w through the services, acting as the user in ctx (who needs the permissions of an
// admin, or of analyst + custodian + liaison). Missing persons, incidents and family members go
// through ImportService (one transaction each); the turnover goes through the regular services,
// and every custody event is appended through CustodyService so that its chain is a genuine one.
//
// Load refuses (ECONFLICT) a store that already holds incidents, missing persons or the demo
// operation: the demo is for an empty store, and loading it twice would duplicate nothing but
// would fail half-way. progress, if not nil, is called as each stage advances.
func Load(ctx context.Context, w *World, svc Services, progress func(stage string, done, total int)) error {
	if progress == nil {
		progress = func(string, int, int) {}
	}
	if svc.Registry == nil || svc.Operations == nil || svc.Containers == nil || svc.Custody == nil || svc.Evidence == nil || svc.Import == nil || svc.Blob == nil {
		return homeward.Errorf(homeward.EINTERNAL, "demo: Load needs every service and a blob store")
	}
	if err := refuseNonEmpty(ctx, svc); err != nil {
		return err
	}

	incidentIDs, err := loadIncidents(ctx, w, svc, progress)
	if err != nil {
		return err
	}
	personIDs, err := loadPersons(ctx, w, svc, incidentIDs, progress)
	if err != nil {
		return err
	}
	if err := loadRelatives(ctx, w, svc, personIDs, progress); err != nil {
		return err
	}
	return loadTurnover(ctx, w, svc, progress)
}

// loadIncidents imports the incidents and returns their ids by code.
func loadIncidents(ctx context.Context, w *World, svc Services, progress func(string, int, int)) (map[string]int64, error) {
	progress("incidents", 0, len(w.Incidents))
	incidents := make([]homeward.Incident, len(w.Incidents))
	copy(incidents, w.Incidents)
	if err := importReport("incidents")(svc.Import.ImportIncidents(ctx, incidents, seqLines(len(incidents)))); err != nil {
		return nil, err
	}
	incidentIDs := map[string]int64{}
	if err := eachPage(func(p homeward.Page) (int, int, error) {
		l, err := svc.Registry.ListIncidents(ctx, homeward.IncidentFilter{Page: p})
		for _, in := range l.Items {
			incidentIDs[in.Code] = in.ID
		}
		return len(l.Items), l.Total, err
	}); err != nil {
		return nil, fmt.Errorf("demo: list loaded incidents: %w", err)
	}
	progress("incidents", len(w.Incidents), len(w.Incidents))
	return incidentIDs, nil
}

// loadPersons imports the missing persons and returns their ids by service number.
func loadPersons(ctx context.Context, w *World, svc Services, incidentIDs map[string]int64, progress func(string, int, int)) (map[string]int64, error) {
	progress("missing persons", 0, len(w.Persons))
	persons := make([]homeward.MissingPerson, len(w.Persons))
	for i, p := range w.Persons {
		persons[i] = p.Record
		id, ok := incidentIDs[w.Incidents[p.Incident].Code]
		if !ok {
			return nil, fmt.Errorf("demo: incident %s was not stored", w.Incidents[p.Incident].Code)
		}
		persons[i].IncidentID = &id
	}
	if err := importReport("missing persons")(svc.Import.ImportMissingPersons(ctx, persons, seqLines(len(persons)))); err != nil {
		return nil, err
	}
	personIDs := map[string]int64{}
	if err := eachPage(func(p homeward.Page) (int, int, error) {
		l, err := svc.Registry.ListMissingPersons(ctx, homeward.MissingPersonFilter{Page: p})
		for _, m := range l.Items {
			personIDs[m.ServiceNumber] = m.ID
		}
		return len(l.Items), l.Total, err
	}); err != nil {
		return nil, fmt.Errorf("demo: list loaded missing persons: %w", err)
	}
	progress("missing persons", len(w.Persons), len(w.Persons))
	return personIDs, nil
}

// loadRelatives imports the missing persons' family members.
func loadRelatives(ctx context.Context, w *World, svc Services, personIDs map[string]int64, progress func(string, int, int)) error {
	progress("family members", 0, len(w.Relatives))
	family := make([]homeward.FamilyMember, len(w.Relatives))
	for i, r := range w.Relatives {
		family[i] = r.Record
		sn := w.Persons[r.Person].Record.ServiceNumber
		id, ok := personIDs[sn]
		if !ok {
			return fmt.Errorf("demo: missing person %s was not stored", sn)
		}
		family[i].MissingPersonID = id
	}
	if err := importReport("family members")(svc.Import.ImportFamilyMembers(ctx, family, seqLines(len(family)))); err != nil {
		return err
	}
	progress("family members", len(w.Relatives), len(w.Relatives))
	return nil
}

// loadTurnover stores the turnover operation with its legs and ceremonies, and its containers
// with their custody chains.
func loadTurnover(ctx context.Context, w *World, svc Services, progress func(string, int, int)) error {
	// The turnover.
	op := w.Operation
	if err := svc.Operations.CreateOperation(ctx, &op); err != nil {
		return fmt.Errorf("demo: operation %s: %w", op.Code, err)
	}
	for _, leg := range w.Legs {
		leg.OperationID = op.ID
		if err := svc.Operations.AddTransportLeg(ctx, &leg); err != nil {
			return fmt.Errorf("demo: operation %s transport leg %d: %w", op.Code, leg.Seq, err)
		}
	}
	for _, c := range w.Ceremonies {
		c.OperationID = op.ID
		if err := svc.Operations.AddCeremony(ctx, &c); err != nil {
			return fmt.Errorf("demo: operation %s ceremony %q: %w", op.Code, c.Name, err)
		}
	}
	for i := range w.Containers {
		progress("containers", i, len(w.Containers))
		if err := loadContainer(ctx, svc, op.ID, &w.Containers[i]); err != nil {
			return err
		}
	}
	progress("containers", len(w.Containers), len(w.Containers))
	return nil
}

func loadContainer(ctx context.Context, svc Services, opID int64, wc *Container) error {
	c := wc.Record
	c.OperationID = &opID
	if err := svc.Containers.CreateContainer(ctx, &c); err != nil {
		return fmt.Errorf("demo: container %s: %w", wc.Record.Accession, err)
	}
	for _, s := range wc.Specimens {
		s.ContainerID = c.ID
		if err := svc.Containers.CreateSpecimen(ctx, &s); err != nil {
			return fmt.Errorf("demo: specimen %s: %w", s.Code, err)
		}
	}
	for j, ev := range wc.Events {
		e := ev.Record
		e.Photos = nil
		var atts []homeward.Attachment
		for _, ph := range ev.Photos {
			a, err := storePhoto(ctx, svc.Blob, ph)
			if err != nil {
				return fmt.Errorf("demo: container %s photo %s: %w", c.Accession, ph.Filename, err)
			}
			e.Photos = append(e.Photos, a.SHA256)
			atts = append(atts, a)
		}
		if err := svc.Custody.AppendCustodyEvent(ctx, c.ID, &e); err != nil {
			return fmt.Errorf("demo: container %s custody event %d (%s): %w", c.Accession, j+1, e.Kind, err)
		}
		for _, a := range atts {
			a.Subject = homeward.Subject{Type: "container", ID: c.ID}
			a.Caption = fmt.Sprintf("%s (custody event %d, %s)", a.Caption, e.Seq, e.Kind)
			if err := svc.Evidence.CreateAttachment(ctx, &a); err != nil {
				return fmt.Errorf("demo: container %s attachment %s: %w", c.Accession, a.Filename, err)
			}
		}
	}
	for _, cl := range wc.Claims {
		cl.Subject = homeward.Subject{Type: "container", ID: c.ID}
		if err := svc.Evidence.CreateClaim(ctx, &cl); err != nil {
			return fmt.Errorf("demo: container %s claim: %w", c.Accession, err)
		}
	}
	return nil
}

// storePhoto puts the photo and its thumbnail in the blob store and returns the attachment record
// (not yet stored).
func storePhoto(ctx context.Context, bs homeward.BlobStore, ph Photo) (homeward.Attachment, error) {
	sha, size, err := bs.Put(ctx, bytes.NewReader(ph.PNG))
	if err != nil {
		return homeward.Attachment{}, err
	}
	th, _, err := blob.Thumbnail(bytes.NewReader(ph.PNG), ThumbnailSide)
	if err != nil {
		return homeward.Attachment{}, err
	}
	thSHA, _, err := bs.Put(ctx, bytes.NewReader(th))
	if err != nil {
		return homeward.Attachment{}, err
	}
	t := ph.TakenAt
	return homeward.Attachment{SHA256: sha, Kind: "photo", Filename: ph.Filename, MediaType: "image/png", Size: size,
		Thumbnail: thSHA, Caption: ph.Caption, TakenAt: &t}, nil
}

// refuseNonEmpty fails when the store already holds registry data or the demo operation.
func refuseNonEmpty(ctx context.Context, svc Services) error {
	var have []string
	mp, err := svc.Registry.ListMissingPersons(ctx, homeward.MissingPersonFilter{Page: homeward.Page{Limit: 1}})
	if err != nil {
		return fmt.Errorf("demo: check store is empty: %w", err)
	}
	if mp.Total > 0 {
		have = append(have, fmt.Sprintf("%d missing persons", mp.Total))
	}
	in, err := svc.Registry.ListIncidents(ctx, homeward.IncidentFilter{Page: homeward.Page{Limit: 1}})
	if err != nil {
		return fmt.Errorf("demo: check store is empty: %w", err)
	}
	if in.Total > 0 {
		have = append(have, fmt.Sprintf("%d incidents", in.Total))
	}
	if _, err := svc.Operations.GetOperationByCode(ctx, OperationCode); err == nil {
		have = append(have, "operation "+OperationCode)
	} else if homeward.ErrorCode(err) != homeward.ENOTFOUND {
		return fmt.Errorf("demo: check store is empty: %w", err)
	}
	if len(have) > 0 {
		return homeward.Errorf(homeward.ECONFLICT, "demo: the store already holds data (%s); the demo world loads only into an empty store",
			strings.Join(have, ", "))
	}
	return nil
}

func importReport(kind string) func(homeward.ImportReport, error) error {
	return func(r homeward.ImportReport, err error) error {
		if err != nil {
			return fmt.Errorf("demo: import %s: %w", kind, err)
		}
		if len(r.Rejected) > 0 {
			p := r.Rejected[0]
			return fmt.Errorf("demo: import %s: %d rows rejected, first: row %d (%s) %s: %s", kind, len(r.Rejected), p.Line, p.Record, p.Field, p.Message)
		}
		return nil
	}
}

// seqLines numbers rows 1..n (the world has no file lines; the row number stands in).
func seqLines(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i + 1
	}
	return out
}

// eachPage calls list with successive pages of 1000 until every record has been seen.
func eachPage(list func(homeward.Page) (got, total int, err error)) error {
	for off := 0; ; {
		got, total, err := list(homeward.Page{Limit: 1000, Offset: off})
		if err != nil {
			return err
		}
		off += got
		if got == 0 || off >= total {
			return nil
		}
	}
}
