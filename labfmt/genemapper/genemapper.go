// Package genemapper reads and writes genotype tables in the layout of GeneMapper ID / ID-X exports
// (tab-separated; Sample Name, Marker, Allele 1..n, optionally Dye, Size n, Height n and other
// columns) and its close variants such as strvalidator's (Sample.Name, Allele.1, NA for empty).
package genemapper

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/labfmt/markers"
)

// Options tune ReadProfiles.
type Options struct {
	// Markers maps marker names (default: markers.Default()).
	Markers *markers.Table
	// Role is given to every sample read (default victim).
	Role homeward.ProfileRole
	// File names the file in profiles' Source and in the report.
	File string
	// Kit names the typing kit for the profiles ReadProfiles returns (the table does not say).
	Kit string
}

// MaxSize bounds the input read.
const MaxSize = 512 << 20

// headerKey normalises a column name: "Sample Name", "Sample.Name", "sample_name" are one.
func headerKey(s string) string {
	r := strings.NewReplacer(" ", "", ".", "", "_", "", "-", "")
	return strings.ToLower(r.Replace(strings.TrimSpace(s)))
}

func field(f []string, i int) string {
	if i >= 0 && i < len(f) {
		return strings.TrimSpace(f[i])
	}
	return ""
}

// Write writes profiles as a GeneMapper-style table (Sample Name, Marker, Allele 1, Allele 2),
// samples in the order given and markers sorted; homozygotes repeat the allele.
func Write(w io.Writer, profiles []homeward.Profile) error {
	var b strings.Builder
	b.WriteString("Sample Name\tMarker\tAllele 1\tAllele 2\n")
	for _, p := range profiles {
		ms := make([]string, 0, len(p.Loci))
		for m := range p.Loci {
			ms = append(ms, m)
		}
		sort.Strings(ms)
		for _, m := range ms {
			al := p.Loci[m]
			a1, a2 := "", ""
			if len(al) > 0 {
				a1, a2 = al[0], al[0]
			}
			if len(al) > 1 {
				a2 = al[1]
			}
			fmt.Fprintf(&b, "%s\t%s\t%s\t%s\n", p.Sample, m, a1, a2)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
