-- +goose Up
-- Settings administrators change (one row per key: the review stages new identifications pass),
-- versioned and audited like every record.
CREATE TABLE settings (
	id INTEGER PRIMARY KEY,
	key TEXT NOT NULL UNIQUE,
	data TEXT NOT NULL,
	version BIGINT NOT NULL DEFAULT 1,
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE settings;
