package osteometric

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"
)

type goldenRow struct {
	Line         int                `json:"line"`
	Container    string             `json:"container"`
	ID           string             `json:"id"`
	Element      string             `json:"element"`
	Side         string             `json:"side"`
	Measurements map[string]float64 `json:"measurements"`
}

// An inventory as a laboratory writes it (mixed case, L/R, NA and blanks) reads as the golden file
// says, and writing it back and reading again gives the same bones.
func TestReadInventoryGolden(t *testing.T) {
	f, err := os.Open("testdata/inventory.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, codes, err := Read(f, "id")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile("testdata/inventory.golden.json")
	var want []goldenRow
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	var got []goldenRow
	for _, r := range rows {
		got = append(got, goldenRow{r.Line, r.Container, r.Bone.ID, r.Bone.Element, r.Bone.Side, r.Bone.Values})
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	var buf bytes.Buffer
	if err := Write(&buf, "id", rows, codes); err != nil {
		t.Fatal(err)
	}
	again, _, err := Read(&buf, "id")
	if err != nil {
		t.Fatal(err)
	}
	for i := range rows {
		again[i].Line = rows[i].Line
	}
	if !reflect.DeepEqual(again, rows) {
		t.Errorf("round trip:\n%+v\n%+v", again, rows)
	}
}

// Bad files are refused with the line and column named.
func TestReadRefusesNamingLineAndColumn(t *testing.T) {
	head := "id,element,side,Hum_01\n"
	for _, c := range []struct{ in, want string }{
		{"id,element,Hum_01\nA,humerus,300\n", "no side column"},
		{"id,element,side,weight\nA,humerus,left,3\n", `column 4 "weight"`},
		{"id,element,side\nA,humerus,left\n", "no measurement column"},
		{head + "A,humerus,left,-3\n", "line 2 column Hum_01"},
		{head + "A,humerus,left,3000\n", "line 2 column Hum_01"},
		{head + "A,humerus,middle,300\n", "line 2 column side"},
		{head + "A,Hum erus,left,300\n", "line 2 column element"},
		{head + ",humerus,left,300\n", "line 2 column id"},
		{head + "A,humerus,left,300\nA,humerus,right,301\n", "line 3: id"},
		{head + "A,humerus,left,300,1\n", "line 2: 5 fields"},
	} {
		_, _, err := Read(strings.NewReader(c.in), "id")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want %q", c.in, err, c.want)
		}
	}
	// A reference sample names individuals: one individual's left and right bones are two rows.
	rows, _, err := Read(strings.NewReader("individual,element,side,Hum_01\nR1,humerus,left,300\nR1,humerus,right,301\n"), "individual")
	if err != nil || len(rows) != 2 {
		t.Errorf("reference rows: %v %v", rows, err)
	}
}

func FuzzRead(f *testing.F) {
	b, _ := os.ReadFile("testdata/inventory.csv")
	f.Add(string(b), true)
	f.Add("individual,element,side,Fem_01\nR1,femur,L,400\nR1,femur,R,401\n", false)
	f.Fuzz(func(t *testing.T, in string, inventory bool) {
		col := "individual"
		if inventory {
			col = "id"
		}
		rows, codes, err := Read(strings.NewReader(in), col)
		if err != nil {
			return
		}
		var buf bytes.Buffer
		if err := Write(&buf, col, rows, codes); err != nil {
			t.Fatal(err)
		}
		again, _, err := Read(&buf, col)
		if err != nil || len(again) != len(rows) {
			t.Fatalf("written file does not read back: %v (%d vs %d rows)", err, len(again), len(rows))
		}
		for i := range rows {
			if !reflect.DeepEqual(again[i].Bone, rows[i].Bone) {
				t.Fatalf("row %d: %+v, was %+v", i, again[i].Bone, rows[i].Bone)
			}
		}
	})
}
