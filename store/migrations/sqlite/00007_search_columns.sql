-- +goose Up
-- The registry is searched by unit, date of loss and incident date: columns kept from the record.
ALTER TABLE missing_persons ADD COLUMN unit TEXT NOT NULL DEFAULT '';
ALTER TABLE missing_persons ADD COLUMN date_of_loss TEXT NOT NULL DEFAULT '';
UPDATE missing_persons SET unit = COALESCE(json_extract(data, '$.unit'), ''), date_of_loss = COALESCE(json_extract(data, '$.date_of_loss'), '');
CREATE INDEX missing_persons_date_of_loss ON missing_persons(date_of_loss);
ALTER TABLE incidents ADD COLUMN date TEXT NOT NULL DEFAULT '';
UPDATE incidents SET date = COALESCE(json_extract(data, '$.date'), '');

-- +goose Down
DROP INDEX missing_persons_date_of_loss;
ALTER TABLE missing_persons DROP COLUMN unit;
ALTER TABLE missing_persons DROP COLUMN date_of_loss;
ALTER TABLE incidents DROP COLUMN date;
