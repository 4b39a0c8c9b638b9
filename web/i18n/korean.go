package i18n

// korean translates the interface's English texts. Terms follow the usage of the Ministry of
// National Defense Agency for KIA Recovery and Identification (국방부 유해발굴감식단) where it has
// one: 유해 (remains), 전사자 (the war dead), 감식 (identification work), 인수인계 (custody transfer).
var korean = map[string]string{
	"Missing persons":     "실종자",
	"Containers":          "유해 용기",
	"Identifications":     "신원확인",
	"Families":            "유가족",
	"Screens":             "DNA 대조",
	"Map":                 "지도",
	"Progress":            "진행 현황",
	"Custody log":         "인수인계 기록",
	"Sign out":            "로그아웃",
	"Sign in":             "로그인",
	"User name":           "사용자 이름",
	"Password":            "비밀번호",
	"Page not found":      "페이지를 찾을 수 없습니다",
	"Main":                "주 메뉴",
	"Language":            "언어",
	"Osteometric sorting": "골계측 분류",

	// The laboratory page.
	"Skeletal inventory and DNA":            "골격 목록과 DNA",
	"Minimum number of individuals":         "최소 개체수",
	"Post-mortem individuals (commingling)": "사후 개체 (혼재 유해)",
	"How many people?":                      "몇 명인가?",
	"The bones prove at least %d; the DNA tells %d apart. Together: at least %d.":                                                                                           "뼈로는 최소 %d명이 증명되고, DNA로는 %d명이 구별됩니다. 둘을 합하면 최소 %d명입니다.",
	"DNA counts more because the minimum number counts only repeated elements: people whose bones here do not overlap add nothing to it, while their DNA tells them apart.": "DNA 쪽이 많은 것은 최소 개체수가 중복된 뼈만 세기 때문입니다. 이곳의 뼈가 서로 겹치지 않는 사람은 최소 개체수를 늘리지 않지만 DNA로는 구별됩니다.",
	"The bones count more because %d of %d specimens have no DNA profile yet: people whose bones were not sampled are not in the DNA count.":                                "뼈 쪽이 많은 것은 표본 %[2]d점 중 %[1]d점에 아직 DNA 프로필이 없기 때문입니다. 시료를 채취하지 않은 뼈의 주인은 DNA 개체수에 들지 않습니다.",
	"Both counts agree.": "두 수가 일치합니다.",
	"The bones count more though every specimen is typed: some people's samples may not have merged, or their remains were not sampled.": "모든 표본에 DNA가 있는데도 뼈 쪽이 많습니다. 어떤 사람의 시료가 병합되지 않았거나 그 유해에서 시료를 채취하지 않았을 수 있습니다.",
	"Typing the %d untyped specimens can only raise the DNA count or attach bones to the people already found.":                          "DNA가 없는 표본 %d점을 분석하면 DNA 개체수가 늘거나 이미 찾은 사람에게 뼈가 더해질 뿐입니다.",

	// The person page.
	"Status":        "상태",
	"Family":        "가족",
	"Reference DNA": "참조 DNA",
	"to identify":   "신원확인 대상",
	"identified":    "신원확인됨",
}
