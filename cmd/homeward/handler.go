package main

import (
	"log/slog"
	"net/http"

	"github.com/homeward/homeward/blob"
	"github.com/homeward/homeward/httpapi"
	"github.com/homeward/homeward/web"
)

// newHandler mounts the API on the opened app.
func newHandler(a *app, logger *slog.Logger, screens httpapi.ScreenStarter) (http.Handler, error) {
	api := httpapi.New(httpapi.Config{
		Registry: a.db, Operations: a.db, Containers: a.db, Custody: a.db, Evidence: a.db, Users: a.db, Imports: a.db,
		DNA: a.db, Idents: a.db, Settings: a.db, Families: a.db, Stats: a.db, Screens: screens,
		Blob: a.blob, Logger: logger, Thumbnail: blob.Thumbnail,
	})
	mux := http.NewServeMux()
	mux.Handle("/api/", api)
	pages, err := web.New(web.Config{Users: a.db, Registry: a.db, Operations: a.db, Containers: a.db, Custody: a.db, Evidence: a.db, DNA: a.db, Idents: a.db, Families: a.db, Stats: a.db, Logger: logger})
	if err != nil {
		return nil, err
	}
	mux.Handle("/", pages)
	return mux, nil
}
