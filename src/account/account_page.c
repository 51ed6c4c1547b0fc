/*
 * account_page.c: the first account at /setup, password reset links, the
 * back office's home (/manage), the caller's own account page, the users
 * pages and the audit log. Signing in and out is signin.c's.
 */
#include "account/account_page.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/catalog.h"
#include "core/report.h"
#include "core/values.h"
#include "html/view.h"
#include "account/signin.h"

enum { AUDIT_PER_PAGE = 100 };

/* The roles' names as pages show them (account_roles, and an administrator's). */
static const char *const role_names[] __attribute__((unused)) = {
	N_("editor"), N_("reviewer"), N_("manager"), N_("admin"),
};

/* ------------------------------------------------------------ /setup: the first account */

/* Judges the form's new password (fields password and password2), adding problems to errors. */
static void new_password_judge(struct request *r, json_t *errors)
{
	const char *password = request_form(r, "password"), *problem;
	if ((problem = account_password_problem(password)))
		json_object_set_new(errors, "password", json_string(tr(r, problem)));
	else if (g_strcmp0(password, request_form(r, "password2")) != 0)
		json_object_set_new(errors, "password2", json_string(tr(r, "the two passwords differ")));
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
		respond_error(r, 404, n > 0 ? tr(r, "There is no page at this address.")
					    : tr(r, "The first account is made from the server's own machine."));
		return false;
	}
	return true;
}

static void setup_form(struct request *r, int status, json_t *errors)
{
	respond_private_page(r, status, "account/setup",
		    json_pack("{s:s,s:s?,s:s?,s:o}", "title", tr(r, "Create the first account"), "email",
			      request_form(r, "email"), "name", request_form(r, "name"), "errors",
			      errors ? errors : json_object()));
}

static void setup_get(struct request *r)
{
	if (signin_config_load(r->store) && setup_open(r))
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
		json_object_set_new(errors, "email", json_string(tr(r, problem)));
	a.name = request_form(r, "name");
	if (a.name)
		a.name = g_strstrip(arena_strdup(&r->arena, a.name));
	if ((problem = account_name_problem(a.name)))
		json_object_set_new(errors, "name", json_string(tr(r, problem)));
	new_password_judge(r, errors);
	const char *password = request_form(r, "password");
	if (json_object_size(errors)) {
		setup_form(r, 422, errors);
		return;
	}
	json_decref(errors);
	char hash[ACCOUNT_PWHASH_LEN];
	if (!account_password_hash(password, hash)) {
		respond_error(r, 503, tr(r, "The server is out of memory now. Try again in a moment."));
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
		respond_error(r, 409, tr(r, "An account was made meanwhile: sign in instead."));
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
	if (signin_session_start(r, &a))
		respond_redirect(r, 303, "/manage");
}

static void setup_post(struct request *r)
{
	if (signin_config_load(r->store) && setup_open(r))
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
		respond_error(r, 503, tr(r, "The server is out of memory now. Try again in a moment."));
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
	signin_forgive(a->email);
	return signin_session_start(r, a);
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
		respond_error(r, 404, tr(r, "This link is not valid: it was used, or it expired. Ask an administrator "
					 "for a new one."));
	else if (rc != STORE_OK)
		respond_store_error(r, rc, NULL);
	return rc == STORE_OK;
}

static void reset_form(struct request *r, int status, const struct account *a, json_t *errors)
{
	respond_private_page(r, status, "account/reset",
			     json_pack("{s:s,s:s,s:s,s:o}", "title", tr(r, "Choose a new password"), "email", a->email,
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
	if (!signin_config_load(r->store)) {
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
								  all.v[i].ends_on, "roles", tr(r, "admin"), "manages", true));
	} else {
		account_roles_list roles = {0};
		rc = account_store_roles(r->store, r->caller.account, &r->arena, &roles);
		json_t *last = NULL;
		for (size_t i = 0; rc == STORE_OK && i < roles.n; i++) {
			if (!last || strcmp(json_string_value(json_object_get(last, "slug")), roles.v[i].slug) != 0) {
				last = json_pack("{s:s,s:[],s:b}", "slug", roles.v[i].slug, "roles", "manages", false);
				json_array_append_new(programs, last);
			}
			json_array_append_new(json_object_get(last, "roles"), json_string(tr(r, roles.v[i].role)));
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
		    json_pack("{s:s,s:o,s:b}", "title", tr(r, "Back office"), "programs", programs, "staff", staff));
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
		json_array_append_new(jr, json_pack("{s:s,s:s}", "role", tr(r, roles.v[i].role), "slug", roles.v[i].slug));
	for (size_t i = 0; i < tokens.n; i++)
		json_array_append_new(jt, json_pack("{s:I,s:s}", "id", (json_int_t)tokens.v[i].id, "name",
						    tokens.v[i].name));
	respond_private_page(r, status, "account/account",
			     json_pack("{s:s,s:o,s:o,s:s?,s:s?,s:o}", "title", tr(r, "Your account"), "roles", jr, "tokens", jt,
				       "notice", notice, "token", token, "errors", errors ? errors : json_object()));
}

static void account_page(struct request *r)
{
	const char *done = request_query(r, "done");
	const char *notice = !done ? NULL
			   : strcmp(done, "password") == 0 ? tr(r, "Your password was changed; your other sessions were ended.")
			   : strcmp(done, "name") == 0	     ? tr(r, "Your name was changed.")
			   : strcmp(done, "revoked") == 0    ? tr(r, "The token was revoked: it works no more.")
			   : strcmp(done, "totp-on") == 0    ? tr(r, "Two-factor sign-in is on: signing in now takes a code of your app.")
			   : strcmp(done, "totp-off") == 0   ? tr(r, "Two-factor sign-in is off.")
							     : NULL;
	account_view(r, 200, notice, NULL, NULL);
}

/* Writes a change of the caller's own account (signin_audited_write). */
static int own_write(struct request *r, account_change change, const void *data, const char *action,
		     const char *record, const char *fields)
{
	return signin_audited_write(r, change, NULL, data, action, record, fields, NULL);
}

/* data: the new name. */
static int name_change(struct request *r, const struct account *unused, const void *data)
{
	(void)unused;
	struct account a;
	int rc = account_store_get(r->store, r->caller.email, &r->arena, &a);
	if (rc != STORE_OK)
		return rc;
	a.name = data;
	return account_store_update(r->store, &a, r->now);
}

static void name_post(struct request *r)
{
	const char *name = request_form(r, "name"), *problem;
	char *trimmed = name ? g_strstrip(arena_strdup(&r->arena, name)) : NULL;
	problem = account_name_problem(trimmed);
	if (problem) {
		account_view(r, 422, NULL, NULL, json_pack("{s:s}", "name", tr(r, problem)));
		return;
	}
	int rc = own_write(r, name_change, trimmed, "update", arena_printf(&r->arena, "account %s", r->caller.email),
			   "{\"name\": true}");
	if (rc != STORE_OK)
		respond_store_error(r, rc, NULL);
	else
		respond_redirect(r, 303, "/manage/account?done=name");
}

struct new_token {
	const char *label, *hash;
};

/* data: the new token (struct new_token). */
static int token_make(struct request *r, const struct account *unused, const void *data)
{
	(void)unused;
	const struct new_token *t = data;
	int64_t id;
	return account_store_token_add(r->store, r->caller.account, t->label, t->hash, r->now, &id);
}

/* A new API token: its secret shown on this page once, only its hash stored. */
static void token_post(struct request *r)
{
	const char *label = request_form(r, "label");
	char *trimmed = label ? g_strstrip(arena_strdup(&r->arena, label)) : NULL;
	bool ok = trimmed && *trimmed && g_utf8_strlen(trimmed, -1) <= 200;
	if (!ok) {
		account_view(r, 422, NULL, NULL, json_pack("{s:s}", "label", tr(r, "a label of 1 to 200 characters is required")));
		return;
	}
	char secret[ACCOUNT_SECRET_LEN + 1], hash[ACCOUNT_HASH_LEN + 1];
	account_secret_new(secret);
	account_secret_hash(secret, hash);
	struct new_token made = {trimmed, hash};
	json_t *what = json_pack("{s:s}", "name", trimmed);
	char *fields = json_dumps(what, JSON_COMPACT);
	json_decref(what);
	int rc = own_write(r, token_make, &made, "create", arena_printf(&r->arena, "token of %s", r->caller.email), fields);
	free(fields);
	if (rc != STORE_OK)
		respond_store_error(r, rc, NULL);
	else
		account_view(r, 200, tr(r, "A new token was made. Copy it now: it is shown only this once."),
			     arena_strdup(&r->arena, secret), NULL);
	sodium_memzero(secret, sizeof secret);
}

/* data: the token's number (int64_t). */
static int token_drop(struct request *r, const struct account *unused, const void *data)
{
	(void)unused;
	return account_store_token_revoke(r->store, *(const int64_t *)data, r->caller.account);
}

static void token_revoke_post(struct request *r)
{
	const char *number = request_form(r, "id");
	int64_t id = number ? g_ascii_strtoll(number, NULL, 10) : 0;
	int rc = own_write(r, token_drop, &id, "delete",
			   arena_printf(&r->arena, "token %s of %s", request_form(r, "id") ? request_form(r, "id") : "?",
					r->caller.email),
			   NULL);
	if (rc == STORE_NOT_FOUND)
		account_view(r, 404, NULL, NULL, json_pack("{s:s}", "tokens", tr(r, "You have no such token.")));
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
		respond_store_error(r, rc, tr(r, "Your account is gone."));
		return;
	}
	const char *now = request_form(r, "current");
	if (!account_password_verify(a.password_hash, now ? now : ""))
		json_object_set_new(errors, "current", json_string(tr(r, "this is not your current password")));
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
		    json_pack("{s:s,s:o,s:s?,s:s?,s:s?}", "title", tr(r, "Audit log"), "entries", list, "program",
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
		json_array_append_new(users, json_pack("{s:s,s:s,s:b,s:b,s:b,s:s}", "email", list.v[i].email, "name",
						       list.v[i].name, "admin", list.v[i].admin, "disabled",
						       list.v[i].disabled, "totp", list.v[i].totp_secret != NULL, "url",
						       user_url(r, list.v[i].email, NULL)));
	respond_private_page(r, 200, "account/users", json_pack("{s:s,s:o}", "title", tr(r, "Accounts"), "users", users));
}

/* The account of the route's {email}; answers 404 when there is none. */
static bool user_of(struct request *r, struct account *a)
{
	int rc = account_store_get(r->store, r->params[0], &r->arena, a);
	if (rc != STORE_OK)
		respond_store_error(r, rc, tr(r, "There is no such account."));
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
		json_array_append_new(jr, json_pack("{s:s,s:s}", "role", tr(r, roles.v[i].role), "slug", roles.v[i].slug));
	for (const char *const *c = account_roles; *c; c++)
		json_array_append_new(choices, json_pack("{s:s,s:s}", "value", *c, "label", tr(r, *c)));
	respond_private_page(r, status, "account/user",
			     json_pack("{s:s,s:s,s:s?,s:s?,s:b,s:b,s:b,s:o,s:o,s:s,s:s,s:s,s:s,s:s?,s:s?,s:s?}",
				       "title", arena_printf(&r->arena, tr(r, "Account %s"), a->email), "email", a->email,
				       "name", a->name, "person", a->person, "is_admin", a->admin, "disabled",
				       a->disabled, "totp", a->totp_secret != NULL, "roles", jr, "choices", choices,
				       "action", user_url(r, a->email, NULL), "roles_action",
				       user_url(r, a->email, "roles"), "reset_action", user_url(r, a->email, "reset"),
				       "totp_action", user_url(r, a->email, "totp-off"), "notice", notice, "error",
				       error, "link", link));
}

static void user_get(struct request *r)
{
	struct account a;
	if (user_of(r, &a))
		user_page(r, 200, &a,
			  !request_query(r, "saved")			     ? NULL
			  : strcmp(request_query(r, "saved"), "totp-off") == 0 ? tr(r, "Two-factor sign-in was turned off.")
										 : tr(r, "Saved."),
			  NULL, NULL);
}

/* Writes a change of account a by an admin (signin_audited_write). */
static int user_write(struct request *r, account_change change, const struct account *a, const void *data,
		      const char *action, const char *fields, const char *program)
{
	return signin_audited_write(r, change, a, data, action, arena_printf(&r->arena, "account %s", a->email),
				    fields, program);
}

static int user_update(struct request *r, const struct account *a, const void *unused)
{
	(void)unused;
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
		user_page(r, 422, &a, NULL, tr(r, "You cannot take away your own administration or disable yourself."), NULL);
		return;
	}
	if ((problem = account_name_problem(a.name))) {
		user_page(r, 422, &a, NULL, arena_printf(&r->arena, tr(r, "Name: %s."), tr(r, problem)), NULL);
		return;
	}
	char *fields = g_strdup_printf("{\"name\": true, \"admin\": %s, \"disabled\": %s}",
				       a.admin ? "true" : "false", a.disabled ? "true" : "false");
	int rc = user_write(r, user_update, &a, NULL, "update", fields, NULL);
	g_free(fields);
	if (rc == STORE_NOT_FOUND)
		user_page(r, 422, &a, NULL, arena_printf(&r->arena, tr(r, "Person: there is no person '%s'."), a.person), NULL);
	else if (rc != STORE_OK)
		respond_store_error(r, rc, NULL);
	else
		respond_redirect(r, 303, arena_printf(&r->arena, "%s?saved=1", user_url(r, a.email, NULL)));
}

struct role_change {
	const char *role, *slug;
	bool grant;
};

/* data: the change (struct role_change). */
static int role_change(struct request *r, const struct account *a, const void *data)
{
	const struct role_change *c = data;
	return account_store_grant(r->store, a->id, c->role, c->slug, c->grant);
}

static void user_roles_post(struct request *r)
{
	struct account a;
	if (!user_of(r, &a))
		return;
	const char *role = request_form(r, "role"), *slug = request_form(r, "slug"), *what = request_form(r, "do");
	bool grant = g_strcmp0(what, "revoke") != 0;
	if (!value_in(role, account_roles) || !slug || !*slug) {
		user_page(r, 422, &a, NULL, tr(r, "Choose a role and name a program by its slug."), NULL);
		return;
	}
	char *fields = g_strdup_printf("{\"role\": \"%s\"}", role);
	struct role_change change = {role, slug, grant};
	int rc = user_write(r, role_change, &a, &change, grant ? "grant" : "revoke", fields, slug);
	g_free(fields);
	if (rc == STORE_NOT_FOUND)
		user_page(r, 422, &a, NULL, arena_printf(&r->arena, tr(r, "There is no program '%s'."), slug), NULL);
	else if (rc != STORE_OK)
		respond_store_error(r, rc, NULL);
	else
		respond_redirect(r, 303, arena_printf(&r->arena, "%s?saved=1", user_url(r, a.email, NULL)));
}

/* data: the link's secret. */
static int reset_make(struct request *r, const struct account *a, const void *data)
{
	char hash[ACCOUNT_HASH_LEN + 1];
	account_secret_hash(data, hash);
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
	int rc = user_write(r, reset_make, &a, secret, "reset", "{\"link\": \"made, valid 24 hours\"}", NULL);
	if (rc != STORE_OK) {
		respond_store_error(r, rc, NULL);
		return;
	}
	const char *host = request_header(r, "Host");
	const char *link = arena_printf(&r->arena, "%s://%s/reset/%s", r->https ? "https" : "http",
					host ? host : "SITE", secret);
	user_page(r, 200, &a,
		  tr(r, "A one-time link was made: give it to the account's owner. It is shown only now "
			"and works once, for 24 hours."),
		  NULL, link);
}

static int totp_drop(struct request *r, const struct account *a, const void *unused)
{
	(void)unused;
	return account_store_totp(r->store, a->id, NULL, NULL, a->totp_step, r->now);
}

/* An admin turns a user's two-factor sign-in off (a lost phone): the password alone signs in again. */
static void user_totp_off_post(struct request *r)
{
	struct account a;
	if (!user_of(r, &a))
		return;
	int rc = user_write(r, totp_drop, &a, NULL, "update", "{\"two-factor\": \"off\"}", NULL);
	if (rc != STORE_OK)
		respond_store_error(r, rc, NULL);
	else
		respond_redirect(r, 303, arena_printf(&r->arena, "%s?saved=totp-off", user_url(r, a.email, NULL)));
}

const struct route account_routes[] = {
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
	{METHOD_POST, "/manage/users/{email}/totp-off", user_totp_off_post, ROLE_ADMIN, true, 0, BODY_FORM},
	{0},
};
