-- +goose Up
-- Names found by any romanization: missing_persons.search_names holds the search keys the domain
-- derives from a person's names (homeward.SearchNames), filled by the store on every write and for
-- older rows when it opens; a trigram index on it when pg_trgm is available (as in 00009).
ALTER TABLE missing_persons ADD COLUMN search_names TEXT NOT NULL DEFAULT '';
-- +goose StatementBegin
DO $$
DECLARE s text;
BEGIN
	SELECT n.nspname INTO s FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm';
	IF s IS NULL THEN
		RAISE NOTICE 'pg_trgm is not available: name search will scan';
		RETURN;
	END IF;
	EXECUTE format('CREATE INDEX missing_persons_search_names_trgm ON missing_persons USING gin (search_names %I.gin_trgm_ops)', s);
END $$;
-- +goose StatementEnd

-- +goose Down
DROP INDEX IF EXISTS missing_persons_search_names_trgm;
ALTER TABLE missing_persons DROP COLUMN search_names;
