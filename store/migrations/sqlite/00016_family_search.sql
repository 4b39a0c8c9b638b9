-- +goose Up
-- Relatives found by name in any romanization or in Hangul, as missing persons are (00013):
-- family_members.search_names holds homeward.FamilySearchNames, filled on every write and for
-- older rows when the store opens, under a trigram index.
ALTER TABLE family_members ADD COLUMN search_names TEXT NOT NULL DEFAULT '';
CREATE VIRTUAL TABLE family_members_search USING fts5(search_names,
	content='family_members', content_rowid='id', tokenize='trigram');
-- +goose StatementBegin
CREATE TRIGGER family_members_search_insert AFTER INSERT ON family_members BEGIN
	INSERT INTO family_members_search(rowid, search_names) VALUES (new.id, new.search_names);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER family_members_search_delete AFTER DELETE ON family_members BEGIN
	INSERT INTO family_members_search(family_members_search, rowid, search_names) VALUES ('delete', old.id, old.search_names);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER family_members_search_update AFTER UPDATE ON family_members BEGIN
	INSERT INTO family_members_search(family_members_search, rowid, search_names) VALUES ('delete', old.id, old.search_names);
	INSERT INTO family_members_search(rowid, search_names) VALUES (new.id, new.search_names);
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER family_members_search_update;
DROP TRIGGER family_members_search_delete;
DROP TRIGGER family_members_search_insert;
DROP TABLE family_members_search;
ALTER TABLE family_members DROP COLUMN search_names;
