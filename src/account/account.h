/*
 * account.h: the accounts of the back office and the secrets they hold.
 * The rules of an account (its e-mail, its password), and every secret made
 * and checked here: passwords hashed with Argon2id (libsodium), session
 * ids, API tokens and reset links (256 random bits, stored only as their
 * BLAKE2b hash), CSRF tokens derived from a session. No store, no web.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"

enum {
	ACCOUNT_PASSWORD_MIN = 12,   /* characters (code points) */
	ACCOUNT_PASSWORD_MAX = 1000, /* bytes: longer is refused before hashing */
	ACCOUNT_SECRET_LEN = 43,     /* a secret's text: 256 bits in unpadded base64url */
	ACCOUNT_HASH_LEN = 64,       /* a secret's stored hash: hex BLAKE2b-256 */
	ACCOUNT_PWHASH_LEN = 128,    /* libsodium's crypto_pwhash_STRBYTES */
	ACCOUNT_RESET_SECONDS = 86400, /* how long a password reset link works */
};

/* The roles an account may hold in a program, in the order of power. */
extern const char *const account_roles[]; /* "editor", "reviewer", "manager", NULL */

struct account {
	int64_t id;
	const char *email;         /* lowercased */
	const char *name;
	const char *person;        /* the linked person's key, or NULL */
	const char *password_hash; /* NULL: cannot sign in yet */
	bool admin, disabled;
	int64_t created_at, changed_at;
	const char *totp_secret;   /* two-factor sign-in: base32 secret, NULL when off */
	const char *totp_pending;  /* a secret being set up, NULL when none */
	int64_t totp_step;         /* the last time step a code was taken for (none twice) */
};

/* A role held: role in program slug. */
struct account_role {
	const char *role, *slug;
};
typedef ARRAY(struct account_role) account_roles_list;

/* Starts libsodium and sizes the hashing gate; false when libsodium cannot start. */
bool account_init(void);

/*
 * The e-mail as accounts keep it (lowercased, trimmed) in *out (arena
 * copy); false with *problem (a static message) when it is not one.
 */
bool account_email_normal(const char *email, struct arena *a, const char **out, const char **problem);
/* NULL when name is an account's name (1 to 200 characters), else what is wrong (a static message). */
const char *account_name_problem(const char *name);
/* NULL when password is acceptable, else what is wrong with it (a static message). */
const char *account_password_problem(const char *password);

/*
 * Hashes password into out (Argon2id, libsodium's string form). At most
 * account_hash_slots() hashes run at once in the process, at a lower CPU
 * priority than serving: others wait their turn. false when out of memory.
 */
bool account_password_hash(const char *password, char out[ACCOUNT_PWHASH_LEN]);
/*
 * true when password matches hash. hash NULL (an unknown account) costs the
 * same time as a real check and is false: both failures look alike.
 */
bool account_password_verify(const char *hash, const char *password);
/* How many password hashes may run at once. */
unsigned account_hash_slots(void);

/* A new secret: 256 random bits as ACCOUNT_SECRET_LEN characters of [A-Za-z0-9_-], NUL-terminated. */
void account_secret_new(char out[ACCOUNT_SECRET_LEN + 1]);
/* true when text has the shape of a secret (so that nothing else is hashed and looked up). */
bool account_secret_shape(const char *text);
/* The stored form of a secret: hex BLAKE2b-256, NUL-terminated. */
void account_secret_hash(const char *secret, char out[ACCOUNT_HASH_LEN + 1]);
/* The CSRF token of the session whose secret is session: a keyed hash of it, base64url. */
void account_csrf_token(const char *session, char out[ACCOUNT_SECRET_LEN + 1]);
/* true when token is the CSRF token of session, compared in constant time. */
bool account_csrf_matches(const char *session, const char *token);
