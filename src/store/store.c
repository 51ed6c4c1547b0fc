/*
 * store.c: what every backend shares behind store.h: choosing the backend,
 * opening with numbered migrations in one transaction, the prepared
 * statement cache, binding and reading helpers, transactions and the data
 * version, and error reporting. The backends (sqlite.c, pg.c) only talk to
 * their library.
 */
#include "store/store_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

int store_fail(struct store *s, enum store_failure failure, const char *message, const struct stmt *st)
{
	s->failure = failure;
	g_string_assign(s->error, message);
	if (st)
		g_string_append_printf(s->error, " (in: %.200s)", st->sql);
	return STORE_ERROR;
}

const char *store_error(const struct store *s)
{
	return s->error->str;
}

const char *store_target(const struct store *s)
{
	return s->target;
}

static int exit_code_of(enum store_failure failure)
{
	switch (failure) {
	case FAILURE_IO:
	case FAILURE_UNAVAILABLE:
		return EX_IOERR;
	case FAILURE_CORRUPT:
		return EX_DATAERR;
	case FAILURE_MISSING:
		return EX_NOINPUT;
	default:
		return EX_SOFTWARE;
	}
}

int store_error_exit_code(const struct store *s)
{
	return exit_code_of(s->failure);
}

bool store_error_is_unavailable(const struct store *s)
{
	return s->failure == FAILURE_UNAVAILABLE;
}

/* The highest ?N parameter of an SQL text (outside quoted literals). */
static int highest_parameter(const char *sql)
{
	int highest = 0;
	char quote = 0;
	for (const char *p = sql; *p; p++) {
		if (quote) {
			quote = *p == quote ? 0 : quote;
		} else if (*p == '\'' || *p == '"') {
			quote = *p;
		} else if (*p == '?' && g_ascii_isdigit(p[1])) {
			int n = atoi(p + 1);
			highest = MAX(highest, n);
		}
	}
	return highest;
}

struct stmt *store_stmt(struct store *s, const char *sql)
{
	struct stmt *st = g_hash_table_lookup(s->statements, sql);
	if (st) {
		s->backend->reset(st);
		return st;
	}
	int params = highest_parameter(sql);
	void *impl = s->backend->prepare(s, sql, params);
	if (!impl) {
		g_string_append_printf(s->error, " (in: %.200s)", sql);
		return NULL;
	}
	st = g_new0(struct stmt, 1);
	st->store = s;
	st->sql = sql;
	st->impl = impl;
	st->params = params;
	g_hash_table_insert(s->statements, (gpointer)sql, st);
	return st;
}

static void stmt_free(gpointer p)
{
	struct stmt *st = p;
	st->store->backend->finalize(st->impl);
	g_free(st);
}

void stmt_bind_text(struct stmt *st, int index, const char *v)
{
	if (v)
		st->store->backend->bind_text(st, index, v, strlen(v));
	else
		st->store->backend->bind_null(st, index);
}

void stmt_bind_int(struct stmt *st, int index, int64_t v)
{
	st->store->backend->bind_int(st, index, v);
}

void stmt_bind_opt_int(struct stmt *st, int index, struct opt_int v)
{
	if (v.set)
		st->store->backend->bind_int(st, index, v.value);
	else
		st->store->backend->bind_null(st, index);
}

void stmt_bind_blob(struct stmt *st, int index, const void *v, size_t len)
{
	st->store->backend->bind_blob(st, index, v, len);
}

int stmt_step(struct stmt *st)
{
	return st->store->backend->step(st);
}

void stmt_reset(struct stmt *st)
{
	st->store->backend->reset(st);
}

int stmt_run(struct stmt *st)
{
	int rc;
	while ((rc = stmt_step(st)) == STMT_ROW)
		;
	return rc == STMT_DONE ? STORE_OK : STORE_ERROR;
}

const char *stmt_column_text(struct stmt *st, int col, struct arena *a)
{
	size_t len;
	const char *t = st->store->backend->column_text(st, col, &len);
	return t ? arena_strndup(a, t, len) : NULL;
}

int64_t stmt_column_int(struct stmt *st, int col)
{
	return st->store->backend->column_int(st, col);
}

bool stmt_column_is_null(struct stmt *st, int col)
{
	size_t len;
	return st->store->backend->column_text(st, col, &len) == NULL;
}

struct opt_int stmt_column_opt_int(struct stmt *st, int col)
{
	if (stmt_column_is_null(st, col))
		return (struct opt_int){0};
	return (struct opt_int){true, stmt_column_int(st, col)};
}

int stmt_exists(struct stmt *st, bool *exists)
{
	int rc = stmt_step(st);
	if (rc == STORE_ERROR)
		return STORE_ERROR;
	*exists = rc == STMT_ROW;
	stmt_reset(st);
	return STORE_OK;
}

int stmt_integer(struct stmt *st, int64_t *value)
{
	int rc = stmt_step(st);
	if (rc == STORE_ERROR)
		return STORE_ERROR;
	if (rc == STMT_ROW)
		*value = stmt_column_int(st, 0);
	stmt_reset(st);
	return rc == STMT_ROW ? STORE_OK : STORE_NOT_FOUND;
}

int store_run_with_id(struct store *s, const char *const *sql, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++) {
		struct stmt *st = store_stmt(s, sql[i]);
		if (!st)
			return STORE_ERROR;
		stmt_bind_int(st, 1, id);
		if (stmt_run(st) != STORE_OK)
			return STORE_ERROR;
	}
	return STORE_OK;
}

int stmt_strings(struct stmt *st, struct arena *a, strv *list)
{
	size_t cap = 0;
	int rc;
	while ((rc = stmt_step(st)) == STMT_ROW)
		*ARRAY_PUSH(a, *list, &cap) = stmt_column_text(st, 0, a);
	return rc == STMT_DONE ? STORE_OK : STORE_ERROR;
}

/* Binds the id of the what found by sql (one ?1 key parameter), cached in ids. */
static int bind_id(struct stmt *st, int index, const char *key, GHashTable *ids, const char *what,
		   const char *sql)
{
	gpointer cached;
	if (!key) {
		st->store->backend->bind_null(st, index);
		return STORE_OK;
	}
	if (g_hash_table_lookup_extended(ids, key, NULL, &cached)) {
		stmt_bind_int(st, index, (int64_t)GPOINTER_TO_SIZE(cached));
		return STORE_OK;
	}
	struct stmt *find = store_stmt(st->store, sql);
	if (!find)
		return STORE_ERROR;
	stmt_bind_text(find, 1, key);
	int64_t id;
	int rc = stmt_integer(find, &id);
	if (rc == STORE_ERROR)
		return STORE_ERROR;
	if (rc == STORE_NOT_FOUND) {
		/* the rules judged every reference: one that names nothing is a bug, never written */
		char *msg = g_strdup_printf("a reference names no %s: '%s'", what, key);
		store_fail(st->store, FAILURE_OTHER, msg, st);
		g_free(msg);
		return STORE_ERROR;
	}
	g_hash_table_insert(ids, g_strdup(key), GSIZE_TO_POINTER((gsize)id));
	stmt_bind_int(st, index, id);
	return STORE_OK;
}

int stmt_bind_org(struct stmt *st, int index, const char *key)
{
	return bind_id(st, index, key, st->store->org_ids, "organization",
		       "SELECT id FROM organization WHERE key = ?1");
}

int stmt_bind_person(struct stmt *st, int index, const char *key)
{
	return bind_id(st, index, key, st->store->person_ids, "person",
		       "SELECT id FROM person WHERE key = ?1");
}

int store_next_id(struct store *s, const char *table, int64_t *id)
{
	g_assert(s->txn == TXN_WRITE);
	gpointer next;
	if (g_hash_table_lookup_extended(s->next_ids, table, NULL, &next)) {
		*id = (int64_t)GPOINTER_TO_SIZE(next);
	} else {
		/* the table names are the callers' literals, never input */
		char *sql = g_strdup_printf("SELECT coalesce(max(id), 0) + 1 FROM %s", table);
		struct stmt *st = store_stmt(s, g_intern_string(sql)); /* interned: a lasting cache key */
		g_free(sql);
		if (!st || stmt_integer(st, id) != STORE_OK)
			return STORE_ERROR;
	}
	g_hash_table_insert(s->next_ids, (gpointer)table, GSIZE_TO_POINTER((gsize)(*id + 1)));
	return STORE_OK;
}

int store_new_id(struct store *s, const char *table, GHashTable *ids, const char *key, int64_t *id)
{
	if (store_next_id(s, table, id) != STORE_OK)
		return STORE_ERROR;
	g_hash_table_insert(ids, g_strdup(key), GSIZE_TO_POINTER((gsize)*id));
	return STORE_OK;
}

static void store_forget_transaction(struct store *s)
{
	g_hash_table_remove_all(s->org_ids);
	g_hash_table_remove_all(s->person_ids);
	g_hash_table_remove_all(s->next_ids);
}

int store_begin(struct store *s)
{
	store_forget_transaction(s);
	if (s->backend->begin_write(s) != STORE_OK)
		return STORE_ERROR;
	s->txn = TXN_WRITE;
	return STORE_OK;
}

int store_begin_bulk(struct store *s)
{
	if (s->backend->bulk_start(s) != STORE_OK)
		return STORE_ERROR;
	s->bulk = true;
	if (store_begin(s) == STORE_OK)
		return STORE_OK;
	s->backend->bulk_end(s);
	s->bulk = false;
	return STORE_ERROR;
}

/* After a transaction: a bulk one gives the connection back its usual settings. */
static void store_end_bulk(struct store *s)
{
	if (s->bulk)
		s->backend->bulk_end(s);
	s->bulk = false;
}

int store_begin_read(struct store *s)
{
	if (s->backend->begin_read(s) != STORE_OK)
		return STORE_ERROR;
	s->txn = TXN_READ;
	return STORE_OK;
}

void store_end_read(struct store *s)
{
	if (s->txn == TXN_READ)
		s->backend->rollback(s);
	s->txn = TXN_NONE;
}

int store_commit(struct store *s)
{
	store_forget_transaction(s);
	if (s->txn == TXN_WRITE) {
		struct stmt *st = store_stmt(s, "UPDATE meta SET data_version = data_version + 1");
		if (!st || stmt_run(st) != STORE_OK)
			return STORE_ERROR;
	}
	int rc = s->backend->commit(s);
	if (rc == STORE_OK) {
		s->txn = TXN_NONE;
		store_end_bulk(s);
	}
	return rc;
}

void store_rollback(struct store *s)
{
	store_forget_transaction(s);
	if (s->txn != TXN_NONE)
		s->backend->rollback(s);
	s->txn = TXN_NONE;
	store_end_bulk(s);
}

int store_data_version(struct store *s, int64_t *version)
{
	struct stmt *st = store_stmt(s, "SELECT data_version FROM meta");
	if (!st)
		return STORE_ERROR;
	int rc = stmt_integer(st, version);
	return rc == STORE_NOT_FOUND ? store_fail(s, FAILURE_CORRUPT, "the meta table is empty", st) : rc;
}

int store_check_integrity(struct store *s, struct report *r)
{
	return s->backend->check_integrity(s, r);
}

/* The number NNNN of a migration file named NNNN_what.sql. */
static int migration_number(const struct embedded_file *f)
{
	return atoi(f->name);
}

static int store_migrate(struct store *s)
{
	const struct backend *b = s->backend;
	int version;
	if (b->schema_version(s, &version) != STORE_OK)
		return STORE_ERROR;
	int latest = migration_number(&b->migrations[*b->migrations_count - 1]);
	if (version > latest) {
		char *msg = g_strdup_printf("the database has schema %d, newer than this podium's %d: "
					    "use a newer podium", version, latest);
		store_fail(s, FAILURE_CORRUPT, msg, NULL);
		g_free(msg);
		return STORE_ERROR;
	}
	if (version == latest)
		return STORE_OK;
	if (b->begin_write(s) != STORE_OK)
		return STORE_ERROR;
	/* a concurrent open may have migrated meanwhile: read again under the write lock */
	if (b->schema_version(s, &version) != STORE_OK)
		goto fail;
	for (size_t i = 0; i < *b->migrations_count; i++) {
		if (migration_number(&b->migrations[i]) <= version)
			continue;
		if (b->exec(s, b->migrations[i].data) != STORE_OK) {
			g_string_prepend(s->error, ": ");
			g_string_prepend(s->error, b->migrations[i].name);
			goto fail;
		}
	}
	if (version < latest && b->set_schema_version(s, latest) != STORE_OK)
		goto fail;
	if (b->commit(s) != STORE_OK)
		goto fail;
	return STORE_OK;
fail:
	b->rollback(s);
	return STORE_ERROR;
}

struct store *store_open(const char *path, enum store_mode mode, bool *created, char **error,
			 int *exit_code)
{
	const struct backend *b = &sqlite_backend;
	struct store *s = g_new0(struct store, 1);
	s->backend = b;
	s->error = g_string_new(NULL);
	s->statements = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, stmt_free);
	s->org_ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	s->person_ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	s->next_ids = g_hash_table_new(g_direct_hash, g_direct_equal);
	s->target = g_strdup(path);
	s->connect = g_strdup(path);
	bool made = false;
	if (created)
		*created = false;
	bool opened = b->open(s, path, mode, &made); /* its errors name the target */
	if (!opened || store_migrate(s) != STORE_OK) {
		*error = opened ? g_strdup_printf("'%s': %s", s->target, s->error->str)
				: g_strdup(s->error->str);
		*exit_code = exit_code_of(s->failure);
		store_close(s);
		if (made)
			store_remove_files(path);
		return NULL;
	}
	if (created)
		*created = made;
	return s;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	g_hash_table_destroy(s->statements); /* before the connection they belong to */
	if (s->conn)
		s->backend->close(s);
	g_hash_table_destroy(s->org_ids);
	g_hash_table_destroy(s->person_ids);
	g_hash_table_destroy(s->next_ids);
	g_string_free(s->error, TRUE);
	g_free(s->target);
	g_free(s->connect);
	g_free(s);
}

struct store *store_open_another(const struct store *s, char **error)
{
	int code;
	return store_open(s->connect, STORE_EXISTING, NULL, error, &code);
}

void store_note_error(struct store *s, const char *message)
{
	store_fail(s, FAILURE_IO, message, NULL);
}

void store_copy_error(struct store *to, const struct store *from)
{
	store_fail(to, from->failure, from->error->str, NULL);
}

void store_remove_files(const char *path)
{
	static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
	for (size_t i = 0; i < G_N_ELEMENTS(suffixes); i++) {
		char *p = g_strconcat(path, suffixes[i], NULL);
		if (unlink(p) != 0 && errno != ENOENT)
			g_warning("cannot remove %s: %s", p, g_strerror(errno));
		g_free(p);
	}
}
