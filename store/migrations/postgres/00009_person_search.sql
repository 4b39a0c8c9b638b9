-- +goose Up
-- (SQLite gains an FTS5 trigram index for person search here; on PostgreSQL the search still
-- scans: pg_trgm needs an extension an operator must allow.)
SELECT 1;

-- +goose Down
SELECT 1;
