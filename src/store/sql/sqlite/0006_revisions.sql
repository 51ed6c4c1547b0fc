-- 0006_revisions.sql: the newsroom's revisions (issue 15). Every text an
-- article was saved with, and every step of its review, one row each, kept
-- by the program and the article's key (an article's row is written anew
-- whenever its program is, so its id does not last). A pending revision is
-- the text of an editor's change to a published article: it is not the
-- article's row until a reviewer publishes it. Instants are UTC seconds.

CREATE TABLE article_revision (
	id            INTEGER PRIMARY KEY,
	program_id    INTEGER NOT NULL REFERENCES program(id) ON DELETE CASCADE,
	article_key   TEXT NOT NULL,
	language      TEXT,                      -- the version's tag; NULL: the article's own text
	number        INTEGER NOT NULL,          -- 1, 2, ... per article
	step          TEXT NOT NULL CHECK (step IN ('save', 'submit', 'publish', 'schedule', 'return', 'unpublish')),
	status        TEXT NOT NULL CHECK (status IN ('draft', 'in-review', 'published')),
	pending       INTEGER NOT NULL CHECK (pending IN (0, 1)),
	title         TEXT NOT NULL,
	body_markdown TEXT NOT NULL,
	made_at       INTEGER NOT NULL,
	made_by       TEXT NOT NULL,             -- the account's e-mail, or "cli:USER"
	made_by_person TEXT,                     -- the key of the person linked to that account
	comment       TEXT,                      -- a return's comment to the writer
	UNIQUE (program_id, article_key, number)
) STRICT;

-- An article's versions in other languages (docs/exchange-format.md), kept
-- as the canonical JSON object export writes, like the other records'
-- translations (0005): NULL when it has none.
ALTER TABLE article ADD COLUMN translations TEXT;

-- When a reviewed article in review goes public by itself (UTC seconds;
-- NULL: when a reviewer publishes it). The server publishes what is due.
ALTER TABLE article ADD COLUMN publish_at INTEGER;
