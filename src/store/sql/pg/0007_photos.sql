-- 0007_photos.sql (PostgreSQL, as sql/sqlite/): the files of photos, kept
-- in the database by the SHA-256 of their bytes; a photo's file (its
-- stripped original) and alt text, and the renditions of each original.

CREATE TABLE blob (
	hash         text COLLATE "C" PRIMARY KEY,  -- SHA-256 of data, lower-case hex
	content_type text COLLATE "C" NOT NULL,
	width        bigint,
	height       bigint,
	data         bytea NOT NULL
);

CREATE TABLE rendition (
	original text COLLATE "C" NOT NULL REFERENCES blob(hash) DEFERRABLE,
	size     bigint NOT NULL,
	format   text COLLATE "C" NOT NULL,
	hash     text COLLATE "C" NOT NULL REFERENCES blob(hash) DEFERRABLE,
	PRIMARY KEY (original, size, format)
);
CREATE INDEX rendition_hash ON rendition(hash);

ALTER TABLE photo ADD COLUMN file text COLLATE "C" REFERENCES blob(hash) DEFERRABLE;
ALTER TABLE photo ADD COLUMN alt text COLLATE "C";
CREATE INDEX photo_file ON photo(file);
