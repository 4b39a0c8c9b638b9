-- +goose Up
-- A user's e-mail address (empty: the user gets no e-mail), and the outbox of the notices the
-- identification workflow e-mails: each written in the transaction of the change it tells of
-- (event, identification, stage, actor, for one recipient), written out in the recipient's
-- language and sent afterwards by a worker (sent_at and the subject set, or attempts and
-- last_error kept for the next try).
ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '';
CREATE TABLE mail_outbox (
	id INTEGER PRIMARY KEY,
	username TEXT NOT NULL,
	address TEXT NOT NULL,
	lang TEXT NOT NULL,
	event TEXT NOT NULL,
	identification_id BIGINT NOT NULL,
	stage TEXT NOT NULL,
	actor TEXT NOT NULL,
	subject TEXT NOT NULL DEFAULT '',
	created_at TIMESTAMP NOT NULL,
	sent_at TIMESTAMP,
	attempts INTEGER NOT NULL DEFAULT 0,
	last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX mail_outbox_unsent ON mail_outbox(id) WHERE sent_at IS NULL;

-- +goose Down
DROP TABLE mail_outbox;
ALTER TABLE users DROP COLUMN email;
