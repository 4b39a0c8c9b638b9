-- +goose Up
-- DNA profiles, reference families (pedigrees with typed relatives) and screens of every victim
-- profile against every family, sharded for background workers.
CREATE TABLE profiles (
	id INTEGER PRIMARY KEY,
	sample TEXT NOT NULL UNIQUE,
	role TEXT NOT NULL,
	specimen_id BIGINT REFERENCES specimens(id),
	family_member_id BIGINT REFERENCES family_members(id),
	data TEXT NOT NULL,
	version BIGINT NOT NULL DEFAULT 1,
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL
);
CREATE INDEX profiles_role ON profiles(role, id);
CREATE TABLE reference_families (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE,
	missing_person_id BIGINT REFERENCES missing_persons(id),
	data TEXT NOT NULL,
	version BIGINT NOT NULL DEFAULT 1,
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL
);
CREATE TABLE screens (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL,
	data TEXT NOT NULL,
	version BIGINT NOT NULL DEFAULT 1,
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL
);
-- One row per shard; done_at is set in the same transaction that stores the shard's candidates.
CREATE TABLE screen_shards (
	screen_id BIGINT NOT NULL REFERENCES screens(id),
	shard INTEGER NOT NULL,
	done_at TIMESTAMP,
	comparisons BIGINT NOT NULL DEFAULT 0,
	candidates BIGINT NOT NULL DEFAULT 0,
	worker TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (screen_id, shard)
);
CREATE TABLE screen_candidates (
	screen_id BIGINT NOT NULL REFERENCES screens(id),
	profile_id BIGINT NOT NULL REFERENCES profiles(id),
	family_id BIGINT NOT NULL REFERENCES reference_families(id),
	shard INTEGER NOT NULL,
	lr DOUBLE PRECISION NOT NULL,
	log10_lr DOUBLE PRECISION NOT NULL,
	markers INTEGER NOT NULL,
	exclusions INTEGER NOT NULL,
	PRIMARY KEY (screen_id, profile_id, family_id)
);
CREATE INDEX screen_candidates_rank ON screen_candidates(screen_id, log10_lr DESC);

-- +goose Down
DROP TABLE screen_candidates; DROP TABLE screen_shards; DROP TABLE screens;
DROP TABLE reference_families; DROP TABLE profiles;
