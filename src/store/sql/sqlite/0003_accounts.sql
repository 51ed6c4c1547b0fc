-- 0003_accounts.sql: the back office's accounts, their roles per program,
-- sign-in sessions, API tokens and password reset links (each secret stored
-- only as its hash: hex BLAKE2b-256), and the audit log.
-- Instants are UTC seconds since the epoch.

CREATE TABLE account (
	id            INTEGER PRIMARY KEY,
	email         TEXT NOT NULL UNIQUE,  -- lowercased
	name          TEXT NOT NULL,
	password_hash TEXT,                  -- libsodium's Argon2id string; NULL: no sign-in yet
	admin         INTEGER NOT NULL DEFAULT 0 CHECK (admin IN (0, 1)),
	disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
	person_id     INTEGER REFERENCES person(id),
	totp_secret   TEXT,                  -- base32; NULL: no second factor
	created_at    INTEGER NOT NULL,
	changed_at    INTEGER NOT NULL
) STRICT;
CREATE INDEX account_person ON account(person_id);

CREATE TABLE account_role (
	account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
	program_id INTEGER NOT NULL REFERENCES program(id) ON DELETE CASCADE,
	role       TEXT NOT NULL CHECK (role IN ('manager', 'editor', 'reviewer')),
	PRIMARY KEY (account_id, program_id, role)
) STRICT;
CREATE INDEX account_role_program ON account_role(program_id);

CREATE TABLE login_session (
	hash       TEXT PRIMARY KEY,
	account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
	created_at INTEGER NOT NULL,
	seen_at    INTEGER NOT NULL
) STRICT;
CREATE INDEX login_session_account ON login_session(account_id);

CREATE TABLE api_token (
	id         INTEGER PRIMARY KEY,
	account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
	name       TEXT NOT NULL,
	hash       TEXT NOT NULL UNIQUE,
	created_at INTEGER NOT NULL,
	used_at    INTEGER
) STRICT;
CREATE INDEX api_token_account ON api_token(account_id);

CREATE TABLE password_reset (
	hash       TEXT PRIMARY KEY,
	account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
	expires_at INTEGER NOT NULL
) STRICT;
CREATE INDEX password_reset_account ON password_reset(account_id);

-- Who did what to which record when. The actor and program are kept as
-- text, as they were, so that the log outlives what it names.
CREATE TABLE audit (
	id      INTEGER PRIMARY KEY,
	at      INTEGER NOT NULL,
	actor   TEXT NOT NULL,  -- an account's e-mail, or "cli:USER"
	program TEXT,           -- the program's slug, when the record is in one
	action  TEXT NOT NULL,  -- import, create, update, delete, grant, revoke, sign-in...
	record  TEXT NOT NULL,  -- what: "program malaysia-hightech-2021", "account a@b.org"
	fields  TEXT            -- JSON: the fields changed, or counts; never secrets
) STRICT;
CREATE INDEX audit_program ON audit(program, id);
CREATE INDEX audit_actor ON audit(actor, id);
