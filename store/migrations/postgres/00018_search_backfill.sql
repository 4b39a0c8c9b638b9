-- +goose Up
-- The store looks for rows without search keys at every start (backfillSearchNames): partial
-- indexes of those rows make that a lookup of nothing, not a scan of every person and relative.
CREATE INDEX missing_persons_no_search_names ON missing_persons(id) WHERE search_names = '';
CREATE INDEX family_members_no_search_names ON family_members(id) WHERE search_names = '';

-- +goose Down
DROP INDEX family_members_no_search_names;
DROP INDEX missing_persons_no_search_names;
