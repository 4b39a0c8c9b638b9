package idreport

import (
	"fmt"
	"strings"
	"time"

	"github.com/homeward/homeward"
)

// summaryWords is how the family summary says each of its sentences in one language. Both
// languages say the same things from the same figures; only the wording and its order differ.
type summaryWords struct {
	missing      func(name string, service []string, date homeward.Date, place string) string
	approved     func(name string, on time.Time) string
	withdrawn    func(name string) string
	pending      func(name string) string
	samples      func(n int, containers []string) string
	evidence     map[homeward.EvidenceKind]string
	relatives    func(relations []string) string
	conclusions  map[homeward.EvidenceConclusion]string
	line         func(what, conclusion string) string
	likelier     func(times, name string) string
	times        func(n string) string
	units        []numberUnit // large-number units, largest first
	beyond       string       // more than a million billion times
	moreThan     func(p string) string
	notComputed  string
	probability  func(prior *homeward.PriorStatement, name, p string) string
	arrangements func(d *homeward.Disposition) string
	closing      string
}

var english = summaryWords{
	missing: func(name string, service []string, date homeward.Date, place string) string {
		s := name
		if len(service) > 0 {
			s += " (" + strings.Join(service, ", ") + ")"
		}
		s += " was reported missing"
		if date != "" {
			s += " on " + string(date)
		}
		if place != "" {
			s += " near " + place
		}
		return s + "."
	},
	approved: func(name string, on time.Time) string {
		when := ""
		if !on.IsZero() {
			when = " on " + on.Format("2 January 2006")
		}
		return fmt.Sprintf("Remains in our care have been identified as %s. The identification was reviewed and approved%s.", name, when)
	},
	withdrawn: func(name string) string {
		return fmt.Sprintf("An identification of remains as %s was made and has since been withdrawn. The remains are not, at present, identified as %s.", name, name)
	},
	pending: func(name string) string {
		return fmt.Sprintf("Remains in our care may be %s. This is not yet a confirmed identification: it is still being reviewed, and nothing here should be taken as final.", name)
	},
	samples: func(n int, containers []string) string {
		s := fmt.Sprintf("The remains were examined as %d %s", n, plural(n, "sample", "samples"))
		if len(containers) > 0 {
			s += fmt.Sprintf(" from %s %s", plural(len(containers), "container", "containers"), strings.Join(containers, ", "))
		}
		return s + "."
	},
	evidence: map[homeward.EvidenceKind]string{
		homeward.EvidenceAutosomalDNA: "DNA from the remains was compared with DNA given by relatives",
		homeward.EvidenceYSTR:         "DNA passed down the father's line (Y chromosome) was compared",
		homeward.EvidenceMtDNA:        "DNA passed down the mother's line (mitochondrial DNA) was compared",
		homeward.EvidenceDental:       "The teeth were compared with dental records",
		homeward.EvidenceRadiograph:   "X-ray images were compared with chest X-rays taken in service",
		homeward.EvidenceAnthropology: "The bones were examined for sex, age and height",
		homeward.EvidenceMaterial:     "Items found with the remains were examined",
		homeward.EvidenceHistorical:   "Historical records of the loss were examined",
	},
	relatives: func(rel []string) string {
		return fmt.Sprintf(" (%d %s: %s)", len(rel), plural(len(rel), "relative", "relatives"), strings.Join(rel, ", "))
	},
	conclusions: map[homeward.EvidenceConclusion]string{
		homeward.ConclusionSupports:     "the results support the identification",
		homeward.ConclusionConsistent:   "the results are consistent with the identification",
		homeward.ConclusionInconclusive: "the results could not decide either way",
		homeward.ConclusionExcludes:     "the results exclude the identification",
	},
	line: func(what, conclusion string) string { return what + "; " + conclusion + "." },
	likelier: func(times, name string) string {
		return fmt.Sprintf("The DNA results are %s more likely if the remains are %s than if they are of someone unrelated.", times, name)
	},
	times:       func(n string) string { return "about " + n + " times" },
	units:       []numberUnit{{1e12, " trillion"}, {1e9, " billion"}, {1e6, " million"}},
	beyond:      "more than a million billion times",
	moreThan:    func(p string) string { return "more than " + p },
	notComputed: "not computed",
	probability: func(prior *homeward.PriorStatement, name, p string) string {
		s := fmt.Sprintf("Taking all the DNA results together with what was known before DNA testing (%s), the probability that these remains are %s is %s.", prior.Basis, name, p)
		if prior.Population == "closed" {
			return s + fmt.Sprintf(" This assumes that the remains are one of %d people who could be considered.", prior.Candidates)
		}
		return s + " This allows for the remains being someone not on our lists."
	},
	arrangements: func(d *homeward.Disposition) string {
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
		return s
	},
	closing: "If you have questions about any part of this, your liaison can go through the full scientific report with you.",
}

// korean says the summary in the plain, respectful register of a letter to a bereaved family
// (합쇼체); terms as the web catalog's.
var korean = summaryWords{
	missing: func(name string, service []string, date homeward.Date, place string) string {
		s := name
		if len(service) > 0 {
			s += " (" + strings.Join(service, ", ") + ")"
		}
		s += "께서는"
		if date != "" {
			s += " " + koreanDate(date)
		}
		if place != "" {
			s += " " + place + " 부근에서"
		}
		return s + " 실종되신 것으로 보고되었습니다."
	},
	approved: func(name string, on time.Time) string {
		when := ""
		if !on.IsZero() {
			when = fmt.Sprintf(" %d년 %d월 %d일에", on.Year(), on.Month(), on.Day())
		}
		return fmt.Sprintf("저희가 모시고 있는 유해의 신원이 %s(으)로 확인되었습니다. 이 신원확인은 심사를 거쳐%s 승인되었습니다.", name, when)
	},
	withdrawn: func(name string) string {
		return fmt.Sprintf("유해를 %s(으)로 확인한 신원확인이 있었으나 이후 철회되었습니다. 현재 이 유해는 %s(으)로 확인된 상태가 아닙니다.", name, name)
	},
	pending: func(name string) string {
		return fmt.Sprintf("저희가 모시고 있는 유해가 %s일 가능성이 있습니다. 아직 확정된 신원확인이 아니며 심사 중이므로, 이 내용을 최종 결과로 받아들이지 마십시오.", name)
	},
	samples: func(n int, containers []string) string {
		s := fmt.Sprintf("유해는 시료 %d점으로 감식되었습니다", n)
		if len(containers) > 0 {
			s = fmt.Sprintf("유해는 용기 %s에서 나온 시료 %d점으로 감식되었습니다", strings.Join(containers, ", "), n)
		}
		return s + "."
	},
	evidence: map[homeward.EvidenceKind]string{
		homeward.EvidenceAutosomalDNA: "유해의 DNA를 가족분들이 주신 DNA와 비교했습니다",
		homeward.EvidenceYSTR:         "부계로 이어지는 DNA(Y 염색체)를 비교했습니다",
		homeward.EvidenceMtDNA:        "모계로 이어지는 DNA(미토콘드리아 DNA)를 비교했습니다",
		homeward.EvidenceDental:       "치아를 치과 기록과 비교했습니다",
		homeward.EvidenceRadiograph:   "방사선 사진을 복무 중 찍은 흉부 방사선 사진과 비교했습니다",
		homeward.EvidenceAnthropology: "뼈를 조사하여 성별, 나이, 키를 추정했습니다",
		homeward.EvidenceMaterial:     "유해와 함께 발견된 유품을 조사했습니다",
		homeward.EvidenceHistorical:   "실종 당시의 기록을 조사했습니다",
	},
	relatives: func(rel []string) string {
		return fmt.Sprintf(" (가족 %d분: %s)", len(rel), strings.Join(rel, ", "))
	},
	conclusions: map[homeward.EvidenceConclusion]string{
		homeward.ConclusionSupports:     "결과는 이 신원확인을 뒷받침합니다",
		homeward.ConclusionConsistent:   "결과는 이 신원확인과 부합합니다",
		homeward.ConclusionInconclusive: "결과로는 어느 쪽으로도 판단할 수 없었습니다",
		homeward.ConclusionExcludes:     "결과는 이 신원확인을 배제합니다",
	},
	line: func(what, conclusion string) string { return what + ". " + conclusion + "." },
	likelier: func(times, name string) string {
		return fmt.Sprintf("DNA 결과는 유해가 무관한 사람일 때보다 %s일 때 %s 더 그럴듯합니다.", name, times)
	},
	times:       func(n string) string { return "약 " + n + " 배" },
	units:       []numberUnit{{1e12, "조"}, {1e8, "억"}, {1e4, "만"}},
	beyond:      "천조 배 이상",
	moreThan:    func(p string) string { return p + " 이상" },
	notComputed: "계산되지 않음",
	probability: func(prior *homeward.PriorStatement, name, p string) string {
		s := fmt.Sprintf("모든 DNA 결과와 DNA 검사 전에 알려진 사실(%s)을 함께 고려하면, 이 유해가 %s일 확률은 %s입니다.", prior.Basis, name, p)
		if prior.Population == "closed" {
			return s + fmt.Sprintf(" 이는 유해가 고려할 수 있는 %d명 중 한 분이라는 가정에 따른 것입니다.", prior.Candidates)
		}
		return s + " 이는 유해가 저희 명단에 없는 분일 가능성도 고려한 것입니다."
	},
	arrangements: func(d *homeward.Disposition) string {
		s := "안장 등: " + koreanDisposition[d.Kind]
		if d.Place != "" {
			s += ", 장소 " + d.Place
		}
		if d.Date != "" {
			s += ", " + koreanDate(d.Date)
		}
		s += "."
		if d.EffectsReturned {
			s += " 유품은 가족분들께 돌려드렸습니다."
		}
		return s
	},
	closing: "궁금하신 점이 있으시면 담당관이 전체 과학 보고서를 함께 살펴 드리겠습니다.",
}

// numberUnit is a large-number word: million (10^6) in English, 만 (10^4) in Korean.
type numberUnit struct {
	v    float64
	name string
}

var koreanDisposition = map[homeward.DispositionKind]string{homeward.DispositionBurial: "매장", homeward.DispositionCremation: "화장",
	homeward.DispositionRepatriation: "송환", homeward.DispositionOther: "기타"}

// koreanDate writes a recorded date (YYYY[-MM[-DD]]) as Korean does, "1951년 6월 12일".
func koreanDate(d homeward.Date) string {
	var y, m, day int
	n, _ := fmt.Sscanf(string(d), "%d-%d-%d", &y, &m, &day)
	switch n {
	case 3:
		return fmt.Sprintf("%d년 %d월 %d일", y, m, day)
	case 2:
		return fmt.Sprintf("%d년 %d월", y, m)
	case 1:
		return fmt.Sprintf("%d년", y)
	}
	return string(d)
}
