-- +goose Up
-- Proposed identifications under review and their evidence lines.
CREATE TABLE identifications (
	id INTEGER PRIMARY KEY,
	missing_person_id BIGINT NOT NULL REFERENCES missing_persons(id),
	status TEXT NOT NULL,
	data TEXT NOT NULL,
	version BIGINT NOT NULL DEFAULT 1,
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL
);
CREATE INDEX identifications_status ON identifications(status);
CREATE TABLE evidence_lines (
	id INTEGER PRIMARY KEY,
	identification_id BIGINT NOT NULL REFERENCES identifications(id),
	data TEXT NOT NULL,
	version BIGINT NOT NULL DEFAULT 1,
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL
);
CREATE INDEX evidence_lines_identification ON evidence_lines(identification_id);

-- +goose Down
DROP TABLE evidence_lines; DROP TABLE identifications;
