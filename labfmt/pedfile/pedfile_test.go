package pedfile

import (
	"strings"
	"testing"
)

func TestRead(t *testing.T) {
	in := "id\tfid\tmid\tsex\tD3S1358\tTH01\n" +
		"FA\t0\t0\t1\t15/16\t9.3/9.3\n" +
		"MO\t0\t0\t2\t-/-\tNA\n" +
		"CH\tFA\tMO\t1\t16/17\t6/9.3\n"
	f, err := Read(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.People) != 3 || f.People[2].Father != "FA" || f.People[2].Mother != "MO" || f.People[1].Sex != 2 {
		t.Errorf("people %+v", f.People)
	}
	if g := f.Genotypes["CH"]["TH01"]; g != [2]string{"6", "9.3"} || len(f.Genotypes["MO"]) != 0 {
		t.Errorf("genotypes %+v", f.Genotypes)
	}
	bad := []struct{ in, want string }{
		{"id fid mid\n", "header"},
		{"id fid mid sex M\nA 0 0 3 1/2\n", "line 2 individual A column sex"},
		{"id fid mid sex M\nA 0 0 1 12\n", "line 2 individual A column M: genotype \"12\""},
		{"id fid mid sex M\nA 0 0 1 1/-\n", "one allele missing"},
		{"id fid mid sex M\nA 0 0 1 1/2 x\n", "line 2: 6 columns"},
		{"id fid mid sex\nA 0 0 1\nA 0 0 2\n", "appears twice"},
		{"id fid mid sex\nC F 0 1\n", "one parent"},
	}
	for _, b := range bad {
		if _, err := Read(strings.NewReader(b.in)); err == nil || !strings.Contains(err.Error(), b.want) {
			t.Errorf("%q: %v, want %q", b.in, err, b.want)
		}
	}
}

func FuzzRead(f *testing.F) {
	f.Add("id fid mid sex M\nA 0 0 1 1/2\nB 0 0 2 2/2\nC A B 1 1/2\n")
	f.Fuzz(func(t *testing.T, s string) { Read(strings.NewReader(s)) })
}
