/* person_store.c: the SQL of people (store.h). */
#include "store/store_internal.h"

#define PERSON_COLUMNS                                                                            \
	"p.key, p.name, p.honorific, p.position, "                                                \
	"(SELECT o.key FROM organization o WHERE o.id = p.organization_id), p.country, p.email"

static void person_read(sqlite3_stmt *st, struct arena *a, struct person *p)
{
	p->key = store_column_text(st, 0, a);
	p->name = store_column_text(st, 1, a);
	p->honorific = store_column_text(st, 2, a);
	p->position = store_column_text(st, 3, a);
	p->organization = store_column_text(st, 4, a);
	p->country = store_column_text(st, 5, a);
	p->email = store_column_text(st, 6, a);
}

int person_store_get(struct store *s, const char *key, struct arena *a, struct person *out)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT " PERSON_COLUMNS " FROM person p WHERE p.key = ?1");
	if (!st)
		return STORE_ERROR;
	store_bind_text(st, 1, key);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		person_read(st, a, out);
	else if (rc != SQLITE_DONE)
		return store_fail(s, st);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? STORE_OK : STORE_NOT_FOUND;
}

int person_store_exists(struct store *s, const char *key, bool *exists)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM person WHERE key = ?1");
	if (!st)
		return STORE_ERROR;
	store_bind_text(st, 1, key);
	return store_query_exists(s, st, exists);
}

int person_store_put(struct store *s, const struct person *p, bool exists)
{
	sqlite3_stmt *st =
		exists ? store_stmt(s, "UPDATE person SET name = ?2, honorific = ?3, position = ?4, "
				       "organization_id = ?5, "
				       "country = ?6, email = ?7 WHERE key = ?1")
		       : store_stmt(s, "INSERT INTO person(key, name, honorific, position, "
				       "organization_id, country, email) VALUES (?1, ?2, ?3, ?4, "
				       "?5, ?6, ?7)");
	if (!st)
		return STORE_ERROR;
	store_bind_text(st, 1, p->key);
	store_bind_text(st, 2, p->name);
	store_bind_text(st, 3, p->honorific);
	store_bind_text(st, 4, p->position);
	if (store_bind_org(s, st, 5, p->organization) != STORE_OK)
		return STORE_ERROR;
	store_bind_text(st, 6, p->country);
	store_bind_text(st, 7, p->email);
	return store_run(s, st);
}

int person_store_each(struct store *s, struct arena *a,
		      int (*fn)(void *ctx, const struct person *p), void *ctx)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT " PERSON_COLUMNS " FROM person p ORDER BY p.id");
	if (!st)
		return STORE_ERROR;
	int rc = SQLITE_DONE, result = STORE_OK;
	while (result == STORE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct person p;
		person_read(st, a, &p);
		result = fn(ctx, &p);
	}
	if (result == STORE_OK && rc != SQLITE_DONE)
		return store_fail(s, st);
	sqlite3_reset(st);
	return result;
}
