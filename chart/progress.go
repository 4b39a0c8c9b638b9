package chart

import "github.com/homeward/homeward"

// Progress charts an operation's (or all) progress as running totals per month: containers,
// specimens, victim DNA profiles and approved identifications.
func Progress(p *homeward.Progress, title string) Lines {
	c := Lines{Title: title}
	names := []string{"containers", "specimens", "victim DNA profiles", "identifications approved"}
	vals := make([][]float64, len(names))
	var run [4]float64
	for _, r := range p.Rows {
		c.Labels = append(c.Labels, r.Month)
		for i, v := range []int{r.Containers, r.Specimens, r.VictimProfiles, r.Identifications} {
			run[i] += float64(v)
			vals[i] = append(vals[i], run[i])
		}
	}
	for i, n := range names {
		c.Series = append(c.Series, Series{Name: n, Values: vals[i]})
	}
	return c
}
