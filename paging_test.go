package homeward

import (
	"errors"
	"testing"
)

// fakeList is a list of n ids served by offset or by id, failing at failAt (0: never).
func fakeList(n int, failAt int) (byOffset func(Page) (List[int64], error), byID func(int64, Page) (List[int64], error), calls *int) {
	calls = new(int)
	items := make([]int64, n)
	for i := range items {
		items[i] = int64(i + 1)
	}
	byOffset = func(p Page) (List[int64], error) {
		*calls++
		if failAt > 0 && p.Offset >= failAt {
			return List[int64]{}, errors.New("store down")
		}
		end := min(p.Offset+p.Limit, n)
		return List[int64]{Items: items[min(p.Offset, n):end], Total: n}, nil
	}
	byID = func(after int64, p Page) (List[int64], error) {
		return byOffset(Page{Limit: p.Limit, Offset: int(after)})
	}
	return byOffset, byID, calls
}

// Walks see every item once, in order, whatever the count against the page size; an error stops
// them and is yielded; a caller that stops early stops the fetching.
func TestWalks(t *testing.T) {
	for _, n := range []int{0, 1, PageSize - 1, PageSize, PageSize + 1, 3*PageSize + 7} {
		byOffset, byID, calls := fakeList(n, 0)
		got, err := Collect(Walk(byOffset))
		if err != nil || len(got) != n || n > 0 && (got[0] != 1 || got[n-1] != int64(n)) {
			t.Errorf("Walk over %d: %d items, %v", n, len(got), err)
		}
		if want := n/PageSize + 1; *calls != want {
			t.Errorf("Walk over %d: %d fetches, want %d", n, *calls, want)
		}
		got, err = Collect(WalkAfter(byID, func(x *int64) int64 { return *x }))
		if err != nil || len(got) != n {
			t.Errorf("WalkAfter over %d: %d items, %v", n, len(got), err)
		}
	}
	byOffset, _, _ := fakeList(2500, 2000)
	if got, err := Collect(Walk(byOffset)); err == nil || got != nil {
		t.Errorf("failing store: %v, %d items", err, len(got))
	}
	byOffset, _, calls := fakeList(5000, 0)
	for x, err := range Walk(byOffset) {
		if err != nil || x == 10 {
			break
		}
	}
	if *calls != 1 {
		t.Errorf("stopping early fetched %d pages", *calls)
	}
}
