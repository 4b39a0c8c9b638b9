// Package cmf reads and writes CODIS Common Message Format 3.x import files (XML in the
// urn:CODISImportFile-schema namespace: a header, then SPECIMEN elements with SPECIMENID,
// SPECIMENCATEGORY, optional SPECIMENCOMMENT and LOCUS elements holding LOCUSNAME and ALLELE /
// ALLELEVALUE). Specimen categories map to Homeward's roles: unidentified persons are victims,
// relatives and direct references of missing persons are references, staff and elimination
// samples are elimination profiles; categories of criminal casework are refused by name.
package cmf

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/labfmt/markers"
)

// Namespace is the CMF 3.x XML namespace.
const Namespace = "urn:CODISImportFile-schema"

type file struct {
	XMLName        xml.Name   `xml:"urn:CODISImportFile-schema CODISImportFile"`
	HeaderVersion  string     `xml:"HEADERVERSION"`
	MessageType    string     `xml:"MESSAGETYPE"`
	DestinationORI string     `xml:"DESTINATIONORI"`
	SourceLab      string     `xml:"SOURCELAB"`
	SubmitBy       string     `xml:"SUBMITBYUSERID"`
	SubmitDateTime string     `xml:"SUBMITDATETIME"`
	BatchID        string     `xml:"BATCHID,omitempty"`
	Kit            string     `xml:"KIT,omitempty"`
	Specimens      []specimen `xml:"SPECIMEN"`
}

type specimen struct {
	CaseID   string  `xml:"CASEID,attr,omitempty"`
	ID       string  `xml:"SPECIMENID"`
	Category string  `xml:"SPECIMENCATEGORY"`
	Comment  string  `xml:"SPECIMENCOMMENT,omitempty"`
	Loci     []locus `xml:"LOCUS"`
	line     int
}

type locus struct {
	Kit      string   `xml:"KIT,attr,omitempty"`
	Name     string   `xml:"LOCUSNAME"`
	Reading  string   `xml:"READINGBY,omitempty"`
	ReadTime string   `xml:"READINGDATETIME,omitempty"`
	Alleles  []allele `xml:"ALLELE"`
}

type allele struct {
	Value string `xml:"ALLELEVALUE"`
}

// Options tune Read and Write.
type Options struct {
	Markers *markers.Table
	File    string
	// Role, when set, is given to every specimen whatever its category.
	Role homeward.ProfileRole
}

// Read parses a CMF file into profiles with a report; a specimen with a problem is left out whole.
func Read(r io.Reader, o Options) ([]homeward.Profile, homeward.ProfileImportReport, error) {
	rep := homeward.ProfileImportReport{Format: "cmf", File: o.File, Warnings: []homeward.RowProblem{}, Rejected: []homeward.RowProblem{}, LeftOut: []string{}, Contamination: []homeward.ContaminationHit{}}
	if o.Markers == nil {
		o.Markers = markers.Default()
	}
	data, err := io.ReadAll(io.LimitReader(r, 256<<20))
	if err != nil {
		return nil, rep, fmt.Errorf("%s: %w", o.File, err)
	}
	var f file
	dec := xml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&f); err != nil {
		return nil, rep, fmt.Errorf("%s: not a CMF file (%s root in namespace %s expected): %w", o.File, "CODISImportFile", Namespace, err)
	}
	// Line numbers of the specimens, for the report.
	lines := specimenLines(data)
	for i := range f.Specimens {
		if i < len(lines) {
			f.Specimens[i].line = lines[i]
		}
	}
	seen := map[string]bool{}
	unknown := map[string]bool{}
	markerSet := map[string]bool{}
	var out []homeward.Profile
	for _, s := range f.Specimens {
		id := strings.TrimSpace(s.ID)
		reject := func(field, msg string) {
			rep.Rejected = append(rep.Rejected, homeward.RowProblem{Line: s.line, Record: id, Field: field, Message: msg})
		}
		rep.Lines++
		if id == "" {
			reject("SPECIMENID", "empty specimen id")
			continue
		}
		rep.Samples++
		if seen[id] {
			reject("SPECIMENID", "specimen "+id+" appears twice")
			rep.LeftOut = append(rep.LeftOut, id)
			continue
		}
		seen[id] = true
		role := o.Role
		if role == "" {
			if r, ok := Categories[categoryKey(s.Category)]; ok {
				role = homeward.ProfileRole(r)
			} else {
				reject("SPECIMENCATEGORY", fmt.Sprintf("category %q is not one Homeward uses (unidentified persons, relatives and references of missing persons, staff and elimination samples); give the role explicitly to import it", s.Category))
				rep.LeftOut = append(rep.LeftOut, id)
				continue
			}
		}
		p := homeward.Profile{Sample: id, Role: role, Loci: map[string][]string{}, Source: fmt.Sprintf("%s:%d", o.File, s.line)}
		if s.Loci != nil && len(s.Loci) > 0 && s.Loci[0].Kit != "" {
			p.Kit = s.Loci[0].Kit
		} else if f.Kit != "" {
			p.Kit = f.Kit
		}
		bad := false
		for _, l := range s.Loci {
			name, ok := o.Markers.Canonical(l.Name)
			if !ok {
				unknown[name] = true
			}
			var al []string
			for _, a := range l.Alleles {
				v := strings.TrimSpace(a.Value)
				if v != "" && !contains(al, v) {
					al = append(al, v)
				}
			}
			if len(al) == 0 {
				continue
			}
			if len(al) > 2 {
				reject("ALLELE", fmt.Sprintf("locus %s: %d alleles (%s): one person has at most two", name, len(al), strings.Join(al, ", ")))
				bad = true
				break
			}
			if len(al) == 1 {
				al = []string{al[0], al[0]}
			}
			if _, dup := p.Loci[name]; dup {
				reject("LOCUS", "locus "+name+" appears twice")
				bad = true
				break
			}
			p.Loci[name] = al
			markerSet[name] = true
			rep.Alleles += 2
		}
		if bad {
			rep.LeftOut = append(rep.LeftOut, id)
			continue
		}
		if len(p.Loci) == 0 {
			rep.Warnings = append(rep.Warnings, homeward.RowProblem{Line: s.line, Record: id, Message: "no locus typed; not imported"})
			rep.LeftOut = append(rep.LeftOut, id)
			continue
		}
		out = append(out, p)
	}
	for m := range unknown {
		rep.UnknownMarkers = append(rep.UnknownMarkers, m)
	}
	sort.Strings(rep.UnknownMarkers)
	rep.Markers = len(markerSet)
	return out, rep, nil
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// specimenLines finds the line of each <SPECIMEN element in order.
func specimenLines(data []byte) []int {
	var out []int
	line := 1
	for i := 0; i < len(data); i++ {
		if data[i] == '\n' {
			line++
			continue
		}
		if data[i] == '<' && bytes.HasPrefix(data[i+1:], []byte("SPECIMEN")) {
			rest := data[i+1+len("SPECIMEN"):]
			if len(rest) > 0 && (rest[0] == '>' || rest[0] == ' ' || rest[0] == '\t' || rest[0] == '\n' || rest[0] == '\r') {
				out = append(out, line)
			}
		}
	}
	return out
}

// Header fills the CMF header of a written file.
type Header struct {
	DestinationORI, SourceLab, SubmitBy string
	At                                  time.Time
}

// CategoryOf is the category written for a role (references become "Other" unless the caller
// knows the relationship; the specimen comment then says it is a family reference).
func CategoryOf(r homeward.ProfileRole) string {
	switch r {
	case homeward.ProfileVictim:
		return "Unidentified Person"
	case homeward.ProfileElimination:
		return "Elimination, Known"
	}
	return "Other"
}

// Write writes profiles as a CMF 3.2 file. category gives each profile's specimen category (nil:
// CategoryOf its role).
func Write(w io.Writer, profiles []homeward.Profile, h Header, category func(homeward.Profile) string) error {
	if category == nil {
		category = func(p homeward.Profile) string { return CategoryOf(p.Role) }
	}
	at := h.At.UTC().Format("2006-01-02T15:04:05")
	f := file{HeaderVersion: "3.2", MessageType: "Import", DestinationORI: h.DestinationORI, SourceLab: h.SourceLab, SubmitBy: h.SubmitBy, SubmitDateTime: at}
	for _, p := range profiles {
		s := specimen{ID: p.Sample, Category: category(p)}
		if s.Category == "Other" && p.Role == homeward.ProfileReference {
			s.Comment = "family reference (Homeward)"
		}
		names := make([]string, 0, len(p.Loci))
		for m := range p.Loci {
			names = append(names, m)
		}
		sort.Strings(names)
		for _, m := range names {
			l := locus{Name: m, Reading: h.SubmitBy, ReadTime: at}
			al := p.Loci[m]
			for i, a := range al {
				if i > 0 && a == al[0] {
					continue
				}
				l.Alleles = append(l.Alleles, allele{Value: a})
			}
			s.Loci = append(s.Loci, l)
		}
		f.Specimens = append(f.Specimens, s)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(f); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
