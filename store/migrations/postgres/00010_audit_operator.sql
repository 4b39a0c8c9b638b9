-- +goose Up
-- Who really made a change that did not come through a credential: a local CLI run records its
-- operating-system account and host here, beside the user it acted as (--as).
ALTER TABLE audit_log ADD COLUMN operator TEXT;

-- +goose Down
ALTER TABLE audit_log DROP COLUMN operator;
