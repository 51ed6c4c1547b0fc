/* org_store.c: the SQL of organizations (store.h). */
#include "store/store_internal.h"

void org_store_read(struct stmt *st, struct arena *a, struct org *o)
{
	o->key = stmt_column_text(st, 0, a);
	o->name = stmt_column_text(st, 1, a);
	o->short_name = stmt_column_text(st, 2, a);
	o->country = stmt_column_text(st, 3, a);
	o->kind = stmt_column_text(st, 4, a);
	o->parent = stmt_column_text(st, 5, a);
	stmt_column_translations(st, 6, a, &org_translatable, &o->translations);
}

int org_store_get(struct store *s, const char *key, struct arena *a, struct org *out)
{
	struct stmt *st = store_stmt(s, "SELECT " ORG_COLUMNS " FROM organization o" ORG_PARENT "WHERE o.key = ?1");
	if (!st)
		return STORE_ERROR;
	stmt_bind_text(st, 1, key);
	int rc = stmt_step(st);
	if (rc == STMT_ROW) {
		org_store_read(st, a, out);
		stmt_reset(st);
	}
	return rc == STORE_ERROR ? STORE_ERROR : rc == STMT_ROW ? STORE_OK : STORE_NOT_FOUND;
}

static int found_org(struct stmt *st, void *ctx)
{
	struct store_found *f = ctx;
	struct org *o = arena_alloc(f->a, sizeof *o);
	org_store_read(st, f->a, o);
	g_hash_table_insert(f->found, (gpointer)o->key, o);
	return STORE_OK;
}

int org_store_find(struct store *s, const char *const *keys, size_t n, struct arena *a,
		   GHashTable *found)
{
	struct store_found f = {a, found};
	return store_each_among(s, "SELECT " ORG_COLUMNS_FEW " FROM organization o WHERE o.key", keys, n,
				found_org, &f);
}

int org_store_named(struct store *s, const char *const *names, size_t n, struct arena *a,
		    GHashTable *found)
{
	struct store_found f = {a, found};
	if (store_each_among(s, "SELECT " ORG_COLUMNS_FEW " FROM organization o WHERE o.name", names, n,
			     found_org, &f) != STORE_OK)
		return STORE_ERROR;
	return store_each_among(s, "SELECT " ORG_COLUMNS_FEW " FROM organization o WHERE o.short_name", names,
				n, found_org, &f);
}

int org_store_exists(struct store *s, const char *key, bool *exists)
{
	struct stmt *st = store_stmt(s, "SELECT 1 FROM organization WHERE key = ?1");
	if (!st)
		return STORE_ERROR;
	stmt_bind_text(st, 1, key);
	return stmt_exists(st, exists);
}

int org_store_parent(struct store *s, const char *key, struct arena *a, const char **parent)
{
	struct stmt *st = store_stmt(s, "SELECT p.key FROM organization o "
				       "JOIN organization p ON p.id = o.parent_id WHERE o.key = ?1");
	if (!st)
		return STORE_ERROR;
	stmt_bind_text(st, 1, key);
	int rc = stmt_step(st);
	*parent = rc == STMT_ROW ? stmt_column_text(st, 0, a) : NULL;
	if (rc == STMT_ROW)
		stmt_reset(st);
	return rc == STORE_ERROR ? STORE_ERROR : STORE_OK;
}

int org_store_put(struct store *s, const struct org *o, bool exists)
{
	int64_t id = 0;
	if (!exists && store_new_id(s, "organization", s->org_ids, o->key, &id) != STORE_OK)
		return STORE_ERROR;
	struct stmt *st = exists ? store_stmt(s, "UPDATE organization SET name = ?2, short_name = ?3, "
						 "country = ?4, kind = ?5, translations = ?6 WHERE key = ?1")
				 : store_stmt(s, "INSERT INTO organization(key, name, short_name, "
						 "country, kind, translations, id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
	if (!st)
		return STORE_ERROR;
	if (!exists)
		stmt_bind_int(st, 7, id);
	stmt_bind_text(st, 1, o->key);
	stmt_bind_text(st, 2, o->name);
	stmt_bind_text(st, 3, o->short_name);
	stmt_bind_text(st, 4, o->country);
	stmt_bind_text(st, 5, o->kind);
	return stmt_run_translated(st, 6, &o->translations, &org_translatable);
}

int org_store_set_parent(struct store *s, const char *key, const char *parent)
{
	struct stmt *st = store_stmt(s, "UPDATE organization SET parent_id = ?2 WHERE key = ?1");
	if (!st)
		return STORE_ERROR;
	stmt_bind_text(st, 1, key);
	if (stmt_bind_org(st, 2, parent) != STORE_OK)
		return STORE_ERROR;
	return stmt_run(st);
}

int org_store_each(struct store *s, struct arena *a, int (*fn)(void *ctx, const struct org *o),
		   void *ctx)
{
	struct stmt *st = store_stmt(s, "SELECT " ORG_COLUMNS " FROM organization o" ORG_PARENT "ORDER BY o.id");
	if (!st)
		return STORE_ERROR;
	int rc, result = STORE_OK;
	while (result == STORE_OK && (rc = stmt_step(st)) == STMT_ROW) {
		struct org o;
		org_store_read(st, a, &o);
		result = fn(ctx, &o);
	}
	if (result != STORE_OK) {
		stmt_reset(st);
		return result;
	}
	return rc == STMT_DONE ? STORE_OK : STORE_ERROR;
}

int org_store_references(struct store *s, const char *key, struct arena *a, strv *out)
{
	struct stmt *st = store_stmt(
		s, "SELECT 'is the parent of ' || c.key FROM organization c JOIN organization o "
		   "ON o.id = c.parent_id WHERE o.key = ?1 "
		   "UNION ALL SELECT 'is the organization of ' || p.key FROM person p JOIN organization o "
		   "ON o.id = p.organization_id WHERE o.key = ?1 "
		   "UNION ALL SELECT 'hosts ' || p.slug FROM program p JOIN organization o ON o.id = p.host_id "
		   "WHERE o.key = ?1 "
		   "UNION ALL SELECT 'organizes ' || p.slug FROM program p JOIN organization o "
		   "ON o.id = p.organizer_id WHERE o.key = ?1 LIMIT 50");
	if (!st)
		return STORE_ERROR;
	stmt_bind_text(st, 1, key);
	return stmt_strings(st, a, out);
}

int org_store_delete(struct store *s, const char *key)
{
	struct stmt *st = store_stmt(s, "DELETE FROM organization WHERE key = ?1");
	if (!st)
		return STORE_ERROR;
	stmt_bind_text(st, 1, key);
	return stmt_run(st);
}
