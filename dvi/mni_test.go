package dvi

import "testing"

func TestMNI(t *testing.T) {
	e := func(c, el, side, portion string) Element {
		return Element{Container: c, Element: el, Side: side, Portion: portion}
	}
	tests := []struct {
		name     string
		items    []Element
		want     int
		deciding string
	}{
		{"empty", nil, 0, ""},
		{"left and right femur are one person", []Element{e("A", "femur", "left", ""), e("A", "femur", "right", "")}, 1, "femur"},
		{"two left femora are two people", []Element{e("A", "femur", "left", ""), e("A", "Femur", "Left", "complete"), e("A", "femur", "right", "")}, 2, "femur/left"},
		{"proximal and distal may be one bone", []Element{e("A", "femur", "left", "proximal"), e("A", "femur", "left", "distal")}, 1, ""},
		{"two proximal ends are two bones", []Element{e("A", "femur", "left", "proximal"), e("A", "femur", "left", "proximal"), e("A", "femur", "left", "distal")}, 2, "femur/left/proximal"},
		{"complete bone counts toward each portion", []Element{e("A", "humerus", "right", ""), e("A", "humerus", "right", "distal")}, 2, "humerus/right/distal"},
		{"unknown side not counted", []Element{e("A", "rib", "unknown", ""), e("A", "rib", "", ""), e("A", "tibia", "left", "")}, 1, "tibia"},
		{"axial elements count", []Element{e("A", "cranium", "axial", ""), e("A", "cranium", "axial", ""), e("A", "cranium", "axial", "")}, 3, "cranium/axial"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := MNI(tt.items)
			if err != nil {
				t.Fatal(err)
			}
			if r.MNI != tt.want {
				t.Errorf("MNI = %d, want %d (%+v)", r.MNI, tt.want, r.Counts)
			}
			if tt.deciding != "" {
				got := r.Deciding.Element
				if n := len(splitSlash(tt.deciding)); n > 1 {
					got += "/" + r.Deciding.Side
					if n > 2 {
						got += "/" + r.Deciding.Portion
					}
				}
				if got != tt.deciding {
					t.Errorf("deciding = %s, want %s", got, tt.deciding)
				}
			}
		})
	}
	if _, err := MNI([]Element{{Container: "K55-2018-001", Element: "femur", Side: "middle"}}); err == nil {
		t.Error("bad side accepted")
	}
	if _, err := MNI([]Element{{Container: "K55-2018-001", Side: "left"}}); err == nil {
		t.Error("missing element accepted")
	}
}

func splitSlash(s string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == '/' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return out
}

func TestMNIByContainer(t *testing.T) {
	items := []Element{
		{Container: "A", Element: "femur", Side: "left"}, {Container: "A", Element: "femur", Side: "left"},
		{Container: "B", Element: "femur", Side: "left"}, {Container: "B", Element: "femur", Side: "right"},
		{Container: "B", Element: "cranium", Side: "axial"},
	}
	r, err := MNIByContainer(items)
	if err != nil {
		t.Fatal(err)
	}
	if r.PerContainer["A"].MNI != 2 || r.PerContainer["B"].MNI != 1 || r.SumOfContainers != 3 || r.Pooled.MNI != 3 {
		t.Errorf("%+v", r)
	}
}
