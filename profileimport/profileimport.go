// Package profileimport brings genotype files from laboratories into the store: it parses the
// file in its format (labfmt/...), reports what it read, warned about and rejected, checks victim
// profiles against the elimination profiles, and stores the batch in one transaction, or nothing.
package profileimport

import (
	"context"
	"fmt"
	"io"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/labfmt/genemapper"
	"github.com/homeward/homeward/labfmt/markers"
)

// Formats lists the formats Import reads.
var Formats = []string{"genemapper"}

// Options tune Import.
type Options struct {
	Format string               // genemapper (default)
	Role   homeward.ProfileRole // victim (default), reference or elimination
	File   string               // the file's name, for the report and the profiles' source
	// DryRun reads and checks without storing.
	DryRun bool
	// AcceptPartial stores the samples whose rows were all accepted even when others were
	// rejected; by default any rejected row means nothing is stored.
	AcceptPartial bool
	// Markers maps marker names (default markers.Default()).
	Markers *markers.Table
}

// Import reads a genotype file and stores its profiles (unless DryRun). The report is returned
// even when the import is refused.
func Import(ctx context.Context, dna homeward.DNAService, r io.Reader, o Options) (homeward.ProfileImportReport, error) {
	if o.Format == "" {
		o.Format = "genemapper"
	}
	var ps []homeward.Profile
	var rep homeward.ProfileImportReport
	var err error
	switch o.Format {
	case "genemapper":
		ps, rep, err = genemapper.Read(r, genemapper.Options{Markers: o.Markers, Role: o.Role, File: o.File})
	default:
		return rep, homeward.FieldErrorf("format", "unknown format %q (one of %v)", o.Format, Formats)
	}
	if err != nil {
		return rep, homeward.FieldErrorf("file", "%v", err)
	}
	rep.DryRun = o.DryRun
	if o.DryRun {
		// Check against the stored elimination profiles and the file's own.
		var elims []homeward.Profile
		for off := 0; ; off += 1000 {
			l, err := dna.ListProfiles(ctx, homeward.ProfileFilter{Role: homeward.ProfileElimination, Page: homeward.Page{Limit: 1000, Offset: off}})
			if err != nil {
				return rep, err
			}
			elims = append(elims, l.Items...)
			if len(l.Items) < 1000 {
				break
			}
		}
		for _, p := range ps {
			if p.Role == homeward.ProfileElimination {
				elims = append(elims, p)
			}
		}
		for i := range ps {
			if ps[i].Role == homeward.ProfileVictim {
				rep.Contamination = append(rep.Contamination, homeward.EliminationMatches(&ps[i], elims)...)
			}
		}
		return rep, nil
	}
	if len(rep.Rejected) > 0 && !o.AcceptPartial {
		first := rep.Rejected[0]
		return rep, homeward.FieldErrorf("file", "%s: %d rows rejected (first: line %d, %s: %s); nothing stored. Fix the file, or accept partial to store the %d samples whose rows were all accepted",
			o.File, len(rep.Rejected), first.Line, first.Record, first.Message, len(ps))
	}
	if len(ps) == 0 {
		return rep, homeward.FieldErrorf("file", "%s: no profile to store", o.File)
	}
	created, unchanged, hits, err := dna.ImportProfiles(ctx, ps)
	if err != nil {
		return rep, fmt.Errorf("%s: %w", o.File, err)
	}
	rep.Created, rep.Unchanged = created, unchanged
	if hits != nil {
		rep.Contamination = hits
	}
	return rep, nil
}
