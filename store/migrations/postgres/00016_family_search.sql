-- +goose Up
-- Relatives found by name in any romanization or in Hangul, as missing persons are (00013):
-- family_members.search_names holds homeward.FamilySearchNames, filled on every write and for
-- older rows when the store opens; a trigram index on it when pg_trgm is available.
ALTER TABLE family_members ADD COLUMN search_names TEXT NOT NULL DEFAULT '';
-- +goose StatementBegin
DO $$
DECLARE s text;
BEGIN
	SELECT n.nspname INTO s FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm';
	IF s IS NULL THEN
		RAISE NOTICE 'pg_trgm is not available: relative search will scan';
		RETURN;
	END IF;
	EXECUTE format('CREATE INDEX family_members_search_names_trgm ON family_members USING gin (search_names %I.gin_trgm_ops)', s);
END $$;
-- +goose StatementEnd

-- +goose Down
DROP INDEX IF EXISTS family_members_search_names_trgm;
ALTER TABLE family_members DROP COLUMN search_names;
