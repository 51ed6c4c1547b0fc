/*
 * store.c: what every backend shares behind store.h: the prepared
 * statement cache, binding and reading helpers, transactions and the data
 * version, and error reporting. The backends (sqlite.c, pg.c) use it and
 * only talk to their library; open.c, above them, chooses one and migrates.
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

int store_migrated_from(const struct store *s)
{
	return s->migrated_from;
}

static int exit_code_of(enum store_failure failure)
{
	switch (failure) {
	case FAILURE_IO:
	case FAILURE_UNAVAILABLE:
	case FAILURE_RETRY:
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

void stmt_free(gpointer p)
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
	if (st->store->backend->run)
		return st->store->backend->run(st);
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

const void *stmt_column_blob(struct stmt *st, int col, struct arena *a, size_t *len)
{
	*len = 0;
	if (st->store->backend->column_blob)
		return st->store->backend->column_blob(st, col, a, len);
	const char *t = st->store->backend->column_text(st, col, len);
	if (!t)
		return NULL;
	void *copy = arena_alloc(a, *len ? *len : 1);
	memcpy(copy, t, *len);
	return copy;
}

void stmt_column_translations(struct stmt *st, int col, struct arena *a, const struct translatable *f,
			      translations *out)
{
	size_t len;
	const char *t = st->store->backend->column_text(st, col, &len); /* NUL-terminated on both backends */
	if (!translations_load(t, f, a, out))
		log_line("ignored the unreadable translations of a row of: %s", st->sql);
}

int stmt_run_translated(struct stmt *st, int index, const translations *t, const struct translatable *f)
{
	char *json = translations_dump(t, f);
	stmt_bind_text(st, index, json);
	int rc = stmt_run(st);
	g_free(json);
	return rc;
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

int store_prefetch_with_id(struct store *s, const char *const *const *lists, int64_t id)
{
	if (!s->backend->prefetch)
		return STORE_OK;
	GPtrArray *sts = g_ptr_array_new();
	int rc = STORE_OK;
	for (size_t l = 0; lists[l] && rc == STORE_OK; l++)
		for (size_t i = 0; lists[l][i] && rc == STORE_OK; i++) {
			struct stmt *st = store_stmt(s, lists[l][i]);
			if (st) {
				stmt_bind_int(st, 1, id);
				g_ptr_array_add(sts, st);
			}
			rc = st ? STORE_OK : STORE_ERROR;
		}
	if (rc == STORE_OK && sts->len)
		rc = s->backend->prefetch((struct stmt *const *)sts->pdata, sts->len);
	g_ptr_array_free(sts, TRUE);
	return rc;
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

/*
 * The lengths of store_each_among's key lists. PostgreSQL's server pays
 * for every parameter of a list, NULLs too: a list of 128 for the three
 * keys a page asks for cost 0.2 ms of its CPU. So a query takes the
 * shortest list that holds its keys.
 */
static const size_t among_lengths[] = {1, 8, 32, 128};

/* The SQL text of query for the among_lengths[slot] keys, made once per store (interned: a cache key). */
static const char *among_text(struct store *s, const char *query, size_t slot)
{
	const char **texts = g_hash_table_lookup(s->among, query);
	if (!texts) {
		texts = g_new0(const char *, G_N_ELEMENTS(among_lengths));
		g_hash_table_insert(s->among, (gpointer)query, texts);
	}
	if (!texts[slot]) {
		GString *sql = g_string_new(query);
		if (among_lengths[slot] == 1) {
			g_string_append(sql, " = ?1");
		} else {
			for (size_t i = 1; i <= among_lengths[slot]; i++)
				g_string_append_printf(sql, "%s?%zu", i == 1 ? " IN (" : ", ", i);
			g_string_append_c(sql, ')');
		}
		texts[slot] = g_intern_string(sql->str);
		g_string_free(sql, TRUE);
	}
	return texts[slot];
}

int store_each_among(struct store *s, const char *query, const char *const *keys, size_t n,
		     int (*row)(struct stmt *st, void *ctx), void *ctx)
{
	/*
	 * A backend of round trips reads many keys per query; in process a query
	 * per key is cheaper (no list for the database to build first).
	 */
	size_t per_query = 1;
	for (size_t from = 0; from < n; from += per_query) {
		size_t slot = 0;
		while (s->backend->prefetch && slot + 1 < G_N_ELEMENTS(among_lengths) &&
		       among_lengths[slot] < n - from)
			slot++;
		per_query = among_lengths[slot];
		const char *text = among_text(s, query, slot);
		struct stmt *st = store_stmt(s, text);
		if (!st)
			return STORE_ERROR;
		for (size_t i = 0; i < per_query; i++) /* a short last batch binds NULLs: no match */
			stmt_bind_text(st, (int)i + 1, from + i < n ? keys[from + i] : NULL);
		int rc;
		while ((rc = stmt_step(st)) == STMT_ROW)
			if (row(st, ctx) != STORE_OK) {
				stmt_reset(st);
				return STORE_ERROR;
			}
		if (rc != STMT_DONE)
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
	s->reads = 0;
	return STORE_OK;
}

int store_begin_private(struct store *s)
{
	s->private_write = true;
	if (store_begin(s) == STORE_OK)
		return STORE_OK;
	s->private_write = false;
	return STORE_ERROR;
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

int store_bulk_take_tables(struct store *s)
{
	g_assert(s->txn == TXN_WRITE && s->bulk);
	return s->backend->take_tables ? s->backend->take_tables(s) : STORE_OK;
}

int store_refresh_statistics(struct store *s)
{
	return s->backend->refresh_statistics ? s->backend->refresh_statistics(s) : STORE_OK;
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
	/* within a read: the same snapshot; within a write: the database as it has written it */
	if (s->txn != TXN_NONE) {
		s->reads++;
		return STORE_OK;
	}
	if (s->backend->begin_read(s) != STORE_OK)
		return STORE_ERROR;
	s->txn = TXN_READ;
	s->reads = 1;
	return STORE_OK;
}

void store_end_read(struct store *s)
{
	if (s->txn == TXN_NONE || --s->reads > 0 || s->txn == TXN_WRITE)
		return;
	s->backend->rollback(s);
	s->txn = TXN_NONE;
}

int store_commit(struct store *s)
{
	store_forget_transaction(s);
	if (s->txn == TXN_WRITE && !s->private_write) {
		struct stmt *st = store_stmt(s, "UPDATE meta SET data_version = data_version + 1");
		if (!st || stmt_run(st) != STORE_OK)
			return STORE_ERROR;
	}
	int rc = s->backend->commit(s);
	if (rc == STORE_OK) {
		s->txn = TXN_NONE;
		s->private_write = false;
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
	s->private_write = false;
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

void store_note_error(struct store *s, const char *message)
{
	store_fail(s, FAILURE_IO, message, NULL);
}

void store_copy_error(struct store *to, const struct store *from)
{
	store_fail(to, from->failure, from->error->str, NULL);
}
