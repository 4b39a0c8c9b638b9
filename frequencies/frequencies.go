// Package frequencies makes allele-frequency databases records: it imports a file in one of the
// layouts laboratories use (labfmt/freqdb) as the next version of a named database, and resolves the
// name a screen or a case asks for ("NAME", "NAME@3") to a stored version or, failing that, to a
// database shipped with Homeward.
package frequencies

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/labfmt/freqdb"
)

// Formats lists the file layouts Import reads.
var Formats = []string{"nist", "familias", "csv", "strider"}

// Options tune Import.
type Options struct {
	Format  string  // nist, familias, csv, strider
	Name    string  // the database's name
	Source  string  // where the numbers come from (required: every number must be explained)
	Country string  // strider: the country to take
	MinFreq float64 // frequency for alleles the database lacks (0: 5/(2N))
}

// Import reads a frequency file and stores it as the next version of its name.
func Import(ctx context.Context, fs homeward.FrequencyService, r io.Reader, o Options) (*homeward.FrequencyDB, error) {
	rec, err := Read(r, o)
	if err != nil {
		return nil, err
	}
	if err := fs.CreateFrequencyDB(ctx, rec); err != nil {
		return nil, err
	}
	return rec, nil
}

// Read reads and checks a frequency file as Import would store it, storing nothing (a dry run).
func Read(r io.Reader, o Options) (*homeward.FrequencyDB, error) {
	if strings.TrimSpace(o.Source) == "" {
		return nil, homeward.FieldErrorf("source", "say where the frequencies come from (publication, population, sample)")
	}
	var db *freqdb.Database
	var err error
	switch o.Format {
	case "nist":
		db, err = freqdb.ReadNIST(r, o.Name)
	case "familias":
		db, err = freqdb.ReadFamilias(r, o.Name)
	case "csv":
		db, err = freqdb.ReadCSV(r, o.Name)
	case "strider":
		var all map[string]*freqdb.Database
		if all, err = freqdb.ReadSTRidER(r); err == nil {
			// The file writes most countries in capitals ("AUSTRIA"); match regardless of case.
			for c, d := range all {
				if strings.EqualFold(c, strings.TrimSpace(o.Country)) {
					db = d
				}
			}
			if db == nil {
				var cs []string
				for c := range all {
					cs = append(cs, c)
				}
				sort.Strings(cs)
				return nil, homeward.FieldErrorf("country", "country %q is not in the file (%s)", o.Country, strings.Join(cs, ", "))
			}
		}
	default:
		return nil, homeward.FieldErrorf("format", "unknown format %q (one of %v)", o.Format, Formats)
	}
	if err != nil {
		return nil, homeward.FieldErrorf("file", "%v", err)
	}
	rec := &homeward.FrequencyDB{Name: o.Name, Source: o.Source, Format: o.Format, MinFreq: o.MinFreq}
	for _, m := range db.Markers {
		rec.Markers = append(rec.Markers, homeward.FrequencyMarker{Name: m.Name, Alleles: m.Alleles, Freqs: m.Freqs, N: m.N, Chrom: m.Chrom})
	}
	return rec, rec.Validate()
}

// Resolve finds the database a name designates: "NAME@V" is that stored version, "NAME" the latest
// stored version, else the shipped database of that name. It returns the database and the label to
// record with a result ("NAME@V" for stored ones, "NAME (shipped)" otherwise) and the rule for
// missing alleles.
func Resolve(ctx context.Context, fs homeward.FrequencyService, ref string) (*freqdb.Database, string, float64, error) {
	name, ver := ref, 0
	if n, v, ok := strings.Cut(ref, "@"); ok {
		x, err := strconv.Atoi(v)
		if err != nil || x < 1 {
			return nil, "", 0, homeward.FieldErrorf("frequency_db", "%q: the version after @ must be a number from 1", ref)
		}
		name, ver = n, x
	}
	if fs != nil {
		rec, err := fs.GetFrequencyDB(ctx, name, ver)
		if err == nil {
			db := &freqdb.Database{Name: rec.Name, Source: rec.Source}
			for _, m := range rec.Markers {
				db.Markers = append(db.Markers, freqdb.Marker{Name: m.Name, Alleles: m.Alleles, Freqs: m.Freqs, N: m.N})
			}
			return db, fmt.Sprintf("%s@%d", rec.Name, rec.Version), rec.MinFreq, nil
		}
		if homeward.ErrorCode(err) != homeward.ENOTFOUND || ver > 0 {
			return nil, "", 0, err
		}
	}
	db, err := freqdb.Load(name)
	if err != nil {
		return nil, "", 0, homeward.FieldErrorf("frequency_db", "%q is neither a stored nor a shipped database (homeward freq list)", ref)
	}
	return db, name + " (shipped)", 0, nil
}
