-- +goose Up
CREATE TABLE users (
	id INTEGER PRIMARY KEY,
	username TEXT NOT NULL UNIQUE,
	display_name TEXT NOT NULL DEFAULT '',
	roles TEXT NOT NULL,
	disabled BOOLEAN NOT NULL DEFAULT 0,
	password_hash TEXT NOT NULL DEFAULT '',
	created_at TIMESTAMP NOT NULL
);
CREATE TABLE sessions (
	token_hash TEXT PRIMARY KEY,
	user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	created_at TIMESTAMP NOT NULL,
	expires_at TIMESTAMP NOT NULL
);
CREATE TABLE api_tokens (
	id INTEGER PRIMARY KEY,
	user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	name TEXT NOT NULL DEFAULT '',
	prefix TEXT NOT NULL,
	token_hash TEXT NOT NULL UNIQUE,
	created_at TIMESTAMP NOT NULL,
	expires_at TIMESTAMP,
	last_used_at TIMESTAMP,
	revoked BOOLEAN NOT NULL DEFAULT 0
);
-- Records keep their filterable and constrained fields in columns and the whole record, as the
-- domain defines it, in data (JSON); columns are written from the same value, never apart.
CREATE TABLE incidents (
	id INTEGER PRIMARY KEY,
	code TEXT NOT NULL UNIQUE,
	kind TEXT NOT NULL,
	place TEXT NOT NULL DEFAULT '',
	data TEXT NOT NULL,
	version BIGINT NOT NULL DEFAULT 1,
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL
);
CREATE TABLE missing_persons (
	id INTEGER PRIMARY KEY,
	family_name TEXT NOT NULL,
	given_names TEXT NOT NULL DEFAULT '',
	service_number TEXT,
	nationality TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL,
	incident_id BIGINT REFERENCES incidents(id),
	data TEXT NOT NULL,
	version BIGINT NOT NULL DEFAULT 1,
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL,
	UNIQUE (nationality, service_number)
);
CREATE INDEX missing_persons_incident ON missing_persons(incident_id);
CREATE INDEX missing_persons_name ON missing_persons(family_name);
CREATE TABLE family_members (
	id INTEGER PRIMARY KEY,
	missing_person_id BIGINT NOT NULL REFERENCES missing_persons(id),
	data TEXT NOT NULL,
	version BIGINT NOT NULL DEFAULT 1,
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL
);
CREATE INDEX family_members_mp ON family_members(missing_person_id);
CREATE TABLE operations (
	id INTEGER PRIMARY KEY,
	code TEXT NOT NULL UNIQUE,
	kind TEXT NOT NULL,
	data TEXT NOT NULL,
	version BIGINT NOT NULL DEFAULT 1,
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL
);
CREATE TABLE transport_legs (
	id INTEGER PRIMARY KEY,
	operation_id BIGINT NOT NULL REFERENCES operations(id),
	seq INTEGER NOT NULL,
	data TEXT NOT NULL,
	UNIQUE (operation_id, seq)
);
CREATE TABLE ceremonies (
	id INTEGER PRIMARY KEY,
	operation_id BIGINT NOT NULL REFERENCES operations(id),
	data TEXT NOT NULL
);
CREATE TABLE containers (
	id INTEGER PRIMARY KEY,
	accession TEXT NOT NULL UNIQUE,
	kind TEXT NOT NULL,
	operation_id BIGINT REFERENCES operations(id),
	data TEXT NOT NULL,
	-- The head of the custody chain: advanced only in the transaction that appends an event.
	head_seq BIGINT NOT NULL DEFAULT 0,
	head_hash TEXT NOT NULL DEFAULT '',
	version BIGINT NOT NULL DEFAULT 1,
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL
);
CREATE INDEX containers_operation ON containers(operation_id);
CREATE TABLE custody_events (
	id INTEGER PRIMARY KEY,
	container_id BIGINT NOT NULL REFERENCES containers(id),
	seq BIGINT NOT NULL,
	kind TEXT NOT NULL,
	occurred_at TIMESTAMP NOT NULL,
	recorded_at TIMESTAMP NOT NULL,
	recorded_by TEXT NOT NULL,
	from_party TEXT NOT NULL DEFAULT '',
	to_party TEXT NOT NULL DEFAULT '',
	from_ack TEXT NOT NULL DEFAULT '',
	to_ack TEXT NOT NULL DEFAULT '',
	location TEXT NOT NULL DEFAULT '',
	seal_number TEXT NOT NULL DEFAULT '',
	seal_intact BOOLEAN,
	notes TEXT NOT NULL DEFAULT '',
	photos TEXT NOT NULL DEFAULT '',
	prev_hash TEXT NOT NULL,
	hash TEXT NOT NULL,
	mac TEXT NOT NULL,
	UNIQUE (container_id, seq)
);
CREATE TABLE specimens (
	id INTEGER PRIMARY KEY,
	container_id BIGINT NOT NULL REFERENCES containers(id),
	code TEXT NOT NULL UNIQUE,
	data TEXT NOT NULL,
	version BIGINT NOT NULL DEFAULT 1,
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL
);
CREATE INDEX specimens_container ON specimens(container_id);
CREATE TABLE attachments (
	id INTEGER PRIMARY KEY,
	sha256 TEXT NOT NULL,
	subject_type TEXT NOT NULL,
	subject_id BIGINT NOT NULL,
	data TEXT NOT NULL,
	created_at TIMESTAMP NOT NULL
);
CREATE INDEX attachments_subject ON attachments(subject_type, subject_id);
CREATE TABLE claims (
	id INTEGER PRIMARY KEY,
	subject_type TEXT NOT NULL,
	subject_id BIGINT NOT NULL,
	data TEXT NOT NULL,
	version BIGINT NOT NULL DEFAULT 1,
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL
);
CREATE INDEX claims_subject ON claims(subject_type, subject_id);
CREATE TABLE audit_log (
	id INTEGER PRIMARY KEY,
	at TIMESTAMP NOT NULL,
	user_id BIGINT NOT NULL,
	username TEXT NOT NULL,
	action TEXT NOT NULL,
	entity TEXT NOT NULL,
	entity_id BIGINT NOT NULL,
	summary TEXT NOT NULL DEFAULT '',
	before_data TEXT,
	after_data TEXT
);
CREATE INDEX audit_entity ON audit_log(entity, entity_id);
CREATE INDEX audit_user ON audit_log(username);

-- +goose Down
DROP TABLE audit_log; DROP TABLE claims; DROP TABLE attachments; DROP TABLE specimens;
DROP TABLE custody_events; DROP TABLE containers; DROP TABLE ceremonies; DROP TABLE transport_legs;
DROP TABLE operations; DROP TABLE family_members; DROP TABLE missing_persons; DROP TABLE incidents;
DROP TABLE api_tokens; DROP TABLE sessions; DROP TABLE users;
