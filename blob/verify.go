package blob

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/homeward/homeward"
)

// VerifyRefs reads every referenced blob whole, through the store's own hash check (both stores
// hash what they return), and reports each one missing or no longer matching its hash as a
// problem of kind "blob". It stops when ctx is cancelled.
func VerifyRefs(ctx context.Context, bs homeward.BlobStore, refs []homeward.BlobRef) ([]homeward.ChainProblem, error) {
	var problems []homeward.ChainProblem
	seen := map[string]error{}
	for _, r := range refs {
		if err := ctx.Err(); err != nil {
			return problems, err
		}
		err, done := seen[r.SHA256]
		if !done {
			err = rehash(ctx, bs, r.SHA256)
			seen[r.SHA256] = err
		}
		if err == nil {
			continue
		}
		var mm *HashMismatchError
		reason := err.Error()
		switch {
		case errors.As(err, &mm):
			reason = fmt.Sprintf("photo or document %s no longer has its hash (now %s): the file was changed", r.SHA256, mm.Got)
		case homeward.ErrorCode(err) == homeward.ENOTFOUND:
			reason = fmt.Sprintf("photo or document %s is missing from the blob store", r.SHA256)
		}
		problems = append(problems, homeward.ChainProblem{Kind: "blob", Reason: r.Where + ": " + reason})
	}
	return problems, nil
}

func rehash(ctx context.Context, bs homeward.BlobStore, sha string) error {
	rc, err := bs.Get(ctx, sha)
	if err != nil {
		return err
	}
	defer rc.Close()
	_, err = io.Copy(io.Discard, rc)
	return err
}
