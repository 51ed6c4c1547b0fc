/* org_store.c: the SQL of organizations (store.h). */
#include "store/store_internal.h"

#define ORG_COLUMNS                                                                               \
	"o.key, o.name, o.short_name, o.country, o.kind, "                                        \
	"(SELECT p.key FROM organization p WHERE p.id = o.parent_id)"

static void org_read(sqlite3_stmt *st, struct arena *a, struct org *o)
{
	o->key = store_column_text(st, 0, a);
	o->name = store_column_text(st, 1, a);
	o->short_name = store_column_text(st, 2, a);
	o->country = store_column_text(st, 3, a);
	o->kind = store_column_text(st, 4, a);
	o->parent = store_column_text(st, 5, a);
}

int org_store_get(struct store *s, const char *key, struct arena *a, struct org *out)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT " ORG_COLUMNS " FROM organization o WHERE o.key = ?1");
	if (!st)
		return STORE_ERROR;
	store_bind_text(st, 1, key);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		org_read(st, a, out);
	else if (rc != SQLITE_DONE)
		return store_fail(s, st);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? STORE_OK : STORE_NOT_FOUND;
}

int org_store_exists(struct store *s, const char *key, bool *exists)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM organization WHERE key = ?1");
	if (!st)
		return STORE_ERROR;
	store_bind_text(st, 1, key);
	return store_query_exists(s, st, exists);
}

int org_store_parent(struct store *s, const char *key, struct arena *a, const char **parent)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT p.key FROM organization o "
					 "JOIN organization p ON p.id = o.parent_id WHERE o.key = ?1");
	if (!st)
		return STORE_ERROR;
	store_bind_text(st, 1, key);
	int rc = sqlite3_step(st);
	*parent = rc == SQLITE_ROW ? store_column_text(st, 0, a) : NULL;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, st);
	sqlite3_reset(st);
	return STORE_OK;
}

int org_store_put(struct store *s, const struct org *o, bool exists)
{
	sqlite3_stmt *st = exists ? store_stmt(s, "UPDATE organization SET name = ?2, short_name = ?3, "
						  "country = ?4, kind = ?5 WHERE key = ?1")
				  : store_stmt(s, "INSERT INTO organization(key, name, short_name, "
						  "country, kind) VALUES (?1, ?2, ?3, ?4, ?5)");
	if (!st)
		return STORE_ERROR;
	store_bind_text(st, 1, o->key);
	store_bind_text(st, 2, o->name);
	store_bind_text(st, 3, o->short_name);
	store_bind_text(st, 4, o->country);
	store_bind_text(st, 5, o->kind);
	return store_run(s, st);
}

int org_store_set_parent(struct store *s, const char *key, const char *parent)
{
	sqlite3_stmt *st = store_stmt(s, "UPDATE organization SET parent_id = ?2 WHERE key = ?1");
	if (!st)
		return STORE_ERROR;
	store_bind_text(st, 1, key);
	if (store_bind_org(s, st, 2, parent) != STORE_OK)
		return STORE_ERROR;
	return store_run(s, st);
}

int org_store_each(struct store *s, struct arena *a, int (*fn)(void *ctx, const struct org *o),
		   void *ctx)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT " ORG_COLUMNS " FROM organization o ORDER BY o.id");
	if (!st)
		return STORE_ERROR;
	int rc = SQLITE_DONE, result = STORE_OK;
	while (result == STORE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct org o;
		org_read(st, a, &o);
		result = fn(ctx, &o);
	}
	if (result == STORE_OK && rc != SQLITE_DONE)
		return store_fail(s, st);
	sqlite3_reset(st);
	return result;
}
