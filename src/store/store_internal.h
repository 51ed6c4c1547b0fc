/*
 * store_internal.h: what the *_store.c files share, whatever the backend:
 * prepared statements behind one small interface (SQL written once, with
 * ?1-style parameters, runs on SQLite and on PostgreSQL), binding and
 * reading helpers, and the connection's state. Not for callers of store.h.
 */
#pragma once
#include <glib.h>
#include <stdint.h>

#include "core/embedded.h"
#include "store/store.h"

struct backend;

/* The kind of the last error, which decides its exit code and HTTP status. */
enum store_failure {
	FAILURE_NONE,
	FAILURE_OTHER,       /* a bug, a constraint the rules should have caught: 70, 500 */
	FAILURE_IO,          /* disk full, I/O, lock wait past the timeout, permission: 74, 500 */
	FAILURE_CORRUPT,     /* not a database, corrupt, a newer schema: 65, 500 */
	FAILURE_UNAVAILABLE, /* the database server cannot be reached now: 74, 503 */
	FAILURE_MISSING,     /* the database does not exist: 66 */
	FAILURE_RETRY,       /* a serialization failure or deadlock: the transaction may be retried */
};

struct stmt {
	struct store *store;
	const char *sql;   /* the statement's text, quoted in errors */
	void *impl;        /* the backend's prepared statement */
	int params;        /* highest ?N of the text */
};

struct store {
	const struct backend *backend;
	void *conn;             /* the backend's connection */
	char *target;           /* path or connection string with no password, for messages */
	char *connect;          /* what it was opened with, for store_open_another */
	GHashTable *statements; /* SQL text pointer -> struct stmt* */
	GHashTable *among;      /* store_each_among's query -> its SQL texts by list length, interned */
	GString *error;
	enum store_failure failure;
	enum { TXN_NONE, TXN_READ, TXN_WRITE } txn;
	bool bulk;              /* the write transaction is a bulk one (store_begin_bulk) */
	bool private_write;     /* the write transaction is a private one (store_begin_private) */
	int reads;              /* store_begin_read calls not yet ended: nested ones share the snapshot */
	int migrated_from;      /* the schema version before store_open migrated it, or -1 */
	/* key -> row id of organizations and people, valid within one write transaction */
	GHashTable *org_ids, *person_ids;
	/* next free row id per table, valid within one write transaction (store_next_id) */
	GHashTable *next_ids;
};

/* What a backend provides (sqlite.c, pg.c). Statement functions act on st->impl. */
struct backend {
	const char *name;
	/* Opens target, filling s->conn; false with the error recorded. */
	bool (*open)(struct store *s, const char *target, enum store_mode mode, bool *created);
	void (*close)(struct store *s);
	void *(*prepare)(struct store *s, const char *sql, int params);
	void (*finalize)(void *impl);
	void (*reset)(struct stmt *st);
	void (*bind_text)(struct stmt *st, int index, const char *v, size_t len);
	void (*bind_int)(struct stmt *st, int index, int64_t v);
	void (*bind_null)(struct stmt *st, int index);
	void (*bind_blob)(struct stmt *st, int index, const void *v, size_t len);
	int (*step)(struct stmt *st);
	/* A statement of no rows (may be NULL: steps to its end); may be sent without waiting in bulk. */
	int (*run)(struct stmt *st);
	/* column col of the current row: NULL for SQL NULL, *len its bytes */
	const char *(*column_text)(struct stmt *st, int col, size_t *len);
	int64_t (*column_int)(struct stmt *st, int col);
	/* column col's bytes as a blob (NULL: column_text's bytes are the blob's), copied into a */
	const void *(*column_blob)(struct stmt *st, int col, struct arena *a, size_t *len);
	/* Runs SQL text of one or more statements that return no rows. */
	int (*exec)(struct store *s, const char *sql);
	/* Transactions: read (one snapshot), write (one writer at a time), end. */
	int (*begin_read)(struct store *s);
	int (*begin_write)(struct store *s);
	int (*commit)(struct store *s);
	void (*rollback)(struct store *s);
	/* The schema version stored in the database (0 when none yet), and its update. */
	int (*schema_version)(struct store *s, int *version);
	int (*set_schema_version)(struct store *s, int version);
	/* The migrations of this backend, in order. */
	const struct embedded_file *migrations;
	const size_t *migrations_count;
	/* backend-specific parts of store.h */
	int (*check_integrity)(struct store *s, struct report *r);
	/* Before a bulk write transaction begins, and after it ended. */
	int (*bulk_start)(struct store *s);
	void (*bulk_end)(struct store *s);
	/* stmt_prefetch; NULL where statements cost no round trip (in process) */
	int (*prefetch)(struct stmt *const *sts, size_t n);
	/* store_bulk_take_tables and store_refresh_statistics of store.h; NULL: nothing to do */
	int (*take_tables)(struct store *s);
	int (*refresh_statistics)(struct store *s);
	/* the names of the database's tables, for store_copy's check */
	int (*tables)(struct store *s, struct arena *a, strv *names);
	/* store_watch_start and _stop of store.h */
	struct store_watch *(*watch_start)(const char *connect, void (*changed)(void *ctx), void *ctx);
	void (*watch_stop)(struct store_watch *w);
};

extern const struct backend sqlite_backend, pg_backend;

/* true when target names a PostgreSQL database (a postgresql:// URI or libpq keywords). */
bool store_target_is_postgresql(const char *target);
/* pg.c: the target as messages show it, password left out; NULL when libpq cannot parse it */
char *pg_target_display(const char *conninfo);
/* the statement cache's destructor (a GDestroyNotify) */
void stmt_free(gpointer p);

enum { STMT_DONE = 0, STMT_ROW = 1 };

/* How long a writer waits for another's transaction (or a lock) before it fails with an I/O error. */
enum { STORE_LOCK_WAIT_MS = 5000 };

/*
 * Returns the prepared statement for sql (a string literal: its address is
 * the cache key), reset and with no bindings, or NULL with the error
 * recorded. Parameters are written ?1, ?2... in the text.
 */
struct stmt *store_stmt(struct store *s, const char *sql);
/* Records an error of kind failure with message (and the SQL of st, may be NULL); returns STORE_ERROR. */
int store_fail(struct store *s, enum store_failure failure, const char *message, const struct stmt *st);

/* Binds a text, or NULL when v is NULL. The text must live until the statement runs. */
void stmt_bind_text(struct stmt *st, int index, const char *v);
void stmt_bind_int(struct stmt *st, int index, int64_t v);
void stmt_bind_opt_int(struct stmt *st, int index, struct opt_int v);
void stmt_bind_blob(struct stmt *st, int index, const void *v, size_t len);
/*
 * Binds the row id of the organization or person with key (NULL when key
 * is NULL); a key that names none is an error. Ids are cached until the
 * transaction ends.
 */
int stmt_bind_org(struct stmt *st, int index, const char *key);
int stmt_bind_person(struct stmt *st, int index, const char *key);
/* The next row: STMT_ROW, STMT_DONE, or STORE_ERROR with the error recorded. */
int stmt_step(struct stmt *st);
/* Ends st early (after the rows wanted were read), releasing what it holds. */
void stmt_reset(struct stmt *st);
/*
 * Runs queries ahead, all at once: each of lists (NULL-ended lists of SQL
 * texts, the very pointers their readers pass to store_stmt, each with one
 * parameter ?1) is bound with id and sent in one round trip; the rows are
 * kept until the reader steps the statement (bound to the same values) in
 * the same transaction. Where statements cost no round trip (SQLite, in
 * process) nothing happens: the readers run them as usual.
 */
int store_prefetch_with_id(struct store *s, const char *const *const *lists, int64_t id);
/* The queries the loads of a program's parts run, each with the program's id as ?1. */
extern const char *const program_store_queries[], *const timetable_store_queries[],
	*const news_store_queries[];
/* Steps st to completion (rows, if any, are ignored); STORE_OK or STORE_ERROR. */
int stmt_run(struct stmt *st);
/* Column as an arena copy, NULL for SQL NULL. */
const char *stmt_column_text(struct stmt *st, int col, struct arena *a);
/* A BLOB (bytea) column as an arena copy of *len bytes, NULL for SQL NULL. */
const void *stmt_column_blob(struct stmt *st, int col, struct arena *a, size_t *len);
int64_t stmt_column_int(struct stmt *st, int col);
/* Column col, translations_dump's text or NULL, read into out (none, logged, when unreadable). */
void stmt_column_translations(struct stmt *st, int col, struct arena *a, const struct translatable *f,
			      translations *out);
/* Binds t's canonical JSON (NULL when empty) as parameter index, then runs st (stmt_run). */
int stmt_run_translated(struct stmt *st, int index, const translations *t, const struct translatable *f);
struct opt_int stmt_column_opt_int(struct stmt *st, int col);
bool stmt_column_is_null(struct stmt *st, int col);
/* Steps a query for whether it has a row; STORE_OK with *exists, or STORE_ERROR. */
int stmt_exists(struct stmt *st, bool *exists);
/* Steps a query of one integer (e.g. SELECT count(*)) into *value; STORE_NOT_FOUND when no row. */
int stmt_integer(struct stmt *st, int64_t *value);
/*
 * Runs query (ending in the column to match: "... WHERE o.key") for each
 * of the n keys, calling row(st, ctx) for each row found (in no particular
 * order); row returns STORE_OK to go on. Where statements cost a round
 * trip, many keys go in one query ("IN (?1, ...)"), else one query per key.
 * query must live as long as s (a literal): its SQL texts are kept by it.
 */
int store_each_among(struct store *s, const char *query, const char *const *keys, size_t n,
		     int (*row)(struct stmt *st, void *ctx), void *ctx);
/* The ctx of the *_store_find functions' row callbacks: records allocated in a, added to found. */
struct store_found {
	struct arena *a;
	GHashTable *found;
};
/* Fails (a bug) when the database has a table store_copy does not know. */
int store_copy_check_tables(struct store *s);
/* Runs each of the n statements of sql (no rows), each bound with id as ?1. */
int store_run_with_id(struct store *s, const char *const *sql, size_t n, int64_t id);
/* Appends column 0 of every row of st to list. */
int stmt_strings(struct stmt *st, struct arena *a, strv *list);
/*
 * The next free row id of table (which has an integer id column), for
 * inserts that name their ids: reserved within the current write
 * transaction, which is the only writer.
 */
int store_next_id(struct store *s, const char *table, int64_t *id);
/* store_next_id for a new organization or person of key, remembered in ids for stmt_bind_org/person. */
int store_new_id(struct store *s, const char *table, GHashTable *ids, const char *key, int64_t *id);

/* The parts of a program that its feature stores read and write, by program row id. */
int timetable_store_load(struct store *s, int64_t program_id, struct arena *a, struct program *p);
int timetable_store_insert(struct store *s, int64_t program_id, const struct program *p);
int timetable_store_delete(struct store *s, int64_t program_id);
int news_store_load(struct store *s, int64_t program_id, struct arena *a, struct program *p);
int news_store_insert(struct store *s, int64_t program_id, const struct program *p);
int news_store_delete(struct store *s, int64_t program_id);
int program_store_id(struct store *s, const char *slug, int64_t *id);
int program_store_load(struct store *s, int64_t id, struct arena *a, struct program *out);
/*
 * The columns of an organization (o) and of a person (p), read by
 * org_store_read and person_store_read; the query joins ORG_PARENT or
 * PERSON_ORG after o or p. Joins, not a subquery per row, for queries of
 * many rows: PostgreSQL would look the parent up once for every row.
 */
#define ORG_COLUMNS_WITH(parent) "o.key, o.name, o.short_name, o.country, o.kind, " parent ", o.translations"
#define PERSON_COLUMNS_WITH(org)                                                                   \
	"p.key, p.name, p.honorific, p.position, " org ", p.country, p.email, p.translations"
#define ORG_COLUMNS ORG_COLUMNS_WITH("op.key")
#define ORG_PARENT " LEFT JOIN organization op ON op.id = o.parent_id "
#define PERSON_COLUMNS PERSON_COLUMNS_WITH("po.key")
#define PERSON_ORG " LEFT JOIN organization po ON po.id = p.organization_id "
/*
 * The same columns for store_each_among's queries, of a few rows by key:
 * with the parent's (the organization's) key by a subquery, an index
 * lookup for each row found. PostgreSQL plans an IN list of 128 keys for
 * 128 rows and then hashes the whole organization table for the join:
 * 1,500 rows for the three a page asks for.
 */
#define ORG_COLUMNS_FEW ORG_COLUMNS_WITH("(SELECT op.key FROM organization op WHERE op.id = o.parent_id)")
#define PERSON_COLUMNS_FEW                                                                         \
	PERSON_COLUMNS_WITH("(SELECT po.key FROM organization po WHERE po.id = p.organization_id)")
void org_store_read(struct stmt *st, struct arena *a, struct org *o);
void person_store_read(struct stmt *st, struct arena *a, struct person *p);
/*
 * Fills dir with the people of people_sql (PERSON_COLUMNS bound with id as
 * ?1; may be NULL; a person may come more than once) and the organizations
 * of orgs (keys, NULLs skipped) and of those people, with their parents;
 * sorts it.
 */
int directory_store_fill(struct store *s, const char *people_sql, int64_t id, const strv *orgs,
			 struct arena *a, struct directory *dir);
