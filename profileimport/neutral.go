package profileimport

import (
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/labfmt/cmf"
	"github.com/homeward/homeward/labfmt/genemapper"
	"github.com/homeward/homeward/labfmt/gtable"
	"github.com/homeward/homeward/labfmt/markers"
	"github.com/homeward/homeward/labfmt/profile"
)

// read parses a genotype file with its format's reader (labfmt/genemapper, labfmt/cmf: neutral
// profiles with located problems) and applies what a stored profile must be: one person, so at
// most two alleles at an autosomal marker whatever the role (a mixture is rejected at its row);
// a marker with an off-ladder call left untyped (its genotype is not known: dropping the OL would
// make "15, OL" a 15/15 homozygote), an OL call counting as an allele for the two-allele rule; a
// homozygote given once doubled. A sample with a rejected row is left out whole.
func read(r io.Reader, o Options) ([]homeward.Profile, homeward.ProfileImportReport, error) {
	rep := homeward.ProfileImportReport{Format: o.Format, File: o.File, Warnings: []homeward.RowProblem{}, Rejected: []homeward.RowProblem{},
		LeftOut: []string{}, Contamination: []homeward.ContaminationHit{}}
	ps, prep, err := readNeutral(r, o)
	if err != nil {
		return nil, rep, err
	}
	rep.Samples, rep.Lines, rep.Ignored, rep.UnknownMarkers = prep.Samples, prep.Lines, prep.Ignored, prep.Unknown
	rep.LeftOut = append(rep.LeftOut, prep.LeftOut...)
	for _, p := range prep.Rejected {
		rep.Rejected = append(rep.Rejected, rowProblem(p))
	}
	// The readers warn of more than two alleles at a victim's marker (a mixture may be a victim in
	// their terms); here that row is rejected, so its warning goes.
	mixture := map[string]bool{}
	var out []homeward.Profile
	markerSet := map[string]bool{}
	for i := range ps {
		p := ps[i]
		ps[i] = profile.Profile{} // let the neutral copy go as soon as it is converted
		hp, ok := convert(p, o, &rep, mixture)
		if !ok {
			continue
		}
		for m, al := range hp.Loci {
			markerSet[m] = true
			rep.Alleles += len(al)
		}
		out = append(out, hp)
	}
	readerWarnings(&rep, prep.Warnings, mixture)
	rep.Markers = len(markerSet)
	sort.SliceStable(rep.Rejected, func(a, b int) bool { return rep.Rejected[a].Line < rep.Rejected[b].Line })
	sort.Strings(rep.LeftOut)
	return out, rep, nil
}

// readNeutral reads the file with its format's reader (victims by default for GeneMapper and
// genotype tables).
func readNeutral(r io.Reader, o Options) ([]profile.Profile, profile.Report, error) {
	role := o.Role
	if role == "" {
		role = homeward.ProfileVictim
	}
	switch o.Format {
	case "genemapper":
		return genemapper.ReadProfiles(r, genemapper.Options{Markers: o.Markers, Role: string(role), File: o.File})
	case "cmf":
		return cmf.ReadProfiles(r, cmf.ProfileOptions{Markers: o.Markers, Role: string(o.Role), File: o.File})
	case "table":
		return gtable.ReadProfiles(r, gtable.Options{Markers: o.Markers, Role: string(role), File: o.File})
	}
	return nil, profile.Report{}, homeward.FieldErrorf("format", "unknown format %q (one of %v)", o.Format, Formats)
}

// rowRecord names a row by its sample and marker ("S12 TH01").
func rowRecord(sample, marker string) string { return strings.TrimSpace(sample + " " + marker) }

// rowProblem is a reader's problem as a report row (the field is the column).
func rowProblem(p profile.Problem) homeward.RowProblem {
	return homeward.RowProblem{Line: p.Line, Record: rowRecord(p.Sample, p.Marker), Field: p.Field, Message: p.Message}
}

// convert makes a stored profile of a neutral one; ok is false when it is left out (a marker
// with more than two alleles, rejected and noted in mixture; or no typed marker).
func convert(p profile.Profile, o Options, rep *homeward.ProfileImportReport, mixture map[string]bool) (homeward.Profile, bool) {
	hp := homeward.Profile{Sample: p.Sample, Role: homeward.ProfileRole(p.Role), Kit: p.Kit, Loci: map[string][]string{},
		Source: fmt.Sprintf("%s:%d", o.File, p.Source.Line)}
	if hp.Role == "" {
		hp.Role = homeward.ProfileVictim
	}
	bad := false
	for _, l := range p.Loci {
		var called []string
		ol := 0
		for _, a := range l.Alleles {
			switch {
			case a == profile.OffLadder:
				ol++
			case !slices.Contains(called, a):
				called = append(called, a)
			}
		}
		if n := len(called) + ol; n > 2 && !markers.IsY(l.Marker) {
			all := append(append([]string{}, called...), slices.Repeat([]string{profile.OffLadder}, ol)...)
			rep.Rejected = append(rep.Rejected, homeward.RowProblem{Line: l.Line, Record: rowRecord(p.Sample, l.Marker), Field: "Allele",
				Message: fmt.Sprintf("%d alleles (%s): one person has at most two; a mixture or artifacts cannot be imported as a profile", n, strings.Join(all, ", "))})
			mixture[fmt.Sprint(l.Line, "\x00", l.Marker)] = true
			bad = true
			continue
		}
		if g, ok := p.GenotypeRule(l.Marker, profile.OLUnknown); ok {
			hp.Loci[l.Marker] = g // an off-ladder call leaves the marker untyped (the reader warned)
		}
	}
	if bad {
		rep.LeftOut = append(rep.LeftOut, p.Sample)
		return hp, false
	}
	if len(hp.Loci) == 0 {
		rep.Warnings = append(rep.Warnings, homeward.RowProblem{Line: p.Source.Line, Record: p.Sample, Field: "Allele", Message: "no marker with a genotype (off-ladder calls only); left out"})
		rep.LeftOut = append(rep.LeftOut, p.Sample)
		return hp, false
	}
	return hp, true
}

// readerWarnings passes the reader's warnings on, but a mixture's: rejected here (once).
func readerWarnings(rep *homeward.ProfileImportReport, warnings []profile.Problem, mixture map[string]bool) {
	for _, w := range warnings {
		key := fmt.Sprint(w.Line, "\x00", w.Marker)
		if mixture[key] {
			continue
		}
		if w.Code == profile.CodeMixture {
			// A row of a sample the reader left out for another reason: rejected here all the
			// same, so that every row to fix is named.
			mixture[key] = true
			rep.Rejected = append(rep.Rejected, homeward.RowProblem{Line: w.Line, Record: rowRecord(w.Sample, w.Marker), Field: "Allele",
				Message: strings.Replace(w.Message, "more than one person, or artifacts (a reference sample would be rejected)", "one person has at most two; a mixture or artifacts cannot be imported as a profile", 1)})
			continue
		}
		rep.Warnings = append(rep.Warnings, rowProblem(w))
	}
}

// neutral writes a stored profile as a neutral one for the format writers: markers in name order,
// a homozygote's allele once (as laboratories call it; readers double it again).
func neutral(p homeward.Profile) profile.Profile {
	out := profile.Profile{Sample: p.Sample, Role: string(p.Role), Kit: p.Kit}
	names := make([]string, 0, len(p.Loci))
	for m := range p.Loci {
		names = append(names, m)
	}
	sort.Strings(names)
	for _, m := range names {
		al := p.Loci[m]
		l := profile.Locus{Marker: m, Alleles: append([]string{}, al...)}
		if len(al) == 2 && al[0] == al[1] {
			l.Alleles = al[:1:1]
		}
		out.Loci = append(out.Loci, l)
	}
	return out
}

// writeGeneMapper and writeCMF write stored profiles through the neutral writers. In CMF a family
// reference is "Other" (a stored profile does not say whether the relative is a mother or a
// sibling); read back, the role is given.
func writeGeneMapper(w io.Writer, ps []homeward.Profile) error {
	out := make([]profile.Profile, 0, len(ps))
	for _, p := range ps {
		if len(p.Loci) > 0 {
			out = append(out, neutral(p))
		}
	}
	return genemapper.WriteProfiles(w, out)
}

func writeCMF(w io.Writer, ps []homeward.Profile, h cmf.Header) error {
	out := make([]profile.Profile, 0, len(ps))
	for _, p := range ps {
		if len(p.Loci) > 0 {
			out = append(out, neutral(p))
		}
	}
	return cmf.WriteProfiles(w, out, cmf.WriteOptions{Header: h, RoleCategories: map[string]string{profile.RoleReference: "Other"}})
}
