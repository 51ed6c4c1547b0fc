/*
 * signin.c: signing in (a password, then a code when two-factor sign-in is
 * on) and out; and the dispatcher's questions about accounts (struct
 * auth): who is calling (session cookie or API token), whether they hold a
 * role, whether a form's CSRF token is theirs. Also what the other account
 * pages share: the account settings, sessions, the throttle of failed
 * sign-ins, audited writes.
 */
#include "account/signin.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "account/totp.h"
#include "core/report.h"
#include "core/values.h"
#include "html/view.h"
#include "settings/settings.h"

enum {
	SESSION_TOUCH_SECONDS = 60,   /* a session's last use is written at most once a minute */
	THROTTLE_WINDOW = 900,        /* failures are counted over 15 minutes */
	TICKET_SECONDS = 300,         /* between the password and the code of a sign-in */
	TICKET_TRIES = 5,             /* wrong codes a ticket takes before it is used up */
};

static const char session_cookie[] = "podium_session";
static const char login_cookie[] = "podium_login"; /* before a session: the sign-in form's CSRF */

/* The account settings, read once from the database the server serves. */
static struct {
	gsize loaded;
	long long idle, absolute, https, max_account_failures, max_address_failures, admin_totp;
} config;

bool signin_config_load(struct store *s)
{
	if (g_once_init_enter(&config.loaded)) {
		bool ok = settings_get(s, "accounts.session_idle_seconds", &config.idle) == STORE_OK &&
			  settings_get(s, "accounts.session_max_seconds", &config.absolute) == STORE_OK &&
			  settings_get(s, "server.https", &config.https) == STORE_OK &&
			  settings_get(s, "accounts.max_failures_per_account", &config.max_account_failures) ==
				  STORE_OK &&
			  settings_get(s, "accounts.max_failures_per_address", &config.max_address_failures) ==
				  STORE_OK &&
			  settings_get(s, "accounts.admin_totp_required", &config.admin_totp) == STORE_OK;
		if (!ok)
			return false; /* tried again on the next request */
		g_once_init_leave(&config.loaded, 1);
	}
	return true;
}

/* ------------------------------------------------------------ failed sign-ins */

/* Failures of sign-in per account and per address, in this process, over THROTTLE_WINDOW. */
static struct {
	GMutex lock;
	GHashTable *failures; /* "a:EMAIL" or "i:ADDRESS" -> struct failures* */
} throttle;

struct failures {
	int count;
	int64_t since;
};

static struct failures *failures_of(const char *key, int64_t now)
{
	if (!throttle.failures)
		throttle.failures = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	struct failures *f = g_hash_table_lookup(throttle.failures, key);
	if (f && now - f->since > THROTTLE_WINDOW) {
		f->count = 0;
		f->since = now;
	}
	if (!f && g_hash_table_size(throttle.failures) >= 100000)
		g_hash_table_remove_all(throttle.failures); /* a flood of names: start again, bounded */
	if (!f) {
		f = g_new0(struct failures, 1);
		f->since = now;
		g_hash_table_insert(throttle.failures, g_strdup(key), f);
	}
	return f;
}

/* The failures so far of email and of address: the larger share of its limit decides. */
static int throttle_count(const char *email, const char *address, int64_t now, bool *refused)
{
	char *ka = g_strconcat("a:", email, NULL), *ki = g_strconcat("i:", address, NULL);
	g_mutex_lock(&throttle.lock);
	int a = failures_of(ka, now)->count, i = failures_of(ki, now)->count;
	g_mutex_unlock(&throttle.lock);
	g_free(ka);
	g_free(ki);
	*refused = a >= config.max_account_failures || i >= config.max_address_failures;
	return MAX(a, i);
}

static void throttle_fail(const char *email, const char *address, int64_t now)
{
	char *ka = g_strconcat("a:", email, NULL), *ki = g_strconcat("i:", address, NULL);
	g_mutex_lock(&throttle.lock);
	failures_of(ka, now)->count++;
	failures_of(ki, now)->count++;
	g_mutex_unlock(&throttle.lock);
	g_free(ka);
	g_free(ki);
}

void signin_forgive(const char *email)
{
	char *ka = g_strconcat("a:", email, NULL);
	g_mutex_lock(&throttle.lock);
	if (throttle.failures)
		g_hash_table_remove(throttle.failures, ka);
	g_mutex_unlock(&throttle.lock);
	g_free(ka);
}

/* ------------------------------------------------------------ the dispatcher's questions */

static void caller_of(struct request *r, const struct account *a)
{
	r->caller.account = a->id;
	r->caller.email = a->email;
	r->caller.name = a->name;
	r->caller.totp = a->totp_secret != NULL;
	/* where the setting asks for it, an admin without a second factor holds no admin rights */
	r->caller.admin = a->admin && (r->caller.totp || !config.admin_totp);
	r->caller.admin_withheld = a->admin && !r->caller.admin;
}

/* Writes that the session was used now (after the answer: outside its read transaction). */
static void session_touch(struct request *r)
{
	char hash[ACCOUNT_HASH_LEN + 1];
	account_secret_hash(r->caller.session, hash);
	if (store_begin_private(r->store) != STORE_OK ||
	    account_store_session_seen(r->store, hash, r->now) != STORE_OK ||
	    store_commit(r->store) != STORE_OK) {
		log_line("%s: cannot note the session's use: %s", r->path, store_error(r->store));
		store_rollback(r->store);
	}
}

static bool identify(struct request *r)
{
	if (!signin_config_load(r->store)) {
		respond_store_error(r, STORE_ERROR, NULL);
		return false;
	}
	struct account a;
	int rc;
	const char *auth = request_header(r, "Authorization");
	if (auth && g_ascii_strncasecmp(auth, "Bearer ", 7) == 0) {
		const char *token = auth + 7;
		if (!account_secret_shape(token))
			return true;
		char hash[ACCOUNT_HASH_LEN + 1];
		account_secret_hash(token, hash);
		rc = account_store_token(r->store, hash, &r->arena, &a);
		if (rc == STORE_ERROR) {
			respond_store_error(r, rc, NULL);
			return false;
		}
		if (rc == STORE_OK && !a.disabled) {
			caller_of(r, &a);
			r->caller.by_token = true;
		}
		return true;
	}
	const char *cookie = request_cookie(r, session_cookie);
	if (!account_secret_shape(cookie))
		return true;
	char hash[ACCOUNT_HASH_LEN + 1];
	account_secret_hash(cookie, hash);
	int64_t created, seen;
	rc = account_store_session(r->store, hash, &r->arena, &a, &created, &seen);
	if (rc == STORE_ERROR) {
		respond_store_error(r, rc, NULL);
		return false;
	}
	if (rc != STORE_OK || a.disabled || r->now - seen > config.idle || r->now - created > config.absolute)
		return true; /* expired sessions are removed at the next sign-in */
	caller_of(r, &a);
	r->caller.session = arena_strdup(&r->arena, cookie);
	if (r->now - seen >= SESSION_TOUCH_SECONDS)
		r->after = session_touch;
	return true;
}

static enum auth_answer allows(struct request *r, enum role role, const char *slug)
{
	const struct caller *c = &r->caller;
	if (role == ROLE_SIGNED_IN)
		return AUTH_ALLOW;
	if (role == ROLE_ADMIN)
		return c->admin ? AUTH_ALLOW : AUTH_DENY;
	if (role == ROLE_STAFF) {
		bool manages = c->admin;
		if (!manages && account_store_manages_any(r->store, c->account, &manages) != STORE_OK)
			return AUTH_ERROR;
		return manages ? AUTH_ALLOW : AUTH_DENY;
	}
	/* a role in the program of the route */
	strv roles = {0};
	bool exists;
	if (!slug || account_store_program_roles(r->store, c->account, slug, &r->arena, &roles, &exists) !=
			     STORE_OK)
		return AUTH_ERROR;
	if (!exists)
		return AUTH_NO_PROGRAM;
	if (c->admin)
		return AUTH_ALLOW;
	const char *needed = role == ROLE_EDITOR ? "editor"
			   : role == ROLE_REVIEWER || role == ROLE_NEWSROOM ? "reviewer" : "manager";
	for (size_t i = 0; i < roles.n; i++)
		if (strcmp(roles.v[i], needed) == 0 || strcmp(roles.v[i], "manager") == 0 || role == ROLE_NEWSROOM)
			return AUTH_ALLOW;
	return AUTH_DENY;
}

/* The pre-session cookie's secret, when the caller has one. */
static const char *login_secret(struct request *r)
{
	const char *secret = request_cookie(r, login_cookie);
	return account_secret_shape(secret) ? secret : NULL;
}

static bool csrf_valid(struct request *r, const char *token)
{
	if (r->caller.session && account_csrf_matches(r->caller.session, token))
		return true;
	const char *secret = login_secret(r);
	return secret && account_csrf_matches(secret, token);
}

static const char *page_csrf(struct request *r);

static bool may_name_someone(struct request *r)
{
	const char *auth = request_header(r, "Authorization");
	if (auth && g_ascii_strncasecmp(auth, "Bearer ", 7) == 0)
		return account_secret_shape(auth + 7);
	return account_secret_shape(request_cookie(r, session_cookie));
}

const struct auth account_auth = {identify, allows, csrf_valid, page_csrf, may_name_someone};

/* ------------------------------------------------------------ pages */

static const char *cookie_secure(struct request *r)
{
	return config.https || r->https ? "; Secure" : "";
}

/* The CSRF token of the forms of a page: the session's, else the pre-session cookie's (made now). */
static const char *page_csrf(struct request *r)
{
	char *token = arena_alloc(&r->arena, ACCOUNT_SECRET_LEN + 1);
	if (r->caller.session) {
		account_csrf_token(r->caller.session, token);
		return token;
	}
	const char *secret = login_secret(r);
	if (!secret) {
		char *made = arena_alloc(&r->arena, ACCOUNT_SECRET_LEN + 1);
		account_secret_new(made);
		char *cookie = g_strdup_printf("%s=%s; Path=/; HttpOnly; SameSite=Lax; Max-Age=3600%s",
					       login_cookie, made, cookie_secure(r));
		respond_set_cookie(r, cookie);
		g_free(cookie);
		secret = made;
	}
	account_csrf_token(secret, token);
	return token;
}

/* A local path to go to after signing in: "/..." but not "//..." nor "/\..."; else /manage. */
static const char *next_of(const char *next)
{
	if (!next || next[0] != '/' || next[1] == '/' || next[1] == '\\' || strlen(next) > 2000)
		return "/manage";
	for (const char *p = next; *p; p++)
		if ((unsigned char)*p < 0x21 || *p == '\\')
			return "/manage";
	return next;
}

static void login_form(struct request *r, int status, const char *email, const char *message)
{
	const char *next = request_form(r, "next");
	if (!next)
		next = request_query(r, "next");
	respond_private_page(r, status, "account/login",
		    json_pack("{s:s,s:s?,s:s?,s:s}", "title", tr(r, "Sign in"), "email", email, "message", message,
			      "next", next_of(next)));
}

static void login_get(struct request *r)
{
	if (!signin_config_load(r->store)) {
		respond_store_error(r, STORE_ERROR, NULL);
		return;
	}
	login_form(r, 200, NULL, NULL);
}

/* Starts a session for account a: a new secret (no fixation), the old session ended. */
bool signin_session_start(struct request *r, const struct account *a)
{
	char secret[ACCOUNT_SECRET_LEN + 1], hash[ACCOUNT_HASH_LEN + 1], old[ACCOUNT_HASH_LEN + 1];
	account_secret_new(secret);
	account_secret_hash(secret, hash);
	const char *previous = request_cookie(r, session_cookie);
	bool had = account_secret_shape(previous);
	if (had)
		account_secret_hash(previous, old);
	int64_t stale = r->now - MIN(config.idle, config.absolute);
	if (store_begin_private(r->store) != STORE_OK ||
	    (had && account_store_session_end(r->store, old) != STORE_OK) ||
	    account_store_sessions_end(r->store, 0, stale) != STORE_OK ||
	    account_store_session_add(r->store, hash, a->id, r->now) != STORE_OK ||
	    store_commit(r->store) != STORE_OK) {
		store_rollback(r->store);
		respond_store_error(r, STORE_ERROR, NULL);
		return false;
	}
	char *cookie = g_strdup_printf("%s=%s; Path=/; HttpOnly; SameSite=Lax; Max-Age=%lld%s", session_cookie,
				       secret, config.absolute, cookie_secure(r));
	respond_set_cookie(r, cookie);
	g_free(cookie);
	cookie = g_strdup_printf("%s=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0%s", login_cookie,
				 cookie_secure(r));
	respond_set_cookie(r, cookie);
	g_free(cookie);
	return true;
}

/* The second step of a sign-in: the code form, holding ticket (a secret) and where to go next. */
static void code_form(struct request *r, int status, const char *ticket, const char *message)
{
	respond_private_page(r, status, "account/login_code",
			     json_pack("{s:s,s:s,s:s,s:s?}", "title", tr(r, "Sign in: your code"), "ticket", ticket, "next",
				       next_of(request_form(r, "next")), "message", message));
}

/* The password of a was right and a has two-factor sign-in: a ticket for the code's step. */
static void code_ask(struct request *r, const struct account *a)
{
	char secret[ACCOUNT_SECRET_LEN + 1], hash[ACCOUNT_HASH_LEN + 1];
	account_secret_new(secret);
	account_secret_hash(secret, hash);
	if (store_begin_private(r->store) != STORE_OK ||
	    account_store_ticket_add(r->store, hash, a->id, r->now, r->now + TICKET_SECONDS) != STORE_OK ||
	    store_commit(r->store) != STORE_OK) {
		store_rollback(r->store);
		respond_store_error(r, STORE_ERROR, NULL);
		return;
	}
	code_form(r, 200, arena_strdup(&r->arena, secret), NULL);
	sodium_memzero(secret, sizeof secret);
}

/* Writes that the ticket whose hash is hash took a wrong code (end: was used up); false after an error answer. */
static bool ticket_tried(struct request *r, const char *hash, bool end)
{
	if (store_begin_private(r->store) != STORE_OK || account_store_ticket_tried(r->store, hash, end) != STORE_OK ||
	    store_commit(r->store) != STORE_OK) {
		store_rollback(r->store);
		respond_store_error(r, STORE_ERROR, NULL);
		return false;
	}
	return true;
}

/* A wrong code (or one used already) on the ticket of email: counted, and the form again. */
static void code_wrong(struct request *r, const char *email, const char *hash, const char *ticket, int64_t tries)
{
	throttle_fail(email, r->client, r->now);
	if (ticket_tried(r, hash, tries + 1 >= TICKET_TRIES))
		code_form(r, 200, ticket, tr(r, "The code is not right. Type the code your app shows now."));
}

/* The account of the form's ticket, with the wrong codes it took: STORE_OK, STORE_NOT_FOUND or STORE_ERROR. */
static int ticket_account(struct request *r, const char *hash, struct account *a, int64_t *tries)
{
	if (store_begin_read(r->store) != STORE_OK)
		return STORE_ERROR;
	int rc = account_store_ticket(r->store, hash, r->now, &r->arena, a, tries);
	store_end_read(r->store);
	return rc;
}

/* POST /login/code: the ticket of a right password, and the code the account's app shows. */
static void code_post(struct request *r)
{
	if (!signin_config_load(r->store)) {
		respond_store_error(r, STORE_ERROR, NULL);
		return;
	}
	const char *ticket = request_form(r, "ticket");
	char hash[ACCOUNT_HASH_LEN + 1];
	struct account a;
	int64_t tries = 0, step;
	int rc = STORE_NOT_FOUND;
	if (account_secret_shape(ticket)) {
		account_secret_hash(ticket, hash);
		rc = ticket_account(r, hash, &a, &tries);
	}
	if (rc == STORE_ERROR) {
		respond_store_error(r, rc, NULL);
		return;
	}
	if (rc != STORE_OK || !a.totp_secret || tries >= TICKET_TRIES) {
		login_form(r, 200, NULL, tr(r, "Your sign-in took too long or had too many wrong codes: sign in again."));
		return;
	}
	bool refused;
	throttle_count(a.email, r->client, r->now, &refused);
	if (refused) {
		respond_error(r, 429, tr(r, "Too many failed sign-ins: wait a quarter of an hour, or ask an "
					 "administrator to reset the password."));
		return;
	}
	if (!totp_check(a.totp_secret, request_form(r, "code"), r->now, a.totp_step, &step)) {
		code_wrong(r, a.email, hash, ticket, tries);
		return;
	}
	/* the code is used up (only a later step's code works next), the ticket too */
	rc = store_begin_private(r->store);
	if (rc == STORE_OK)
		rc = account_store_totp_take(r->store, a.id, step);
	if (rc == STORE_OK)
		rc = account_store_ticket_tried(r->store, hash, true);
	if (rc == STORE_OK)
		rc = store_commit(r->store);
	if (rc != STORE_OK)
		store_rollback(r->store);
	if (rc == STORE_NOT_FOUND) { /* taken meanwhile by another sign-in with the same code */
		code_wrong(r, a.email, hash, ticket, tries);
		return;
	}
	if (rc != STORE_OK) {
		respond_store_error(r, STORE_ERROR, NULL);
		return;
	}
	signin_forgive(a.email);
	if (signin_session_start(r, &a))
		respond_redirect(r, 303, next_of(request_form(r, "next")));
}

/* The slow part of POST /login: the password's hash, on the slow pool. */
static void login_check(struct request *r)
{
	const char *email = NULL, *problem;
	const char *typed = request_form(r, "email"), *password = request_form(r, "password");
	struct account a = {0};
	int rc = STORE_NOT_FOUND;
	if (account_email_normal(typed, &r->arena, &email, &problem)) {
		if (store_begin_read(r->store) != STORE_OK) {
			respond_store_error(r, STORE_ERROR, NULL);
			return;
		}
		rc = account_store_get(r->store, email, &r->arena, &a);
		store_end_read(r->store);
		if (rc == STORE_ERROR) {
			respond_store_error(r, rc, NULL);
			return;
		}
	}
	/* an unknown e-mail costs the same hash as a wrong password, and says the same */
	bool known = rc == STORE_OK && !a.disabled;
	bool good = account_password_verify(known ? a.password_hash : NULL, password ? password : "");
	if (!(known && good)) {
		bool refused;
		int failures = throttle_count(email ? email : "", r->client, r->now, &refused);
		throttle_fail(email ? email : "", r->client, r->now);
		/* slowed: a quarter second for each failure before, at most two seconds */
		g_usleep((gulong)MIN(failures, 8) * 250000);
		login_form(r, 200, typed, tr(r, "The e-mail address or the password is not right."));
		return;
	}
	if (a.totp_secret) {
		code_ask(r, &a);
		return;
	}
	signin_forgive(email);
	if (signin_session_start(r, &a))
		respond_redirect(r, 303, next_of(request_form(r, "next")));
}

static void login_post(struct request *r)
{
	if (!signin_config_load(r->store)) {
		respond_store_error(r, STORE_ERROR, NULL);
		return;
	}
	const char *email = NULL, *problem;
	if (!account_email_normal(request_form(r, "email"), &r->arena, &email, &problem))
		email = "";
	bool refused;
	throttle_count(email, r->client, r->now, &refused);
	if (refused) {
		respond_error(r, 429, tr(r, "Too many failed sign-ins: wait a quarter of an hour, or ask an "
					 "administrator to reset the password."));
		return;
	}
	respond_later(r, login_check);
}

static void logout_post(struct request *r)
{
	char hash[ACCOUNT_HASH_LEN + 1];
	account_secret_hash(r->caller.session ? r->caller.session : "", hash);
	if (r->caller.session &&
	    (store_begin_private(r->store) != STORE_OK || account_store_session_end(r->store, hash) != STORE_OK ||
	     store_commit(r->store) != STORE_OK)) {
		store_rollback(r->store);
		respond_store_error(r, STORE_ERROR, NULL);
		return;
	}
	char *cookie = g_strdup_printf("%s=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0%s", session_cookie,
				       cookie_secure(r));
	respond_set_cookie(r, cookie);
	g_free(cookie);
	r->after = NULL;
	respond_redirect(r, 303, "/");
}

int signin_audited_write(struct request *r, account_change change, const struct account *a, const void *data,
			 const char *action, const char *record, const char *fields, const char *program)
{
	struct audit_entry e = {.at = r->now, .actor = r->caller.email, .program = program, .action = action,
				.record = record, .fields = fields};
	int rc = store_begin(r->store);
	if (rc == STORE_OK)
		rc = change(r, a, data);
	if (rc == STORE_OK)
		rc = audit_store_add(r->store, &e);
	if (rc == STORE_OK)
		rc = store_commit(r->store);
	if (rc != STORE_OK)
		store_rollback(r->store);
	return rc;
}

const struct route signin_routes[] = {
	{METHOD_GET | METHOD_HEAD, "/login", login_get, ROLE_PUBLIC, false, 0, BODY_NONE},
	{METHOD_POST, "/login", login_post, ROLE_PUBLIC, true, 0, BODY_FORM},
	{METHOD_POST, "/login/code", code_post, ROLE_PUBLIC, true, 0, BODY_FORM},
	{METHOD_POST, "/logout", logout_post, ROLE_SIGNED_IN, true, 0, BODY_FORM},
	{0},
};
