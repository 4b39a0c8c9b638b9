package main

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/homeward/homeward/auth"
	"github.com/homeward/homeward/blob"
	"github.com/homeward/homeward/httpapi"
	"github.com/homeward/homeward/web"
)

// newHandler mounts the API and the pages on the opened app, with one sign-in (and one count of
// failed sign-ins) for both, behind Go's cross-origin protection: a state-changing request that a
// browser says comes from another site (Sec-Fetch-Site, Origin) is refused, whatever cookie it
// carries; requests without those headers (API clients, the CLI) pass.
func newHandler(a *app, logger *slog.Logger, screens httpapi.ScreenStarter, behindProxy bool) (http.Handler, error) {
	throttle := auth.NewThrottle()
	throttle.Failures = a.db // counted in the store, so that every server of a deployment counts them all
	signIn := &auth.SignIn{Users: a.db, Throttle: throttle}
	api := httpapi.New(httpapi.Config{
		Registry: a.db, Operations: a.db, Containers: a.db, Custody: a.db, Evidence: a.db, Users: a.db, Imports: a.db,
		DNA: a.db, Idents: a.db, Settings: a.db, Families: a.db, Stats: a.db, Osteometry: a.db, Screens: screens,
		Blob: a.blob, Logger: logger, Thumbnail: blob.Thumbnail, SignIn: signIn, BehindProxy: behindProxy,
	})
	mux := http.NewServeMux()
	mux.Handle("/api/", api)
	cfg := web.Config{Users: a.db, Registry: a.db, Operations: a.db, Containers: a.db, Custody: a.db, Evidence: a.db,
		DNA: a.db, Idents: a.db, Families: a.db, Stats: a.db, Osteometry: a.db, Measurements: a.db, Logger: logger, SignIn: signIn, BehindProxy: behindProxy,
		Blob: a.blob, Thumbnail: blob.Thumbnail, DVIResults: a.db, Outbox: a.db}
	if q, ok := screens.(interface {
		QueueDVI(ctx context.Context, screenID int64) error
	}); ok {
		cfg.QueueDVI = q.QueueDVI // DVI analyses as jobs of the shared queue
	}
	pages, err := web.New(cfg)
	if err != nil {
		return nil, err
	}
	mux.Handle("/", pages)
	return http.NewCrossOriginProtection().Handler(mux), nil
}
