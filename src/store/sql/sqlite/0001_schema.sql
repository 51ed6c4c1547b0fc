-- 0001_schema.sql: the data model of podium-program/1, one table per entity.
-- Instants are UTC seconds since the epoch; the program row holds the IANA
-- zone they are shown in. Dates are 'YYYY-MM-DD' text. Ordered children keep
-- the order they were imported in through a position column.

CREATE TABLE setting (
	name  TEXT PRIMARY KEY,
	value TEXT NOT NULL
) STRICT;

CREATE TABLE organization (
	id         INTEGER PRIMARY KEY,
	key        TEXT NOT NULL UNIQUE,
	name       TEXT NOT NULL,
	short_name TEXT,
	country    TEXT,
	kind       TEXT,
	parent_id  INTEGER REFERENCES organization(id)
) STRICT;
CREATE INDEX organization_parent ON organization(parent_id);

CREATE TABLE person (
	id              INTEGER PRIMARY KEY,
	key             TEXT NOT NULL UNIQUE,
	name            TEXT NOT NULL,
	honorific       TEXT,
	position        TEXT,
	organization_id INTEGER REFERENCES organization(id),
	country         TEXT,
	email           TEXT
) STRICT;
CREATE INDEX person_organization ON person(organization_id);

CREATE TABLE program (
	id           INTEGER PRIMARY KEY,
	slug         TEXT NOT NULL UNIQUE,
	title        TEXT NOT NULL,
	kind         TEXT NOT NULL,
	mode         TEXT NOT NULL,
	timezone     TEXT NOT NULL,
	starts_on    TEXT NOT NULL,
	ends_on      TEXT NOT NULL,
	host_id      INTEGER NOT NULL REFERENCES organization(id),
	organizer_id INTEGER NOT NULL REFERENCES organization(id),
	capacity     INTEGER,
	summary      TEXT
) STRICT;
CREATE INDEX program_host ON program(host_id);
CREATE INDEX program_organizer ON program(organizer_id);

CREATE TABLE program_country (
	program_id INTEGER NOT NULL REFERENCES program(id) ON DELETE CASCADE,
	position   INTEGER NOT NULL,
	country    TEXT NOT NULL,
	PRIMARY KEY (program_id, position),
	UNIQUE (program_id, country)
) STRICT, WITHOUT ROWID;

CREATE TABLE program_language (
	program_id INTEGER NOT NULL REFERENCES program(id) ON DELETE CASCADE,
	position   INTEGER NOT NULL,
	language   TEXT NOT NULL,
	PRIMARY KEY (program_id, position),
	UNIQUE (program_id, language)
) STRICT, WITHOUT ROWID;

CREATE TABLE phase (
	id         INTEGER PRIMARY KEY,
	program_id INTEGER NOT NULL REFERENCES program(id) ON DELETE CASCADE,
	position   INTEGER NOT NULL,
	phase      TEXT NOT NULL,
	title      TEXT NOT NULL,
	status     TEXT NOT NULL,
	due        TEXT,
	notes      TEXT,
	UNIQUE (program_id, position)
) STRICT;

CREATE TABLE venue (
	id         INTEGER PRIMARY KEY,
	program_id INTEGER NOT NULL REFERENCES program(id) ON DELETE CASCADE,
	position   INTEGER NOT NULL,
	key        TEXT NOT NULL,
	name       TEXT NOT NULL,
	kind       TEXT NOT NULL,
	address    TEXT,
	url        TEXT,
	capacity   INTEGER,
	UNIQUE (program_id, key),
	UNIQUE (program_id, position)
) STRICT;

CREATE TABLE enrolment (
	id         INTEGER PRIMARY KEY,
	program_id INTEGER NOT NULL REFERENCES program(id) ON DELETE CASCADE,
	position   INTEGER NOT NULL,
	person_id  INTEGER NOT NULL REFERENCES person(id),
	role       TEXT NOT NULL,
	status     TEXT NOT NULL,
	UNIQUE (program_id, person_id),
	UNIQUE (program_id, position)
) STRICT;
CREATE INDEX enrolment_person ON enrolment(person_id);

CREATE TABLE session (
	id          INTEGER PRIMARY KEY,
	program_id  INTEGER NOT NULL REFERENCES program(id) ON DELETE CASCADE,
	position    INTEGER NOT NULL,
	key         TEXT NOT NULL,
	title       TEXT NOT NULL,
	kind        TEXT NOT NULL,
	starts_at   INTEGER NOT NULL,
	ends_at     INTEGER NOT NULL,
	description TEXT,
	UNIQUE (program_id, key),
	UNIQUE (program_id, position)
) STRICT;
CREATE INDEX session_starts ON session(program_id, starts_at);

CREATE TABLE session_venue (
	session_id INTEGER NOT NULL REFERENCES session(id) ON DELETE CASCADE,
	position   INTEGER NOT NULL,
	venue_id   INTEGER NOT NULL REFERENCES venue(id) ON DELETE CASCADE,
	PRIMARY KEY (session_id, position),
	UNIQUE (session_id, venue_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX session_venue_venue ON session_venue(venue_id);

CREATE TABLE session_attendee (
	session_id INTEGER NOT NULL REFERENCES session(id) ON DELETE CASCADE,
	position   INTEGER NOT NULL,
	person_id  INTEGER NOT NULL REFERENCES person(id),
	PRIMARY KEY (session_id, position),
	UNIQUE (session_id, person_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX session_attendee_person ON session_attendee(person_id);

CREATE TABLE item (
	id                     INTEGER PRIMARY KEY,
	session_id             INTEGER NOT NULL REFERENCES session(id) ON DELETE CASCADE,
	position               INTEGER NOT NULL,
	kind                   TEXT NOT NULL,
	speaker_id             INTEGER NOT NULL REFERENCES person(id),
	title                  TEXT NOT NULL,
	on_behalf_of_person_id INTEGER REFERENCES person(id),
	on_behalf_of_text      TEXT,
	UNIQUE (session_id, position),
	CHECK (on_behalf_of_person_id IS NULL OR on_behalf_of_text IS NULL)
) STRICT;
CREATE INDEX item_speaker ON item(speaker_id);
CREATE INDEX item_on_behalf_of ON item(on_behalf_of_person_id);

CREATE TABLE article (
	id                 INTEGER PRIMARY KEY,
	program_id         INTEGER NOT NULL REFERENCES program(id) ON DELETE CASCADE,
	position           INTEGER NOT NULL,
	key                TEXT NOT NULL,
	section            TEXT NOT NULL,
	title              TEXT NOT NULL,
	created_on         TEXT NOT NULL,
	language           TEXT NOT NULL,
	status             TEXT NOT NULL,
	body_markdown      TEXT NOT NULL,
	written_by_id      INTEGER REFERENCES person(id),
	photographed_by_id INTEGER REFERENCES person(id),
	reviewed_by_id     INTEGER REFERENCES person(id),
	UNIQUE (program_id, key),
	UNIQUE (program_id, position)
) STRICT;
CREATE INDEX article_written_by ON article(written_by_id);
CREATE INDEX article_photographed_by ON article(photographed_by_id);
CREATE INDEX article_reviewed_by ON article(reviewed_by_id);

CREATE TABLE photo (
	id         INTEGER PRIMARY KEY,
	article_id INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,
	position   INTEGER NOT NULL,
	key        TEXT NOT NULL,
	caption    TEXT NOT NULL,
	UNIQUE (article_id, key),
	UNIQUE (article_id, position)
) STRICT;
