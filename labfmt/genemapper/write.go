package genemapper

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/homeward/homeward/labfmt/profile"
)

// Writing profiles as a GeneMapper genotype table.

// WriteProfiles writes profiles as a GeneMapper table: Sample Name, Marker, Allele 1..n (n the most
// alleles at any locus, at least 2), then Size 1..n and Height 1..n when any locus has them. Loci
// are written in profile order with their canonical names and alleles as called; a size or height
// of 0 is written blank. A sample, marker or allele that cannot be written (empty, a tab or line
// break in it, or an allele "NA" that would read back as empty) is an error naming it.
func WriteProfiles(w io.Writer, ps []profile.Profile) error {
	n, sizes, heights := 2, false, false
	for _, p := range ps {
		for _, l := range p.Loci {
			n = max(n, len(l.Alleles))
			sizes = sizes || len(l.Sizes) > 0
			heights = heights || len(l.Heights) > 0
		}
	}
	bw := bufio.NewWriter(w)
	bw.WriteString("Sample Name\tMarker")
	for _, h := range []struct {
		name string
		on   bool
	}{{"Allele", true}, {"Size", sizes}, {"Height", heights}} {
		if h.on {
			for i := 1; i <= n; i++ {
				fmt.Fprintf(bw, "\t%s %d", h.name, i)
			}
		}
	}
	bw.WriteByte('\n')
	for _, p := range ps {
		if err := writable(p.Sample); err != nil {
			return fmt.Errorf("sample %q: %w", p.Sample, err)
		}
		for _, l := range p.Loci {
			if err := writable(l.Marker); err != nil {
				return fmt.Errorf("sample %q marker %q: %w", p.Sample, l.Marker, err)
			}
			bw.WriteString(p.Sample)
			bw.WriteByte('\t')
			bw.WriteString(l.Marker)
			for i := 0; i < n; i++ {
				bw.WriteByte('\t')
				if i < len(l.Alleles) {
					a := l.Alleles[i]
					if err := writable(a); err != nil || strings.EqualFold(a, "NA") {
						return fmt.Errorf("sample %q marker %q allele %q: cannot be written", p.Sample, l.Marker, a)
					}
					bw.WriteString(a)
				}
			}
			for _, col := range []struct {
				on bool
				v  []float64
			}{{sizes, l.Sizes}, {heights, l.Heights}} {
				if !col.on {
					continue
				}
				for i := 0; i < n; i++ {
					bw.WriteByte('\t')
					if i < len(col.v) && col.v[i] != 0 {
						bw.WriteString(strconv.FormatFloat(col.v[i], 'f', -1, 64))
					}
				}
			}
			bw.WriteByte('\n')
		}
	}
	return bw.Flush()
}

func writable(s string) error {
	if strings.TrimSpace(s) == "" {
		return fmt.Errorf("empty")
	}
	if s != strings.TrimSpace(s) || hasControl(s) || strings.ContainsRune(s, '\t') {
		return fmt.Errorf("surrounding spaces, a tab or a control character")
	}
	return nil
}
