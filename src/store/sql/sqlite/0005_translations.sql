-- 0005_translations.sql: the translations member of
-- podium-program/1 (docs/exchange-format.md): a record's texts in other
-- languages, kept with the record as the canonical JSON object that export
-- writes ({"zh":{"name":"..."}}, tags sorted); NULL when it has none. Read
-- with the row, so that a page in any language costs no more statements.

ALTER TABLE organization ADD COLUMN translations TEXT;
ALTER TABLE person ADD COLUMN translations TEXT;
ALTER TABLE program ADD COLUMN translations TEXT;
ALTER TABLE phase ADD COLUMN translations TEXT;
ALTER TABLE venue ADD COLUMN translations TEXT;
ALTER TABLE session ADD COLUMN translations TEXT;
ALTER TABLE item ADD COLUMN translations TEXT;
