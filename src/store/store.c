/*
 * store.c: the SQLite connection behind store.h: opening, pragmas,
 * numbered migrations from the embedded src/store/sql/NNNN_*.sql files,
 * transactions, the prepared statement cache and error mapping.
 */
#include "store/store_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "migrations.h"

enum { BUSY_TIMEOUT_MS = 5000 };

static void store_set_error(struct store *s, int code, const char *msg, const char *sql)
{
	s->error_code = code;
	g_string_assign(s->error, msg);
	if (sql)
		g_string_append_printf(s->error, " (in: %.200s)", sql);
}

int store_fail(struct store *s, sqlite3_stmt *st)
{
	store_set_error(s, sqlite3_extended_errcode(s->db), sqlite3_errmsg(s->db),
			st ? sqlite3_sql(st) : NULL);
	return STORE_ERROR;
}

const char *store_error(const struct store *s)
{
	return s->error->str;
}

static int exit_code_of(int code)
{
	switch (code & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
	case SQLITE_FULL:
	case SQLITE_IOERR:
	case SQLITE_CANTOPEN:
	case SQLITE_READONLY:
	case SQLITE_PERM:
		return 74;
	case SQLITE_NOTADB:
	case SQLITE_CORRUPT:
		return 65;
	default:
		return 70;
	}
}

int store_error_exit_code(const struct store *s)
{
	return exit_code_of(s->error_code);
}

sqlite3_stmt *store_stmt(struct store *s, const char *sql)
{
	sqlite3_stmt *st = g_hash_table_lookup(s->statements, sql);
	if (st) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		return st;
	}
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
		store_set_error(s, sqlite3_extended_errcode(s->db), sqlite3_errmsg(s->db), sql);
		return NULL;
	}
	g_hash_table_insert(s->statements, (gpointer)sql, st);
	return st;
}

int store_run(struct store *s, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return store_fail(s, st);
	sqlite3_reset(st);
	return STORE_OK;
}

void store_bind_text(sqlite3_stmt *st, int index, const char *s)
{
	if (s)
		sqlite3_bind_text(st, index, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, index);
}

void store_bind_opt_int(sqlite3_stmt *st, int index, struct opt_int v)
{
	if (v.set)
		sqlite3_bind_int64(st, index, v.value);
	else
		sqlite3_bind_null(st, index);
}

const char *store_column_text(sqlite3_stmt *st, int col, struct arena *a)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	return t ? arena_strndup(a, (const char *)t, (size_t)sqlite3_column_bytes(st, col)) : NULL;
}

struct opt_int store_column_opt_int(sqlite3_stmt *st, int col)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return (struct opt_int){0};
	return (struct opt_int){true, sqlite3_column_int64(st, col)};
}

int store_query_exists(struct store *s, sqlite3_stmt *st, bool *exists)
{
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, st);
	*exists = rc == SQLITE_ROW;
	sqlite3_reset(st);
	return STORE_OK;
}

/* Runs SQL text that returns no rows (pragmas, migrations). */
static int store_exec(struct store *s, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(s->db, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		store_set_error(s, sqlite3_extended_errcode(s->db), msg ? msg : sqlite3_errstr(rc), NULL);
		sqlite3_free(msg);
		return STORE_ERROR;
	}
	return STORE_OK;
}

int store_data_version(struct store *s, int64_t *version)
{
	sqlite3_stmt *st = store_stmt(s, "PRAGMA data_version");
	if (!st)
		return STORE_ERROR;
	if (sqlite3_step(st) != SQLITE_ROW)
		return store_fail(s, st);
	*version = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return STORE_OK;
}

int store_prepare_bulk_write(struct store *s)
{
	return store_exec(s, "PRAGMA cache_size = -65536");
}

static void store_forget_ids(struct store *s)
{
	g_hash_table_remove_all(s->org_ids);
	g_hash_table_remove_all(s->person_ids);
}

int store_begin(struct store *s)
{
	store_forget_ids(s);
	return store_exec(s, "BEGIN IMMEDIATE");
}

int store_begin_read(struct store *s)
{
	return store_exec(s, "BEGIN DEFERRED");
}

void store_end_read(struct store *s)
{
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
}

int store_commit(struct store *s)
{
	store_forget_ids(s);
	return store_exec(s, "COMMIT");
}

void store_rollback(struct store *s)
{
	store_forget_ids(s);
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

/* Binds the id found by sql (one ?1 key parameter), cached in ids. */
static int bind_id(struct store *s, sqlite3_stmt *st, int index, const char *key, GHashTable *ids,
		   const char *sql)
{
	gpointer cached;
	if (!key) {
		sqlite3_bind_null(st, index);
		return STORE_OK;
	}
	if (g_hash_table_lookup_extended(ids, key, NULL, &cached)) {
		sqlite3_bind_int64(st, index, (sqlite3_int64)GPOINTER_TO_SIZE(cached));
		return STORE_OK;
	}
	sqlite3_stmt *find = store_stmt(s, sql);
	if (!find)
		return STORE_ERROR;
	store_bind_text(find, 1, key);
	int rc = sqlite3_step(find);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, find);
	if (rc == SQLITE_ROW) {
		sqlite3_int64 id = sqlite3_column_int64(find, 0);
		g_hash_table_insert(ids, g_strdup(key), GSIZE_TO_POINTER((gsize)id));
		sqlite3_bind_int64(st, index, id);
	} else {
		sqlite3_bind_null(st, index);
	}
	sqlite3_reset(find);
	return STORE_OK;
}

int store_bind_org(struct store *s, sqlite3_stmt *st, int index, const char *key)
{
	return bind_id(s, st, index, key, s->org_ids, "SELECT id FROM organization WHERE key = ?1");
}

int store_bind_person(struct store *s, sqlite3_stmt *st, int index, const char *key)
{
	return bind_id(s, st, index, key, s->person_ids, "SELECT id FROM person WHERE key = ?1");
}

/* The number NNNN of a migration file named NNNN_what.sql. */
static int migration_number(const struct embedded_file *f)
{
	return atoi(f->name);
}

static int store_migrate(struct store *s)
{
	sqlite3_stmt *st = store_stmt(s, "PRAGMA user_version");
	if (!st)
		return STORE_ERROR;
	if (sqlite3_step(st) != SQLITE_ROW)
		return store_fail(s, st);
	int version = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	int latest = migration_number(&migrations[migrations_count - 1]);
	if (version > latest) {
		char *msg = g_strdup_printf("the database has schema %d, newer than this podium's %d: "
					    "use a newer podium", version, latest);
		store_set_error(s, SQLITE_NOTADB, msg, NULL);
		g_free(msg);
		return STORE_ERROR;
	}
	if (version == latest)
		return STORE_OK;
	if (store_begin(s) != STORE_OK)
		return STORE_ERROR;
	for (size_t i = 0; i < migrations_count; i++) {
		if (migration_number(&migrations[i]) <= version)
			continue;
		if (store_exec(s, migrations[i].data) != STORE_OK) {
			g_string_prepend(s->error, ": ");
			g_string_prepend(s->error, migrations[i].name);
			store_rollback(s);
			return STORE_ERROR;
		}
	}
	char pragma[64];
	snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", latest);
	if (store_exec(s, pragma) != STORE_OK || store_commit(s) != STORE_OK) {
		store_rollback(s);
		return STORE_ERROR;
	}
	return STORE_OK;
}

static void statement_finalize(gpointer st)
{
	sqlite3_finalize(st);
}

struct store *store_open(const char *path, enum store_mode mode, bool *created, char **error,
			 int *exit_code)
{
	bool exists = g_file_test(path, G_FILE_TEST_EXISTS);
	if (created)
		*created = false;
	if (!exists && mode == STORE_EXISTING) {
		*error = g_strdup_printf("no database at '%s' (create one with 'podium init' or 'podium import')",
					 path);
		*exit_code = 66;
		return NULL;
	}
	if (exists && g_file_test(path, G_FILE_TEST_IS_DIR)) {
		*error = g_strdup_printf("'%s' is a directory, not a database", path);
		*exit_code = mode == STORE_CREATE ? 74 : 66;
		return NULL;
	}
	struct store *s = g_new0(struct store, 1);
	s->error = g_string_new(NULL);
	s->statements = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, statement_finalize);
	s->org_ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	s->person_ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX |
		    (mode == STORE_CREATE ? SQLITE_OPEN_CREATE : 0);
	int rc = sqlite3_open_v2(path, &s->db, flags, NULL);
	if (rc == SQLITE_OK && created)
		*created = !exists;
	if (rc != SQLITE_OK) {
		store_set_error(s, rc, s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc), NULL);
		goto fail;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, BUSY_TIMEOUT_MS);
	if (store_exec(s, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; "
			  "PRAGMA foreign_keys = ON") != STORE_OK ||
	    store_migrate(s) != STORE_OK)
		goto fail;
	return s;
fail:
	*error = g_strdup_printf("'%s': %s", path, s->error->str);
	*exit_code = exit_code_of(s->error_code);
	bool made = created && *created;
	store_close(s);
	if (made)
		store_remove_files(path);
	if (created)
		*created = false;
	return NULL;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	g_hash_table_destroy(s->statements);
	g_hash_table_destroy(s->org_ids);
	g_hash_table_destroy(s->person_ids);
	sqlite3_close(s->db);
	g_string_free(s->error, TRUE);
	g_free(s);
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

int store_check_integrity(struct store *s, struct report *r)
{
	sqlite3_stmt *st = store_stmt(s, "PRAGMA integrity_check");
	if (!st)
		return STORE_ERROR;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *line = (const char *)sqlite3_column_text(st, 0);
		if (line && strcmp(line, "ok") != 0)
			report_add(r, "integrity_check", NULL, "%s", line);
	}
	if (rc != SQLITE_DONE)
		return store_fail(s, st);
	st = store_stmt(s, "PRAGMA foreign_key_check");
	if (!st)
		return STORE_ERROR;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		report_add(r, "foreign_key_check", NULL, "row %lld of table %s refers to a missing row of %s",
			   (long long)sqlite3_column_int64(st, 1), sqlite3_column_text(st, 0),
			   sqlite3_column_text(st, 2));
	if (rc != SQLITE_DONE)
		return store_fail(s, st);
	return STORE_OK;
}

int store_read_strings(struct store *s, sqlite3_stmt *st, struct arena *a, strv *list)
{
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		*ARRAY_PUSH(a, *list, &cap) = store_column_text(st, 0, a);
	if (rc != SQLITE_DONE)
		return store_fail(s, st);
	sqlite3_reset(st);
	return STORE_OK;
}
