package demo

import "strings"

// Name lists for synthetic people. They are common names of each country composed by hand for this
// demo; any resemblance of a generated full name and service number to a real person is chance.

var usFamilyNames = []string{
	"Adams", "Allen", "Anderson", "Bailey", "Baker", "Barnes", "Bell", "Bennett", "Brooks", "Brown",
	"Bryant", "Butler", "Campbell", "Carter", "Clark", "Coleman", "Collins", "Cook", "Cooper", "Cox",
	"Davis", "Dawson", "Diaz", "Dixon", "Edwards", "Ellis", "Evans", "Fisher", "Fleming", "Ford",
	"Foster", "Garcia", "Gibson", "Gonzales", "Graham", "Gray", "Green", "Griffin", "Hall", "Hamilton",
	"Harris", "Hayes", "Henderson", "Hill", "Holt", "Howard", "Hughes", "Jackson", "James", "Jenkins",
	"Johnson", "Jones", "Kelly", "Kennedy", "King", "Kowalski", "Larson", "Lee", "Lewis", "Long",
	"Lopez", "Marshall", "Martin", "Martinez", "Mason", "McCarthy", "Miller", "Mitchell", "Moore", "Morgan",
	"Morris", "Murphy", "Nelson", "Novak", "O'Brien", "Olson", "Parker", "Patterson", "Perry", "Peterson",
	"Phillips", "Powell", "Price", "Reed", "Reyes", "Richardson", "Roberts", "Robinson", "Rogers", "Ross",
	"Russell", "Sanders", "Schmidt", "Scott", "Shaw", "Simmons", "Smith", "Stewart", "Sullivan", "Taylor",
	"Thomas", "Thompson", "Turner", "Walker", "Wallace", "Ward", "Washington", "Watson", "White", "Williams",
	"Wilson", "Wood", "Wright", "Young", "Zimmerman", "Hoffman", "Jablonski", "Lindqvist", "Morales", "Romero",
}

var usMaleGiven = []string{
	"James", "John", "Robert", "William", "Charles", "George", "Joseph", "Richard", "Edward", "Donald",
	"Thomas", "Frank", "Harold", "Paul", "Raymond", "Walter", "Jack", "Henry", "Kenneth", "Arthur",
	"Albert", "David", "Harry", "Eugene", "Ralph", "Howard", "Carl", "Willie", "Louis", "Clarence",
	"Earl", "Roy", "Fred", "Joe", "Francis", "Lawrence", "Herbert", "Leonard", "Ernest", "Alfred",
	"Anthony", "Stanley", "Norman", "Gerald", "Daniel", "Leroy", "Melvin", "Bernard", "Floyd", "Lloyd",
	"Clifford", "Vernon", "Chester", "Lester", "Billy", "Bobby", "Gene", "Dale", "Wayne", "Marvin",
}

var usFemaleGiven = []string{
	"Mary", "Dorothy", "Helen", "Betty", "Margaret", "Ruth", "Virginia", "Doris", "Mildred", "Frances",
	"Elizabeth", "Evelyn", "Anna", "Marie", "Alice", "Jean", "Shirley", "Barbara", "Irene", "Marjorie",
	"Patricia", "Linda", "Susan", "Carol", "Nancy", "Karen", "Donna", "Sandra", "Judith", "Sharon",
}

var usMiddleInitials = "ABCDEFGHJKLMNPRSTW"

var korFamilyNames = []string{
	"Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim",
	"Han", "Oh", "Seo", "Shin", "Kwon", "Hwang", "Ahn", "Song", "Yoo", "Hong",
}

// Korean given names are composed of two syllables.
var korSyllables = []string{
	"Young", "Sung", "Jae", "Min", "Dong", "Sang", "Chul", "Ho", "Soo", "Jin",
	"Hyun", "Kyung", "Seung", "Jong", "Myung", "Kwang", "Tae", "Il", "Man", "Gil",
}

var otherNations = []struct {
	Code     string
	Branch   string
	Unit     []string
	Family   []string
	Given    []string
	Ancestry string
	Weight   int
}{
	{"GBR", "British Army", []string{"1st Battalion, Gloucestershire Regiment, 29th Infantry Brigade", "1st Battalion, Royal Ulster Rifles", "1st Battalion, Argyll and Sutherland Highlanders"},
		[]string{"Smith", "Jones", "Taylor", "Davies", "Evans", "Thomas", "Roberts", "Hughes", "Walker", "Wright"},
		[]string{"Albert", "Arthur", "Frederick", "Harold", "Kenneth", "Ronald", "Stanley", "Thomas", "William", "Dennis"}, "European", 30},
	{"TUR", "Turkish Army", []string{"Turkish Brigade"},
		[]string{"Yilmaz", "Kaya", "Demir", "Sahin", "Celik", "Yildiz", "Aydin", "Ozturk", "Arslan", "Dogan"},
		[]string{"Mehmet", "Ahmet", "Mustafa", "Ali", "Huseyin", "Hasan", "Ibrahim", "Ismail", "Osman", "Yusuf"}, "West Asian", 25},
	{"AUS", "Australian Army", []string{"3rd Battalion, Royal Australian Regiment"},
		[]string{"Brown", "Wilson", "Campbell", "Kelly", "Ryan", "Murphy", "Stewart", "Anderson"},
		[]string{"Jack", "Bill", "Ron", "Keith", "Norm", "Alan", "Jim", "Les"}, "European", 10},
	{"CAN", "Canadian Army", []string{"2nd Battalion, Princess Patricia's Canadian Light Infantry", "Royal 22e Regiment"},
		[]string{"Tremblay", "Gagnon", "Roy", "MacDonald", "Campbell", "Fraser", "Bouchard", "Leblanc"},
		[]string{"Jean", "Pierre", "Donald", "Gordon", "Roger", "Marcel", "Hector", "Angus"}, "European", 8},
	{"FRA", "French Army", []string{"French Battalion (Bataillon de Corée)"},
		[]string{"Martin", "Bernard", "Dubois", "Durand", "Lefebvre", "Moreau", "Laurent", "Girard"},
		[]string{"Jacques", "Andre", "Pierre", "Michel", "Rene", "Marcel", "Georges", "Roger"}, "European", 6},
	{"PHL", "Philippine Army", []string{"10th Battalion Combat Team (PEFTOK)"},
		[]string{"Santos", "Reyes", "Cruz", "Bautista", "Ocampo", "Garcia", "Mendoza", "Torres"},
		[]string{"Jose", "Juan", "Pedro", "Antonio", "Ramon", "Eduardo", "Fernando", "Mario"}, "Asian", 5},
	{"COL", "Colombian Army", []string{"Colombia Battalion"},
		[]string{"Rodriguez", "Gomez", "Gonzalez", "Martinez", "Lopez", "Hernandez", "Ramirez", "Suarez"},
		[]string{"Luis", "Carlos", "Jorge", "Alfonso", "Hernando", "Gustavo", "Julio", "Alberto"}, "Hispanic", 4},
	{"THA", "Royal Thai Army", []string{"21st Infantry Regiment (Thai Battalion)"},
		[]string{"Srisuk", "Chaiyaphum", "Wongsawat", "Thongdee", "Boonmee", "Saetang"},
		[]string{"Somchai", "Somsak", "Prasert", "Boonsong", "Chatchai", "Wichai"}, "Asian", 3},
	{"ETH", "Ethiopian Army", []string{"Kagnew Battalion"},
		[]string{"Tesfaye", "Haile", "Bekele", "Girma", "Mengistu", "Wolde"},
		[]string{"Abebe", "Tadesse", "Kebede", "Alemu", "Getachew", "Mulugeta"}, "African", 2},
}

// hangul writes the demo's romanized Korean names in Hangul: each family name and syllable of
// the tables above with the syllable it romanizes (as these spellings are usually read).
var hangul = map[string]string{
	"kim": "김", "lee": "이", "park": "박", "choi": "최", "jung": "정", "kang": "강", "cho": "조", "yoon": "윤", "jang": "장", "lim": "임",
	"han": "한", "oh": "오", "seo": "서", "shin": "신", "kwon": "권", "hwang": "황", "ahn": "안", "song": "송", "yoo": "유", "hong": "홍",
	"young": "영", "sung": "성", "jae": "재", "min": "민", "dong": "동", "sang": "상", "chul": "철", "ho": "호", "soo": "수", "jin": "진",
	"hyun": "현", "kyung": "경", "seung": "승", "jong": "종", "myung": "명", "kwang": "광", "tae": "태", "il": "일", "man": "만", "gil": "길",
	"mi": "미", "eun": "은", "hye": "혜", "ji": "지", "ja": "자", "sook": "숙", "hee": "희", "ok": "옥",
}

// koreanName writes a romanized Korean name (Kim, Chul-min) in Hangul, family name first
// (김철민); "" when a part is not in the table.
func koreanName(family, given string) string {
	out := hangul[strings.ToLower(family)]
	if out == "" {
		return ""
	}
	for _, s := range strings.Split(given, "-") {
		h := hangul[strings.ToLower(s)]
		if h == "" {
			return ""
		}
		out += h
	}
	return out
}

func (g *gen) familyName(nat string) string {
	switch nat {
	case "USA":
		return g.pick(usFamilyNames)
	case "KOR":
		return g.pick(korFamilyNames)
	}
	for _, n := range otherNations {
		if n.Code == nat {
			return g.pick(n.Family)
		}
	}
	return g.pick(usFamilyNames)
}

func (g *gen) maleGiven(nat string) string {
	switch nat {
	case "USA":
		return g.pick(usMaleGiven)
	case "KOR":
		return g.pick(korSyllables) + "-" + strings.ToLower(g.pick(korSyllables))
	}
	for _, n := range otherNations {
		if n.Code == nat {
			return g.pick(n.Given)
		}
	}
	return g.pick(usMaleGiven)
}

func (g *gen) femaleGiven(nat string) string {
	switch nat {
	case "KOR":
		return g.pick([]string{"Mi", "Eun", "Hye", "Soo", "Ji", "Young"}) + "-" + g.pick([]string{"ja", "sook", "hee", "kyung", "jung", "ok"})
	}
	return g.pick(usFemaleGiven)
}
