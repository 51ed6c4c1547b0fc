/* account.c: the rules of accounts and their secrets (account.h). */
#include "account/account.h"

#include "core/catalog.h"

#include <errno.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <glib.h>
#include <sodium.h>

#include "account/totp.h"
#include "core/values.h"

const char *const account_roles[] = {"editor", "reviewer", "manager", NULL};

/* The gate of password hashing: at most slots at once. */
static struct {
	GMutex lock;
	GCond freed;
	unsigned slots, busy;
} gate;

unsigned account_hash_slots(void)
{
	return gate.slots;
}

bool account_init(void)
{
	if (sodium_init() < 0 || !totp_init())
		return false;
	g_mutex_lock(&gate.lock);
	if (!gate.slots) {
		/*
		 * One core stays for serving: Argon2id takes a core for tens of
		 * milliseconds, and a login storm must not starve the public site.
		 */
		unsigned cores = g_get_num_processors();
		gate.slots = cores > 1 ? cores - 1 : 1;
	}
	g_mutex_unlock(&gate.lock);
	return true;
}

/* Takes a slot of the gate, and lowers this thread's priority while it hashes. */
static int gate_enter(void)
{
	g_mutex_lock(&gate.lock);
	while (gate.busy >= gate.slots)
		g_cond_wait(&gate.freed, &gate.lock);
	gate.busy++;
	g_mutex_unlock(&gate.lock);
	pid_t tid = (pid_t)syscall(SYS_gettid);
	errno = 0;
	int before = getpriority(PRIO_PROCESS, (id_t)tid);
	if (errno == 0 && setpriority(PRIO_PROCESS, (id_t)tid, 10) != 0)
		before = -100; /* not lowered: nothing to restore */
	return before;
}

static void gate_leave(int before)
{
	/* raising back needs no privilege only up to where it was; failure leaves it lowered */
	if (before != -100)
		(void)setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), before);
	g_mutex_lock(&gate.lock);
	gate.busy--;
	g_cond_signal(&gate.freed);
	g_mutex_unlock(&gate.lock);
}

bool account_email_normal(const char *email, struct arena *a, const char **out, const char **problem)
{
	if (!email || !*email) {
		*problem = N_("an e-mail address is required");
		return false;
	}
	char *trimmed = g_strstrip(g_strdup(email));
	char *lower = g_utf8_strdown(trimmed, -1);
	g_free(trimmed);
	bool ok = strlen(lower) <= 254 && value_is_email(lower) && value_length(lower) > 0;
	if (ok)
		*out = arena_strdup(a, lower);
	else
		*problem = N_("not an e-mail address: expected local@domain");
	g_free(lower);
	return ok;
}

const char *account_name_problem(const char *name)
{
	if (!name || !g_utf8_validate(name, -1, NULL) || !*name || value_length(name) > 200)
		return N_("a name of 1 to 200 characters is required");
	return NULL;
}

const char *account_password_problem(const char *password)
{
	if (!password || !g_utf8_validate(password, -1, NULL))
		return N_("a password must be text");
	if (strlen(password) > ACCOUNT_PASSWORD_MAX)
		return N_("a password may have at most 1000 bytes");
	if (g_utf8_strlen(password, -1) < ACCOUNT_PASSWORD_MIN)
		return N_("a password needs at least 12 characters");
	return NULL;
}

bool account_password_hash(const char *password, char out[ACCOUNT_PWHASH_LEN])
{
	G_STATIC_ASSERT(crypto_pwhash_STRBYTES == ACCOUNT_PWHASH_LEN);
	int before = gate_enter();
	int rc = crypto_pwhash_str_alg(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
				       crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13);
	gate_leave(before);
	return rc == 0;
}

/* A hash of a password nobody has, made once: what an unknown account is checked against. */
static const char *dummy_hash(void)
{
	static gsize done;
	static char hash[ACCOUNT_PWHASH_LEN];
	if (g_once_init_enter(&done)) {
		char secret[ACCOUNT_SECRET_LEN + 1];
		account_secret_new(secret);
		if (!account_password_hash(secret, hash))
			g_error("cannot hash a password: out of memory");
		g_once_init_leave(&done, 1);
	}
	return hash;
}

bool account_password_verify(const char *hash, const char *password)
{
	const char *against = hash && *hash ? hash : dummy_hash();
	if (!password || strlen(password) > ACCOUNT_PASSWORD_MAX)
		password = "";
	int before = gate_enter();
	int rc = crypto_pwhash_str_verify(against, password, strlen(password));
	gate_leave(before);
	return rc == 0 && against != dummy_hash();
}

void account_secret_new(char out[ACCOUNT_SECRET_LEN + 1])
{
	unsigned char bits[32];
	randombytes_buf(bits, sizeof bits);
	sodium_bin2base64(out, ACCOUNT_SECRET_LEN + 1, bits, sizeof bits,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(bits, sizeof bits);
}

bool account_secret_shape(const char *text)
{
	if (!text || strlen(text) != ACCOUNT_SECRET_LEN)
		return false;
	for (const char *p = text; *p; p++)
		if (!g_ascii_isalnum(*p) && *p != '-' && *p != '_')
			return false;
	return true;
}

void account_secret_hash(const char *secret, char out[ACCOUNT_HASH_LEN + 1])
{
	unsigned char h[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)secret, strlen(secret), NULL, 0);
	sodium_bin2hex(out, ACCOUNT_HASH_LEN + 1, h, sizeof h);
}

void account_csrf_token(const char *session, char out[ACCOUNT_SECRET_LEN + 1])
{
	/* keyed with a constant: a different hash from the stored one, so neither reveals the other */
	static const unsigned char key[crypto_generichash_KEYBYTES] = "podium csrf token of a session";
	unsigned char h[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)session, strlen(session), key, sizeof key);
	sodium_bin2base64(out, ACCOUNT_SECRET_LEN + 1, h, sizeof h, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

bool account_csrf_matches(const char *session, const char *token)
{
	if (!session || !token || strlen(token) != ACCOUNT_SECRET_LEN)
		return false;
	char want[ACCOUNT_SECRET_LEN + 1];
	account_csrf_token(session, want);
	return sodium_memcmp(want, token, ACCOUNT_SECRET_LEN) == 0;
}
