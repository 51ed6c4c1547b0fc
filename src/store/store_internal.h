/*
 * store_internal.h: what the *_store.c files share: the connection, its
 * cache of prepared statements (each keeps its SQL text, so errors quote
 * it), and binding and reading helpers. Not for callers of store.h.
 */
#pragma once
#include <sqlite3.h>

#include "store/store.h"

struct store {
	sqlite3 *db;
	GHashTable *statements; /* SQL text pointer -> prepared sqlite3_stmt* */
	GString *error;
	int error_code;         /* extended SQLite result code of the last error */
	/* key -> row id of organizations and people, valid within one transaction */
	GHashTable *org_ids, *person_ids;
};

/*
 * Returns the prepared statement for sql (a string literal: its address is
 * the cache key), reset and with bindings cleared, or NULL with the error
 * recorded.
 */
sqlite3_stmt *store_stmt(struct store *s, const char *sql);
/* Records the connection's current error for statement st (may be NULL); returns STORE_ERROR. */
int store_fail(struct store *s, sqlite3_stmt *st);
/* Steps st to completion (a statement returning no rows); STORE_OK or STORE_ERROR. */
int store_run(struct store *s, sqlite3_stmt *st);

/*
 * Binds the row id of the organization or person with key (NULL when key
 * is NULL or names none). Ids are cached until the transaction ends.
 */
int store_bind_org(struct store *s, sqlite3_stmt *st, int index, const char *key);
int store_bind_person(struct store *s, sqlite3_stmt *st, int index, const char *key);
/* Binds a text, or NULL when s is NULL. */
void store_bind_text(sqlite3_stmt *st, int index, const char *s);
void store_bind_opt_int(sqlite3_stmt *st, int index, struct opt_int v);
/* Column as an arena copy, NULL for SQL NULL. */
const char *store_column_text(sqlite3_stmt *st, int col, struct arena *a);
struct opt_int store_column_opt_int(sqlite3_stmt *st, int col);
/* Steps a query for one integer (e.g. SELECT count(*)); STORE_NOT_FOUND when no row. */
int store_query_exists(struct store *s, sqlite3_stmt *st, bool *exists);

/* The parts of a program that its feature stores read and write, by program row id. */
int timetable_store_load(struct store *s, int64_t program_id, struct arena *a, struct program *p);
int timetable_store_insert(struct store *s, int64_t program_id, const struct program *p);
int timetable_store_delete(struct store *s, int64_t program_id);
int news_store_load(struct store *s, int64_t program_id, struct arena *a, struct program *p);
int news_store_insert(struct store *s, int64_t program_id, const struct program *p);
int news_store_delete(struct store *s, int64_t program_id);
/* Runs st (bound with program_id as ?1 by the caller) and appends column 0 of each row to list. */
int store_read_strings(struct store *s, sqlite3_stmt *st, struct arena *a, strv *list);
