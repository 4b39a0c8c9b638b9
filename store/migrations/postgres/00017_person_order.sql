-- +goose Up
-- The persons list's default order (family name, given names, id) as an index, so that a page
-- after a cursor is read from the index (keyset paging) rather than by sorting every person.
CREATE INDEX missing_persons_order ON missing_persons(family_name, given_names, id);

-- +goose Down
DROP INDEX missing_persons_order;
