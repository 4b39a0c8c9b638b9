package web

import (
	"encoding/base64"
	"html/template"
	"net/http"

	"rsc.io/qr"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/dvi"
	"github.com/homeward/homeward/remains"
)

func (h *Handler) containers(w http.ResponseWriter, r *http.Request, u *homeward.User) {
	d, err := h.containersData(r)
	if err != nil {
		h.fail(w, u, err)
		return
	}
	h.render(w, http.StatusOK, "containers", page{Title: "Containers", User: u, Data: d})
}

type containerData struct {
	Container *homeward.Container
	Events    []homeward.CustodyEvent
	Problem   *homeward.ChainProblem
	Specimens []homeward.Specimen
	Photos    []homeward.Attachment
	CanWrite  bool
	Form      custodyForm // the custody form: empty, or what was entered with the refusal
	Kinds     []homeward.CustodyKind
}

func (h *Handler) containerData(r *http.Request) (*containerData, error) {
	ctx := r.Context()
	c, err := h.cfg.Containers.GetContainerByAccession(ctx, r.PathValue("accession"))
	if err != nil {
		return nil, err
	}
	d := &containerData{Container: c, CanWrite: homeward.Require(ctx, homeward.PermCustodyWrite) == nil, Kinds: homeward.CustodyKinds}
	if d.Events, err = h.cfg.Custody.ListCustodyEvents(ctx, c.ID); err != nil {
		return nil, err
	}
	if d.Problem, err = h.cfg.Custody.VerifyCustody(ctx, c.ID); err != nil {
		return nil, err
	}
	if l, err := h.cfg.Containers.ListSpecimens(ctx, c.ID, homeward.Page{Limit: 500}); err == nil {
		d.Specimens = l.Items
	}
	if h.cfg.Evidence != nil {
		d.Photos, _ = h.cfg.Evidence.ListAttachments(ctx, homeward.Subject{Type: "container", ID: c.ID})
	}
	return d, nil
}

// label is one printable label: what it names and its QR code (a PNG data URL).
type label struct {
	Title, Line, Code string
	QR                template.URL
}

// labels prints a label with a QR code for the container and each of its specimens; the code holds
// "homeward:container:ACCESSION" or "homeward:specimen:CODE", what a scanner at the store types in.
func (h *Handler) labels(w http.ResponseWriter, r *http.Request, u *homeward.User) {
	d, err := h.containerData(r)
	if err != nil {
		h.fail(w, u, err)
		return
	}
	mk := func(title, line, code string) (label, error) {
		c, err := qr.Encode(code, qr.M)
		if err != nil {
			return label{}, err
		}
		// The PNG is built from our own text; the data URL is safe to put in src.
		return label{Title: title, Line: line, Code: code, QR: template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(c.PNG()))}, nil
	}
	var ls []label
	l, err := mk(d.Container.Accession, string(d.Container.Kind), "homeward:container:"+d.Container.Accession)
	if err != nil {
		h.fail(w, u, err)
		return
	}
	ls = append(ls, l)
	for _, s := range d.Specimens {
		l, err := mk(s.Code, s.Element+" "+string(s.Side)+" "+s.Portion, "homeward:specimen:"+s.Code)
		if err != nil {
			h.fail(w, u, err)
			return
		}
		ls = append(ls, l)
	}
	h.render(w, http.StatusOK, "labels", page{Title: "Labels", Subject: d.Container.Accession, User: u, Data: ls})
}

func (h *Handler) container(w http.ResponseWriter, r *http.Request, u *homeward.User) {
	d, err := h.containerData(r)
	if err != nil {
		h.fail(w, u, err)
		return
	}
	h.render(w, http.StatusOK, "container", page{Title: d.Container.Accession, User: u, Flash: r.URL.Query().Get("flash"), Data: d})
}

// recordCustody appends a transfer or an opening from the container page's form.

// labSpecimen is a specimen with the DNA profile typed from it.
type labSpecimen struct {
	homeward.Specimen
	Profile *homeward.Profile
	Typed   int // markers typed
}

type labData struct {
	Container *homeward.Container
	Specimens []labSpecimen
	MNI       *dvi.MNIResult
	Group     *remains.GroupResult
	// SampleSpecimen names each DNA sample's specimen code (for the commingling table).
	SampleSpecimen map[string]string
	// Repeated lists, per individual (index), elements its specimens hold twice on one side.
	Repeated   map[int][]remains.Repeat
	GroupError *sentence
	Counts     *countsExplained
	// CanWrite: the user may add specimens; Form is the specimen form.
	CanWrite bool
	Form     postedForm
	Sides    []homeward.Side
}

// countsExplained sets the two counts of people side by side: the bones' minimum number of
// individuals and the individuals the DNA tells apart, with what makes them differ.
type countsExplained struct {
	MNI, DNA          int
	Untyped, Specimen int // specimens without a DNA profile, of all specimens
	Lower             int // what both together prove: at least max(MNI, DNA) people
}

func explainCounts(d *labData) *countsExplained {
	if d.MNI == nil || d.Group == nil {
		return nil
	}
	c := &countsExplained{MNI: d.MNI.MNI, DNA: len(d.Group.Individuals), Specimen: len(d.Specimens)}
	for _, s := range d.Specimens {
		if s.Profile == nil {
			c.Untyped++
		}
	}
	c.Lower = max(c.MNI, c.DNA)
	return c
}

// lab is the laboratory view of a container: the skeletal inventory with the DNA typed from each
// specimen, the minimum number of individuals, and the post-mortem individuals the DNA profiles
// merge into, with the matches that justify every merge and related individuals.
func (h *Handler) lab(w http.ResponseWriter, r *http.Request, u *homeward.User) {
	h.labPage(w, r, u, http.StatusOK, postedForm{Values: map[string]string{"side": "unknown"}})
}

// labPage renders a container's laboratory view with the specimen form as given (empty, or what
// was typed with its refusal).
func (h *Handler) labPage(w http.ResponseWriter, r *http.Request, u *homeward.User, status int, form postedForm) {
	ctx := r.Context()
	c, err := h.cfg.Containers.GetContainerByAccession(ctx, r.PathValue("accession"))
	if err != nil {
		h.fail(w, u, err)
		return
	}
	d := labData{Container: c, SampleSpecimen: map[string]string{}, Repeated: map[int][]remains.Repeat{}, Form: form, Sides: homeward.Sides,
		CanWrite: homeward.Require(ctx, homeward.PermSpecimenWrite) == nil}
	specimenOf := map[string]homeward.Specimen{}
	bySpecimen := map[int64]*homeward.Profile{}
	for p, err := range homeward.Profiles(ctx, h.cfg.DNA, homeward.ProfileFilter{ContainerID: c.ID}) {
		if err != nil {
			h.fail(w, u, err)
			return
		}
		if p.SpecimenID != nil {
			bySpecimen[*p.SpecimenID] = &p
		}
	}
	for sp, err := range homeward.Specimens(ctx, h.cfg.Containers, c.ID) {
		if err != nil {
			h.fail(w, u, err)
			return
		}
		ls := labSpecimen{Specimen: sp, Profile: bySpecimen[sp.ID]}
		if ls.Profile != nil {
			ls.Typed = len(ls.Profile.Loci)
			d.SampleSpecimen[ls.Profile.Sample] = sp.Code
			specimenOf[ls.Profile.Sample] = sp
		}
		d.Specimens = append(d.Specimens, ls)
	}
	if m, err := remains.MNI(ctx, h.cfg.Containers, []string{c.Accession}); err == nil {
		x := m.PerContainer[c.Accession]
		d.MNI = &x
	}
	if g, err := remains.Group(ctx, h.cfg.DNA, h.cfg.Containers, remains.GroupOptions{Container: c.Accession}); err != nil {
		d.GroupError = refusal(err)
	} else {
		d.Group = g
		for i, ind := range g.Individuals {
			var sps []homeward.Specimen
			for _, smp := range ind.Samples {
				if sp, ok := specimenOf[smp]; ok {
					sps = append(sps, sp)
				}
			}
			if r := remains.Repeats(sps); len(r) > 0 {
				d.Repeated[i] = r
			}
		}
	}
	d.Counts = explainCounts(&d)
	h.render(w, status, "lab", page{Title: "Laboratory:", Subject: c.Accession, User: u, Flash: r.URL.Query().Get("flash"), Data: d})
}
