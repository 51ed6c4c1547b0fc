-- 0008_blob_chunks.sql (PostgreSQL, as sql/sqlite/): a large blob is kept
-- in parts, blob.data first, then the rows of blob_chunk in order of seq;
-- blob.chunks counts them.

ALTER TABLE blob ADD COLUMN chunks bigint NOT NULL DEFAULT 0;

CREATE TABLE blob_chunk (
	hash text COLLATE "C" NOT NULL REFERENCES blob(hash) DEFERRABLE,
	seq  bigint NOT NULL,
	data bytea NOT NULL,
	PRIMARY KEY (hash, seq)
);
