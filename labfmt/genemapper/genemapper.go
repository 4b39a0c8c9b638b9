// Package genemapper reads and writes genotype tables in the layout of GeneMapper ID / ID-X exports
// (tab-separated; Sample Name, Marker, Allele 1..n, optionally Dye, Size n, Height n and other
// columns) and its close variants such as strvalidator's (Sample.Name, Allele.1, NA for empty).
package genemapper

import (
	"strings"

	"github.com/homeward/homeward/labfmt/markers"
)

// Options tune ReadProfiles.
type Options struct {
	// Markers maps marker names (default: markers.Default()).
	Markers *markers.Table
	// Role is given to every sample read: victim, reference or elimination ("" none: victims may
	// then be mixtures).
	Role string
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
