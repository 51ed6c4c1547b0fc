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

int person_store_appearances(struct store *s, const char *key, struct arena *a, appearances *out)
{
	/* items they speak in or are spoken for in, then credits of published articles */
	sqlite3_stmt *st = store_stmt(
		s, "SELECT pr.slug, pr.title, pr.timezone, se.key, se.title, se.starts_at, se.ends_at, "
		   "i.title, CASE WHEN i.speaker_id = pe.id THEN 'speaker' ELSE 'on behalf of' END, "
		   "NULL, NULL, NULL "
		   "FROM person pe JOIN item i ON i.speaker_id = pe.id OR i.on_behalf_of_person_id = pe.id "
		   "JOIN session se ON se.id = i.session_id JOIN program pr ON pr.id = se.program_id "
		   "WHERE pe.key = ?1 "
		   "UNION ALL "
		   "SELECT pr.slug, pr.title, pr.timezone, NULL, NULL, 0, 0, NULL, "
		   "CASE pe.id WHEN ar.written_by_id THEN 'written by' WHEN ar.reviewed_by_id "
		   "THEN 'reviewed by' ELSE 'photographed by' END, ar.key, ar.title, ar.created_on "
		   "FROM person pe JOIN article ar ON ar.status = 'published' AND pe.id IN "
		   "(ar.written_by_id, ar.photographed_by_id, ar.reviewed_by_id) "
		   "JOIN program pr ON pr.id = ar.program_id WHERE pe.key = ?1 "
		   "ORDER BY 1, 6, 10");
	if (!st)
		return STORE_ERROR;
	store_bind_text(st, 1, key);
	*out = (appearances){0};
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct appearance *ap = ARRAY_PUSH(a, *out, &cap);
		ap->program_slug = store_column_text(st, 0, a);
		ap->program_title = store_column_text(st, 1, a);
		ap->timezone = store_column_text(st, 2, a);
		ap->session_key = store_column_text(st, 3, a);
		ap->session_title = store_column_text(st, 4, a);
		ap->starts_at = sqlite3_column_int64(st, 5);
		ap->ends_at = sqlite3_column_int64(st, 6);
		ap->item_title = store_column_text(st, 7, a);
		ap->role = store_column_text(st, 8, a);
		ap->article_key = store_column_text(st, 9, a);
		ap->article_title = store_column_text(st, 10, a);
		ap->article_created_on = store_column_text(st, 11, a);
	}
	return rc == SQLITE_DONE ? STORE_OK : store_fail(s, st);
}
