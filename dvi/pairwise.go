package dvi

import (
	"math"
	"slices"
)

// The first step of a DVI analysis: the null hypothesis and every pairwise LR.

// NullLoglik is the log-likelihood of the data when no victim is any missing person.
type NullLoglik struct {
	Victims  map[string]float64 `json:"victims"`
	Families map[string]float64 `json:"families"`
	Total    float64            `json:"total"`
}

// Null computes the null log-likelihoods.
func (p *Problem) Null() (NullLoglik, error) {
	n := NullLoglik{Victims: map[string]float64{}, Families: map[string]float64{}}
	for _, v := range p.Victims {
		l, err := p.victimLoglik(v.ID)
		if err != nil {
			return n, err
		}
		n.Victims[v.ID] = l
		n.Total += l
	}
	for fi, f := range p.Families {
		l, err := p.familyLoglik(fi, nil)
		if err != nil {
			return n, err
		}
		n.Families[f.Name] = l
		n.Total += l
	}
	return n, nil
}

// Pairwise is the matrix of LRs of "victim v is missing person m" against the null; nil where
// the pairing is not admissible.
type Pairwise struct {
	Victims []string     `json:"victims"`
	Missing []string     `json:"missing"`
	Matrix  [][]*float64 `json:"matrix"`
}

// PairwiseLR computes the matrix. The sums run in the order dvir uses (victims, then the families
// that still hold a missing person; the total with the victim moved against the total without), so
// that LRs which are exactly 1 in theory round to the same side of 1 as in dvir, where conclusions
// depend on it.
func (p *Problem) PairwiseLR() (Pairwise, error) {
	out := Pairwise{Missing: p.Missing}
	vl := make([]float64, len(p.Victims))
	sumPM := 0.0
	for i, v := range p.Victims {
		l, err := p.victimLoglik(v.ID)
		if err != nil {
			return out, err
		}
		vl[i] = l
		sumPM += l
	}
	var fams []int
	fl := map[int]float64{}
	sumAM := 0.0
	for fi := range p.Families {
		if !slices.ContainsFunc(p.Missing, func(m string) bool { return p.familyOf[m] == fi }) {
			continue
		}
		l, err := p.familyLoglik(fi, nil)
		if err != nil {
			return out, err
		}
		fams = append(fams, fi)
		fl[fi] = l
		sumAM += l
	}
	l0 := sumPM + sumAM
	for i, v := range p.Victims {
		out.Victims = append(out.Victims, v.ID)
		row := make([]*float64, len(p.Missing))
		others := 0.0
		for j := range p.Victims {
			if j != i {
				others += vl[j]
			}
		}
		for k, m := range p.Missing {
			if !slices.Contains(p.Pairings[v.ID], m) {
				continue
			}
			am := 0.0
			for _, fi := range fams {
				l := fl[fi]
				if fi == p.familyOf[m] {
					var err error
					if l, err = p.familyLoglik(fi, map[string]string{m: v.ID}); err != nil {
						return out, err
					}
				}
				am += l
			}
			lr := math.Exp(others + am - l0)
			row[k] = &lr
		}
		out.Matrix = append(out.Matrix, row)
	}
	return out, nil
}

// IsMissing reports whether id is one of the problem's missing persons.
func (p *Problem) IsMissing(id string) bool {
	_, ok := p.familyOf[id]
	return ok
}
