package lineagefile

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/internal/golden"
)

type result struct {
	Records []homeward.LineageRecord `json:"records"`
	Report  *Report                  `json:"report"`
}

// The three test files against golden results. What they hold, by hand:
//   - yfiler.txt (GeneMapper genotype table): PM-101 typed at 10 loci (DYS385 11,14; the microvariant
//     17.2 kept; Y GATA H4 named Y-GATA-H4); PM-102's DYS390 off-ladder (left untyped, warned) and an
//     AMEL row (not a Y locus, warned); PM-103's DYS19 called 14 then 15 (rejected, left out); REF-201
//     with CRLF and a null at DYS393.
//   - yhrd.tsv (sample by locus, BOM): DYS385a/b columns merge; REF-303 gives both copies in one cell
//     and an OL; REF-301 appears twice (the second row rejected, REF-301 left out); Remark ignored.
//   - mtdna.csv: PM-102's wrapping range becomes two; PM-105 names the rCRS base (refused); PM-106 an
//     unknown base Q; PM-104 twice (left out whole).
func TestGolden(t *testing.T) {
	for _, c := range []struct {
		file string
		read func(*os.File, string) ([]homeward.LineageRecord, *Report, error)
	}{
		{"yfiler.txt", func(f *os.File, n string) ([]homeward.LineageRecord, *Report, error) { return ReadYSTR(f, n) }},
		{"yhrd.tsv", func(f *os.File, n string) ([]homeward.LineageRecord, *Report, error) { return ReadYSTR(f, n) }},
		{"mtdna.csv", func(f *os.File, n string) ([]homeward.LineageRecord, *Report, error) { return ReadMtDNA(f, n) }},
	} {
		t.Run(c.file, func(t *testing.T) {
			f, err := os.Open(filepath.Join("testdata", c.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			recs, rep, err := c.read(f, c.file)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := json.MarshalIndent(result{recs, rep}, "", "  ")
			golden.Check(t, filepath.Join("testdata", c.file+".golden.json"), got)
		})
	}
}

// The facts the golden files must hold, checked apart so that accepting a golden file by mistake
// cannot hide them.
func TestFacts(t *testing.T) {
	read := func(name string) ([]homeward.LineageRecord, *Report) {
		f, _ := os.Open(filepath.Join("testdata", name))
		defer f.Close()
		var recs []homeward.LineageRecord
		var rep *Report
		var err error
		if strings.HasSuffix(name, ".csv") {
			recs, rep, err = ReadMtDNA(f, name)
		} else {
			recs, rep, err = ReadYSTR(f, name)
		}
		if err != nil {
			t.Fatal(err)
		}
		return recs, rep
	}
	by := func(recs []homeward.LineageRecord) map[string]homeward.LineageRecord {
		m := map[string]homeward.LineageRecord{}
		for _, r := range recs {
			m[r.Sample] = r
		}
		return m
	}
	y, rep := read("yfiler.txt")
	m := by(y)
	if len(y) != 3 || !strings.Contains(m["PM-101"].YSTR, "DYS385=11,14") || !strings.Contains(m["PM-101"].YSTR, "DYS458=17.2") || !strings.Contains(m["PM-101"].YSTR, "Y-GATA-H4=12") ||
		strings.Contains(m["PM-102"].YSTR, "DYS390") || !strings.Contains(m["REF-201"].YSTR, "DYS393=null") || m["PM-101"].Source != "yfiler.txt:2" {
		t.Errorf("yfiler records %+v", y)
	}
	if rep.Layout != "genotype-table" || len(rep.LeftOut) != 1 || rep.LeftOut[0] != "PM-103" || len(rep.Rejected) != 1 || rep.Rejected[0].Line != 18 {
		t.Errorf("yfiler report %+v", rep)
	}
	y, rep = read("yhrd.tsv")
	m = by(y)
	if len(y) != 2 || m["REF-302"].YSTR == "" || !strings.Contains(m["REF-303"].YSTR, "DYS385=11,14") || strings.Contains(m["REF-303"].YSTR, "DYS389I=") {
		t.Errorf("yhrd records %+v", y)
	}
	if rep.Layout != "sample-by-locus" || len(rep.LeftOut) != 1 || rep.LeftOut[0] != "REF-301" || rep.Rejected[0].Line != 5 {
		t.Errorf("yhrd report %+v", rep)
	}
	mt, rep := read("mtdna.csv")
	m = by(mt)
	if len(mt) != 2 || m["PM-102"].MtDNA.Range != "1-576;16024-16569" || m["PM-101"].MtDNA.Variants != "263G 315.1C 16519C" {
		t.Errorf("mtdna records %+v", mt)
	}
	if strings.Join(rep.LeftOut, ",") != "PM-104,PM-105,PM-106" || len(rep.Rejected) != 3 {
		t.Errorf("mtdna report %+v", rep)
	}
}

func TestBadFiles(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", "empty file"},
		{"Sample Name,DYS19\nA,14\n", "separated by \",\""},
		{"Name\tDYS19\nA\t14\n", "Sample Name"},
		{"Sample Name\tDYS19\nA\xff\t14\n", "line 2: not UTF-8"},
		{"Sample Name\tMarker\tNotes\n", "Allele 1"},
	} {
		if _, _, err := ReadYSTR(strings.NewReader(c.in), "f"); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v", c.in, err)
		}
	}
	if _, _, err := ReadMtDNA(strings.NewReader("sample,variants\nA,263G\n"), "f"); err == nil || !strings.Contains(err.Error(), `"range"`) {
		t.Errorf("no range column: %v", err)
	}
}

func FuzzReadYSTR(f *testing.F) {
	for _, n := range []string{"yfiler.txt", "yhrd.tsv"} {
		b, _ := os.ReadFile(filepath.Join("testdata", n))
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		recs, _, err := ReadYSTR(bytes.NewReader(data), "fuzz")
		if err != nil {
			return
		}
		// Whatever is read is a valid profile's haplotype.
		for _, r := range recs {
			p := homeward.Profile{Sample: r.Sample, Role: homeward.ProfileVictim, YSTR: r.YSTR}
			if err := p.Validate(); err != nil || p.YSTR != r.YSTR {
				t.Fatalf("%q read but %v (%q)", r.YSTR, err, p.YSTR)
			}
		}
	})
}

func FuzzReadMtDNA(f *testing.F) {
	b, _ := os.ReadFile("testdata/mtdna.csv")
	f.Add(b)
	f.Fuzz(func(t *testing.T, data []byte) {
		recs, _, err := ReadMtDNA(bytes.NewReader(data), "fuzz")
		if err != nil {
			return
		}
		for _, r := range recs {
			p := homeward.Profile{Sample: r.Sample, Role: homeward.ProfileVictim, MtDNA: r.MtDNA}
			if err := p.Validate(); err != nil || *p.MtDNA != *r.MtDNA {
				t.Fatalf("%+v read but %v (%+v)", r.MtDNA, err, p.MtDNA)
			}
		}
	})
}

// What is read, written and read again is the same: the golden files' records.
func TestWriteRoundTrip(t *testing.T) {
	for _, name := range []string{"yfiler.txt", "yhrd.tsv", "mtdna.csv"} {
		f, _ := os.Open(filepath.Join("testdata", name))
		var recs []homeward.LineageRecord
		var err error
		mt := strings.HasSuffix(name, ".csv")
		if mt {
			recs, _, err = ReadMtDNA(f, name)
		} else {
			recs, _, err = ReadYSTR(f, name)
		}
		f.Close()
		if err != nil || len(recs) == 0 {
			t.Fatalf("%s: %v", name, err)
		}
		var buf bytes.Buffer
		var back []homeward.LineageRecord
		var rep *Report
		if mt {
			if err := WriteMtDNA(&buf, recs); err != nil {
				t.Fatal(err)
			}
			back, rep, err = ReadMtDNA(bytes.NewReader(buf.Bytes()), "again")
		} else {
			if err := WriteYSTR(&buf, recs); err != nil {
				t.Fatal(err)
			}
			back, rep, err = ReadYSTR(bytes.NewReader(buf.Bytes()), "again")
		}
		if err != nil || len(rep.Rejected) != 0 || len(back) != len(recs) {
			t.Fatalf("%s again: %v %+v\n%s", name, err, rep, buf.String())
		}
		for i := range recs {
			if back[i].Sample != recs[i].Sample || back[i].YSTR != recs[i].YSTR || (mt && *back[i].MtDNA != *recs[i].MtDNA) {
				t.Errorf("%s: %+v became %+v", name, recs[i], back[i])
			}
		}
	}
}
