-- 0007_photos.sql: the files of photos, kept in the database like Fossil
-- keeps everything in its repository (docs/design.md), so that a backup,
-- podium copy and every node on PostgreSQL have them. A blob is named by
-- the SHA-256 of its bytes (lower-case hex): the same bytes are kept once.
-- A photo's file is its original, decoded whole, turned upright and
-- stripped of its metadata; its renditions (480, 960 and 1920 wide, never
-- wider than the original, WebP and JPEG) are blobs too, found by the
-- original's hash. alt is the photo's alt text (NULL: its caption).

CREATE TABLE blob (
	hash         TEXT PRIMARY KEY,  -- SHA-256 of data, lower-case hex
	content_type TEXT NOT NULL,     -- image/jpeg, image/png, image/webp
	width        INTEGER,           -- an image's pixels; NULL for other files
	height       INTEGER,
	data         BLOB NOT NULL
) STRICT;

CREATE TABLE rendition (
	original TEXT NOT NULL REFERENCES blob(hash),
	size     INTEGER NOT NULL,  -- the nominal width: 480, 960, 1920
	format   TEXT NOT NULL,     -- webp, jpeg
	hash     TEXT NOT NULL REFERENCES blob(hash),
	PRIMARY KEY (original, size, format)
) STRICT;
CREATE INDEX rendition_hash ON rendition(hash);

ALTER TABLE photo ADD COLUMN file TEXT REFERENCES blob(hash);
ALTER TABLE photo ADD COLUMN alt TEXT;
CREATE INDEX photo_file ON photo(file);
