-- +goose Up
-- The custody transparency log (package custodylog): one leaf per custody event over all
-- containers, the tlog stored hashes appends need, every signed checkpoint, and the public keys
-- that signed them. No foreign keys to events or containers: a log entry must outlive a deleted
-- event, so that the deletion shows.
CREATE TABLE custody_log (
	n BIGINT PRIMARY KEY,
	event_id BIGINT NOT NULL, -- not unique: SQLite may reuse a deleted event's id
	container_id BIGINT NOT NULL,
	accession TEXT NOT NULL,
	seq BIGINT NOT NULL,
	leaf_hash TEXT NOT NULL
);
CREATE INDEX custody_log_container ON custody_log(container_id);
CREATE TABLE custody_log_hashes (
	idx BIGINT PRIMARY KEY,
	hash TEXT NOT NULL
);
CREATE TABLE custody_checkpoints (
	size BIGINT NOT NULL,
	signed_note TEXT NOT NULL,
	created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX custody_checkpoints_size ON custody_checkpoints(size);
CREATE TABLE custody_keys (
	vkey TEXT PRIMARY KEY,
	created_at TIMESTAMPTZ NOT NULL,
	retired_at TIMESTAMPTZ
);
-- A retried append (same user, same key) returns the event the first one recorded.
CREATE TABLE custody_idempotency (
	username TEXT NOT NULL,
	idem_key TEXT NOT NULL,
	event_id BIGINT NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (username, idem_key)
);

-- +goose Down
DROP TABLE custody_idempotency; DROP TABLE custody_keys; DROP TABLE custody_checkpoints;
DROP TABLE custody_log_hashes; DROP TABLE custody_log;
