// Package cmf reads and writes CODIS Common Message Format 3.x import files (XML in the
// urn:CODISImportFile-schema namespace: a header, then SPECIMEN elements with SPECIMENID,
// SPECIMENCATEGORY, optional SPECIMENCOMMENT and LOCUS elements holding LOCUSNAME and ALLELE /
// ALLELEVALUE). Specimen categories map to Homeward's roles: unidentified persons are victims,
// relatives and direct references of missing persons are references, staff and elimination
// samples are elimination profiles; categories of criminal casework are refused by name.
package cmf

import (
	"encoding/xml"
	"time"
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
