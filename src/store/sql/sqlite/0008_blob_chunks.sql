-- 0008_blob_chunks.sql: a large blob (a photo's original may be tens of
-- MiB) is kept in parts, so that neither a write nor a read ever holds it
-- whole in memory. blob.data is its first part; the others, in order of
-- seq (1, 2, ...), are rows of blob_chunk; blob.chunks counts them (0: the
-- blob is data alone, as every blob written before this migration).

ALTER TABLE blob ADD COLUMN chunks INTEGER NOT NULL DEFAULT 0;

CREATE TABLE blob_chunk (
	hash TEXT NOT NULL REFERENCES blob(hash),
	seq  INTEGER NOT NULL,  -- 1, 2, ...: the part's place after blob.data
	data BLOB NOT NULL,
	PRIMARY KEY (hash, seq)
) STRICT;
