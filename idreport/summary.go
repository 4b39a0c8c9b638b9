package idreport

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/homeward/homeward"
)

// Name is the person's name as the family knows it: family name first for Korean names (written
// in Hangul), given names first otherwise.
func Name(p *homeward.MissingPerson) string {
	if p == nil {
		return ""
	}
	return homeward.DisplayName(p.FamilyName, p.GivenNames)
}

// FamilySummary explains the identification to the family in plain words: who, where the remains
// came from, what each kind of evidence showed, the DNA result as "times more likely", the
// probability that the identification is right and what it assumes, and who reviewed it. No
// figure appears that is not in the report.
func (r *Report) FamilySummary() []string {
	x, p := r.Identification, r.Person
	name := Name(p)
	var out []string
	who := name
	if p.Rank != "" || p.Unit != "" {
		who += fmt.Sprintf(" (%s)", strings.TrimSpace(strings.Join(nonEmpty(p.Rank, p.Unit), ", ")))
	}
	loss := who + " was reported missing"
	if p.DateOfLoss != "" {
		loss += " on " + string(p.DateOfLoss)
	}
	if r.Incident != nil && r.Incident.Place != "" {
		loss += " near " + r.Incident.Place
	}
	out = append(out, loss+".")
	switch x.Status {
	case homeward.IdentApproved:
		out = append(out, fmt.Sprintf("Remains in our care have been identified as %s. The identification was reviewed and approved%s.", name, approvedOn(x)))
	case homeward.IdentWithdrawn:
		out = append(out, fmt.Sprintf("An identification of remains as %s was made and has since been withdrawn. The remains are not, at present, identified as %s.", name, name))
	default:
		out = append(out, fmt.Sprintf("Remains in our care may be %s. This is not yet a confirmed identification: it is still being reviewed, and nothing here should be taken as final.", name))
	}
	if n := len(r.Remains); n > 0 {
		var cont []string
		for _, rm := range r.Remains {
			if rm.Container != "" && !slices.Contains(cont, rm.Container) {
				cont = append(cont, rm.Container)
			}
		}
		s := fmt.Sprintf("The remains were examined as %d %s", n, plural(n, "sample", "samples"))
		if len(cont) > 0 {
			s += fmt.Sprintf(" from %s %s", plural(len(cont), "container", "containers"), strings.Join(cont, ", "))
		}
		out = append(out, s+".")
	}
	for _, l := range r.Evidence {
		if s := plainLine(l, name); s != "" {
			out = append(out, s)
		}
	}
	if x.Posterior != nil && x.Prior != nil {
		s := fmt.Sprintf("Taking all the DNA results together with what was known before DNA testing (%s), the probability that these remains are %s is %s.", x.Prior.Basis, name, plainProbability(*x.Posterior))
		if x.Prior.Population == "closed" {
			s += fmt.Sprintf(" This assumes that the remains are one of %d people who could be considered.", x.Prior.Candidates)
		} else {
			s += " This allows for the remains being someone not on our lists."
		}
		out = append(out, s)
	}
	if r.Disposition != nil {
		d := r.Disposition
		s := fmt.Sprintf("Arrangements: %s", d.Kind)
		if d.Place != "" {
			s += " at " + d.Place
		}
		if d.Date != "" {
			s += " on " + string(d.Date)
		}
		s += "."
		if d.EffectsReturned {
			s += " Personal effects have been returned to the family."
		}
		out = append(out, s)
	}
	out = append(out, "If you have questions about any part of this, your liaison can go through the full scientific report with you.")
	return out
}

func approvedOn(x *homeward.Identification) string {
	for i := len(x.History) - 1; i >= 0; i-- {
		if x.History[i].To == homeward.IdentApproved {
			return " on " + x.History[i].At.UTC().Format("2 January 2006")
		}
	}
	return ""
}

// plainLine says what one evidence line showed.
func plainLine(l Line, name string) string {
	what := map[homeward.EvidenceKind]string{
		homeward.EvidenceAutosomalDNA: "DNA from the remains was compared with DNA given by relatives",
		homeward.EvidenceYSTR:         "DNA passed down the father's line (Y chromosome) was compared",
		homeward.EvidenceMtDNA:        "DNA passed down the mother's line (mitochondrial DNA) was compared",
		homeward.EvidenceDental:       "The teeth were compared with dental records",
		homeward.EvidenceRadiograph:   "X-ray images were compared with chest X-rays taken in service",
		homeward.EvidenceAnthropology: "The bones were examined for sex, age and height",
		homeward.EvidenceMaterial:     "Items found with the remains were examined",
		homeward.EvidenceHistorical:   "Historical records of the loss were examined",
	}[l.Kind]
	if what == "" {
		return ""
	}
	if l.Kind == homeward.EvidenceAutosomalDNA && l.DNA != nil && len(l.DNA.Relatives) > 0 {
		var rel []string
		for _, x := range l.DNA.Relatives {
			rel = append(rel, x.Relation)
		}
		what += fmt.Sprintf(" (%d %s: %s)", len(rel), plural(len(rel), "relative", "relatives"), strings.Join(rel, ", "))
	}
	concl := map[homeward.EvidenceConclusion]string{
		homeward.ConclusionSupports:     "the results support the identification",
		homeward.ConclusionConsistent:   "the results are consistent with the identification",
		homeward.ConclusionInconclusive: "the results could not decide either way",
		homeward.ConclusionExcludes:     "the results exclude the identification",
	}[l.Conclusion]
	s := what + "; " + concl + "."
	if l.LR != nil && *l.LR > 1 {
		s += fmt.Sprintf(" The DNA results are %s more likely if the remains are %s than if they are of someone unrelated.", plainTimes(*l.LR), name)
	}
	return s
}

// plainTimes writes an LR as words: "about 3.2 million times", "about 450 times".
func plainTimes(x float64) string {
	if math.IsInf(x, 1) || x > 1e15 {
		return "more than a million billion times"
	}
	for _, u := range []struct {
		v    float64
		name string
	}{{1e12, "trillion"}, {1e9, "billion"}, {1e6, "million"}} {
		if x >= u.v {
			return fmt.Sprintf("about %s %s times", trimZeros(fmt.Sprintf("%.1f", x/u.v)), u.name)
		}
	}
	if x >= 1000 {
		return fmt.Sprintf("about %s times", commas(int64(math.Round(x/10)*10)))
	}
	return fmt.Sprintf("about %s times", trimZeros(fmt.Sprintf("%.1f", x)))
}

// plainProbability writes a probability without ever rounding up to certainty: 0.9999995 is "more
// than 99.9999%", 0.987 is "98.7%".
func plainProbability(p float64) string {
	if p >= 1 {
		return "more than 99.9999%"
	}
	for d := 1; d <= 6; d++ {
		s := fmt.Sprintf("%.*f", d, 100*p)
		if s != fmt.Sprintf("%.*f", d, 100.0) {
			// Keep one more digit than needed to tell it from 100%.
			if strings.HasPrefix(s, "99.") && strings.Trim(s[3:], "9") == "" {
				return "more than " + s + "%"
			}
			return trimZeros(s) + "%"
		}
	}
	return "more than 99.9999%"
}

func commas(n int64) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func nonEmpty(s ...string) []string {
	var out []string
	for _, x := range s {
		if x != "" {
			out = append(out, x)
		}
	}
	return out
}
