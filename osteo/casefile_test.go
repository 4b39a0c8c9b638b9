package osteo

import (
	"context"
	"errors"
	"math"
	"os"
	"strings"
	"testing"
	"time"
)

// Bad case files are refused with the field named.
func TestReadCaseNamesTheField(t *testing.T) {
	base := `{"method":"pair_match","options":{"alpha":0.1,"tails":2},
	"element_a":{"element":"humerus","side":"left","measurements":["Hum_01","Hum_02"]},
	"element_b":{"element":"humerus","side":"right","measurements":["Hum_01","Hum_02"]},
	"reference":{"source":"s","individuals":[{"id":"R1","a":[300,40],"b":[301,41]}]},
	"specimens_a":[{"id":"L1","measurements":[300,null]}],"specimens_b":[{"id":"R1","measurements":[299,40]}]}`
	if _, err := ReadCase(strings.NewReader(base)); err != nil {
		t.Fatalf("base case: %v", err)
	}
	for _, c := range []struct{ from, to, field string }{
		{`"pair_match"`, `"pairs"`, "method"},
		{`"alpha":0.1`, `"alpha":1.5`, "options.alpha"},
		{`"tails":2`, `"tails":3`, "options.tails"},
		{`"measurements":["Hum_01","Hum_02"]},
	"element_b"`, `"measurements":["Hum_01","Hum_01"]},
	"element_b"`, "element_a.measurements[1]"},
		{`"a":[300,40]`, `"a":[300,-40]`, "reference.individuals[0].a[1]"},
		{`"b":[301,41]`, `"b":[301]`, "reference.individuals[0].b"},
		{`[300,null]`, `[300,0]`, "specimens_a[0].measurements[1]"},
		{`{"id":"R1","measurements"`, `{"id":"","measurements"`, "specimens_b[0].id"},
	} {
		_, err := ReadCase(strings.NewReader(strings.Replace(base, c.from, c.to, 1)))
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != c.field {
			t.Errorf("%s -> %s: %v, want field %s", c.from, c.to, err, c.field)
		}
	}
	if _, err := ReadCase(strings.NewReader(strings.Replace(base, `"method"`, `"nethod"`, 1))); err == nil || !strings.Contains(err.Error(), "nethod") {
		t.Errorf("unknown field: %v", err)
	}
}

// A reference sample too small for a standard deviation gives no p-value and says why, rather
// than a NaN or an exclusion.
func TestTooFewReferenceIndividuals(t *testing.T) {
	ref := []RefPair{{ID: "1", A: []float64{10}, B: []float64{11}}, {ID: "2", A: []float64{12}, B: []float64{12}}}
	test, err := NewDiffTest([]string{"X"}, []string{"X"}, ref, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	c, err := test.Compare(Specimen{ID: "a", Values: []float64{10}}, Specimen{ID: "b", Values: []float64{30}})
	if err != nil || c.Comparable || c.Excluded || !strings.Contains(c.Reason, "only 2 reference") {
		t.Errorf("%+v %v", c, err)
	}
}

// A long sort stops when its context is cancelled.
func TestCompareAllStopsWhenCancelled(t *testing.T) {
	c := readCase(t, "testdata/oracle/pm_humerus_synth_default.input.json")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.Run(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled run: %v", err)
	}
	ctx, cancel = context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	a, _ := NewAssociation([]string{"X"}, []string{"Y"}, nil, 0.1)
	one := []Specimen{{ID: "x", Values: []float64{1}}}
	if _, err := a.CompareAll(ctx, one, one); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("expired association: %v", err)
	}
}

func FuzzReadCase(f *testing.F) {
	for _, name := range []string{"pm_humerus_synth_default", "art_femur_tibia_synth", "reg_femur_tibia_synth"} {
		b, err := os.ReadFile("testdata/oracle/" + name + ".input.json")
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Add(`{"method":"association","element_a":{"measurements":["A"]},"element_b":{"measurements":["B"]},"reference":{"individuals":[]},"specimens_a":[{"id":"a","measurements":[1]}],"specimens_b":[{"id":"b","measurements":[null]}]}`)
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ReadCase(strings.NewReader(s))
		if err != nil {
			return
		}
		res, err := c.Run(context.Background())
		if err != nil {
			return
		}
		for _, r := range res.Comparisons {
			if r.Comparable && (math.IsNaN(r.P) || r.P < 0 || r.P > float64(c.Options.Tails)) {
				t.Fatalf("comparison %s/%s: p %v", r.A, r.B, r.P)
			}
		}
		for _, r := range res.Associations {
			if r.Comparable && (math.IsNaN(r.P) || r.P < 0 || r.P > 1) {
				t.Fatalf("association %s/%s: p %v", r.A, r.B, r.P)
			}
		}
	})
}
