-- 0003_accounts.sql (PostgreSQL, as sql/sqlite/): the back office's accounts, their roles per program,
-- sign-in sessions, API tokens and password reset links (each secret stored
-- only as its hash: hex BLAKE2b-256), and the audit log.
-- Instants are UTC seconds since the epoch.

CREATE TABLE account (
	id            bigint PRIMARY KEY,
	email         text COLLATE "C" NOT NULL UNIQUE,  -- lowercased
	name          text COLLATE "C" NOT NULL,
	password_hash text COLLATE "C",                  -- libsodium's Argon2id string; NULL: no sign-in yet
	admin         bigint NOT NULL DEFAULT 0 CHECK (admin IN (0, 1)),
	disabled      bigint NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
	person_id     bigint REFERENCES person(id) DEFERRABLE,
	totp_secret   text COLLATE "C",                  -- base32; NULL: no second factor
	created_at    bigint NOT NULL,
	changed_at    bigint NOT NULL
);
CREATE INDEX account_person ON account(person_id);

CREATE TABLE account_role (
	account_id bigint NOT NULL REFERENCES account(id) ON DELETE CASCADE DEFERRABLE,
	program_id bigint NOT NULL REFERENCES program(id) ON DELETE CASCADE DEFERRABLE,
	role       text COLLATE "C" NOT NULL CHECK (role IN ('manager', 'editor', 'reviewer')),
	PRIMARY KEY (account_id, program_id, role)
);
CREATE INDEX account_role_program ON account_role(program_id);

CREATE TABLE login_session (
	hash       text COLLATE "C" PRIMARY KEY,
	account_id bigint NOT NULL REFERENCES account(id) ON DELETE CASCADE DEFERRABLE,
	created_at bigint NOT NULL,
	seen_at    bigint NOT NULL
);
CREATE INDEX login_session_account ON login_session(account_id);

CREATE TABLE api_token (
	id         bigint PRIMARY KEY,
	account_id bigint NOT NULL REFERENCES account(id) ON DELETE CASCADE DEFERRABLE,
	name       text COLLATE "C" NOT NULL,
	hash       text COLLATE "C" NOT NULL UNIQUE,
	created_at bigint NOT NULL,
	used_at    bigint
);
CREATE INDEX api_token_account ON api_token(account_id);

CREATE TABLE password_reset (
	hash       text COLLATE "C" PRIMARY KEY,
	account_id bigint NOT NULL REFERENCES account(id) ON DELETE CASCADE DEFERRABLE,
	expires_at bigint NOT NULL
);
CREATE INDEX password_reset_account ON password_reset(account_id);

-- Who did what to which record when. The actor and program are kept as
-- text, as they were, so that the log outlives what it names.
CREATE TABLE audit (
	id      bigint PRIMARY KEY,
	at      bigint NOT NULL,
	actor   text COLLATE "C" NOT NULL,  -- an account's e-mail, or "cli:USER"
	program text COLLATE "C",           -- the program's slug, when the record is in one
	action  text COLLATE "C" NOT NULL,  -- import, create, update, delete, grant, revoke, sign-in...
	record  text COLLATE "C" NOT NULL,  -- what: "program malaysia-hightech-2021", "account a@b.org"
	fields  text COLLATE "C"            -- JSON: the fields changed, or counts; never secrets
);
CREATE INDEX audit_program ON audit(program, id);
CREATE INDEX audit_actor ON audit(actor, id);
