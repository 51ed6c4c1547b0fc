/*
 * open.c: opening a store: choosing the backend from the target, applying
 * the numbered migrations in one transaction, closing, watching for
 * changes, and how a target is shown. It sits above the backends (sqlite.c,
 * pg.c), which sit above the shared helpers of store.c.
 */
#include "store/store_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const keyword_starts[] = {"host=", "hostaddr=", "port=", "dbname=", "user=", "service="};

bool store_target_is_postgresql(const char *target)
{
	if (!target)
		return false;
	if (g_str_has_prefix(target, "postgresql://") || g_str_has_prefix(target, "postgres://"))
		return true;
	for (size_t i = 0; i < G_N_ELEMENTS(keyword_starts); i++)
		if (g_str_has_prefix(target, keyword_starts[i]))
			return true;
	return false;
}

char *store_target_display(const char *target)
{
	if (!store_target_is_postgresql(target))
		return g_strdup(target);
	char *shown = pg_target_display(target);
	return shown ? shown : g_strdup("(a PostgreSQL connection string libpq cannot read)");
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
	s->migrated_from = version;
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
	const struct backend *b = store_target_is_postgresql(path) ? &pg_backend : &sqlite_backend;
	struct store *s = g_new0(struct store, 1);
	s->backend = b;
	s->error = g_string_new(NULL);
	s->statements = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, stmt_free);
	s->among = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
	s->org_ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	s->person_ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	s->next_ids = g_hash_table_new(g_direct_hash, g_direct_equal);
	s->target = store_target_display(path);
	s->migrated_from = -1;
	s->connect = g_strdup(path);
	bool made = false;
	if (created)
		*created = false;
	bool opened = b->open(s, path, mode, &made); /* its errors name the target */
	if (!opened || store_migrate(s) != STORE_OK) {
		*error = opened ? g_strdup_printf("'%s': %s", s->target, s->error->str)
				: g_strdup(s->error->str);
		*exit_code = store_error_exit_code(s);
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
	g_hash_table_destroy(s->among);
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

struct store_watch *store_watch_start(const struct store *s, void (*changed)(void *ctx), void *ctx)
{
	return s->backend->watch_start(s->connect, changed, ctx);
}

void store_watch_stop(struct store_watch *w)
{
	/* the watch knows its backend: its first member */
	if (w)
		(*(const struct backend *const *)w)->watch_stop(w);
}

void store_target_scrub(char *arg)
{
	if (!store_target_is_postgresql(arg) || strlen(arg) == 0)
		return;
	char *shown = store_target_display(arg);
	size_t len = strlen(arg);
	memset(arg, 0, len);
	g_strlcpy(arg, shown, len + 1);
	g_free(shown);
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
