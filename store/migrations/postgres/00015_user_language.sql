-- +goose Up
-- The interface language a user chose (en, ko; empty: the browser's).
ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE users DROP COLUMN language;
