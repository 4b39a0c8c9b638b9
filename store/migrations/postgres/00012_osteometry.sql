-- +goose Up
-- Reference samples for osteometric sorting, versioned by name: the bones of individuals of
-- known identity, as the laboratory imported them.
CREATE TABLE osteo_reference_samples (
	id BIGSERIAL PRIMARY KEY,
	name TEXT NOT NULL,
	version INTEGER NOT NULL,
	source TEXT NOT NULL,
	population TEXT NOT NULL DEFAULT '',
	individuals INTEGER NOT NULL,
	bones INTEGER NOT NULL,
	sha256 TEXT NOT NULL,
	created_at TIMESTAMP NOT NULL,
	created_by TEXT NOT NULL,
	UNIQUE (name, version)
);
CREATE TABLE osteo_reference_bones (
	sample_id BIGINT NOT NULL REFERENCES osteo_reference_samples(id),
	n INTEGER NOT NULL,
	individual TEXT NOT NULL,
	element TEXT NOT NULL,
	side TEXT NOT NULL,
	measurements TEXT NOT NULL,
	PRIMARY KEY (sample_id, n)
);

-- +goose Down
DROP TABLE osteo_reference_bones;
DROP TABLE osteo_reference_samples;
