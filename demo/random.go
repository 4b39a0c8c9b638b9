package demo

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/homeward/homeward"
)

// Random choices of the generator: serial numbers, weighted picks, dental charts.

// serial returns a unique service number with the given prefix and number of digits.
func (g *gen) serial(prefix string, digits int) string {
	lo := int(math.Pow10(digits - 1))
	for {
		s := fmt.Sprintf("%s%d", prefix, lo+g.r.IntN(9*lo))
		if !g.usedSN[s] {
			g.usedSN[s] = true
			return s
		}
	}
}

func (g *gen) weighted(items []string, weights []int) string {
	return items[g.weightedIndex(func(i int) int { return weights[i] }, len(items))]
}

func (g *gen) weightedIndex(weight func(int) int, n int) int {
	sum := 0
	for i := range n {
		sum += weight(i)
	}
	x := g.r.IntN(sum)
	for i := range n {
		if x < weight(i) {
			return i
		}
		x -= weight(i)
	}
	return n - 1
}

// dental writes an antemortem dental chart in the Universal numbering system (1-32).
func (g *gen) dental() string {
	var parts []string
	var missing []int
	for _, tooth := range []int{1, 16, 17, 32} { // third molars
		if g.chance(0.35) {
			missing = append(missing, tooth)
		}
	}
	for range g.r.IntN(3) {
		missing = append(missing, 2+g.r.IntN(14))
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		missing = slices.Compact(missing)
		teeth := make([]string, len(missing))
		for i, m := range missing {
			teeth[i] = fmt.Sprint(m)
		}
		parts = append(parts, "missing: "+strings.Join(teeth, ", "))
	}
	surfaces := []string{"O", "MO", "DO", "MOD", "B", "L"}
	for range g.r.IntN(6) {
		tooth := []int{2, 3, 14, 15, 18, 19, 30, 31, 4, 5, 12, 13, 20, 21, 28, 29}[g.r.IntN(16)]
		parts = append(parts, fmt.Sprintf("%d %s amalgam", tooth, g.pick(surfaces)))
	}
	if g.chance(0.06) {
		parts = append(parts, fmt.Sprintf("%d gold crown", []int{3, 14, 19, 30}[g.r.IntN(4)]))
	}
	if g.chance(0.04) {
		parts = append(parts, "upper partial denture")
	}
	if len(parts) == 0 {
		return "no restorations recorded; all teeth present"
	}
	return strings.Join(parts, "; ")
}

var relationships = []struct {
	rel    string
	sex    homeward.Sex
	weight int
	same   bool // shares the missing person's family name by default
}{
	{"brother", homeward.SexMale, 18, true},
	{"sister", homeward.SexFemale, 16, false},
	{"maternal-half-brother", homeward.SexMale, 2, false},
	{"son", homeward.SexMale, 5, true},
	{"daughter", homeward.SexFemale, 5, false},
	{"nephew", homeward.SexMale, 16, true},
	{"niece", homeward.SexFemale, 16, false},
	{"maternal-cousin", homeward.SexFemale, 6, false},
	{"maternal-nephew", homeward.SexMale, 8, false},
	{"maternal-niece", homeward.SexFemale, 8, false},
}

// relatives gives most missing persons 1-4 family members.
