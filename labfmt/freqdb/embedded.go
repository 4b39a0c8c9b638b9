package freqdb

import (
	"bytes"
	"embed"
	"fmt"
	"path"
	"sort"
	"strings"
)

//go:embed data/*.csv data/*.txt data/*.xml
var shipped embed.FS

// Shipped lists the names of the databases built into Homeward: NIST (nist-all, nist-caucasian, ...),
// norSTR 2023 regions (EuropaDB_v2023, ...), forrel's Norwegian frequencies, and STRidER 2015 per
// country (strider-AUSTRIA, ...).
func Shipped() ([]string, error) {
	entries, err := shipped.ReadDir("data")
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		n := e.Name()
		switch path.Ext(n) {
		case ".csv", ".txt":
			names = append(names, strings.TrimSuffix(n, path.Ext(n)))
		case ".xml":
			dbs, err := strider()
			if err != nil {
				return nil, err
			}
			for c := range dbs {
				names = append(names, "strider-"+c)
			}
		}
	}
	sort.Strings(names)
	return names, nil
}

func strider() (map[string]*Database, error) {
	b, err := shipped.ReadFile("data/strider-2015.xml")
	if err != nil {
		return nil, err
	}
	return ReadSTRidER(bytes.NewReader(b))
}

// Load returns a shipped database by name (see Shipped).
func Load(name string) (*Database, error) {
	if c, ok := strings.CutPrefix(name, "strider-"); ok {
		dbs, err := strider()
		if err != nil {
			return nil, err
		}
		if d := dbs[c]; d != nil {
			return d, nil
		}
		return nil, fmt.Errorf("no STRidER database for %q", c)
	}
	for _, ext := range []string{".csv", ".txt"} {
		b, err := shipped.ReadFile("data/" + name + ext)
		if err != nil {
			continue
		}
		switch {
		case strings.HasPrefix(name, "nist"):
			return ReadNIST(bytes.NewReader(b), name)
		case ext == ".txt":
			return ReadFamilias(bytes.NewReader(b), name)
		default:
			return ReadCSV(bytes.NewReader(b), name)
		}
	}
	return nil, fmt.Errorf("no shipped frequency database %q (homeward freq list)", name)
}
