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
}
