/* news_store.c: the SQL of articles, their photos and credits. */
#include "store/store_internal.h"

int news_store_load(struct store *s, int64_t program_id, struct arena *a, struct program *p)
{
	sqlite3_stmt *st = store_stmt(
		s, "SELECT a.id, a.key, a.section, a.title, a.created_on, a.language, a.status, "
		   "a.body_markdown, w.key, ph.key, r.key FROM article a "
		   "LEFT JOIN person w ON w.id = a.written_by_id "
		   "LEFT JOIN person ph ON ph.id = a.photographed_by_id "
		   "LEFT JOIN person r ON r.id = a.reviewed_by_id "
		   "WHERE a.program_id = ?1 ORDER BY a.position");
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, program_id);
	size_t cap = 0, id_cap = 0;
	ARRAY(int64_t) ids = {0};
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*ARRAY_PUSH(a, ids, &id_cap) = sqlite3_column_int64(st, 0);
		struct article *ar = ARRAY_PUSH(a, p->articles, &cap);
		ar->key = store_column_text(st, 1, a);
		ar->section = store_column_text(st, 2, a);
		ar->title = store_column_text(st, 3, a);
		ar->created_on = store_column_text(st, 4, a);
		ar->language = store_column_text(st, 5, a);
		ar->status = store_column_text(st, 6, a);
		ar->body_markdown = store_column_text(st, 7, a);
		ar->credits.written_by = store_column_text(st, 8, a);
		ar->credits.photographed_by = store_column_text(st, 9, a);
		ar->credits.reviewed_by = store_column_text(st, 10, a);
	}
	if (rc != SQLITE_DONE)
		return store_fail(s, st);
	for (size_t i = 0; i < p->articles.n; i++) {
		st = store_stmt(s, "SELECT key, caption FROM photo WHERE article_id = ?1 ORDER BY position");
		if (!st)
			return STORE_ERROR;
		sqlite3_bind_int64(st, 1, ids.v[i]);
		size_t photo_cap = 0;
		struct article *ar = &p->articles.v[i];
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			struct photo *ph = ARRAY_PUSH(a, ar->photos, &photo_cap);
			ph->key = store_column_text(st, 0, a);
			ph->caption = store_column_text(st, 1, a);
		}
		if (rc != SQLITE_DONE)
			return store_fail(s, st);
	}
	return STORE_OK;
}

int news_store_insert(struct store *s, int64_t program_id, const struct program *p)
{
	for (size_t i = 0; i < p->articles.n; i++) {
		const struct article *ar = &p->articles.v[i];
		sqlite3_stmt *st = store_stmt(
			s, "INSERT INTO article(program_id, position, key, section, title, created_on, "
			   "language, status, body_markdown, written_by_id, photographed_by_id, "
			   "reviewed_by_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
		if (!st)
			return STORE_ERROR;
		sqlite3_bind_int64(st, 1, program_id);
		sqlite3_bind_int64(st, 2, (int64_t)i);
		store_bind_text(st, 3, ar->key);
		store_bind_text(st, 4, ar->section);
		store_bind_text(st, 5, ar->title);
		store_bind_text(st, 6, ar->created_on);
		store_bind_text(st, 7, ar->language);
		store_bind_text(st, 8, ar->status);
		store_bind_text(st, 9, ar->body_markdown);
		if (store_bind_person(s, st, 10, ar->credits.written_by) != STORE_OK ||
		    store_bind_person(s, st, 11, ar->credits.photographed_by) != STORE_OK ||
		    store_bind_person(s, st, 12, ar->credits.reviewed_by) != STORE_OK)
			return STORE_ERROR;
		if (store_run(s, st) != STORE_OK)
			return STORE_ERROR;
		int64_t article_id = sqlite3_last_insert_rowid(s->db);
		for (size_t k = 0; k < ar->photos.n; k++) {
			st = store_stmt(s, "INSERT INTO photo(article_id, position, key, caption) "
					   "VALUES (?1, ?2, ?3, ?4)");
			if (!st)
				return STORE_ERROR;
			sqlite3_bind_int64(st, 1, article_id);
			sqlite3_bind_int64(st, 2, (int64_t)k);
			store_bind_text(st, 3, ar->photos.v[k].key);
			store_bind_text(st, 4, ar->photos.v[k].caption);
			if (store_run(s, st) != STORE_OK)
				return STORE_ERROR;
		}
	}
	return STORE_OK;
}

int news_store_delete(struct store *s, int64_t program_id)
{
	sqlite3_stmt *st = store_stmt(s, "DELETE FROM article WHERE program_id = ?1");
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, program_id);
	return store_run(s, st);
}

int news_store_published(struct store *s, struct arena *a, int64_t offset, int64_t limit,
			 article_cards *out, int64_t *total)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT count(*) FROM article WHERE status = 'published'");
	if (!st)
		return STORE_ERROR;
	if (sqlite3_step(st) != SQLITE_ROW)
		return store_fail(s, st);
	*total = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	st = store_stmt(s, "SELECT p.slug, p.title, a.key, a.section, a.title, a.created_on, a.language "
			   "FROM article a JOIN program p ON p.id = a.program_id "
			   "WHERE a.status = 'published' "
			   "ORDER BY a.created_on DESC, p.slug, a.position LIMIT ?1 OFFSET ?2");
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, limit);
	sqlite3_bind_int64(st, 2, offset);
	*out = (article_cards){0};
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct article_card *c = ARRAY_PUSH(a, *out, &cap);
		c->program_slug = store_column_text(st, 0, a);
		c->program_title = store_column_text(st, 1, a);
		c->key = store_column_text(st, 2, a);
		c->section = store_column_text(st, 3, a);
		c->title = store_column_text(st, 4, a);
		c->created_on = store_column_text(st, 5, a);
		c->language = store_column_text(st, 6, a);
	}
	return rc == SQLITE_DONE ? STORE_OK : store_fail(s, st);
}
