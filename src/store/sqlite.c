/*
 * sqlite.c: the SQLite backend of the store (store_internal.h): a file
 * opened in WAL mode with foreign keys on, statements prepared once and
 * kept, BEGIN IMMEDIATE for writers, migrations from sql/sqlite/.
 */
#include <errno.h>
#include <poll.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "migrations_sqlite.h"
#include "store/store_internal.h"


static sqlite3 *db_of(struct store *s)
{
	return s->conn;
}

static enum store_failure failure_of(int code)
{
	switch (code & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
	case SQLITE_FULL:
	case SQLITE_IOERR:
	case SQLITE_CANTOPEN:
	case SQLITE_READONLY:
	case SQLITE_PERM:
		return FAILURE_IO;
	case SQLITE_NOTADB:
	case SQLITE_CORRUPT:
		return FAILURE_CORRUPT;
	default:
		return FAILURE_OTHER;
	}
}

/* Records the connection's current error. */
static int sqlite_fail(struct store *s, const struct stmt *st)
{
	sqlite3 *db = db_of(s);
	return store_fail(s, failure_of(sqlite3_extended_errcode(db)), sqlite3_errmsg(db), st);
}

static int sqlite_exec(struct store *s, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(db_of(s), sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		store_fail(s, failure_of(sqlite3_extended_errcode(db_of(s))),
			   msg ? msg : sqlite3_errstr(rc), NULL);
		sqlite3_free(msg);
		return STORE_ERROR;
	}
	return STORE_OK;
}

static bool sqlite_open(struct store *s, const char *path, enum store_mode mode, bool *created)
{
	bool exists = g_file_test(path, G_FILE_TEST_EXISTS);
	char *msg = NULL;
	if (!exists && mode == STORE_EXISTING)
		msg = g_strdup_printf("no database at '%s' (create one with 'podium init' or 'podium import')",
				      path);
	else if (exists && g_file_test(path, G_FILE_TEST_IS_DIR))
		msg = g_strdup_printf("'%s' is a directory, not a database", path);
	if (msg) {
		store_fail(s, exists && mode == STORE_CREATE ? FAILURE_IO : FAILURE_MISSING, msg, NULL);
		g_free(msg);
		return false;
	}
	sqlite3 *db = NULL;
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX |
		    (mode == STORE_CREATE ? SQLITE_OPEN_CREATE : 0);
	int rc = sqlite3_open_v2(path, &db, flags, NULL);
	s->conn = db;
	if (rc == SQLITE_OK) {
		*created = !exists;
		sqlite3_extended_result_codes(db, 1);
		sqlite3_busy_timeout(db, STORE_LOCK_WAIT_MS);
		if (sqlite_exec(s, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; "
				   "PRAGMA foreign_keys = ON") == STORE_OK)
			return true;
	} else {
		store_fail(s, failure_of(rc), db ? sqlite3_errmsg(db) : sqlite3_errstr(rc), NULL);
	}
	g_string_prepend(s->error, "': ");
	g_string_prepend(s->error, path);
	g_string_prepend_c(s->error, '\'');
	return false;
}

static void sqlite_close(struct store *s)
{
	sqlite3_close(db_of(s));
	s->conn = NULL;
}

static void *sqlite_prepare(struct store *s, const char *sql, int params)
{
	(void)params;
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v3(db_of(s), sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
		sqlite_fail(s, NULL);
		return NULL;
	}
	return st;
}

static void sqlite_finalize(void *impl)
{
	sqlite3_finalize(impl);
}

static void sqlite_reset(struct stmt *st)
{
	sqlite3_reset(st->impl);
	sqlite3_clear_bindings(st->impl);
}

static void sqlite_bind_text(struct stmt *st, int index, const char *v, size_t len)
{
	sqlite3_bind_text(st->impl, index, v, (int)len, SQLITE_STATIC);
}

static void sqlite_bind_int(struct stmt *st, int index, int64_t v)
{
	sqlite3_bind_int64(st->impl, index, v);
}

static void sqlite_bind_null(struct stmt *st, int index)
{
	sqlite3_bind_null(st->impl, index);
}

static void sqlite_bind_blob(struct stmt *st, int index, const void *v, size_t len)
{
	sqlite3_bind_blob64(st->impl, index, v, len, SQLITE_STATIC);
}

static int sqlite_step(struct stmt *st)
{
	int rc = sqlite3_step(st->impl);
	if (rc == SQLITE_ROW)
		return STMT_ROW;
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st->impl); /* ends the statement's read at once */
		return STMT_DONE;
	}
	sqlite_fail(st->store, st);
	sqlite3_reset(st->impl);
	return STORE_ERROR;
}

static const char *sqlite_column_text(struct stmt *st, int col, size_t *len)
{
	if (sqlite3_column_type(st->impl, col) == SQLITE_NULL)
		return NULL;
	const char *t = (const char *)sqlite3_column_text(st->impl, col);
	*len = (size_t)sqlite3_column_bytes(st->impl, col);
	return t ? t : "";
}

static int64_t sqlite_column_int(struct stmt *st, int col)
{
	return sqlite3_column_int64(st->impl, col);
}

static int sqlite_begin_read(struct store *s)
{
	return sqlite_exec(s, "BEGIN DEFERRED");
}

static int sqlite_begin_write(struct store *s)
{
	return sqlite_exec(s, "BEGIN IMMEDIATE");
}

static int sqlite_commit(struct store *s)
{
	return sqlite_exec(s, "COMMIT");
}

static void sqlite_rollback(struct store *s)
{
	if (!sqlite3_get_autocommit(db_of(s)))
		sqlite3_exec(db_of(s), "ROLLBACK", NULL, NULL, NULL);
}

static int sqlite_schema_version(struct store *s, int *version)
{
	int64_t v;
	struct stmt *st = store_stmt(s, "PRAGMA user_version");
	if (!st || stmt_integer(st, &v) != STORE_OK)
		return STORE_ERROR;
	*version = (int)v;
	return STORE_OK;
}

static int sqlite_set_schema_version(struct store *s, int version)
{
	char pragma[64];
	g_snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", version);
	return sqlite_exec(s, pragma);
}

static int sqlite_check_integrity(struct store *s, struct report *r)
{
	struct arena a = ARENA_INIT;
	struct stmt *st = store_stmt(s, "PRAGMA integrity_check");
	int rc = st ? STMT_ROW : STORE_ERROR;
	while (st && (rc = stmt_step(st)) == STMT_ROW) {
		const char *line = stmt_column_text(st, 0, &a);
		if (line && strcmp(line, "ok") != 0)
			report_add(r, "integrity_check", NULL, "%s", line);
	}
	st = rc == STMT_DONE ? store_stmt(s, "PRAGMA foreign_key_check") : NULL;
	while (st && (rc = stmt_step(st)) == STMT_ROW)
		report_add(r, "foreign_key_check", NULL, "row %lld of table %s refers to a missing row of %s",
			   (long long)stmt_column_int(st, 1), stmt_column_text(st, 0, &a),
			   stmt_column_text(st, 2, &a));
	arena_free(&a);
	return rc == STMT_DONE ? STORE_OK : STORE_ERROR;
}

/* More pages in memory; foreign keys unchecked (PRAGMA foreign_keys is a no-op inside a transaction). */
static int sqlite_bulk_start(struct store *s)
{
	return sqlite_exec(s, "PRAGMA cache_size = -65536; PRAGMA foreign_keys = OFF");
}

static void sqlite_bulk_end(struct store *s)
{
	sqlite3_exec(db_of(s), "PRAGMA foreign_keys = ON; PRAGMA cache_size = -2000", NULL, NULL, NULL);
}

static int sqlite_tables(struct store *s, struct arena *a, strv *names)
{
	struct stmt *st = store_stmt(s, "SELECT name FROM sqlite_master WHERE type = 'table' "
				       "AND name NOT LIKE 'sqlite!_%' ESCAPE '!' ORDER BY name");
	return st ? stmt_strings(st, a, names) : STORE_ERROR;
}

/* The watcher: inotify on the database's directory; a write to its files is a change. */
struct sqlite_watch {
	const struct backend *backend; /* first: store_watch_stop finds the backend through it */
	int fd, stop[2];
	char *names[3];                /* the database's file, its -wal and -journal */
	GThread *thread;
	void (*changed)(void *ctx);
	void *ctx;
};

static gpointer sqlite_watch_run(gpointer data)
{
	struct sqlite_watch *w = data;
	char buffer[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
	struct pollfd fds[2] = {{w->fd, POLLIN, 0}, {w->stop[0], POLLIN, 0}};
	for (;;) {
		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (fds[1].revents)
			break;
		ssize_t n = read(w->fd, buffer, sizeof buffer);
		if (n <= 0) {
			if (n < 0 && (errno == EINTR || errno == EAGAIN))
				continue;
			break;
		}
		bool changed = false;
		for (char *p = buffer; p < buffer + n;) {
			const struct inotify_event *ev = (const struct inotify_event *)p;
			changed |= (ev->mask & IN_Q_OVERFLOW) != 0;
			for (size_t i = 0; ev->len && i < G_N_ELEMENTS(w->names); i++)
				changed |= strcmp(ev->name, w->names[i]) == 0;
			p += sizeof *ev + ev->len;
		}
		if (changed)
			w->changed(w->ctx);
	}
	return NULL;
}

static void sqlite_watch_free(struct sqlite_watch *w)
{
	if (w->fd >= 0)
		close(w->fd);
	for (size_t i = 0; i < G_N_ELEMENTS(w->names); i++)
		g_free(w->names[i]);
	g_free(w);
}

static struct store_watch *sqlite_watch_start(const char *path, void (*changed)(void *ctx), void *ctx)
{
	struct sqlite_watch *w = g_new0(struct sqlite_watch, 1);
	w->backend = &sqlite_backend;
	w->changed = changed;
	w->ctx = ctx;
	char *dir = g_path_get_dirname(path), *base = g_path_get_basename(path);
	w->names[0] = g_strdup(base);
	w->names[1] = g_strconcat(base, "-wal", NULL);
	w->names[2] = g_strconcat(base, "-journal", NULL);
	w->fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	bool ok = w->fd >= 0 &&
		  inotify_add_watch(w->fd, dir, IN_MODIFY | IN_CLOSE_WRITE | IN_CREATE | IN_DELETE |
							IN_MOVED_TO | IN_MOVED_FROM) >= 0 &&
		  pipe(w->stop) == 0;
	g_free(dir);
	g_free(base);
	if (!ok) {
		log_line("cannot watch the database for changes (%s): checking on each request",
			 g_strerror(errno));
		sqlite_watch_free(w);
		return NULL;
	}
	w->thread = g_thread_new("watch", sqlite_watch_run, w);
	return (struct store_watch *)w;
}

static void sqlite_watch_stop(struct store_watch *sw)
{
	struct sqlite_watch *w = (struct sqlite_watch *)sw;
	if (write(w->stop[1], "x", 1) != 1)
		log_line("cannot stop the database watcher");
	g_thread_join(w->thread);
	close(w->stop[0]);
	close(w->stop[1]);
	sqlite_watch_free(w);
}

const struct backend sqlite_backend = {
	.name = "sqlite",
	.open = sqlite_open,
	.close = sqlite_close,
	.prepare = sqlite_prepare,
	.finalize = sqlite_finalize,
	.reset = sqlite_reset,
	.bind_text = sqlite_bind_text,
	.bind_int = sqlite_bind_int,
	.bind_null = sqlite_bind_null,
	.bind_blob = sqlite_bind_blob,
	.step = sqlite_step,
	.column_text = sqlite_column_text,
	.column_int = sqlite_column_int,
	.exec = sqlite_exec,
	.begin_read = sqlite_begin_read,
	.begin_write = sqlite_begin_write,
	.commit = sqlite_commit,
	.rollback = sqlite_rollback,
	.schema_version = sqlite_schema_version,
	.set_schema_version = sqlite_set_schema_version,
	.migrations = migrations_sqlite,
	.migrations_count = &migrations_sqlite_count,
	.check_integrity = sqlite_check_integrity,
	.bulk_start = sqlite_bulk_start,
	.bulk_end = sqlite_bulk_end,
	.tables = sqlite_tables,
	.watch_start = sqlite_watch_start,
	.watch_stop = sqlite_watch_stop,
};
