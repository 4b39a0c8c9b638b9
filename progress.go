package homeward

import "context"

// ProgressFunc reports how far a long piece of work is: a stage ("storing profiles") and done of total.
type ProgressFunc func(stage string, done, total int)

type progressKey struct{}

// WithProgress returns a context whose long-running services report their progress to f (imports
// report per batch stored). The command line draws it as a bar.
func WithProgress(ctx context.Context, f ProgressFunc) context.Context {
	return context.WithValue(ctx, progressKey{}, f)
}

// ProgressFrom returns the context's progress reporter, or one that does nothing.
func ProgressFrom(ctx context.Context) ProgressFunc {
	if f, ok := ctx.Value(progressKey{}).(ProgressFunc); ok && f != nil {
		return f
	}
	return func(string, int, int) {}
}
