-- +goose Up
-- Name and service-number search over missing persons by substring, served by trigram indexes
-- (pg_trgm) on the very expressions the search compares. Where the operator does not allow the
-- extension, the migration says so and the search scans as before.
-- +goose StatementBegin
DO $$
DECLARE s text;
BEGIN
	BEGIN
		CREATE EXTENSION IF NOT EXISTS pg_trgm;
	EXCEPTION WHEN insufficient_privilege OR undefined_file OR feature_not_supported THEN
		RAISE NOTICE 'pg_trgm is not available: person search will scan';
		RETURN;
	END;
	SELECT n.nspname INTO s FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm';
	EXECUTE format('CREATE INDEX missing_persons_family_trgm ON missing_persons USING gin (LOWER(family_name) %I.gin_trgm_ops)', s);
	EXECUTE format('CREATE INDEX missing_persons_given_trgm ON missing_persons USING gin (LOWER(given_names) %I.gin_trgm_ops)', s);
	EXECUTE format('CREATE INDEX missing_persons_service_trgm ON missing_persons USING gin (LOWER(COALESCE(service_number, %L)) %I.gin_trgm_ops)', '', s);
END $$;
-- +goose StatementEnd

-- +goose Down
DROP INDEX IF EXISTS missing_persons_service_trgm;
DROP INDEX IF EXISTS missing_persons_given_trgm;
DROP INDEX IF EXISTS missing_persons_family_trgm;
