// Package cmf reads and writes CODIS Common Message Format 3.x import files (XML in the
// urn:CODISImportFile-schema namespace: a header, then SPECIMEN elements with SPECIMENID,
// SPECIMENCATEGORY, optional SPECIMENCOMMENT and LOCUS elements holding LOCUSNAME and ALLELE /
// ALLELEVALUE). Specimen categories map to Homeward's roles: unidentified persons are victims,
// relatives and direct references of missing persons are references, staff and elimination
// samples are elimination profiles; categories of criminal casework are refused by name.
package cmf

import (
	"encoding/xml"
	"io"
	"sort"
	"time"

	"github.com/homeward/homeward"
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

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
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
