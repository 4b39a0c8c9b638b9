-- +goose Up
-- Failed sign-ins, shared by every server of a deployment so that throttling counts them all.
-- Keys are hashes of the account and address, not the names themselves.
CREATE TABLE signin_failures (
	key TEXT NOT NULL,
	at TIMESTAMP NOT NULL
);
CREATE INDEX signin_failures_key_at ON signin_failures (key, at);

-- +goose Down
DROP TABLE signin_failures;
