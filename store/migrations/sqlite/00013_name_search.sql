-- +goose Up
-- Names found by any romanization: missing_persons.search_names holds the search keys the domain
-- derives from a person's names (homeward.SearchNames: the name both ways round, the Hangul, and
-- its RR, MR and usual spellings). The store fills it on every write, and for the rows written
-- before this migration when it opens (backfillSearchNames). The trigram index moves from the
-- name columns to it.
ALTER TABLE missing_persons ADD COLUMN search_names TEXT NOT NULL DEFAULT '';
DROP TRIGGER missing_persons_search_update;
DROP TRIGGER missing_persons_search_delete;
DROP TRIGGER missing_persons_search_insert;
DROP TABLE missing_persons_search;
CREATE VIRTUAL TABLE missing_persons_search USING fts5(search_names, service_number,
	content='missing_persons', content_rowid='id', tokenize='trigram');
INSERT INTO missing_persons_search(missing_persons_search) VALUES ('rebuild');
-- +goose StatementBegin
CREATE TRIGGER missing_persons_search_insert AFTER INSERT ON missing_persons BEGIN
	INSERT INTO missing_persons_search(rowid, search_names, service_number) VALUES (new.id, new.search_names, new.service_number);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER missing_persons_search_delete AFTER DELETE ON missing_persons BEGIN
	INSERT INTO missing_persons_search(missing_persons_search, rowid, search_names, service_number)
	VALUES ('delete', old.id, old.search_names, old.service_number);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER missing_persons_search_update AFTER UPDATE ON missing_persons BEGIN
	INSERT INTO missing_persons_search(missing_persons_search, rowid, search_names, service_number)
	VALUES ('delete', old.id, old.search_names, old.service_number);
	INSERT INTO missing_persons_search(rowid, search_names, service_number) VALUES (new.id, new.search_names, new.service_number);
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER missing_persons_search_update;
DROP TRIGGER missing_persons_search_delete;
DROP TRIGGER missing_persons_search_insert;
DROP TABLE missing_persons_search;
CREATE VIRTUAL TABLE missing_persons_search USING fts5(family_name, given_names, service_number,
	content='missing_persons', content_rowid='id', tokenize='trigram');
INSERT INTO missing_persons_search(missing_persons_search) VALUES ('rebuild');
-- +goose StatementBegin
CREATE TRIGGER missing_persons_search_insert AFTER INSERT ON missing_persons BEGIN
	INSERT INTO missing_persons_search(rowid, family_name, given_names, service_number)
	VALUES (new.id, new.family_name, new.given_names, new.service_number);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER missing_persons_search_delete AFTER DELETE ON missing_persons BEGIN
	INSERT INTO missing_persons_search(missing_persons_search, rowid, family_name, given_names, service_number)
	VALUES ('delete', old.id, old.family_name, old.given_names, old.service_number);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER missing_persons_search_update AFTER UPDATE ON missing_persons BEGIN
	INSERT INTO missing_persons_search(missing_persons_search, rowid, family_name, given_names, service_number)
	VALUES ('delete', old.id, old.family_name, old.given_names, old.service_number);
	INSERT INTO missing_persons_search(rowid, family_name, given_names, service_number)
	VALUES (new.id, new.family_name, new.given_names, new.service_number);
END;
-- +goose StatementEnd
ALTER TABLE missing_persons DROP COLUMN search_names;
