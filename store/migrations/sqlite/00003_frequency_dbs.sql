-- +goose Up
-- Allele-frequency databases as versioned records.
CREATE TABLE frequency_dbs (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL,
	db_version INTEGER NOT NULL,
	data TEXT NOT NULL,
	version BIGINT NOT NULL DEFAULT 1,
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL,
	UNIQUE (name, db_version)
);

-- +goose Down
DROP TABLE frequency_dbs;
