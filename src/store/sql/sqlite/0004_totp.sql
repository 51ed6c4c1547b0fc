-- 0004_totp.sql: two-factor sign-in with TOTP (RFC 6238). An account's
-- secret (account.totp_secret, since 0003) is kept while it is being set
-- up in totp_pending, and the last time step a code was accepted for in
-- totp_step, so that no code works twice. Between the password and the
-- code of a sign-in, the caller holds a ticket (stored as its hash, like
-- every secret) that expires and allows a few tries.

ALTER TABLE account ADD COLUMN totp_pending TEXT;               -- base32; NULL: none being set up
ALTER TABLE account ADD COLUMN totp_step INTEGER NOT NULL DEFAULT 0;

CREATE TABLE login_ticket (
	hash       TEXT PRIMARY KEY,
	account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
	expires_at INTEGER NOT NULL,
	tries      INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX login_ticket_account ON login_ticket(account_id);
