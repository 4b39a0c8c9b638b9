-- +goose Up
-- What families were told, and what became of the remains.
CREATE TABLE notifications (
	id INTEGER PRIMARY KEY,
	identification_id BIGINT NOT NULL REFERENCES identifications(id),
	family_member_id BIGINT NOT NULL REFERENCES family_members(id),
	data TEXT NOT NULL,
	version BIGINT NOT NULL DEFAULT 1,
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL
);
CREATE INDEX notifications_identification ON notifications(identification_id);
CREATE TABLE dispositions (
	id INTEGER PRIMARY KEY,
	identification_id BIGINT NOT NULL UNIQUE REFERENCES identifications(id),
	data TEXT NOT NULL,
	version BIGINT NOT NULL DEFAULT 1,
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE dispositions; DROP TABLE notifications;
