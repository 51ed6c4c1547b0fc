-- 0004_totp.sql (PostgreSQL, as sql/sqlite/): two-factor sign-in with TOTP
-- (RFC 6238). An account's secret (account.totp_secret, since 0003) is kept
-- while it is being set up in totp_pending, and the last time step a code
-- was accepted for in totp_step, so that no code works twice. Between the
-- password and the code of a sign-in, the caller holds a ticket (stored as
-- its hash, like every secret) that expires and allows a few tries.

ALTER TABLE account ADD COLUMN totp_pending text COLLATE "C";   -- base32; NULL: none being set up
ALTER TABLE account ADD COLUMN totp_step bigint NOT NULL DEFAULT 0;

CREATE TABLE login_ticket (
	hash       text COLLATE "C" PRIMARY KEY,
	account_id bigint NOT NULL REFERENCES account(id) ON DELETE CASCADE DEFERRABLE,
	expires_at bigint NOT NULL,
	tries      bigint NOT NULL DEFAULT 0
);
CREATE INDEX login_ticket_account ON login_ticket(account_id);
