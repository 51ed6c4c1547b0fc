/*
 * account_store.c: the SQL of accounts, their roles, sessions, API tokens
 * and the audit log (store.h). Secrets arrive here already hashed.
 */
#include "store/store_internal.h"

#define ACCOUNT_COLUMNS                                                                           \
	"a.id, a.email, a.name, p.key, a.password_hash, a.admin, a.disabled, a.created_at, a.changed_at, " \
	"a.totp_secret, a.totp_pending, a.totp_step"
#define ACCOUNT_FROM " FROM account a LEFT JOIN person p ON p.id = a.person_id"

static void account_read(struct stmt *st, struct arena *a, struct account *out)
{
	out->id = stmt_column_int(st, 0);
	out->email = stmt_column_text(st, 1, a);
	out->name = stmt_column_text(st, 2, a);
	out->person = stmt_column_text(st, 3, a);
	out->password_hash = stmt_column_text(st, 4, a);
	out->admin = stmt_column_int(st, 5) != 0;
	out->disabled = stmt_column_int(st, 6) != 0;
	out->created_at = stmt_column_int(st, 7);
	out->changed_at = stmt_column_int(st, 8);
	out->totp_secret = stmt_column_text(st, 9, a);
	out->totp_pending = stmt_column_text(st, 10, a);
	out->totp_step = stmt_column_int(st, 11);
}

/* Runs st, a write with RETURNING: STORE_OK when it wrote a row, STORE_NOT_FOUND when none, or STORE_ERROR. */
static int stmt_found(struct stmt *st)
{
	bool wrote;
	return stmt_exists(st, &wrote) != STORE_OK ? STORE_ERROR : wrote ? STORE_OK : STORE_NOT_FOUND;
}

enum { EXTRA_COLUMN = 12 }; /* the first column after ACCOUNT_COLUMNS */

/*
 * Steps st for one account, and the integers of the columns after
 * ACCOUNT_COLUMNS into x and y (each may be NULL): STORE_OK,
 * STORE_NOT_FOUND or STORE_ERROR.
 */
static int account_one_and(struct stmt *st, struct arena *a, struct account *out, int64_t *x, int64_t *y)
{
	int rc = stmt_step(st);
	if (rc == STMT_ROW) {
		account_read(st, a, out);
		if (x)
			*x = stmt_column_int(st, EXTRA_COLUMN);
		if (y)
			*y = stmt_column_int(st, EXTRA_COLUMN + 1);
		stmt_reset(st);
	}
	return rc == STORE_ERROR ? STORE_ERROR : rc == STMT_ROW ? STORE_OK : STORE_NOT_FOUND;
}

static int account_one(struct stmt *st, struct arena *a, struct account *out)
{
	return account_one_and(st, a, out, NULL, NULL);
}

int account_store_count(struct store *s, int64_t *n)
{
	struct stmt *st = store_stmt(s, "SELECT count(*) FROM account");
	return st ? stmt_integer(st, n) : STORE_ERROR;
}

int account_store_get(struct store *s, const char *email, struct arena *a, struct account *out)
{
	struct stmt *st = store_stmt(s, "SELECT " ACCOUNT_COLUMNS ACCOUNT_FROM " WHERE a.email = ?1");
	if (!st)
		return STORE_ERROR;
	stmt_bind_text(st, 1, email);
	return account_one(st, a, out);
}

int account_store_list(struct store *s, struct arena *a, accounts *out)
{
	struct stmt *st = store_stmt(s, "SELECT " ACCOUNT_COLUMNS ACCOUNT_FROM " ORDER BY a.email");
	if (!st)
		return STORE_ERROR;
	size_t cap = 0;
	int rc;
	while ((rc = stmt_step(st)) == STMT_ROW)
		account_read(st, a, ARRAY_PUSH(a, *out, &cap));
	return rc == STMT_DONE ? STORE_OK : STORE_ERROR;
}

/* Binds person key (or NULL) as a person id: STORE_NOT_FOUND for a key nobody has. */
static int bind_person(struct stmt *st, int index, const char *key)
{
	if (!key) {
		stmt_bind_text(st, index, NULL);
		return STORE_OK;
	}
	struct stmt *q = store_stmt(st->store, "SELECT id FROM person WHERE key = ?1");
	if (!q)
		return STORE_ERROR;
	stmt_bind_text(q, 1, key);
	int64_t id;
	int rc = stmt_integer(q, &id);
	if (rc == STORE_OK)
		stmt_bind_int(st, index, id);
	return rc;
}

int account_store_add(struct store *s, const struct account *acc, int64_t now, int64_t *id)
{
	if (store_next_id(s, "account", id) != STORE_OK)
		return STORE_ERROR;
	struct stmt *st = store_stmt(s, "INSERT INTO account(id, email, name, person_id, password_hash, "
				       "admin, disabled, created_at, changed_at) "
				       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, ?7, ?7)");
	if (!st)
		return STORE_ERROR;
	int rc = bind_person(st, 4, acc->person);
	if (rc != STORE_OK)
		return rc;
	stmt_bind_int(st, 1, *id);
	stmt_bind_text(st, 2, acc->email);
	stmt_bind_text(st, 3, acc->name);
	stmt_bind_text(st, 5, acc->password_hash);
	stmt_bind_int(st, 6, acc->admin);
	stmt_bind_int(st, 7, now);
	return stmt_run(st);
}

int account_store_update(struct store *s, const struct account *acc, int64_t now)
{
	struct stmt *st = store_stmt(s, "UPDATE account SET name = ?2, person_id = ?3, admin = ?4, "
				       "disabled = ?5, changed_at = ?6 WHERE id = ?1");
	if (!st)
		return STORE_ERROR;
	int rc = bind_person(st, 3, acc->person);
	if (rc != STORE_OK)
		return rc;
	stmt_bind_int(st, 1, acc->id);
	stmt_bind_text(st, 2, acc->name);
	stmt_bind_int(st, 4, acc->admin);
	stmt_bind_int(st, 5, acc->disabled);
	stmt_bind_int(st, 6, now);
	return stmt_run(st);
}

int account_store_set_password(struct store *s, int64_t id, const char *hash, int64_t now)
{
	struct stmt *st = store_stmt(s, "UPDATE account SET password_hash = ?2, changed_at = ?3 WHERE id = ?1");
	if (!st)
		return STORE_ERROR;
	stmt_bind_int(st, 1, id);
	stmt_bind_text(st, 2, hash);
	stmt_bind_int(st, 3, now);
	return stmt_run(st);
}

int account_store_roles(struct store *s, int64_t id, struct arena *a, account_roles_list *out)
{
	struct stmt *st = store_stmt(s, "SELECT r.role, p.slug FROM account_role r "
				       "JOIN program p ON p.id = r.program_id "
				       "WHERE r.account_id = ?1 ORDER BY p.slug, r.role");
	if (!st)
		return STORE_ERROR;
	stmt_bind_int(st, 1, id);
	size_t cap = 0;
	int rc;
	while ((rc = stmt_step(st)) == STMT_ROW) {
		struct account_role *r = ARRAY_PUSH(a, *out, &cap);
		r->role = stmt_column_text(st, 0, a);
		r->slug = stmt_column_text(st, 1, a);
	}
	return rc == STMT_DONE ? STORE_OK : STORE_ERROR;
}

int account_store_program_roles(struct store *s, int64_t id, const char *slug, struct arena *a,
				strv *roles, bool *program_exists)
{
	struct stmt *st = store_stmt(s, "SELECT r.role FROM program p LEFT JOIN account_role r "
				       "ON r.program_id = p.id AND r.account_id = ?1 WHERE p.slug = ?2");
	if (!st)
		return STORE_ERROR;
	stmt_bind_int(st, 1, id);
	stmt_bind_text(st, 2, slug);
	*program_exists = false;
	size_t cap = 0;
	int rc;
	while ((rc = stmt_step(st)) == STMT_ROW) {
		*program_exists = true;
		if (!stmt_column_is_null(st, 0))
			*ARRAY_PUSH(a, *roles, &cap) = stmt_column_text(st, 0, a);
	}
	return rc == STMT_DONE ? STORE_OK : STORE_ERROR;
}

int account_store_manages_any(struct store *s, int64_t id, bool *manages)
{
	struct stmt *st = store_stmt(s, "SELECT 1 FROM account_role WHERE account_id = ?1 AND role = 'manager'");
	if (!st)
		return STORE_ERROR;
	stmt_bind_int(st, 1, id);
	return stmt_exists(st, manages);
}

int account_store_grant(struct store *s, int64_t id, const char *role, const char *slug, bool grant)
{
	struct stmt *q = store_stmt(s, "SELECT id FROM program WHERE slug = ?1");
	if (!q)
		return STORE_ERROR;
	stmt_bind_text(q, 1, slug);
	int64_t program;
	int rc = stmt_integer(q, &program);
	if (rc != STORE_OK)
		return rc;
	struct stmt *st = grant ? store_stmt(s, "INSERT INTO account_role(account_id, program_id, role) "
						"SELECT ?1, ?2, ?3 WHERE NOT EXISTS (SELECT 1 FROM account_role "
						"WHERE account_id = ?1 AND program_id = ?2 AND role = ?3)")
				: store_stmt(s, "DELETE FROM account_role "
						"WHERE account_id = ?1 AND program_id = ?2 AND role = ?3");
	if (!st)
		return STORE_ERROR;
	stmt_bind_int(st, 1, id);
	stmt_bind_int(st, 2, program);
	stmt_bind_text(st, 3, role);
	return stmt_run(st);
}

/* ------------------------------------------------------------ sessions */

int account_store_session_add(struct store *s, const char *hash, int64_t account, int64_t now)
{
	struct stmt *st = store_stmt(s, "INSERT INTO login_session(hash, account_id, created_at, seen_at) "
				       "VALUES (?1, ?2, ?3, ?3)");
	if (!st)
		return STORE_ERROR;
	stmt_bind_text(st, 1, hash);
	stmt_bind_int(st, 2, account);
	stmt_bind_int(st, 3, now);
	return stmt_run(st);
}

int account_store_session(struct store *s, const char *hash, struct arena *a, struct account *out,
			  int64_t *created_at, int64_t *seen_at)
{
	struct stmt *st = store_stmt(s, "SELECT " ACCOUNT_COLUMNS ", l.created_at, l.seen_at"
				       " FROM login_session l JOIN account a ON a.id = l.account_id"
				       " LEFT JOIN person p ON p.id = a.person_id WHERE l.hash = ?1");
	if (!st)
		return STORE_ERROR;
	stmt_bind_text(st, 1, hash);
	return account_one_and(st, a, out, created_at, seen_at);
}

int account_store_session_seen(struct store *s, const char *hash, int64_t now)
{
	struct stmt *st = store_stmt(s, "UPDATE login_session SET seen_at = ?2 WHERE hash = ?1");
	if (!st)
		return STORE_ERROR;
	stmt_bind_text(st, 1, hash);
	stmt_bind_int(st, 2, now);
	return stmt_run(st);
}

int account_store_session_end(struct store *s, const char *hash)
{
	struct stmt *st = store_stmt(s, "DELETE FROM login_session WHERE hash = ?1");
	if (!st)
		return STORE_ERROR;
	stmt_bind_text(st, 1, hash);
	return stmt_run(st);
}

int account_store_sessions_end(struct store *s, int64_t account, int64_t older_than)
{
	struct stmt *st = store_stmt(s, "DELETE FROM login_session WHERE account_id = ?1 OR seen_at < ?2");
	if (!st)
		return STORE_ERROR;
	stmt_bind_int(st, 1, account);
	stmt_bind_int(st, 2, older_than);
	return stmt_run(st);
}

/* ------------------------------------------------------------ API tokens */

int account_store_token_add(struct store *s, int64_t account, const char *name, const char *hash,
			    int64_t now, int64_t *id)
{
	if (store_next_id(s, "api_token", id) != STORE_OK)
		return STORE_ERROR;
	struct stmt *st = store_stmt(s, "INSERT INTO api_token(id, account_id, name, hash, created_at) "
				       "VALUES (?1, ?2, ?3, ?4, ?5)");
	if (!st)
		return STORE_ERROR;
	stmt_bind_int(st, 1, *id);
	stmt_bind_int(st, 2, account);
	stmt_bind_text(st, 3, name);
	stmt_bind_text(st, 4, hash);
	stmt_bind_int(st, 5, now);
	return stmt_run(st);
}

int account_store_tokens(struct store *s, int64_t account, struct arena *a, api_tokens *out)
{
	struct stmt *st = store_stmt(s, "SELECT t.id, a.email, t.name, t.created_at, t.used_at "
				       "FROM api_token t JOIN account a ON a.id = t.account_id "
				       "WHERE CAST(?1 AS BIGINT) = 0 OR t.account_id = ?1 ORDER BY a.email, t.id");
	if (!st)
		return STORE_ERROR;
	stmt_bind_int(st, 1, account);
	size_t cap = 0;
	int rc;
	while ((rc = stmt_step(st)) == STMT_ROW) {
		struct api_token *t = ARRAY_PUSH(a, *out, &cap);
		t->id = stmt_column_int(st, 0);
		t->email = stmt_column_text(st, 1, a);
		t->name = stmt_column_text(st, 2, a);
		t->created_at = stmt_column_int(st, 3);
		t->used_at = stmt_column_opt_int(st, 4);
	}
	return rc == STMT_DONE ? STORE_OK : STORE_ERROR;
}

int account_store_token_revoke(struct store *s, int64_t id, int64_t account)
{
	struct stmt *st = store_stmt(s, "DELETE FROM api_token WHERE id = ?1 "
				       "AND (CAST(?2 AS BIGINT) = 0 OR account_id = ?2) RETURNING id");
	if (!st)
		return STORE_ERROR;
	stmt_bind_int(st, 1, id);
	stmt_bind_int(st, 2, account);
	return stmt_found(st);
}

int account_store_token(struct store *s, const char *hash, struct arena *a, struct account *out)
{
	struct stmt *st = store_stmt(s, "SELECT " ACCOUNT_COLUMNS " FROM api_token t "
				       "JOIN account a ON a.id = t.account_id "
				       "LEFT JOIN person p ON p.id = a.person_id WHERE t.hash = ?1");
	if (!st)
		return STORE_ERROR;
	stmt_bind_text(st, 1, hash);
	return account_one(st, a, out);
}

/* ------------------------------------------------------------ audit */

int audit_store_add(struct store *s, const struct audit_entry *e)
{
	int64_t id;
	if (store_next_id(s, "audit", &id) != STORE_OK)
		return STORE_ERROR;
	struct stmt *st = store_stmt(s, "INSERT INTO audit(id, at, actor, program, action, record, fields) "
				       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
	if (!st)
		return STORE_ERROR;
	stmt_bind_int(st, 1, id);
	stmt_bind_int(st, 2, e->at);
	stmt_bind_text(st, 3, e->actor);
	stmt_bind_text(st, 4, e->program);
	stmt_bind_text(st, 5, e->action);
	stmt_bind_text(st, 6, e->record);
	stmt_bind_text(st, 7, e->fields);
	return stmt_run(st);
}

int audit_store_list(struct store *s, const char *program, const char *actor, int64_t offset,
		     int64_t limit, struct arena *a, audit_entries *out)
{
	struct stmt *st = store_stmt(s, "SELECT id, at, actor, program, action, record, fields FROM audit "
				       "WHERE (CAST(?1 AS TEXT) IS NULL OR program = ?1) "
				       "AND (CAST(?2 AS TEXT) IS NULL OR actor = ?2) "
				       "ORDER BY id DESC LIMIT ?3 OFFSET ?4");
	if (!st)
		return STORE_ERROR;
	stmt_bind_text(st, 1, program);
	stmt_bind_text(st, 2, actor);
	stmt_bind_int(st, 3, limit);
	stmt_bind_int(st, 4, offset);
	size_t cap = 0;
	int rc;
	while ((rc = stmt_step(st)) == STMT_ROW) {
		struct audit_entry *e = ARRAY_PUSH(a, *out, &cap);
		e->id = stmt_column_int(st, 0);
		e->at = stmt_column_int(st, 1);
		e->actor = stmt_column_text(st, 2, a);
		e->program = stmt_column_text(st, 3, a);
		e->action = stmt_column_text(st, 4, a);
		e->record = stmt_column_text(st, 5, a);
		e->fields = stmt_column_text(st, 6, a);
	}
	return rc == STMT_DONE ? STORE_OK : STORE_ERROR;
}

/* ------------------------------------------------------------ two-factor sign-in */

int account_store_totp(struct store *s, int64_t id, const char *secret, const char *pending, int64_t step,
		       int64_t now)
{
	struct stmt *st = store_stmt(s, "UPDATE account SET totp_secret = ?2, totp_pending = ?3, totp_step = ?4, "
				       "changed_at = ?5 WHERE id = ?1");
	if (!st)
		return STORE_ERROR;
	stmt_bind_int(st, 1, id);
	stmt_bind_text(st, 2, secret);
	stmt_bind_text(st, 3, pending);
	stmt_bind_int(st, 4, step);
	stmt_bind_int(st, 5, now);
	return stmt_run(st);
}

int account_store_totp_take(struct store *s, int64_t id, int64_t step)
{
	/* one statement: of two sign-ins racing with one code, one takes its step */
	struct stmt *st = store_stmt(s, "UPDATE account SET totp_step = ?2 WHERE id = ?1 AND totp_step < ?2 "
				       "AND totp_secret IS NOT NULL RETURNING id");
	if (!st)
		return STORE_ERROR;
	stmt_bind_int(st, 1, id);
	stmt_bind_int(st, 2, step);
	return stmt_found(st);
}

int account_store_ticket_add(struct store *s, const char *hash, int64_t account, int64_t now, int64_t expires_at)
{
	struct stmt *st = store_stmt(s, "DELETE FROM login_ticket WHERE expires_at <= ?1");
	if (!st)
		return STORE_ERROR;
	stmt_bind_int(st, 1, now);
	int rc = stmt_run(st);
	if (rc != STORE_OK)
		return rc;
	st = store_stmt(s, "INSERT INTO login_ticket(hash, account_id, expires_at) VALUES (?1, ?2, ?3)");
	if (!st)
		return STORE_ERROR;
	stmt_bind_text(st, 1, hash);
	stmt_bind_int(st, 2, account);
	stmt_bind_int(st, 3, expires_at);
	return stmt_run(st);
}

/* The account of a secret (hash ?1) that has not expired at now (?2) by sql, and one more integer into extra. */
static int account_of_secret(struct store *s, const char *sql, const char *hash, int64_t now, struct arena *a,
			     struct account *out, int64_t *extra)
{
	struct stmt *st = store_stmt(s, sql);
	if (!st)
		return STORE_ERROR;
	stmt_bind_text(st, 1, hash);
	stmt_bind_int(st, 2, now);
	return account_one_and(st, a, out, extra, NULL);
}

int account_store_ticket(struct store *s, const char *hash, int64_t now, struct arena *a, struct account *out,
			 int64_t *tries)
{
	return account_of_secret(s, "SELECT " ACCOUNT_COLUMNS ", t.tries FROM login_ticket t "
				    "JOIN account a ON a.id = t.account_id "
				    "LEFT JOIN person p ON p.id = a.person_id "
				    "WHERE t.hash = ?1 AND t.expires_at > ?2 AND a.disabled = 0",
				 hash, now, a, out, tries);
}

int account_store_ticket_tried(struct store *s, const char *hash, bool end)
{
	struct stmt *st = store_stmt(s, end ? "DELETE FROM login_ticket WHERE hash = ?1"
					    : "UPDATE login_ticket SET tries = tries + 1 WHERE hash = ?1");
	if (!st)
		return STORE_ERROR;
	stmt_bind_text(st, 1, hash);
	return stmt_run(st);
}

/* ------------------------------------------------------------ password reset links */

int account_store_reset_add(struct store *s, const char *hash, int64_t account, int64_t expires_at)
{
	struct stmt *st = store_stmt(s, "INSERT INTO password_reset(hash, account_id, expires_at) VALUES (?1, ?2, ?3)");
	if (!st)
		return STORE_ERROR;
	stmt_bind_text(st, 1, hash);
	stmt_bind_int(st, 2, account);
	stmt_bind_int(st, 3, expires_at);
	return stmt_run(st);
}

int account_store_reset_find(struct store *s, const char *hash, int64_t now, struct arena *a, struct account *out)
{
	return account_of_secret(s, "SELECT " ACCOUNT_COLUMNS " FROM password_reset r "
				    "JOIN account a ON a.id = r.account_id "
				    "LEFT JOIN person p ON p.id = a.person_id "
				    "WHERE r.hash = ?1 AND r.expires_at > ?2 AND a.disabled = 0",
				 hash, now, a, out, NULL);
}

int account_store_resets_end(struct store *s, int64_t account, int64_t now)
{
	struct stmt *st = store_stmt(s, "DELETE FROM password_reset WHERE account_id = ?1 OR expires_at <= ?2");
	if (!st)
		return STORE_ERROR;
	stmt_bind_int(st, 1, account);
	stmt_bind_int(st, 2, now);
	return stmt_run(st);
}
