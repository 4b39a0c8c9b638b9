-- +goose Up
-- A screen's DVI analysis, computed once and shown from here (homeward.DVIResult).
CREATE TABLE dvi_results (
	screen_id BIGINT PRIMARY KEY REFERENCES screens(id),
	case_hash TEXT NOT NULL,
	status TEXT NOT NULL,
	result TEXT NOT NULL DEFAULT '',
	error TEXT NOT NULL DEFAULT '',
	computed_at TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE dvi_results;
