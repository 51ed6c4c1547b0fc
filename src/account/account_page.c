/*
 * account_page.c: signing in and out, the first account at /setup, the
 * back office's home (/manage), the caller's own account page and the
 * audit log; and the dispatcher's questions about accounts (struct auth):
 * who is calling (session cookie or API token), whether they hold a role,
 * whether a form's CSRF token is theirs.
 */
#include "account/account_page.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/report.h"
#include "core/values.h"
#include "html/view.h"
#include "settings/settings.h"

enum {
	SESSION_TOUCH_SECONDS = 60,   /* a session's last use is written at most once a minute */
	THROTTLE_WINDOW = 900,        /* failures are counted over 15 minutes */
	AUDIT_PER_PAGE = 100,
};

static const char session_cookie[] = "podium_session";
static const char login_cookie[] = "podium_login"; /* before a session: the sign-in form's CSRF */

/* The account settings, read once from the database the server serves. */
static struct {
	gsize loaded;
	long long idle, absolute, https, max_account_failures, max_address_failures;
} config;

static bool config_load(struct store *s)
{
	if (g_once_init_enter(&config.loaded)) {
		bool ok = settings_get(s, "accounts.session_idle_seconds", &config.idle) == STORE_OK &&
			  settings_get(s, "accounts.session_max_seconds", &config.absolute) == STORE_OK &&
			  settings_get(s, "server.https", &config.https) == STORE_OK &&
			  settings_get(s, "accounts.max_failures_per_account", &config.max_account_failures) ==
				  STORE_OK &&
			  settings_get(s, "accounts.max_failures_per_address", &config.max_address_failures) ==
				  STORE_OK;
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

static void throttle_forget(const char *email)
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
	r->caller.admin = a->admin;
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
	if (!config_load(r->store)) {
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
	const char *needed = role == ROLE_EDITOR ? "editor" : role == ROLE_REVIEWER ? "reviewer" : "manager";
	for (size_t i = 0; i < roles.n; i++)
		if (strcmp(roles.v[i], needed) == 0 || strcmp(roles.v[i], "manager") == 0)
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

const struct auth account_auth = {identify, allows, csrf_valid, page_csrf};

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
		    json_pack("{s:s,s:s?,s:s?,s:s}", "title", "Sign in", "email", email, "message", message,
			      "next", next_of(next)));
}

static void login_get(struct request *r)
{
	if (!config_load(r->store)) {
		respond_store_error(r, STORE_ERROR, NULL);
		return;
	}
	login_form(r, 200, NULL, NULL);
}

/* Starts a session for account a: a new secret (no fixation), the old session ended. */
static bool session_start(struct request *r, const struct account *a)
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
		login_form(r, 200, typed, "The e-mail address or the password is not right.");
		return;
	}
	throttle_forget(email);
	if (session_start(r, &a))
		respond_redirect(r, 303, next_of(request_form(r, "next")));
}

static void login_post(struct request *r)
{
	if (!config_load(r->store)) {
		respond_store_error(r, STORE_ERROR, NULL);
		return;
	}
	const char *email = NULL, *problem;
	if (!account_email_normal(request_form(r, "email"), &r->arena, &email, &problem))
		email = "";
	bool refused;
	throttle_count(email, r->client, r->now, &refused);
	if (refused) {
		respond_error(r, 429, "Too many failed sign-ins: wait a quarter of an hour, or ask an "
				      "administrator to reset the password.");
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

/* ------------------------------------------------------------ /setup: the first account */

/* Judges the form's new password (fields password and password2), adding problems to errors. */
static void new_password_judge(struct request *r, json_t *errors)
{
	const char *password = request_form(r, "password"), *problem;
	if ((problem = account_password_problem(password)))
		json_object_set_new(errors, "password", json_string(problem));
	else if (g_strcmp0(password, request_form(r, "password2")) != 0)
		json_object_set_new(errors, "password2", json_string("the two passwords differ"));
}


/* Whether /setup is open to r: no account yet, and the caller on this machine. */
static bool setup_open(struct request *r)
{
	int64_t n;
	if (account_store_count(r->store, &n) != STORE_OK) {
		respond_store_error(r, STORE_ERROR, NULL);
		return false;
	}
	bool loopback = strcmp(r->client, "127.0.0.1") == 0 || strcmp(r->client, "::1") == 0 ||
			g_str_has_prefix(r->client, "127.");
	if (n > 0 || !loopback) {
		respond_error(r, 404, n > 0 ? "There is no page at this address."
					    : "The first account is made from the server's own machine.");
		return false;
	}
	return true;
}

static void setup_form(struct request *r, int status, json_t *errors)
{
	respond_private_page(r, status, "account/setup",
		    json_pack("{s:s,s:s?,s:s?,s:o}", "title", "Create the first account", "email",
			      request_form(r, "email"), "name", request_form(r, "name"), "errors",
			      errors ? errors : json_object()));
}

static void setup_get(struct request *r)
{
	if (config_load(r->store) && setup_open(r))
		setup_form(r, 200, NULL);
	else if (!r->status)
		respond_store_error(r, STORE_ERROR, NULL);
}

/* The slow part of POST /setup: the password's hash. */
static void setup_make(struct request *r)
{
	struct account a = {.admin = true};
	const char *problem;
	json_t *errors = json_object();
	if (!account_email_normal(request_form(r, "email"), &r->arena, &a.email, &problem))
		json_object_set_new(errors, "email", json_string(problem));
	a.name = request_form(r, "name");
	if (a.name)
		a.name = g_strstrip(arena_strdup(&r->arena, a.name));
	if ((problem = account_name_problem(a.name)))
		json_object_set_new(errors, "name", json_string(problem));
	new_password_judge(r, errors);
	const char *password = request_form(r, "password");
	if (json_object_size(errors)) {
		setup_form(r, 422, errors);
		return;
	}
	json_decref(errors);
	char hash[ACCOUNT_PWHASH_LEN];
	if (!account_password_hash(password, hash)) {
		respond_error(r, 503, "The server is out of memory now. Try again in a moment.");
		return;
	}
	a.password_hash = hash;
	int64_t n;
	if (store_begin(r->store) != STORE_OK || account_store_count(r->store, &n) != STORE_OK) {
		store_rollback(r->store);
		respond_store_error(r, STORE_ERROR, NULL);
		return;
	}
	if (n > 0) { /* someone was faster */
		store_rollback(r->store);
		respond_error(r, 409, "An account was made meanwhile: sign in instead.");
		return;
	}
	struct audit_entry e = {.at = r->now, .actor = a.email, .action = "create",
				.record = arena_printf(&r->arena, "account %s", a.email),
				.fields = "{\"admin\": true, \"via\": \"/setup\"}"};
	if (account_store_add(r->store, &a, r->now, &a.id) != STORE_OK || audit_store_add(r->store, &e) != STORE_OK ||
	    store_commit(r->store) != STORE_OK) {
		store_rollback(r->store);
		respond_store_error(r, STORE_ERROR, NULL);
		return;
	}
	if (session_start(r, &a))
		respond_redirect(r, 303, "/manage");
}

static void setup_post(struct request *r)
{
	if (config_load(r->store) && setup_open(r))
		respond_later(r, setup_make);
	else if (!r->status)
		respond_store_error(r, STORE_ERROR, NULL);
}

/* ------------------------------------------------------------ new passwords */

/*
 * Stores the form's new password of account a (judged already) with its
 * audit entry (how: what the entry says), ending a's sessions and reset
 * links, then starts a new session; false after answering an error.
 */
static bool new_password_store(struct request *r, const struct account *a, const char *how)
{
	char hash[ACCOUNT_PWHASH_LEN];
	if (!account_password_hash(request_form(r, "password"), hash)) {
		respond_error(r, 503, "The server is out of memory now. Try again in a moment.");
		return false;
	}
	char *fields = g_strdup_printf("{\"password\": \"%s\"}", how);
	struct audit_entry e = {.at = r->now, .actor = a->email, .action = "update",
				.record = arena_printf(&r->arena, "account %s", a->email), .fields = fields};
	/* whoever was signed in with the old password is out; a reset link is used up */
	bool ok = store_begin(r->store) == STORE_OK &&
		  account_store_set_password(r->store, a->id, hash, r->now) == STORE_OK &&
		  account_store_resets_end(r->store, a->id, r->now) == STORE_OK &&
		  account_store_sessions_end(r->store, a->id, 0) == STORE_OK &&
		  audit_store_add(r->store, &e) == STORE_OK && store_commit(r->store) == STORE_OK;
	g_free(fields);
	if (!ok) {
		store_rollback(r->store);
		respond_store_error(r, STORE_ERROR, NULL);
		return false;
	}
	throttle_forget(a->email);
	return session_start(r, a);
}

/* ------------------------------------------------------------ /reset/TOKEN: a one-time link */

/* The account of the link r->params[0] names, when it has not expired; answers 404 otherwise. */
static bool reset_account(struct request *r, struct account *a)
{
	const char *secret = r->params[0];
	char hash[ACCOUNT_HASH_LEN + 1];
	int rc = STORE_NOT_FOUND;
	if (account_secret_shape(secret)) {
		account_secret_hash(secret, hash);
		rc = account_store_reset_find(r->store, hash, r->now, &r->arena, a);
	}
	if (rc == STORE_NOT_FOUND)
		respond_error(r, 404, "This link is not valid: it was used, or it expired. Ask an administrator "
				      "for a new one.");
	else if (rc != STORE_OK)
		respond_store_error(r, rc, NULL);
	return rc == STORE_OK;
}

static void reset_form(struct request *r, int status, const struct account *a, json_t *errors)
{
	respond_private_page(r, status, "account/reset",
			     json_pack("{s:s,s:s,s:s,s:o}", "title", "Choose a new password", "email", a->email,
				       "action", r->path, "errors", errors ? errors : json_object()));
}

static void reset_get(struct request *r)
{
	struct account a;
	if (reset_account(r, &a))
		reset_form(r, 200, &a, NULL);
}

/* The slow part of POST /reset/TOKEN: the new password's hash. */
static void reset_set(struct request *r)
{
	struct account a;
	if (!reset_account(r, &a))
		return;
	json_t *errors = json_object();
	new_password_judge(r, errors);
	if (json_object_size(errors)) {
		reset_form(r, 422, &a, errors);
		return;
	}
	json_decref(errors);
	if (new_password_store(r, &a, "set through a reset link"))
		respond_redirect(r, 303, "/manage");
}

static void reset_post(struct request *r)
{
	if (!config_load(r->store)) {
		respond_store_error(r, STORE_ERROR, NULL);
		return;
	}
	respond_later(r, reset_set);
}

/* ------------------------------------------------------------ /manage */

static void manage_home(struct request *r)
{
	json_t *programs = json_array();
	int rc;
	if (r->caller.admin) {
		program_summaries all = {0};
		rc = program_store_list(r->store, &r->arena, &all);
		for (size_t i = 0; rc == STORE_OK && i < all.n; i++)
			json_array_append_new(programs, json_pack("{s:s,s:s,s:s,s:[s],s:b}", "slug", all.v[i].slug,
								  "starts_on", all.v[i].starts_on, "ends_on",
								  all.v[i].ends_on, "roles", "admin", "manages", true));
	} else {
		account_roles_list roles = {0};
		rc = account_store_roles(r->store, r->caller.account, &r->arena, &roles);
		json_t *last = NULL;
		for (size_t i = 0; rc == STORE_OK && i < roles.n; i++) {
			if (!last || strcmp(json_string_value(json_object_get(last, "slug")), roles.v[i].slug) != 0) {
				last = json_pack("{s:s,s:[],s:b}", "slug", roles.v[i].slug, "roles", "manages", false);
				json_array_append_new(programs, last);
			}
			json_array_append_new(json_object_get(last, "roles"), json_string(roles.v[i].role));
			if (strcmp(roles.v[i].role, "manager") == 0)
				json_object_set_new(last, "manages", json_true());
		}
	}
	if (rc != STORE_OK) {
		json_decref(programs);
		respond_store_error(r, rc, NULL);
		return;
	}
	bool staff = r->caller.admin;
	for (size_t i = 0; i < json_array_size(programs) && !staff; i++)
		staff = json_is_true(json_object_get(json_array_get(programs, i), "manages"));
	respond_private_page(r, 200, "account/manage",
		    json_pack("{s:s,s:o,s:b}", "title", "Back office", "programs", programs, "staff", staff));
}

/* The caller's own page; token: a new token's secret, shown once (or NULL). */
static void account_view(struct request *r, int status, const char *notice, const char *token, json_t *errors)
{
	account_roles_list roles = {0};
	api_tokens tokens = {0};
	int rc = account_store_roles(r->store, r->caller.account, &r->arena, &roles);
	if (rc == STORE_OK)
		rc = account_store_tokens(r->store, r->caller.account, &r->arena, &tokens);
	if (rc != STORE_OK) {
		json_decref(errors);
		respond_store_error(r, rc, NULL);
		return;
	}
	json_t *jr = json_array(), *jt = json_array();
	for (size_t i = 0; i < roles.n; i++)
		json_array_append_new(jr, json_pack("{s:s,s:s}", "role", roles.v[i].role, "slug", roles.v[i].slug));
	for (size_t i = 0; i < tokens.n; i++)
		json_array_append_new(jt, json_pack("{s:I,s:s}", "id", (json_int_t)tokens.v[i].id, "name",
						    tokens.v[i].name));
	respond_private_page(r, status, "account/account",
			     json_pack("{s:s,s:o,s:o,s:s?,s:s?,s:o}", "title", "Your account", "roles", jr, "tokens", jt,
				       "notice", notice, "token", token, "errors", errors ? errors : json_object()));
}

static void account_page(struct request *r)
{
	const char *done = request_query(r, "done");
	const char *notice = !done ? NULL
			   : strcmp(done, "password") == 0 ? "Your password was changed; your other sessions were ended."
			   : strcmp(done, "name") == 0	     ? "Your name was changed."
			   : strcmp(done, "revoked") == 0    ? "The token was revoked: it works no more."
							     : NULL;
	account_view(r, 200, notice, NULL, NULL);
}

/*
 * Writes change(r, a) with its audit entry by the caller (record, fields:
 * JSON, program: a slug or NULL) in one transaction.
 */
static int audited_write(struct request *r, int (*change)(struct request *, const struct account *),
			 const struct account *a, const char *action, const char *record, const char *fields,
			 const char *program)
{
	struct audit_entry e = {.at = r->now, .actor = r->caller.email, .program = program, .action = action,
				.record = record, .fields = fields};
	int rc = store_begin(r->store);
	if (rc == STORE_OK)
		rc = change(r, a);
	if (rc == STORE_OK)
		rc = audit_store_add(r->store, &e);
	if (rc == STORE_OK)
		rc = store_commit(r->store);
	if (rc != STORE_OK)
		store_rollback(r->store);
	return rc;
}

/* Writes a change of the caller's own account (audited_write). */
static int own_write(struct request *r, int (*change)(struct request *, const struct account *), const char *action,
		     const char *record, const char *fields)
{
	return audited_write(r, change, NULL, action, record, fields, NULL);
}

static int name_change(struct request *r, const struct account *unused)
{
	(void)unused;
	struct account a;
	int rc = account_store_get(r->store, r->caller.email, &r->arena, &a);
	if (rc != STORE_OK)
		return rc;
	a.name = g_strstrip(arena_strdup(&r->arena, request_form(r, "name")));
	return account_store_update(r->store, &a, r->now);
}

static void name_post(struct request *r)
{
	const char *name = request_form(r, "name"), *problem;
	char *trimmed = name ? g_strstrip(g_strdup(name)) : NULL;
	problem = account_name_problem(trimmed);
	g_free(trimmed);
	if (problem) {
		account_view(r, 422, NULL, NULL, json_pack("{s:s}", "name", problem));
		return;
	}
	int rc = own_write(r, name_change, "update", arena_printf(&r->arena, "account %s", r->caller.email),
			   "{\"name\": true}");
	if (rc != STORE_OK)
		respond_store_error(r, rc, NULL);
	else
		respond_redirect(r, 303, "/manage/account?done=name");
}

static int token_make(struct request *r, const struct account *unused)
{
	(void)unused;
	int64_t id;
	return account_store_token_add(r->store, r->caller.account, request_form(r, "label"),
				       request_form(r, "hash"), r->now, &id);
}

/* A new API token: its secret shown on this page once, only its hash stored. */
static void token_post(struct request *r)
{
	const char *label = request_form(r, "label");
	char *trimmed = label ? g_strstrip(g_strdup(label)) : NULL;
	bool ok = trimmed && *trimmed && g_utf8_strlen(trimmed, -1) <= 200;
	if (!ok) {
		g_free(trimmed);
		account_view(r, 422, NULL, NULL, json_pack("{s:s}", "label", "a label of 1 to 200 characters is required"));
		return;
	}
	char secret[ACCOUNT_SECRET_LEN + 1], hash[ACCOUNT_HASH_LEN + 1];
	account_secret_new(secret);
	account_secret_hash(secret, hash);
	g_hash_table_insert(r->form, g_strdup("label"), trimmed);
	g_hash_table_insert(r->form, g_strdup("hash"), g_strdup(hash));
	json_t *what = json_pack("{s:s}", "name", trimmed);
	char *fields = json_dumps(what, JSON_COMPACT);
	json_decref(what);
	int rc = own_write(r, token_make, "create", arena_printf(&r->arena, "token of %s", r->caller.email), fields);
	free(fields);
	if (rc != STORE_OK)
		respond_store_error(r, rc, NULL);
	else
		account_view(r, 200, "A new token was made. Copy it now: it is shown only this once.",
			     arena_strdup(&r->arena, secret), NULL);
	sodium_memzero(secret, sizeof secret);
}

static int token_drop(struct request *r, const struct account *unused)
{
	(void)unused;
	const char *id = request_form(r, "id");
	return account_store_token_revoke(r->store, id ? g_ascii_strtoll(id, NULL, 10) : 0, r->caller.account);
}

static void token_revoke_post(struct request *r)
{
	int rc = own_write(r, token_drop, "delete",
			   arena_printf(&r->arena, "token %s of %s", request_form(r, "id") ? request_form(r, "id") : "?",
					r->caller.email),
			   NULL);
	if (rc == STORE_NOT_FOUND)
		account_view(r, 404, NULL, NULL, json_pack("{s:s}", "tokens", "You have no such token."));
	else if (rc != STORE_OK)
		respond_store_error(r, rc, NULL);
	else
		respond_redirect(r, 303, "/manage/account?done=revoked");
}

/* The slow part of POST /manage/account/password: two hashes. */
static void password_change(struct request *r)
{
	struct account a;
	json_t *errors = json_object();
	int rc = account_store_get(r->store, r->caller.email, &r->arena, &a);
	if (rc != STORE_OK) {
		json_decref(errors);
		respond_store_error(r, rc, "Your account is gone.");
		return;
	}
	const char *now = request_form(r, "current");
	if (!account_password_verify(a.password_hash, now ? now : ""))
		json_object_set_new(errors, "current", json_string("this is not your current password"));
	else
		new_password_judge(r, errors);
	if (json_object_size(errors)) {
		account_view(r, 422, NULL, NULL, errors);
		return;
	}
	json_decref(errors);
	if (new_password_store(r, &a, "changed"))
		respond_redirect(r, 303, "/manage/account?done=password");
}

static void password_post(struct request *r)
{
	r->after = NULL; /* the session is replaced */
	respond_later(r, password_change);
}

static void audit_page(struct request *r)
{
	int64_t page;
	if (!request_page_number(r, &page))
		return;
	const char *program = request_query(r, "program"), *actor = request_query(r, "user");
	if (program && !*program)
		program = NULL;
	if (actor && !*actor)
		actor = NULL;
	audit_entries entries = {0};
	int rc = audit_store_list(r->store, program, actor, (page - 1) * AUDIT_PER_PAGE, AUDIT_PER_PAGE + 1,
				  &r->arena, &entries);
	if (rc != STORE_OK) {
		respond_store_error(r, rc, NULL);
		return;
	}
	json_t *list = json_array();
	for (size_t i = 0; i < entries.n && i < AUDIT_PER_PAGE; i++) {
		const struct audit_entry *e = &entries.v[i];
		GDateTime *t = g_date_time_new_from_unix_utc(e->at);
		char *when = t ? g_date_time_format(t, "%Y-%m-%d %H:%M:%S UTC") : g_strdup("?");
		char *iso = t ? g_date_time_format_iso8601(t) : g_strdup("");
		json_array_append_new(list, json_pack("{s:s,s:s,s:s,s:s?,s:s,s:s,s:s?}", "when", when, "iso", iso,
						      "actor", e->actor, "program", e->program, "action", e->action,
						      "record", e->record, "fields", e->fields));
		g_free(when);
		g_free(iso);
		if (t)
			g_date_time_unref(t);
	}
	GString *older = g_string_new(NULL);
	g_string_printf(older, "/manage/audit?page=%lld", (long long)page + 1);
	if (program) {
		g_string_append(older, "&program=");
		g_string_append_uri_escaped(older, program, NULL, FALSE);
	}
	if (actor) {
		g_string_append(older, "&user=");
		g_string_append_uri_escaped(older, actor, NULL, FALSE);
	}
	respond_private_page(r, 200, "account/audit",
		    json_pack("{s:s,s:o,s:s?,s:s?,s:s?}", "title", "Audit log", "entries", list, "program",
			      program, "user", actor, "older", entries.n > AUDIT_PER_PAGE ? older->str : NULL));
	g_string_free(older, TRUE);
}

/* ------------------------------------------------------------ /manage/users: admins' */

static const char *user_url(struct request *r, const char *email, const char *rest)
{
	return url_build(&r->arena, "/manage/users/", (const char *const[]){email, rest, NULL}, "");
}

static void users_list(struct request *r)
{
	accounts list = {0};
	int rc = account_store_list(r->store, &r->arena, &list);
	if (rc != STORE_OK) {
		respond_store_error(r, rc, NULL);
		return;
	}
	json_t *users = json_array();
	for (size_t i = 0; i < list.n; i++)
		json_array_append_new(users, json_pack("{s:s,s:s,s:b,s:b,s:s}", "email", list.v[i].email, "name",
						       list.v[i].name, "admin", list.v[i].admin, "disabled",
						       list.v[i].disabled, "url", user_url(r, list.v[i].email, NULL)));
	respond_private_page(r, 200, "account/users", json_pack("{s:s,s:o}", "title", "Accounts", "users", users));
}

/* The account of the route's {email}; answers 404 when there is none. */
static bool user_of(struct request *r, struct account *a)
{
	int rc = account_store_get(r->store, r->params[0], &r->arena, a);
	if (rc != STORE_OK)
		respond_store_error(r, rc, "There is no such account.");
	return rc == STORE_OK;
}

static void user_page(struct request *r, int status, const struct account *a, const char *notice, const char *error,
		      const char *link)
{
	account_roles_list roles = {0};
	if (account_store_roles(r->store, a->id, &r->arena, &roles) != STORE_OK) {
		respond_store_error(r, STORE_ERROR, NULL);
		return;
	}
	json_t *jr = json_array(), *choices = json_array();
	for (size_t i = 0; i < roles.n; i++)
		json_array_append_new(jr, json_pack("{s:s,s:s}", "role", roles.v[i].role, "slug", roles.v[i].slug));
	for (const char *const *c = account_roles; *c; c++)
		json_array_append_new(choices, json_string(*c));
	respond_private_page(r, status, "account/user",
			     json_pack("{s:s,s:s,s:s?,s:s?,s:b,s:b,s:o,s:o,s:s,s:s,s:s,s:s?,s:s?,s:s?}", "title",
				       arena_printf(&r->arena, "Account %s", a->email), "email", a->email, "name",
				       a->name, "person", a->person, "is_admin", a->admin, "disabled", a->disabled,
				       "roles", jr, "choices", choices, "action", user_url(r, a->email, NULL),
				       "roles_action", user_url(r, a->email, "roles"), "reset_action",
				       user_url(r, a->email, "reset"), "notice", notice, "error", error, "link", link));
}

static void user_get(struct request *r)
{
	struct account a;
	if (user_of(r, &a))
		user_page(r, 200, &a, request_query(r, "saved") ? "Saved." : NULL, NULL, NULL);
}

/* Writes a change of account a by an admin (audited_write). */
static int user_write(struct request *r, int (*change)(struct request *, const struct account *), const struct account *a,
		      const char *action, const char *fields, const char *program)
{
	return audited_write(r, change, a, action, arena_printf(&r->arena, "account %s", a->email), fields, program);
}

static int user_update(struct request *r, const struct account *a)
{
	int rc = account_store_update(r->store, a, r->now);
	/* a disabled account's sessions end at once */
	if (rc == STORE_OK && a->disabled)
		rc = account_store_sessions_end(r->store, a->id, 0);
	return rc;
}

static void user_post(struct request *r)
{
	struct account a;
	if (!user_of(r, &a))
		return;
	const char *name = request_form(r, "name"), *person = request_form(r, "person"), *problem;
	a.name = name ? g_strstrip(arena_strdup(&r->arena, name)) : NULL;
	a.person = person && *g_strstrip(arena_strdup(&r->arena, person)) ? g_strstrip(arena_strdup(&r->arena, person))
									 : NULL;
	a.admin = request_form(r, "admin") != NULL;
	a.disabled = request_form(r, "disabled") != NULL;
	if (a.id == r->caller.account && (!a.admin || a.disabled)) {
		user_page(r, 422, &a, NULL, "You cannot take away your own administration or disable yourself.", NULL);
		return;
	}
	if ((problem = account_name_problem(a.name))) {
		user_page(r, 422, &a, NULL, arena_printf(&r->arena, "Name: %s.", problem), NULL);
		return;
	}
	char *fields = g_strdup_printf("{\"name\": true, \"admin\": %s, \"disabled\": %s}",
				       a.admin ? "true" : "false", a.disabled ? "true" : "false");
	int rc = user_write(r, user_update, &a, "update", fields, NULL);
	g_free(fields);
	if (rc == STORE_NOT_FOUND)
		user_page(r, 422, &a, NULL, arena_printf(&r->arena, "Person: there is no person '%s'.", a.person), NULL);
	else if (rc != STORE_OK)
		respond_store_error(r, rc, NULL);
	else
		respond_redirect(r, 303, arena_printf(&r->arena, "%s?saved=1", user_url(r, a.email, NULL)));
}

static int role_change(struct request *r, const struct account *a)
{
	return account_store_grant(r->store, a->id, request_form(r, "role"), request_form(r, "slug"),
				   g_strcmp0(request_form(r, "do"), "revoke") != 0);
}

static void user_roles_post(struct request *r)
{
	struct account a;
	if (!user_of(r, &a))
		return;
	const char *role = request_form(r, "role"), *slug = request_form(r, "slug"), *what = request_form(r, "do");
	bool grant = g_strcmp0(what, "revoke") != 0;
	if (!value_in(role, account_roles) || !slug || !*slug) {
		user_page(r, 422, &a, NULL, "Choose a role and name a program by its slug.", NULL);
		return;
	}
	char *fields = g_strdup_printf("{\"role\": \"%s\"}", role);
	int rc = user_write(r, role_change, &a, grant ? "grant" : "revoke", fields, slug);
	g_free(fields);
	if (rc == STORE_NOT_FOUND)
		user_page(r, 422, &a, NULL, arena_printf(&r->arena, "There is no program '%s'.", slug), NULL);
	else if (rc != STORE_OK)
		respond_store_error(r, rc, NULL);
	else
		respond_redirect(r, 303, arena_printf(&r->arena, "%s?saved=1", user_url(r, a.email, NULL)));
}

static int reset_make(struct request *r, const struct account *a)
{
	char hash[ACCOUNT_HASH_LEN + 1];
	account_secret_hash(request_form(r, "secret"), hash);
	int rc = account_store_resets_end(r->store, a->id, r->now);
	return rc == STORE_OK ? account_store_reset_add(r->store, hash, a->id, r->now + ACCOUNT_RESET_SECONDS) : rc;
}

/* A one-time link for the account's owner, shown once to the admin (never stored but as its hash). */
static void user_reset_post(struct request *r)
{
	struct account a;
	if (!user_of(r, &a))
		return;
	char secret[ACCOUNT_SECRET_LEN + 1];
	account_secret_new(secret);
	g_hash_table_insert(r->form, g_strdup("secret"), g_strdup(secret));
	int rc = user_write(r, reset_make, &a, "reset", "{\"link\": \"made, valid 24 hours\"}", NULL);
	if (rc != STORE_OK) {
		respond_store_error(r, rc, NULL);
		return;
	}
	const char *host = request_header(r, "Host");
	const char *link = arena_printf(&r->arena, "%s://%s/reset/%s", r->https ? "https" : "http",
					host ? host : "SITE", secret);
	user_page(r, 200, &a, "A one-time link was made: give it to the account's owner. It is shown only now "
			      "and works once, for 24 hours.", NULL, link);
}

const struct route account_routes[] = {
	{METHOD_GET | METHOD_HEAD, "/login", login_get, ROLE_PUBLIC, false, 0, BODY_NONE},
	{METHOD_POST, "/login", login_post, ROLE_PUBLIC, true, 0, BODY_FORM},
	{METHOD_POST, "/logout", logout_post, ROLE_SIGNED_IN, true, 0, BODY_FORM},
	{METHOD_GET | METHOD_HEAD, "/setup", setup_get, ROLE_PUBLIC, false, 0, BODY_NONE},
	{METHOD_POST, "/setup", setup_post, ROLE_PUBLIC, true, 0, BODY_FORM},
	{METHOD_GET | METHOD_HEAD, "/reset/{token}", reset_get, ROLE_PUBLIC, false, ROUTE_SECRET, BODY_NONE},
	{METHOD_POST, "/reset/{token}", reset_post, ROLE_PUBLIC, true, ROUTE_SECRET, BODY_FORM},
	{METHOD_GET | METHOD_HEAD, "/manage", manage_home, ROLE_SIGNED_IN, false, 0, BODY_NONE},
	{METHOD_GET | METHOD_HEAD, "/manage/account", account_page, ROLE_SIGNED_IN, false, 0, BODY_NONE},
	{METHOD_POST, "/manage/account/password", password_post, ROLE_SIGNED_IN, true, 0, BODY_FORM},
	{METHOD_POST, "/manage/account/name", name_post, ROLE_SIGNED_IN, true, 0, BODY_FORM},
	{METHOD_POST, "/manage/account/tokens", token_post, ROLE_SIGNED_IN, true, 0, BODY_FORM},
	{METHOD_POST, "/manage/account/tokens/revoke", token_revoke_post, ROLE_SIGNED_IN, true, 0, BODY_FORM},
	{METHOD_GET | METHOD_HEAD, "/manage/audit", audit_page, ROLE_ADMIN, false, 0, BODY_NONE},
	{METHOD_GET | METHOD_HEAD, "/manage/users", users_list, ROLE_ADMIN, false, 0, BODY_NONE},
	{METHOD_GET | METHOD_HEAD, "/manage/users/{email}", user_get, ROLE_ADMIN, false, 0, BODY_NONE},
	{METHOD_POST, "/manage/users/{email}", user_post, ROLE_ADMIN, true, 0, BODY_FORM},
	{METHOD_POST, "/manage/users/{email}/roles", user_roles_post, ROLE_ADMIN, true, 0, BODY_FORM},
	{METHOD_POST, "/manage/users/{email}/reset", user_reset_post, ROLE_ADMIN, true, 0, BODY_FORM},
	{0},
};
