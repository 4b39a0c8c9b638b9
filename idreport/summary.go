package idreport

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

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
func (r *Report) FamilySummary() []string { return r.FamilySummaryIn("en") }

// FamilySummaryIn is FamilySummary in a language: "ko" for Korean, else English.
func (r *Report) FamilySummaryIn(lang string) []string {
	w := english
	if lang == "ko" {
		w = korean
	}
	x, p := r.Identification, r.Person
	name := Name(p)
	var place string
	if r.Incident != nil {
		place = r.Incident.Place
	}
	out := []string{w.missing(name, nonEmpty(p.Rank, p.Unit), p.DateOfLoss, place)}
	switch x.Status {
	case homeward.IdentApproved:
		out = append(out, w.approved(name, approvedOn(x)))
	case homeward.IdentWithdrawn:
		out = append(out, w.withdrawn(name))
	default:
		out = append(out, w.pending(name))
	}
	if n := len(r.Remains); n > 0 {
		out = append(out, w.samples(n, r.containers()))
	}
	for _, l := range r.Evidence {
		if s := plainLine(w, l, name); s != "" {
			out = append(out, s)
		}
	}
	if x.Posterior != nil && x.Prior != nil {
		out = append(out, w.probability(x.Prior, name, plainProbability(w, *x.Posterior)))
	}
	if d := r.Disposition; d != nil {
		out = append(out, w.arrangements(d))
	}
	return append(out, w.closing)
}

// containers lists the containers the remains came from, each once.
func (r *Report) containers() []string {
	var cont []string
	for _, rm := range r.Remains {
		if rm.Container != "" && !slices.Contains(cont, rm.Container) {
			cont = append(cont, rm.Container)
		}
	}
	return cont
}

// approvedOn is when the identification was last approved (zero when it never was).
func approvedOn(x *homeward.Identification) time.Time {
	for i := len(x.History) - 1; i >= 0; i-- {
		if x.History[i].To == homeward.IdentApproved {
			return x.History[i].At.UTC()
		}
	}
	return time.Time{}
}

// plainLine says what one evidence line showed.
func plainLine(w summaryWords, l Line, name string) string {
	what := w.evidence[l.Kind]
	if what == "" {
		return ""
	}
	if l.Kind == homeward.EvidenceAutosomalDNA && l.DNA != nil && len(l.DNA.Relatives) > 0 {
		var rel []string
		for _, x := range l.DNA.Relatives {
			rel = append(rel, x.Relation)
		}
		what += w.relatives(rel)
	}
	s := w.line(what, w.conclusions[l.Conclusion])
	if l.LR != nil && *l.LR > 1 {
		s += " " + w.likelier(plainTimes(w, *l.LR), name)
	}
	return s
}

// plainTimes writes an LR as words, in the language's large-number units: "about 3.2 million
// times", "about 450 times"; "약 320만 배".
func plainTimes(w summaryWords, x float64) string {
	if math.IsInf(x, 1) || x > 1e15 {
		return w.beyond
	}
	for _, u := range w.units {
		if x >= u.v {
			return w.times(trimZeros(fmt.Sprintf("%.1f", x/u.v)) + u.name)
		}
	}
	if x >= 1000 {
		return w.times(commas(int64(math.Round(x/10) * 10)))
	}
	return w.times(trimZeros(fmt.Sprintf("%.1f", x)))
}

// plainProbability writes a probability without ever rounding up to certainty: 0.9999995 is "more
// than 99.9999%", 0.987 is "98.7%".
func plainProbability(w summaryWords, p float64) string {
	if p >= 1 {
		return w.moreThan("99.9999%")
	}
	for d := 1; d <= 6; d++ {
		s := fmt.Sprintf("%.*f", d, 100*p)
		if s != fmt.Sprintf("%.*f", d, 100.0) {
			// Keep one more digit than needed to tell it from 100%.
			if strings.HasPrefix(s, "99.") && strings.Trim(s[3:], "9") == "" {
				return w.moreThan(s + "%")
			}
			return trimZeros(s) + "%"
		}
	}
	return w.moreThan("99.9999%")
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
