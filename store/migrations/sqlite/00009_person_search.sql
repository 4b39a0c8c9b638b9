-- +goose Up
-- Name and service-number search over missing persons by substring, served by an index: an FTS5
-- table with the trigram tokenizer (case-insensitive) kept in step with missing_persons by
-- triggers. Searches of fewer than three characters still scan.
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

-- +goose Down
DROP TRIGGER missing_persons_search_update;
DROP TRIGGER missing_persons_search_delete;
DROP TRIGGER missing_persons_search_insert;
DROP TABLE missing_persons_search;
