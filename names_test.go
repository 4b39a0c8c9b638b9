package homeward

import "testing"

func TestNamesInEachCulturesOrder(t *testing.T) {
	for _, c := range []struct{ family, given, display, list string }{
		{"김", "철민", "김철민", "김철민"},
		{"Kim", "Chul-min", "Chul-min Kim", "Kim, Chul-min"},
		{"Smith", "John", "John Smith", "Smith, John"},
		{"Doe", "", "Doe", "Doe"},
		{" 박 ", "지호 ", "박지호", "박지호"},
	} {
		if got := DisplayName(c.family, c.given); got != c.display {
			t.Errorf("DisplayName(%q, %q) = %q, want %q", c.family, c.given, got, c.display)
		}
		if got := ListName(c.family, c.given); got != c.list {
			t.Errorf("ListName(%q, %q) = %q, want %q", c.family, c.given, got, c.list)
		}
	}
}
