/* person_store.c: the SQL of people and of a person's public page (store.h). */
#include <string.h>

#include "store/store_internal.h"

void person_store_read(struct stmt *st, struct arena *a, struct person *p)
{
	p->key = stmt_column_text(st, 0, a);
	p->name = stmt_column_text(st, 1, a);
	p->honorific = stmt_column_text(st, 2, a);
	p->position = stmt_column_text(st, 3, a);
	p->organization = stmt_column_text(st, 4, a);
	p->country = stmt_column_text(st, 5, a);
	p->email = stmt_column_text(st, 6, a);
	stmt_column_translations(st, 7, a, &person_translatable, &p->translations);
}

/* Runs st, a query of PERSON_COLUMNS, adding every row to dir's people. */
static int directory_store_people(struct stmt *st, struct arena *a, struct directory *dir)
{
	size_t cap = dir->people.n;
	int rc;
	while ((rc = stmt_step(st)) == STMT_ROW)
		person_store_read(st, a, ARRAY_PUSH(a, dir->people, &cap));
	return rc == STMT_DONE ? STORE_OK : STORE_ERROR;
}

/* Keeps one of each person of dir (its list sorted by key). */
static void directory_unique_people(struct directory *dir)
{
	size_t kept = 0;
	for (size_t i = 0; i < dir->people.n; i++)
		if (!kept || strcmp(dir->people.v[kept - 1].key, dir->people.v[i].key) != 0)
			dir->people.v[kept++] = dir->people.v[i];
	dir->people.n = kept;
}

/*
 * Adds the organizations of keys, and of their parents, that dir does not
 * hold yet: one query for the keys, one for their parents, and so on up.
 */
static int directory_store_orgs_by_key(struct store *s, const strv *keys, struct arena *a,
				       struct directory *dir)
{
	GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
	GPtrArray *level = g_ptr_array_new();
	for (size_t i = 0; i < keys->n; i++)
		if (keys->v[i] && !g_hash_table_contains(seen, keys->v[i])) {
			g_hash_table_add(seen, (gpointer)keys->v[i]);
			g_ptr_array_add(level, (gpointer)keys->v[i]);
		}
	int rc = STORE_OK;
	size_t cap = dir->orgs.n;
	while (rc == STORE_OK && level->len) {
		GHashTable *found = g_hash_table_new(g_str_hash, g_str_equal);
		GPtrArray *parents = g_ptr_array_new();
		rc = org_store_find(s, (const char *const *)level->pdata, level->len, a, found);
		for (guint i = 0; rc == STORE_OK && i < level->len; i++) {
			const struct org *o = g_hash_table_lookup(found, g_ptr_array_index(level, i));
			if (!o)
				continue; /* named but gone: check tells; the page shows what there is */
			*ARRAY_PUSH(a, dir->orgs, &cap) = *o;
			if (o->parent && !g_hash_table_contains(seen, o->parent)) {
				g_hash_table_add(seen, (gpointer)o->parent);
				g_ptr_array_add(parents, (gpointer)o->parent);
			}
		}
		g_hash_table_destroy(found);
		g_ptr_array_free(level, TRUE);
		level = parents;
	}
	g_ptr_array_free(level, TRUE);
	g_hash_table_destroy(seen);
	return rc;
}

int directory_store_fill(struct store *s, const char *people_sql, int64_t id, const strv *orgs,
			 struct arena *a, struct directory *dir)
{
	if (people_sql) {
		struct stmt *st = store_stmt(s, people_sql);
		if (!st)
			return STORE_ERROR;
		stmt_bind_int(st, 1, id);
		if (directory_store_people(st, a, dir) != STORE_OK)
			return STORE_ERROR;
	}
	strv keys = {0};
	size_t cap = 0;
	for (size_t i = 0; orgs && i < orgs->n; i++)
		*ARRAY_PUSH(a, keys, &cap) = orgs->v[i];
	for (size_t i = 0; i < dir->people.n; i++)
		*ARRAY_PUSH(a, keys, &cap) = dir->people.v[i].organization;
	if (directory_store_orgs_by_key(s, &keys, a, dir) != STORE_OK)
		return STORE_ERROR;
	directory_sort(dir);
	directory_unique_people(dir);
	return STORE_OK;
}

int person_store_get(struct store *s, const char *key, struct arena *a, struct person *out)
{
	struct stmt *st = store_stmt(s, "SELECT " PERSON_COLUMNS " FROM person p" PERSON_ORG "WHERE p.key = ?1");
	if (!st)
		return STORE_ERROR;
	stmt_bind_text(st, 1, key);
	int rc = stmt_step(st);
	if (rc == STMT_ROW) {
		person_store_read(st, a, out);
		stmt_reset(st);
	}
	return rc == STORE_ERROR ? STORE_ERROR : rc == STMT_ROW ? STORE_OK : STORE_NOT_FOUND;
}

static int found_person(struct stmt *st, void *ctx)
{
	struct store_found *f = ctx;
	struct person *p = arena_alloc(f->a, sizeof *p);
	person_store_read(st, f->a, p);
	g_hash_table_insert(f->found, (gpointer)p->key, p);
	return STORE_OK;
}

int person_store_find(struct store *s, const char *const *keys, size_t n, struct arena *a,
		      GHashTable *found)
{
	struct store_found f = {a, found};
	return store_each_among(s, "SELECT " PERSON_COLUMNS_FEW " FROM person p WHERE p.key", keys, n,
				found_person, &f);
}

int person_store_with_emails(struct store *s, const char *const *emails, size_t n, struct arena *a,
			     GHashTable *found)
{
	struct store_found f = {a, found};
	for (size_t i = 0; i < n; i++) {
		/* lower() on both sides, whatever it folds on this backend: a superset of the ASCII rule */
		struct stmt *st = store_stmt(s, "SELECT " PERSON_COLUMNS " FROM person p" PERSON_ORG
					       "WHERE lower(p.email) = lower(?1)");
		if (!st)
			return STORE_ERROR;
		stmt_bind_text(st, 1, emails[i]);
		int rc;
		while ((rc = stmt_step(st)) == STMT_ROW)
			found_person(st, &f);
		if (rc != STMT_DONE)
			return STORE_ERROR;
	}
	return STORE_OK;
}

int person_store_exists(struct store *s, const char *key, bool *exists)
{
	struct stmt *st = store_stmt(s, "SELECT 1 FROM person WHERE key = ?1");
	if (!st)
		return STORE_ERROR;
	stmt_bind_text(st, 1, key);
	return stmt_exists(st, exists);
}

int person_store_put(struct store *s, const struct person *p, bool exists)
{
	int64_t id = 0;
	if (!exists && store_new_id(s, "person", s->person_ids, p->key, &id) != STORE_OK)
		return STORE_ERROR;
	struct stmt *st =
		exists ? store_stmt(s, "UPDATE person SET name = ?2, honorific = ?3, position = ?4, "
				       "organization_id = ?5, country = ?6, email = ?7, translations = ?8 WHERE key = ?1")
		       : store_stmt(s, "INSERT INTO person(key, name, honorific, position, organization_id, "
				       "country, email, translations, id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
	if (!st)
		return STORE_ERROR;
	if (!exists)
		stmt_bind_int(st, 9, id);
	stmt_bind_text(st, 1, p->key);
	stmt_bind_text(st, 2, p->name);
	stmt_bind_text(st, 3, p->honorific);
	stmt_bind_text(st, 4, p->position);
	if (stmt_bind_org(st, 5, p->organization) != STORE_OK)
		return STORE_ERROR;
	stmt_bind_text(st, 6, p->country);
	stmt_bind_text(st, 7, p->email);
	return stmt_run_translated(st, 8, &p->translations, &person_translatable);
}

int person_store_each(struct store *s, struct arena *a,
		      int (*fn)(void *ctx, const struct person *p), void *ctx)
{
	struct stmt *st = store_stmt(s, "SELECT " PERSON_COLUMNS " FROM person p" PERSON_ORG "ORDER BY p.id");
	if (!st)
		return STORE_ERROR;
	int rc, result = STORE_OK;
	while (result == STORE_OK && (rc = stmt_step(st)) == STMT_ROW) {
		struct person p;
		person_store_read(st, a, &p);
		result = fn(ctx, &p);
	}
	if (result != STORE_OK) {
		stmt_reset(st);
		return result;
	}
	return rc == STMT_DONE ? STORE_OK : STORE_ERROR;
}

static int person_store_appearances(struct store *s, const char *key, struct arena *a,
				    appearances *out)
{
	/* items they speak in or are spoken for in, then credits of published articles */
	struct stmt *st = store_stmt(
		s, "SELECT pr.slug, pr.title, pr.timezone, se.key, se.title, se.starts_at, se.ends_at, "
		   "i.title, pa.role, ar.key, ar.title, ar.created_on, pr.translations, se.translations, "
		   "i.translations "
		   "FROM public_appearance pa JOIN person pe ON pe.id = pa.person_id "
		   "JOIN program pr ON pr.id = pa.program_id "
		   "LEFT JOIN item i ON i.id = pa.item_id LEFT JOIN session se ON se.id = i.session_id "
		   "LEFT JOIN article ar ON ar.id = pa.article_id "
		   "WHERE pe.key = ?1 "
		   "ORDER BY pr.slug, coalesce(se.starts_at, 0), coalesce(ar.key, ''), "
		   "se.position, i.position, pa.role");
	if (!st)
		return STORE_ERROR;
	stmt_bind_text(st, 1, key);
	size_t cap = 0;
	int rc;
	while ((rc = stmt_step(st)) == STMT_ROW) {
		struct appearance *ap = ARRAY_PUSH(a, *out, &cap);
		ap->program_slug = stmt_column_text(st, 0, a);
		ap->program_title = stmt_column_text(st, 1, a);
		ap->timezone = stmt_column_text(st, 2, a);
		ap->session_key = stmt_column_text(st, 3, a);
		ap->session_title = stmt_column_text(st, 4, a);
		ap->starts_at = stmt_column_int(st, 5);
		ap->ends_at = stmt_column_int(st, 6);
		ap->item_title = stmt_column_text(st, 7, a);
		ap->role = stmt_column_text(st, 8, a);
		ap->article_key = stmt_column_text(st, 9, a);
		ap->article_title = stmt_column_text(st, 10, a);
		ap->article_created_on = stmt_column_text(st, 11, a);
		stmt_column_translations(st, 12, a, &program_translatable, &ap->program_translations);
		stmt_column_translations(st, 13, a, &session_translatable, &ap->session_translations);
		stmt_column_translations(st, 14, a, &item_translatable, &ap->item_translations);
	}
	return rc == STMT_DONE ? STORE_OK : STORE_ERROR;
}

int person_store_view(struct store *s, const char *key, struct arena *a, struct person_view *out)
{
	*out = (struct person_view){0};
	int rc = person_store_get(s, key, a, &out->person);
	if (rc != STORE_OK)
		return rc;
	if (person_store_appearances(s, key, a, &out->appearances) != STORE_OK)
		return STORE_ERROR;
	if (!out->appearances.n)
		return STORE_NOT_FOUND;
	strv orgs = {&out->person.organization, 1};
	return directory_store_fill(s, NULL, 0, &orgs, a, &out->directory);
}

int person_store_references(struct store *s, const char *key, struct arena *a, strv *out)
{
	struct stmt *st = store_stmt(
		s, "SELECT 'enrolled in ' || p.slug FROM enrolment e JOIN program p ON p.id = e.program_id "
		   "JOIN person x ON x.id = e.person_id WHERE x.key = ?1 "
		   "UNION ALL SELECT 'speaks in ' || p.slug || ', session ' || se.key FROM item i "
		   "JOIN session se ON se.id = i.session_id JOIN program p ON p.id = se.program_id "
		   "JOIN person x ON x.id = i.speaker_id WHERE x.key = ?1 "
		   "UNION ALL SELECT 'is spoken for in ' || p.slug || ', session ' || se.key FROM item i "
		   "JOIN session se ON se.id = i.session_id JOIN program p ON p.id = se.program_id "
		   "JOIN person x ON x.id = i.on_behalf_of_person_id WHERE x.key = ?1 "
		   "UNION ALL SELECT 'attends ' || p.slug || ', session ' || se.key FROM session_attendee t "
		   "JOIN session se ON se.id = t.session_id JOIN program p ON p.id = se.program_id "
		   "JOIN person x ON x.id = t.person_id WHERE x.key = ?1 "
		   "UNION ALL SELECT 'is credited in ' || p.slug || ', article ' || ar.key FROM article ar "
		   "JOIN program p ON p.id = ar.program_id JOIN person x "
		   "ON x.id IN (ar.written_by_id, ar.photographed_by_id, ar.reviewed_by_id) WHERE x.key = ?1 "
		   "UNION ALL SELECT 'is linked to the account ' || ac.email FROM account ac "
		   "JOIN person x ON x.id = ac.person_id WHERE x.key = ?1 LIMIT 50");
	if (!st)
		return STORE_ERROR;
	stmt_bind_text(st, 1, key);
	return stmt_strings(st, a, out);
}

int person_store_delete(struct store *s, const char *key)
{
	struct stmt *st = store_stmt(s, "DELETE FROM person WHERE key = ?1");
	if (!st)
		return STORE_ERROR;
	stmt_bind_text(st, 1, key);
	return stmt_run(st);
}

int person_store_anonymise(struct store *s, const char *key)
{
	struct stmt *st = store_stmt(s, "UPDATE person SET name = '(name removed)', honorific = NULL, "
				       "position = NULL, email = NULL, translations = NULL WHERE key = ?1");
	if (!st)
		return STORE_ERROR;
	stmt_bind_text(st, 1, key);
	return stmt_run(st);
}
