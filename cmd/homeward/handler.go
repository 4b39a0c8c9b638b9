package main

import (
	"log/slog"
	"net/http"

	"github.com/homeward/homeward/blob"
	"github.com/homeward/homeward/httpapi"
)

// newHandler mounts the API on the opened app.
func newHandler(a *app, logger *slog.Logger, screens httpapi.ScreenStarter) http.Handler {
	api := httpapi.New(httpapi.Config{
		Registry: a.db, Operations: a.db, Containers: a.db, Custody: a.db, Evidence: a.db, Users: a.db, Imports: a.db,
		DNA: a.db, Idents: a.db, Families: a.db, Stats: a.db, Screens: screens,
		Blob: a.blob, Logger: logger, Thumbnail: blob.Thumbnail,
	})
	mux := http.NewServeMux()
	mux.Handle("/api/", api)
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("Homeward is running. The API is at /api/v1 (OpenAPI document: /api/v1/openapi.json).\n"))
	})
	return mux
}
