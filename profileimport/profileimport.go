// Package profileimport brings genotype files from laboratories into the store: it parses the
// file in its format (labfmt/...), reports what it read, warned about and rejected, checks victim
// profiles against the elimination profiles, and stores the batch in one transaction, or nothing.
package profileimport

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"sort"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/labfmt/cmf"
	"github.com/homeward/homeward/labfmt/lineagefile"
	"github.com/homeward/homeward/labfmt/markers"
	"github.com/homeward/homeward/labfmt/pedfile"
)

// Formats lists the formats Import reads.
var Formats = []string{"genemapper", "cmf", "table"}

// Options tune Import.
type Options struct {
	Format string // genemapper (default), cmf, or table (labfmt/gtable: long or wide genotype tables, SNP panels)
	// Role of the samples: for genemapper victim by default; for cmf, when empty, each specimen's
	// category decides.
	Role homeward.ProfileRole
	File string // the file's name, for the report and the profiles' source
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
	ps, rep, err := read(r, o)
	if err != nil {
		if homeward.ErrorCode(err) == homeward.EINVALID {
			return rep, err
		}
		return rep, homeward.FieldErrorf("file", "%v", err)
	}
	rep.DryRun = o.DryRun
	if o.DryRun {
		// Check against the stored elimination profiles and the file's own.
		elims, err := homeward.Collect(homeward.Profiles(ctx, dna, homeward.ProfileFilter{Role: homeward.ProfileElimination}))
		if err != nil {
			return rep, err
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

// ExportFormats lists the formats Export writes.
var ExportFormats = []string{"csv", "genemapper", "cmf", "ystr", "mtdna"}

// Export writes the stored profiles (of one role, or all) in a format: csv (sample, role, marker,
// allele_1, allele_2), genemapper (a GeneMapper-style table), cmf (CODIS CMF 3.2 XML), or the
// lineage data: ystr (sample-by-locus table) and mtdna (CSV sample, range, variants).
func Export(ctx context.Context, dna homeward.DNAService, w io.Writer, format string, role homeward.ProfileRole, h cmf.Header) (int, error) {
	ps, err := homeward.Collect(homeward.Profiles(ctx, dna, homeward.ProfileFilter{Role: role}))
	if err != nil {
		return 0, err
	}
	switch format {
	case "ystr", "mtdna":
		// Lineage data: the profiles carrying that kind, in the layouts import-lineage reads.
		var recs []homeward.LineageRecord
		for _, p := range ps {
			if format == "ystr" && p.YSTR != "" || format == "mtdna" && p.MtDNA != nil {
				recs = append(recs, homeward.LineageRecord{Sample: p.Sample, YSTR: p.YSTR, MtDNA: p.MtDNA})
			}
		}
		if format == "ystr" {
			return len(recs), lineagefile.WriteYSTR(w, recs)
		}
		return len(recs), lineagefile.WriteMtDNA(w, recs)
	case "genemapper":
		return len(ps), writeGeneMapper(w, ps)
	case "cmf":
		return len(ps), writeCMF(w, ps, h)
	case "csv", "":
		cw := csv.NewWriter(w)
		cw.Write([]string{"sample", "role", "marker", "allele_1", "allele_2"})
		for _, p := range ps {
			names := make([]string, 0, len(p.Loci))
			for m := range p.Loci {
				names = append(names, m)
			}
			sort.Strings(names)
			for _, m := range names {
				al := p.Loci[m]
				cw.Write([]string{p.Sample, string(p.Role), m, al[0], al[len(al)-1]})
			}
		}
		cw.Flush()
		return len(ps), cw.Error()
	}
	return 0, homeward.FieldErrorf("format", "unknown export format %q (one of %v)", format, ExportFormats)
}

// ImportPedigree reads a pedigree file with genotype columns (labfmt/pedfile) as one reference
// family named name whose missing person is target: every typed person becomes a reference profile
// (sample "name/id"), every person a member. The family's shape is checked before anything is
// stored; profiles already stored identically are reused (a re-import adds nothing but the family,
// which then conflicts by name).
func ImportPedigree(ctx context.Context, dna homeward.DNAService, r io.Reader, name, target string, mt *markers.Table) (*homeward.ReferenceFamily, error) {
	if mt == nil {
		mt = markers.Default()
	}
	f, err := pedfile.Read(r)
	if err != nil {
		return nil, homeward.FieldErrorf("file", "%v", err)
	}
	fam := &homeward.ReferenceFamily{Name: name, Target: target}
	var profiles []homeward.Profile
	index := map[string]int{}
	for _, p := range f.People {
		m := homeward.PedigreeMember{ID: p.ID, Father: p.Father, Mother: p.Mother}
		switch p.Sex {
		case 1:
			m.Sex = homeward.SexMale
		case 2:
			m.Sex = homeward.SexFemale
		}
		if g := f.Genotypes[p.ID]; len(g) > 0 {
			if p.ID == target {
				return nil, homeward.FieldErrorf("target", "family %s: the missing person %s is typed in the file", name, target)
			}
			pr := homeward.Profile{Sample: name + "/" + p.ID, Role: homeward.ProfileReference, Loci: map[string][]string{}, Source: "pedigree file"}
			for mk, al := range g {
				c, _ := mt.Canonical(mk)
				pr.Loci[c] = []string{al[0], al[1]}
			}
			index[p.ID] = len(profiles)
			profiles = append(profiles, pr)
			placeholder := int64(len(profiles))
			m.ProfileID = &placeholder
		}
		fam.Members = append(fam.Members, m)
	}
	if err := fam.Validate(); err != nil {
		return nil, err
	}
	if _, _, _, err := dna.ImportProfiles(ctx, profiles); err != nil {
		return nil, err
	}
	for i := range fam.Members {
		if k, ok := index[fam.Members[i].ID]; ok {
			id := profiles[k].ID
			fam.Members[i].ProfileID = &id
		}
	}
	if err := dna.CreateReferenceFamily(ctx, fam); err != nil {
		return nil, err
	}
	return fam, nil
}

// LineageOptions tune ImportLineage.
type LineageOptions struct {
	Kind   string // ystr or mtdna
	Role   homeward.ProfileRole
	File   string
	DryRun bool
}

// ImportLineage reads a Y-STR or mtDNA results file (labfmt/lineagefile) and stores it, all or
// nothing: any rejected row stores nothing (the report says which and where).
func ImportLineage(ctx context.Context, dna homeward.DNAService, r io.Reader, o LineageOptions) (*lineagefile.Report, error) {
	if o.Role == "" {
		o.Role = homeward.ProfileReference
	}
	if err := homeward.Require(ctx, homeward.PermDNAWrite); err != nil {
		return nil, err
	}
	var recs []homeward.LineageRecord
	var rep *lineagefile.Report
	var err error
	switch o.Kind {
	case "ystr":
		recs, rep, err = lineagefile.ReadYSTR(r, o.File)
	case "mtdna":
		recs, rep, err = lineagefile.ReadMtDNA(r, o.File)
	default:
		return nil, homeward.FieldErrorf("kind", "%q is not ystr or mtdna", o.Kind)
	}
	if err != nil {
		return rep, homeward.FieldErrorf("file", "%v", err)
	}
	rep.DryRun = o.DryRun
	if o.DryRun {
		return rep, nil
	}
	if len(rep.Rejected) > 0 {
		return rep, homeward.Errorf(homeward.EINVALID, "%s: %d rows rejected; nothing imported (see the report)", o.File, len(rep.Rejected))
	}
	rep.Created, rep.Updated, rep.Unchanged, rep.Contamination, err = dna.ImportLineage(ctx, recs, o.Role)
	return rep, err
}
