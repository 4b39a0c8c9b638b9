package cmf

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/homeward/homeward/labfmt/markers"
	"github.com/homeward/homeward/labfmt/profile"
)

// MaxSize bounds the input ReadProfiles reads.
const MaxSize = 256 << 20

// Categories maps CMF specimen categories (compared without case, and with runs of spaces as one)
// to roles: the categories of the CODIS missing-persons indexes and of elimination samples.
// Categories of criminal casework (Forensic Unknown, Suspect, Convicted Offender, ...) are absent
// on purpose: such a specimen is rejected by name rather than imported into an identification
// system. Options.Categories adds to or overrides this table.
var Categories = map[string]string{
	// Victims: remains and living persons who cannot be identified.
	"unidentified human (remains)": profile.RoleVictim,
	"unidentified human remains":   profile.RoleVictim,
	"unidentified person":          profile.RoleVictim,
	"deceased":                     profile.RoleVictim,
	// References: relatives of a missing person, and direct references (the person's own
	// belongings or earlier samples).
	"missing person":           profile.RoleReference,
	"reference missing person": profile.RoleReference,
	"biological mother":        profile.RoleReference,
	"biological father":        profile.RoleReference,
	"biological child":         profile.RoleReference,
	"biological sibling":       profile.RoleReference,
	"sibling":                  profile.RoleReference,
	"alleged mother":           profile.RoleReference,
	"alleged father":           profile.RoleReference,
	"maternal relative":        profile.RoleReference,
	"paternal relative":        profile.RoleReference,
	"spouse":                   profile.RoleReference,
	// Elimination: people who handled the samples.
	"staff":              profile.RoleElimination,
	"forensic staff":     profile.RoleElimination,
	"elimination":        profile.RoleElimination,
	"elimination, known": profile.RoleElimination,
}

func categoryKey(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// xmlLocus is a LOCUS element as read (attributes other than KIT and BATCHID are ignored, as is
// ALLELE's ALLELEREQUIRED).
type xmlLocus struct {
	Kit     string   `xml:"KIT,attr"`
	BatchID string   `xml:"BATCHID,attr"`
	Name    string   `xml:"LOCUSNAME"`
	Alleles []allele `xml:"ALLELE"`
}

type readSpecimen struct {
	line     int
	caseID   string
	id       string
	category string
	loci     []xmlLocus
	lines    []int // line of each LOCUS
}

// ProfileOptions tune ReadProfiles.
type ProfileOptions struct {
	Markers *markers.Table // default markers.Default()
	File    string         // named in profiles' Source
	// Role, when set, is given to every specimen whatever its category.
	Role string
	// Categories adds category -> role pairs to (or overrides) the built-in Categories table.
	Categories map[string]string
}

// ReadProfiles reads a CMF 3.x import file into neutral profiles with a report.
//
// The root must be CODISImportFile (in the urn:CODISImportFile-schema namespace or none); a
// HEADERVERSION other than 3.x is a warning. Each SPECIMEN gives one profile: SPECIMENID is the
// sample, SPECIMENCATEGORY the role (see Categories; an unknown category rejects the specimen by
// name), the first LOCUS KIT attribute the kit, and each LOCUS its canonical marker and the
// ALLELEVALUEs as called. A specimen id used twice rejects both specimens; a locus given twice
// with another call rejects the specimen (the same call twice is a warning); a specimen failing
// profile.Validate for its role is rejected with the line of the locus; a specimen with no typed
// locus is left out with a warning. Lines are those of the SPECIMEN and LOCUS start tags. A file
// that is not well-formed XML or has another root is an error.
func ReadProfiles(r io.Reader, o ProfileOptions) ([]profile.Profile, profile.Report, error) {
	rd := &specimenReader{o: o, rep: profile.NewReport(), tab: o.Markers, cats: categories(o), unknown: map[string]bool{}, markerSet: map[string]bool{}}
	if rd.tab == nil {
		rd.tab = markers.Default()
	}
	file := o.File
	if file == "" {
		file = "input"
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, rd.rep, fmt.Errorf("%s: %w", file, err)
	}
	if len(data) > MaxSize {
		return nil, rd.rep, fmt.Errorf("%s: larger than %d MB", file, MaxSize>>20)
	}
	specimens, err := rd.document(data, file)
	if err != nil {
		return nil, rd.rep, err
	}
	out := rd.profiles(specimens)
	sort.Strings(rd.rep.Unknown)
	rd.rep.Markers = len(rd.markerSet)
	return out, rd.rep, nil
}

// categories is the specimen categories mapped to roles: Categories with the options' own.
func categories(o ProfileOptions) map[string]string {
	if len(o.Categories) == 0 {
		return Categories
	}
	cats := make(map[string]string, len(Categories)+len(o.Categories))
	for k, v := range Categories {
		cats[k] = v
	}
	for k, v := range o.Categories {
		cats[categoryKey(k)] = v
	}
	return cats
}

// specimenReader is the state of ReadProfiles: its options, the report, and what it has seen.
type specimenReader struct {
	o         ProfileOptions
	rep       profile.Report
	tab       *markers.Table
	cats      map[string]string
	headerKit string
	unknown   map[string]bool // unknown marker names already warned of
	markerSet map[string]bool
}

// document reads the XML: the CODISImportFile root, its header and its specimens.
func (rd *specimenReader) document(data []byte, file string) ([]readSpecimen, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	line := func() int { l, _ := dec.InputPos(); return l }
	fail := func(err error) error {
		var se *xml.SyntaxError
		if errors.As(err, &se) {
			return fmt.Errorf("%s line %d: not well-formed XML: %s", file, se.Line, se.Msg)
		}
		return fmt.Errorf("%s line %d: %w", file, line(), err)
	}
	var root xml.StartElement
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil, fmt.Errorf("%s: no CODISImportFile element (empty file?)", file)
		}
		if err != nil {
			return nil, fail(err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			root = se
			break
		}
	}
	if root.Name.Local != "CODISImportFile" || (root.Name.Space != "" && root.Name.Space != Namespace) {
		return nil, fmt.Errorf("%s line %d: root element %s %s, not CODISImportFile (namespace %s): not a CMF file", file, line(), root.Name.Space, root.Name.Local, Namespace)
	}
	var specimens []readSpecimen
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil, fail(err)
		}
		if _, ok := tok.(xml.EndElement); ok {
			return specimens, nil // the end of the root
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if se.Name.Local == "SPECIMEN" {
			s, err := readSpecimenElement(dec, se, line())
			if err != nil {
				return nil, fail(err)
			}
			specimens = append(specimens, s)
		} else if err := rd.headerElement(dec, se, line()); err != nil {
			return nil, fail(err)
		}
	}
}

// headerElement reads an element of the file's header: the version (warned of unless 3.x), the
// kit; others (MESSAGETYPE, SOURCELAB, SUBMITDATETIME, BATCHID...) are skipped.
func (rd *specimenReader) headerElement(dec *xml.Decoder, se xml.StartElement, at int) error {
	switch se.Name.Local {
	case "HEADERVERSION":
		var v string
		if err := dec.DecodeElement(&v, &se); err != nil {
			return err
		}
		if v = strings.TrimSpace(v); !strings.HasPrefix(v, "3.") {
			rd.rep.Warn(profile.Problem{Line: at, Field: "HEADERVERSION", Message: fmt.Sprintf("version %q; this reader follows CMF 3.x", v)})
		}
		return nil
	case "KIT":
		return dec.DecodeElement(&rd.headerKit, &se)
	}
	return dec.Skip()
}

// profiles makes a profile of each specimen that passes the rules of ReadProfiles.
func (rd *specimenReader) profiles(specimens []readSpecimen) []profile.Profile {
	idCount := map[string]int{}
	for _, s := range specimens {
		if s.id != "" {
			idCount[s.id]++
		}
	}
	seen := map[string]bool{}
	var out []profile.Profile
	for _, s := range specimens {
		reject := func(field, msg string) {
			rd.rep.Reject(profile.Problem{Line: s.line, Sample: s.id, Field: field, Message: msg})
		}
		if s.id == "" {
			reject("SPECIMENID", "empty specimen id")
			continue
		}
		if !seen[s.id] {
			rd.rep.Samples++
		}
		if idCount[s.id] > 1 {
			reject("SPECIMENID", fmt.Sprintf("specimen id used by %d specimens; none of them is imported", idCount[s.id]))
			if !seen[s.id] {
				rd.rep.LeftOut = append(rd.rep.LeftOut, s.id)
			}
			seen[s.id] = true
			continue
		}
		seen[s.id] = true
		role := rd.o.Role
		if role == "" {
			var ok bool
			if role, ok = rd.cats[categoryKey(s.category)]; !ok {
				reject("SPECIMENCATEGORY", fmt.Sprintf("category %q is not one of the missing-persons or elimination categories; give a role or a category mapping to import it", s.category))
				rd.rep.LeftOut = append(rd.rep.LeftOut, s.id)
				continue
			}
		}
		if p, ok := rd.specimen(s, role); ok {
			out = append(out, p)
		}
	}
	return out
}

// specimen makes one specimen's profile; ok is false when it is rejected or has no typed locus.
func (rd *specimenReader) specimen(s readSpecimen, role string) (profile.Profile, bool) {
	p := profile.Profile{Sample: s.id, Role: role, Kit: rd.headerKit, Source: profile.Source{File: rd.o.File, Line: s.line}}
	lineOf := map[string]int{}
	bad := false
	for i, l := range s.loci {
		if p.Kit == rd.headerKit && strings.TrimSpace(l.Kit) != "" {
			p.Kit = strings.TrimSpace(l.Kit)
		}
		if !rd.locus(&p, s, i, lineOf) {
			bad = true
		}
	}
	for _, pr := range p.Problems() {
		pr.Line = s.line
		if l, ok := lineOf[pr.Marker]; ok {
			pr.Line = l
		}
		rd.rep.Reject(pr)
		bad = true
	}
	if bad {
		rd.rep.LeftOut = append(rd.rep.LeftOut, s.id)
		return p, false
	}
	if len(p.Loci) == 0 {
		rd.rep.Warn(profile.Problem{Line: s.line, Sample: s.id, Message: "no locus typed; left out"})
		rd.rep.LeftOut = append(rd.rep.LeftOut, s.id)
		return p, false
	}
	for _, l := range p.Loci {
		rd.rep.Alleles += len(l.Alleles)
		rd.markerSet[l.Marker] = true
	}
	return p, true
}

// locus adds the specimen's i-th LOCUS to p (a repeat with the same call is a warning); false
// when the locus rejects the specimen.
func (rd *specimenReader) locus(p *profile.Profile, s readSpecimen, i int, lineOf map[string]int) bool {
	l, at := s.loci[i], s.lines[i]
	raw := strings.TrimSpace(l.Name)
	name, known := rd.tab.Canonical(raw)
	if raw == "" {
		rd.rep.Reject(profile.Problem{Line: at, Sample: s.id, Field: "LOCUSNAME", Message: "empty locus name"})
		return false
	}
	if !known && !rd.unknown[name] {
		rd.unknown[name] = true
		rd.rep.Unknown = append(rd.rep.Unknown, name)
		rd.rep.Warn(profile.Problem{Line: at, Sample: s.id, Marker: name, Field: "LOCUSNAME", Message: "locus name not in the marker table; kept as given"})
	}
	loc := profile.Locus{Marker: name, Raw: raw, Line: at}
	for _, a := range l.Alleles {
		v := strings.TrimSpace(a.Value)
		if v == "" {
			continue
		}
		if strings.EqualFold(v, profile.OffLadder) {
			v = profile.OffLadder
			rd.rep.Warn(profile.Problem{Line: at, Sample: s.id, Marker: name, Field: "ALLELEVALUE", Message: "off-ladder value kept; by the default rule the locus has no genotype"})
		}
		loc.Alleles = append(loc.Alleles, v)
	}
	if len(loc.Alleles) == 0 {
		return true
	}
	if prev := p.Locus(name); prev != nil {
		if sameSet(prev.Alleles, loc.Alleles) {
			rd.rep.Warn(profile.Problem{Line: at, Sample: s.id, Marker: name, Field: "LOCUS", Message: fmt.Sprintf("repeats the locus at line %d with the same alleles; the repeat is ignored", lineOf[name])})
			return true
		}
		rd.rep.Reject(profile.Problem{Line: at, Sample: s.id, Marker: name, Field: "LOCUS", Message: fmt.Sprintf("lines %d and %d give different alleles (%s against %s)", lineOf[name], at, strings.Join(prev.Alleles, "/"), strings.Join(loc.Alleles, "/"))})
		return false
	}
	lineOf[name] = at
	p.Loci = append(p.Loci, loc)
	return true
}

// readSpecimenElement reads one SPECIMEN after its start tag, keeping the line of each LOCUS.
func readSpecimenElement(dec *xml.Decoder, start xml.StartElement, at int) (readSpecimen, error) {
	s := readSpecimen{line: at}
	for _, a := range start.Attr {
		if a.Name.Local == "CASEID" {
			s.caseID = a.Value
		}
	}
	for {
		tok, err := dec.Token()
		if err != nil {
			return s, err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return s, nil
		case xml.StartElement:
			var err error
			switch t.Name.Local {
			case "SPECIMENID":
				err = dec.DecodeElement(&s.id, &t)
				s.id = strings.TrimSpace(s.id)
			case "SPECIMENCATEGORY":
				err = dec.DecodeElement(&s.category, &t)
			case "LOCUS":
				l, _ := dec.InputPos()
				var x xmlLocus
				err = dec.DecodeElement(&x, &t)
				s.loci = append(s.loci, x)
				s.lines = append(s.lines, l)
			default: // SPECIMENCOMMENT and others
				err = dec.Skip()
			}
			if err != nil {
				return s, err
			}
		}
	}
}

func sameSet(a, b []string) bool {
	return subset(a, b) && subset(b, a)
}

func subset(a, b []string) bool {
	for _, x := range a {
		if !contains(b, x) {
			return false
		}
	}
	return true
}

// RoleCategories is the category WriteProfiles gives each role by default. A reference has none:
// CMF wants the relationship (Biological Mother, Sibling, ...) which a role does not say, so the
// caller must give it (WriteOptions.Category or RoleCategories).
var RoleCategories = map[string]string{
	profile.RoleVictim:      "Unidentified Human (Remains)",
	profile.RoleElimination: "Staff",
}

// WriteOptions tune WriteProfiles.
type WriteOptions struct {
	Header Header
	// RoleCategories overrides the default category of a role (e.g. "reference": "Maternal Relative").
	RoleCategories map[string]string
	// Category, when set, gives each profile's category; an empty result falls back to the role's.
	Category func(profile.Profile) string
	// CaseID, when set, gives each specimen's CASEID attribute.
	CaseID func(profile.Profile) string
}

// WriteProfiles writes profiles as a CMF 3.2 import file (HEADERVERSION 3.2, MESSAGETYPE Import,
// the header of o, then one SPECIMEN per profile with its category, and one LOCUS per locus with
// the profile's kit, READINGBY and READINGDATETIME from the header, and the alleles as called).
// A profile without a category (a reference with no relationship given), with an off-ladder call
// (CMF carries designations only) or failing profile.Validate is an error naming it; nothing is
// written then.
func WriteProfiles(w io.Writer, ps []profile.Profile, o WriteOptions) error {
	at := o.Header.At.UTC().Format("2006-01-02T15:04:05")
	f := file{HeaderVersion: "3.2", MessageType: "Import", DestinationORI: o.Header.DestinationORI, SourceLab: o.Header.SourceLab, SubmitBy: o.Header.SubmitBy, SubmitDateTime: at}
	for _, p := range ps {
		if err := p.Validate(); err != nil {
			return err
		}
		cat := ""
		if o.Category != nil {
			cat = o.Category(p)
		}
		if cat == "" {
			cat = o.RoleCategories[p.Role]
		}
		if cat == "" {
			cat = RoleCategories[p.Role]
		}
		if cat == "" {
			return fmt.Errorf("sample %q: no CMF specimen category for role %q (give the relationship as a category)", p.Sample, p.Role)
		}
		s := specimen{ID: p.Sample, Category: cat}
		if o.CaseID != nil {
			s.CaseID = o.CaseID(p)
		}
		for _, l := range p.Loci {
			x := locus{Kit: p.Kit, Name: l.Marker, Reading: o.Header.SubmitBy, ReadTime: at}
			for _, a := range l.Alleles {
				if a == profile.OffLadder {
					return fmt.Errorf("sample %q marker %q: an off-ladder call cannot be written to CMF (resolve or remove it)", p.Sample, l.Marker)
				}
				x.Alleles = append(x.Alleles, allele{Value: a})
			}
			s.Loci = append(s.Loci, x)
		}
		f.Specimens = append(f.Specimens, s)
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(f); err != nil {
		return err
	}
	buf.WriteByte('\n')
	_, err := w.Write(buf.Bytes())
	return err
}
