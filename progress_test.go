package homeward

import (
	"context"
	"testing"
)

func TestProgressFunc(t *testing.T) {
	ProgressFrom(context.Background())("nothing listens", 1, 2) // a no-op, not a nil call
	var got []int
	ctx := WithProgress(context.Background(), func(stage string, done, total int) {
		if stage == "s" && total == 3 {
			got = append(got, done)
		}
	})
	for i := 1; i <= 3; i++ {
		ProgressFrom(ctx)("s", i, 3)
	}
	if len(got) != 3 || got[2] != 3 {
		t.Errorf("%v", got)
	}
}
