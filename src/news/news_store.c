/* news_store.c: the SQL of articles, their photos and credits, and of an article's page. */
#include <string.h>
#include <unistd.h>

#include "news/photo.h"
#include "store/store_internal.h"

#define ARTICLE_COLUMNS                                                                           \
	"a.id, a.key, a.section, a.title, a.created_on, a.language, a.status, a.body_markdown, "  \
	"aw.key, ap.key, ar.key, a.translations, a.publish_at"
/* how many ARTICLE_COLUMNS are: what a query selects after them starts there */
enum { ARTICLE_NCOLS = 13 };
/* joined after article a, for ARTICLE_COLUMNS */
#define ARTICLE_CREDITS                                                                           \
	" LEFT JOIN person aw ON aw.id = a.written_by_id "                                        \
	"LEFT JOIN person ap ON ap.id = a.photographed_by_id "                                    \
	"LEFT JOIN person ar ON ar.id = a.reviewed_by_id "

static const char articles_sql[] = "SELECT " ARTICLE_COLUMNS " FROM article a" ARTICLE_CREDITS
				   "WHERE a.program_id = ?1 ORDER BY a.position";
static const char photos_sql[] = "SELECT ph.article_id, ph.key, ph.caption, ph.file, ph.alt FROM photo ph "
				 "JOIN article a ON a.id = ph.article_id WHERE a.program_id = ?1 "
				 "ORDER BY a.position, ph.position";

/*
 * The pixels of photos' files and of their JPEG renditions (the WebP ones
 * have the same), for sizes_read: after the photos ph of articles a.
 */
#define SIZES_COLUMNS "ph.article_id, ph.key, b.width, b.height, r.size, rb.width, rb.height"
#define SIZES_JOINS                                                                                 \
	" JOIN blob b ON b.hash = ph.file JOIN rendition r ON r.original = ph.file AND r.format = 'jpeg' " \
	"JOIN blob rb ON rb.hash = r.hash "
static const char sizes_sql[] = "SELECT " SIZES_COLUMNS " FROM photo ph JOIN article a ON a.id = ph.article_id"
				SIZES_JOINS "WHERE a.program_id = ?1 ORDER BY a.position, ph.position, r.size";

const char *const news_store_queries[] = {articles_sql, photos_sql, sizes_sql, NULL};

/* Reads ARTICLE_COLUMNS into ar, returning the article's row id. */
static int64_t article_read(struct stmt *st, struct arena *a, struct article *ar)
{
	ar->key = stmt_column_text(st, 1, a);
	ar->section = stmt_column_text(st, 2, a);
	ar->title = stmt_column_text(st, 3, a);
	ar->created_on = stmt_column_text(st, 4, a);
	ar->language = stmt_column_text(st, 5, a);
	ar->status = stmt_column_text(st, 6, a);
	ar->body_markdown = stmt_column_text(st, 7, a);
	ar->credits.written_by = stmt_column_text(st, 8, a);
	ar->credits.photographed_by = stmt_column_text(st, 9, a);
	ar->credits.reviewed_by = stmt_column_text(st, 10, a);
	stmt_column_translations(st, 11, a, &article_translatable, &ar->translations);
	ar->publish_at = (struct instant){!stmt_column_is_null(st, 12), stmt_column_int(st, 12)};
	return stmt_column_int(st, 0);
}

/*
 * Reads the photos of the query st (article id, key, caption, file, alt; ordered by
 * the articles' order, then position) into articles, whose row ids are ids.
 */
static int photos_read(struct stmt *st, struct arena *a, struct article *articles,
		       const int64_t *ids, size_t n)
{
	size_t k = 0, cap = 0;
	int rc;
	while ((rc = stmt_step(st)) == STMT_ROW) {
		int64_t article_id = stmt_column_int(st, 0);
		size_t was = k;
		while (k < n && ids[k] != article_id)
			k++;
		if (k == n) {
			stmt_reset(st);
			return store_fail(st->store, FAILURE_OTHER, "a photo's row is out of order", st);
		}
		if (k != was)
			cap = 0;
		struct photo *ph = ARRAY_PUSH(a, articles[k].photos, &cap);
		ph->key = stmt_column_text(st, 1, a);
		ph->caption = stmt_column_text(st, 2, a);
		ph->file = stmt_column_text(st, 3, a);
		ph->alt = stmt_column_text(st, 4, a);
	}
	return rc == STMT_DONE ? STORE_OK : STORE_ERROR;
}

/*
 * Reads the pixels of photos' files and of their JPEG renditions from the
 * query st (article id, photo key, the file's width and height, a
 * rendition's size, width and height; in the articles' order, then the
 * photos', then the sizes) into articles, whose row ids are ids.
 */
static int sizes_read(struct stmt *st, struct arena *a, struct article *articles, const int64_t *ids, size_t n)
{
	size_t k = 0, cap = 0;
	struct photo *last = NULL;
	int rc;
	while ((rc = stmt_step(st)) == STMT_ROW) {
		int64_t article_id = stmt_column_int(st, 0);
		while (k < n && ids[k] != article_id)
			k++;
		if (k == n) {
			stmt_reset(st);
			return store_fail(st->store, FAILURE_OTHER, "a rendition's row is out of order", st);
		}
		const char *key = stmt_column_text(st, 1, a);
		struct article *ar = &articles[k];
		struct photo *ph = NULL;
		for (size_t i = 0; i < ar->photos.n && !ph; i++)
			if (strcmp(ar->photos.v[i].key, key) == 0)
				ph = &ar->photos.v[i];
		if (!ph)
			continue;
		if (ph != last)
			cap = 0;
		last = ph;
		ph->width = (int)stmt_column_int(st, 2);
		ph->height = (int)stmt_column_int(st, 3);
		*ARRAY_PUSH(a, ph->sizes, &cap) = (struct photo_size){.size = (int)stmt_column_int(st, 4),
								   .width = (int)stmt_column_int(st, 5),
								   .height = (int)stmt_column_int(st, 6)};
	}
	return rc == STMT_DONE ? STORE_OK : STORE_ERROR;
}

int news_store_load(struct store *s, int64_t program_id, struct arena *a, struct program *p)
{
	struct stmt *st = store_stmt(s, articles_sql);
	if (!st)
		return STORE_ERROR;
	stmt_bind_int(st, 1, program_id);
	size_t cap = 0, id_cap = 0;
	ARRAY(int64_t) ids = {0};
	int rc;
	while ((rc = stmt_step(st)) == STMT_ROW)
		*ARRAY_PUSH(a, ids, &id_cap) = article_read(st, a, ARRAY_PUSH(a, p->articles, &cap));
	if (rc != STMT_DONE)
		return STORE_ERROR;
	if (!p->articles.n)
		return STORE_OK;
	st = store_stmt(s, photos_sql);
	if (!st)
		return STORE_ERROR;
	stmt_bind_int(st, 1, program_id);
	if (photos_read(st, a, p->articles.v, ids.v, ids.n) != STORE_OK)
		return STORE_ERROR;
	if (!(st = store_stmt(s, sizes_sql)))
		return STORE_ERROR;
	stmt_bind_int(st, 1, program_id);
	return sizes_read(st, a, p->articles.v, ids.v, ids.n);
}

static void bind_publish_at(struct stmt *st, int index, const struct article *ar)
{
	if (ar->publish_at.set)
		stmt_bind_int(st, index, ar->publish_at.utc);
	else
		stmt_bind_text(st, index, NULL);
}

int news_store_insert(struct store *s, int64_t program_id, const struct program *p)
{
	for (size_t i = 0; i < p->articles.n; i++) {
		const struct article *ar = &p->articles.v[i];
		int64_t article_id;
		if (store_next_id(s, "article", &article_id) != STORE_OK)
			return STORE_ERROR;
		struct stmt *st = store_stmt(
			s, "INSERT INTO article(id, program_id, position, key, section, title, created_on, "
			   "language, status, body_markdown, written_by_id, photographed_by_id, "
			   "reviewed_by_id, publish_at, translations) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
			   "?11, ?12, ?13, ?14, ?15)");
		if (!st)
			return STORE_ERROR;
		stmt_bind_int(st, 1, article_id);
		stmt_bind_int(st, 2, program_id);
		stmt_bind_int(st, 3, (int64_t)i);
		stmt_bind_text(st, 4, ar->key);
		stmt_bind_text(st, 5, ar->section);
		stmt_bind_text(st, 6, ar->title);
		stmt_bind_text(st, 7, ar->created_on);
		stmt_bind_text(st, 8, ar->language);
		stmt_bind_text(st, 9, ar->status);
		stmt_bind_text(st, 10, ar->body_markdown);
		bind_publish_at(st, 14, ar);
		if (stmt_bind_person(st, 11, ar->credits.written_by) != STORE_OK ||
		    stmt_bind_person(st, 12, ar->credits.photographed_by) != STORE_OK ||
		    stmt_bind_person(st, 13, ar->credits.reviewed_by) != STORE_OK ||
		    stmt_run_translated(st, 15, &ar->translations, &article_translatable) != STORE_OK)
			return STORE_ERROR;
		for (size_t k = 0; k < ar->photos.n; k++) {
			st = store_stmt(s, "INSERT INTO photo(article_id, position, key, caption, file, alt) "
					   "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
			if (!st)
				return STORE_ERROR;
			stmt_bind_int(st, 1, article_id);
			stmt_bind_int(st, 2, (int64_t)k);
			stmt_bind_text(st, 3, ar->photos.v[k].key);
			stmt_bind_text(st, 4, ar->photos.v[k].caption);
			stmt_bind_text(st, 5, ar->photos.v[k].file);
			stmt_bind_text(st, 6, ar->photos.v[k].alt);
			if (stmt_run(st) != STORE_OK)
				return STORE_ERROR;
		}
	}
	return STORE_OK;
}

int news_store_delete(struct store *s, int64_t program_id)
{
	/* photos first, named: a bulk write has the database's own cascades off */
	static const char *const deletes[] = {
		"DELETE FROM photo WHERE article_id IN (SELECT id FROM article WHERE program_id = ?1)",
		"DELETE FROM article WHERE program_id = ?1",
	};
	return store_run_with_id(s, deletes, G_N_ELEMENTS(deletes), program_id);
}

int news_store_published(struct store *s, struct arena *a, int64_t offset, int64_t limit,
			 article_cards *out, int64_t *total)
{
	struct stmt *st = store_stmt(s, "SELECT count(*) FROM article WHERE status = 'published'");
	if (!st || stmt_integer(st, total) != STORE_OK)
		return STORE_ERROR;
	st = store_stmt(s, "SELECT p.slug, p.title, a.key, a.section, a.title, a.created_on, a.language, "
			   "a.translations, a.id "
			   "FROM article a JOIN program p ON p.id = a.program_id "
			   "WHERE a.status = 'published' "
			   "ORDER BY a.created_on DESC, p.slug, a.position LIMIT ?1 OFFSET ?2");
	if (!st)
		return STORE_ERROR;
	stmt_bind_int(st, 1, limit);
	stmt_bind_int(st, 2, offset);
	*out = (article_cards){0};
	size_t cap = 0;
	int rc;
	while ((rc = stmt_step(st)) == STMT_ROW) {
		struct article_card *c = ARRAY_PUSH(a, *out, &cap);
		c->program_slug = stmt_column_text(st, 0, a);
		c->program_title = stmt_column_text(st, 1, a);
		c->key = stmt_column_text(st, 2, a);
		c->section = stmt_column_text(st, 3, a);
		c->title = stmt_column_text(st, 4, a);
		c->created_on = stmt_column_text(st, 5, a);
		c->language = stmt_column_text(st, 6, a);
		stmt_column_translations(st, 7, a, &article_translatable, &c->translations);
		c->id = stmt_column_int(st, 8);
	}
	if (rc != STMT_DONE || !out->n)
		return rc == STMT_DONE ? STORE_OK : STORE_ERROR;
	/* the first photo with a file of each of those articles */
	st = store_stmt(s, "SELECT ph.article_id, ph.file, rb.width, rb.height FROM photo ph "
			   "JOIN rendition r ON r.original = ph.file AND r.size = 480 AND r.format = 'jpeg' "
			   "JOIN blob rb ON rb.hash = r.hash WHERE ph.article_id IN (SELECT a.id FROM article a "
			   "JOIN program p ON p.id = a.program_id WHERE a.status = 'published' "
			   "ORDER BY a.created_on DESC, p.slug, a.position LIMIT ?1 OFFSET ?2) "
			   "ORDER BY ph.article_id, ph.position");
	if (!st)
		return STORE_ERROR;
	stmt_bind_int(st, 1, limit);
	stmt_bind_int(st, 2, offset);
	while ((rc = stmt_step(st)) == STMT_ROW) {
		int64_t id = stmt_column_int(st, 0);
		for (size_t i = 0; i < out->n; i++)
			if (out->v[i].id == id && !out->v[i].photo.file)
				out->v[i].photo = (struct card_photo){stmt_column_text(st, 1, a), (int)stmt_column_int(st, 2),
								      (int)stmt_column_int(st, 3)};
	}
	return rc == STMT_DONE ? STORE_OK : STORE_ERROR;
}

int news_store_article_view(struct store *s, const char *slug, const char *key, struct arena *a,
			    struct article_view *out)
{
	*out = (struct article_view){0};
	struct stmt *st = store_stmt(
		s, "SELECT " ARTICLE_COLUMNS ", p.slug, p.title, p.starts_on, p.ends_on FROM article a"
		   ARTICLE_CREDITS "JOIN program p ON p.id = a.program_id WHERE p.slug = ?1 AND a.key = ?2");
	if (!st)
		return STORE_ERROR;
	stmt_bind_text(st, 1, slug);
	stmt_bind_text(st, 2, key);
	int rc = stmt_step(st);
	if (rc != STMT_ROW)
		return rc == STMT_DONE ? STORE_NOT_FOUND : STORE_ERROR;
	int64_t id = article_read(st, a, &out->article);
	out->program_slug = stmt_column_text(st, ARTICLE_NCOLS, a);
	out->program_title = stmt_column_text(st, ARTICLE_NCOLS + 1, a);
	out->program_starts_on = stmt_column_text(st, ARTICLE_NCOLS + 2, a);
	out->program_ends_on = stmt_column_text(st, ARTICLE_NCOLS + 3, a);
	stmt_reset(st);
	st = store_stmt(s, "SELECT article_id, key, caption, file, alt FROM photo WHERE article_id = ?1 "
			   "ORDER BY position");
	if (!st)
		return STORE_ERROR;
	stmt_bind_int(st, 1, id);
	if (photos_read(st, a, &out->article, &id, 1) != STORE_OK)
		return STORE_ERROR;
	st = store_stmt(s, "SELECT " SIZES_COLUMNS " FROM photo ph" SIZES_JOINS
			   "WHERE ph.article_id = ?1 ORDER BY ph.position, r.size");
	if (!st)
		return STORE_ERROR;
	stmt_bind_int(st, 1, id);
	if (sizes_read(st, a, &out->article, &id, 1) != STORE_OK)
		return STORE_ERROR;
	return directory_store_fill(s,
				    "SELECT " PERSON_COLUMNS " FROM person p" PERSON_ORG "JOIN article a ON p.id IN "
				    "(a.written_by_id, a.photographed_by_id, a.reviewed_by_id) WHERE a.id = ?1",
				    id, NULL, a, &out->directory);
}

/* ------------------------------------------------------------ the public side: feeds and sitemap */

/*
 * When an article was last changed, for feeds' <updated> and the
 * sitemap's <lastmod>: the one place that knows. The instant of its
 * newest revision that changed what the public sees (column col + 1 of
 * st), else, for an article imported and never changed here, midnight UTC
 * of its date (column col). Returns an RFC 3339 UTC instant
 * ("2021-12-09T00:00:00Z") in a, or NULL for a NULL date.
 */
static const char *article_updated(struct stmt *st, int col, struct arena *a)
{
	if (!stmt_column_is_null(st, col + 1)) {
		GDateTime *t = g_date_time_new_from_unix_utc(stmt_column_int(st, col + 1));
		if (t) {
			char *text = g_date_time_format(t, "%Y-%m-%dT%H:%M:%SZ");
			const char *out = arena_strdup(a, text);
			g_free(text);
			g_date_time_unref(t);
			return out;
		}
	}
	const char *created_on = stmt_column_text(st, col, a);
	return created_on ? arena_printf(a, "%sT00:00:00Z", created_on) : NULL;
}
/*
 * The columns article_updated reads (the article's date, and the instant of
 * its newest revision that is not a pending change), and the feeds' order
 * (newest first), after article a and program p.
 */
#define ARTICLE_UPDATED_COLUMN                                                                    \
	"a.created_on, (SELECT max(r.made_at) FROM article_revision r WHERE r.program_id = a.program_id " \
	"AND r.article_key = a.key AND r.pending = 0)"
#define ARTICLE_NEWEST_FIRST " ORDER BY a.created_on DESC, p.slug, a.position "
/* the published articles of the program of id ?1, or of every program when ?1 is 0 */
#define FEED_WHERE " WHERE a.status = 'published' AND (a.program_id = ?1 OR ?1 = 0)"
#define FEED_ARTICLES " FROM article a JOIN program p ON p.id = a.program_id" FEED_WHERE

int news_store_feed(struct store *s, const char *slug, int64_t limit, struct arena *a,
		    struct article_feed *out)
{
	*out = (struct article_feed){0};
	int64_t program_id = 0;
	struct stmt *st;
	if (slug) {
		if (!(st = store_stmt(s, "SELECT id, title FROM program WHERE slug = ?1")))
			return STORE_ERROR;
		stmt_bind_text(st, 1, slug);
		int rc = stmt_step(st);
		if (rc != STMT_ROW)
			return rc == STMT_DONE ? STORE_NOT_FOUND : STORE_ERROR;
		program_id = stmt_column_int(st, 0);
		out->program_title = stmt_column_text(st, 1, a);
		stmt_reset(st);
	}
	st = store_stmt(s, "SELECT " ARTICLE_COLUMNS ", p.slug, p.title, " ARTICLE_UPDATED_COLUMN
			   " FROM article a" ARTICLE_CREDITS "JOIN program p ON p.id = a.program_id" FEED_WHERE ARTICLE_NEWEST_FIRST "LIMIT ?2");
	if (!st)
		return STORE_ERROR;
	stmt_bind_int(st, 1, program_id);
	stmt_bind_int(st, 2, limit);
	size_t cap = 0, id_cap = 0;
	ARRAY(int64_t) ids = {0};
	int rc;
	while ((rc = stmt_step(st)) == STMT_ROW) {
		struct article_entry *e = ARRAY_PUSH(a, out->entries, &cap);
		*ARRAY_PUSH(a, ids, &id_cap) = article_read(st, a, &e->article);
		e->program_slug = stmt_column_text(st, ARTICLE_NCOLS, a);
		e->program_title = stmt_column_text(st, ARTICLE_NCOLS + 1, a);
		e->updated = article_updated(st, ARTICLE_NCOLS + 2, a);
	}
	if (rc != STMT_DONE)
		return STORE_ERROR;
	if (!out->entries.n)
		return STORE_OK;
	/* the photos of those articles, in the same order: their bodies place them */
	st = store_stmt(s, "SELECT ph.article_id, ph.key, ph.caption, ph.file, ph.alt FROM photo ph JOIN "
			   "(SELECT a.id, a.created_on, p.slug, a.position" FEED_ARTICLES
			   ARTICLE_NEWEST_FIRST "LIMIT ?2) a ON a.id = ph.article_id "
			   "ORDER BY a.created_on DESC, a.slug, a.position, ph.position");
	if (!st)
		return STORE_ERROR;
	stmt_bind_int(st, 1, program_id);
	stmt_bind_int(st, 2, limit);
	struct article *articles = arena_alloc(a, sizeof *articles * out->entries.n);
	for (size_t i = 0; i < out->entries.n; i++)
		articles[i] = out->entries.v[i].article;
	if (photos_read(st, a, articles, ids.v, ids.n) != STORE_OK)
		return STORE_ERROR;
	/* the sizes of their renditions, for the figures of the entries' content */
	st = store_stmt(s, "SELECT " SIZES_COLUMNS " FROM photo ph JOIN "
			   "(SELECT a.id, a.created_on, p.slug, a.position" FEED_ARTICLES
			   ARTICLE_NEWEST_FIRST "LIMIT ?2) a ON a.id = ph.article_id" SIZES_JOINS
			   "ORDER BY a.created_on DESC, a.slug, a.position, ph.position, r.size");
	if (!st)
		return STORE_ERROR;
	stmt_bind_int(st, 1, program_id);
	stmt_bind_int(st, 2, limit);
	if (sizes_read(st, a, articles, ids.v, ids.n) != STORE_OK)
		return STORE_ERROR;
	for (size_t i = 0; i < out->entries.n; i++)
		out->entries.v[i].article.photos = articles[i].photos;
	return directory_store_fill(s,
				    "SELECT " PERSON_COLUMNS " FROM person p" PERSON_ORG "WHERE p.id IN "
				    "(SELECT a.written_by_id" FEED_ARTICLES " UNION SELECT a.photographed_by_id"
				    FEED_ARTICLES " UNION SELECT a.reviewed_by_id" FEED_ARTICLES ")",
				    program_id, NULL, a, &out->directory);
}

int news_store_sitemap(struct store *s, struct arena *a, struct sitemap *out)
{
	*out = (struct sitemap){0};
	struct stmt *st = store_stmt(s, "SELECT slug FROM program ORDER BY slug");
	if (!st || stmt_strings(st, a, &out->programs) != STORE_OK)
		return STORE_ERROR;
	/* the people with a page: those of public_appearance, as /people/KEY shows them */
	st = store_stmt(s, "SELECT DISTINCT pe.key FROM public_appearance pa "
			   "JOIN person pe ON pe.id = pa.person_id ORDER BY pe.key");
	if (!st || stmt_strings(st, a, &out->people) != STORE_OK)
		return STORE_ERROR;
	st = store_stmt(s, "SELECT p.slug, a.key, " ARTICLE_UPDATED_COLUMN
			   " FROM article a JOIN program p ON p.id = a.program_id "
			   "WHERE a.status = 'published'" ARTICLE_NEWEST_FIRST);
	if (!st)
		return STORE_ERROR;
	size_t cap = 0;
	int rc;
	while ((rc = stmt_step(st)) == STMT_ROW) {
		struct article_stamp *e = ARRAY_PUSH(a, out->articles, &cap);
		e->program_slug = stmt_column_text(st, 0, a);
		e->key = stmt_column_text(st, 1, a);
		e->updated = article_updated(st, 2, a);
	}
	return rc == STMT_DONE ? STORE_OK : STORE_ERROR;
}

/* ------------------------------------------------------------ revisions and scheduled publication */

int news_store_add_revision(struct store *s, const char *slug, const struct article_revision *rev)
{
	int64_t id;
	if (store_next_id(s, "article_revision", &id) != STORE_OK)
		return STORE_ERROR;
	struct stmt *st = store_stmt(
		s, "INSERT INTO article_revision(id, program_id, article_key, number, step, status, pending, title, "
		   "body_markdown, made_at, made_by, made_by_person, comment, language) "
		   "SELECT ?1, p.id, ?3, coalesce((SELECT max(r.number) FROM article_revision r "
		   "WHERE r.program_id = p.id AND r.article_key = ?3), 0) + 1, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
		   "?13 "
		   "FROM program p WHERE p.slug = ?2");
	if (!st)
		return STORE_ERROR;
	stmt_bind_int(st, 1, id);
	stmt_bind_text(st, 2, slug);
	stmt_bind_text(st, 3, rev->article_key);
	stmt_bind_text(st, 4, rev->step);
	stmt_bind_text(st, 5, rev->status);
	stmt_bind_int(st, 6, rev->pending);
	stmt_bind_text(st, 7, rev->title);
	stmt_bind_text(st, 8, rev->body_markdown);
	stmt_bind_int(st, 9, rev->made_at);
	stmt_bind_text(st, 10, rev->made_by);
	stmt_bind_text(st, 11, rev->made_by_person);
	stmt_bind_text(st, 12, rev->comment);
	stmt_bind_text(st, 13, rev->language);
	return stmt_run(st);
}

int news_store_publish_due(struct store *s, int64_t now, struct arena *a, article_revisions *published,
			   strv *slugs)
{
	*published = (article_revisions){0};
	*slugs = (strv){0};
	struct stmt *st = store_stmt(
		s, "SELECT p.slug, a.key, a.title, a.body_markdown, rp.key FROM article a "
		   "JOIN program p ON p.id = a.program_id LEFT JOIN person rp ON rp.id = a.reviewed_by_id "
		   "WHERE a.publish_at IS NOT NULL AND a.publish_at <= ?1 AND a.status = 'in-review' "
		   "ORDER BY p.slug, a.position");
	if (!st)
		return STORE_ERROR;
	stmt_bind_int(st, 1, now);
	size_t cap = 0, slug_cap = 0;
	int rc;
	while ((rc = stmt_step(st)) == STMT_ROW) {
		*ARRAY_PUSH(a, *slugs, &slug_cap) = stmt_column_text(st, 0, a);
		struct article_revision *rev = ARRAY_PUSH(a, *published, &cap);
		*rev = (struct article_revision){.article_key = stmt_column_text(st, 1, a), .step = "publish",
						 .status = "published", .title = stmt_column_text(st, 2, a),
						 .body_markdown = stmt_column_text(st, 3, a), .made_at = now,
						 .made_by = "schedule", .made_by_person = stmt_column_text(st, 4, a)};
	}
	if (rc != STMT_DONE || !published->n)
		return rc == STMT_DONE ? STORE_OK : STORE_ERROR;
	st = store_stmt(s, "UPDATE article SET status = 'published', publish_at = NULL "
			   "WHERE publish_at IS NOT NULL AND publish_at <= ?1 AND status = 'in-review'");
	if (!st)
		return STORE_ERROR;
	stmt_bind_int(st, 1, now);
	if (stmt_run(st) != STORE_OK)
		return STORE_ERROR;
	for (size_t i = 0; i < published->n; i++)
		if (news_store_add_revision(s, slugs->v[i], &published->v[i]) != STORE_OK)
			return STORE_ERROR;
	return STORE_OK;
}
/* ---- the files of photos (photo.h) ---- */

/*
 * The part of b's bytes from off, n of them: in its data, or read from its
 * file into buf (n bytes at least); NULL when the file cannot be read.
 */
static const void *blob_part(const struct photo_blob *b, size_t off, size_t n, void *buf)
{
	if (b->data)
		return (const char *)b->data + off;
	for (size_t got = 0; got < n;) {
		ssize_t r = pread(fileno(b->file), (char *)buf + got, n - got, (off_t)(off + got));
		if (r <= 0)
			return NULL;
		got += (size_t)r;
	}
	return buf;
}

int photo_store_keep(struct store *s, const struct photo_blob *b)
{
	size_t chunks = b->len > PHOTO_BLOB_PART ? (b->len - 1) / PHOTO_BLOB_PART : 0;
	void *buf = b->data ? NULL : g_malloc(MIN(b->len, PHOTO_BLOB_PART) + 1);
	int rc = STORE_OK;
	for (size_t i = 0; i <= chunks && rc == STORE_OK; i++) {
		size_t off = i * PHOTO_BLOB_PART, n = MIN(PHOTO_BLOB_PART, b->len - off);
		const void *part = blob_part(b, off, n, buf);
		if (!part) {
			rc = store_fail(s, FAILURE_IO, "a photo's file cannot be read back from its temporary file", NULL);
			break;
		}
		struct stmt *st = i == 0 ? store_stmt(s, "INSERT INTO blob(hash, content_type, width, height, data, chunks) "
							 "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (hash) DO NOTHING")
					 : store_stmt(s, "INSERT INTO blob_chunk(hash, seq, data) VALUES (?1, ?2, ?3) "
							 "ON CONFLICT (hash, seq) DO NOTHING");
		if (!st) {
			rc = STORE_ERROR;
			break;
		}
		stmt_bind_text(st, 1, b->hash);
		if (i == 0) {
			stmt_bind_text(st, 2, b->content_type);
			stmt_bind_int(st, 3, b->width);
			stmt_bind_int(st, 4, b->height);
			stmt_bind_blob(st, 5, part, n);
			stmt_bind_int(st, 6, (int64_t)chunks);
		} else {
			stmt_bind_int(st, 2, (int64_t)i);
			stmt_bind_blob(st, 3, part, n);
		}
		rc = stmt_run(st);
	}
	g_free(buf);
	return rc;
}

int photo_store_keep_made(struct store *s, const struct photo_made *m)
{
	if (photo_store_keep(s, &m->original) != STORE_OK)
		return STORE_ERROR;
	for (size_t i = 0; i < m->n; i++) {
		const struct photo_rendition *rd = &m->renditions[i];
		if (photo_store_keep(s, &rd->blob) != STORE_OK)
			return STORE_ERROR;
		struct stmt *st = store_stmt(s, "INSERT INTO rendition(original, size, format, hash) "
						"VALUES (?1, ?2, ?3, ?4) ON CONFLICT (original, size, format) DO NOTHING");
		if (!st)
			return STORE_ERROR;
		stmt_bind_text(st, 1, m->original.hash);
		stmt_bind_int(st, 2, rd->size);
		stmt_bind_text(st, 3, rd->format);
		stmt_bind_text(st, 4, rd->blob.hash);
		if (stmt_run(st) != STORE_OK)
			return STORE_ERROR;
	}
	return STORE_OK;
}

int photo_store_has(struct store *s, const char *hash, bool *has)
{
	struct stmt *st = store_stmt(s, "SELECT 1 FROM blob WHERE hash = ?1");
	if (!st)
		return STORE_ERROR;
	stmt_bind_text(st, 1, hash);
	return stmt_exists(st, has);
}

/* The blobs and renditions that no photo needs any more: deleted. */
int photo_store_collect(struct store *s)
{
	static const char *const deletes[] = {
		"DELETE FROM rendition WHERE original NOT IN (SELECT file FROM photo WHERE file IS NOT NULL)",
		"DELETE FROM blob_chunk WHERE hash NOT IN (SELECT file FROM photo WHERE file IS NOT NULL) "
		"AND hash NOT IN (SELECT hash FROM rendition)",
		"DELETE FROM blob WHERE hash NOT IN (SELECT file FROM photo WHERE file IS NOT NULL) "
		"AND hash NOT IN (SELECT hash FROM rendition)",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(deletes); i++) {
		struct stmt *st = store_stmt(s, deletes[i]);
		if (!st || stmt_run(st) != STORE_OK)
			return STORE_ERROR;
	}
	return STORE_OK;
}

/* The row id and publication of article key of program slug; STORE_NOT_FOUND when none. */
static int article_find(struct store *s, const char *slug, const char *key, int64_t *id, bool *published)
{
	struct stmt *st = store_stmt(s, "SELECT a.id, a.status FROM article a JOIN program p ON p.id = a.program_id "
					"WHERE p.slug = ?1 AND a.key = ?2");
	if (!st)
		return STORE_ERROR;
	stmt_bind_text(st, 1, slug);
	stmt_bind_text(st, 2, key);
	int rc = stmt_step(st);
	if (rc != STMT_ROW)
		return rc == STMT_DONE ? STORE_NOT_FOUND : STORE_ERROR;
	*id = stmt_column_int(st, 0);
	size_t len;
	const char *status = st->store->backend->column_text(st, 1, &len);
	*published = status && strcmp(status, "published") == 0;
	stmt_reset(st);
	return STORE_OK;
}

int photo_store_put(struct store *s, const char *slug, const char *article, const char *key,
		    const char *caption, const char *alt, const struct photo_made *m, bool editable_only,
		    enum photo_put_result *result)
{
	int64_t article_id;
	bool published;
	int rc = article_find(s, slug, article, &article_id, &published);
	if (rc != STORE_OK)
		return rc;
	if (editable_only && published) {
		*result = PHOTO_NOT_EDITABLE;
		return STORE_OK;
	}
	struct stmt *st = store_stmt(s, "SELECT 1 FROM photo WHERE article_id = ?1 AND key = ?2");
	bool exists;
	if (!st)
		return STORE_ERROR;
	stmt_bind_int(st, 1, article_id);
	stmt_bind_text(st, 2, key);
	if (stmt_exists(st, &exists) != STORE_OK)
		return STORE_ERROR;
	if (!exists && !caption) {
		*result = PHOTO_NEEDS_CAPTION;
		return STORE_OK;
	}
	if (photo_store_keep_made(s, m) != STORE_OK)
		return STORE_ERROR;
	if (exists) {
		st = store_stmt(s, "UPDATE photo SET file = ?3, caption = coalesce(?4, caption), "
				   "alt = coalesce(?5, alt) WHERE article_id = ?1 AND key = ?2");
	} else {
		st = store_stmt(s, "INSERT INTO photo(article_id, position, key, file, caption, alt) "
				   "SELECT ?1, coalesce(max(position) + 1, 0), ?2, ?3, ?4, ?5 FROM photo "
				   "WHERE article_id = ?1");
	}
	if (!st)
		return STORE_ERROR;
	stmt_bind_int(st, 1, article_id);
	stmt_bind_text(st, 2, key);
	stmt_bind_text(st, 3, m->original.hash);
	stmt_bind_text(st, 4, caption);
	stmt_bind_text(st, 5, alt);
	if (stmt_run(st) != STORE_OK || photo_store_collect(s) != STORE_OK)
		return STORE_ERROR;
	*result = exists ? PHOTO_REPLACED : PHOTO_CREATED;
	return STORE_OK;
}

int photo_store_delete(struct store *s, const char *slug, const char *article, const char *key,
		       bool editable_only, bool *published)
{
	int64_t article_id;
	int rc = article_find(s, slug, article, &article_id, published);
	if (rc != STORE_OK || (editable_only && *published))
		return rc;
	struct stmt *st = store_stmt(s, "SELECT position FROM photo WHERE article_id = ?1 AND key = ?2");
	int64_t position;
	if (!st)
		return STORE_ERROR;
	stmt_bind_int(st, 1, article_id);
	stmt_bind_text(st, 2, key);
	if ((rc = stmt_integer(st, &position)) != STORE_OK)
		return rc;
	/* the photos after it move up one, lowest first: (article_id, position) stays unique */
	static const char *const writes[] = {
		"DELETE FROM photo WHERE article_id = ?1 AND position = ?2",
		"UPDATE photo SET position = -position - 1 WHERE article_id = ?1 AND position > ?2",
		"UPDATE photo SET position = -position - 2 WHERE article_id = ?1 AND position < 0",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(writes); i++) {
		st = store_stmt(s, writes[i]);
		if (!st)
			return STORE_ERROR;
		stmt_bind_int(st, 1, article_id);
		stmt_bind_int(st, 2, position);
		if (stmt_run(st) != STORE_OK)
			return STORE_ERROR;
	}
	return photo_store_collect(s);
}

/* Reads columns hash, content_type, width, height, data, chunks of st's row into out; returns chunks. */
static int64_t blob_read(struct stmt *st, struct arena *a, struct photo_blob *out)
{
	const char *hash = stmt_column_text(st, 0, a);
	g_strlcpy(out->hash, hash ? hash : "", sizeof out->hash);
	const char *type = stmt_column_text(st, 1, a);
	out->content_type = type;
	out->extension = photo_extension(type);
	out->width = (int)stmt_column_int(st, 2);
	out->height = (int)stmt_column_int(st, 3);
	out->data = (void *)stmt_column_blob(st, 4, a, &out->len);
	out->file = NULL;
	return stmt_column_int(st, 5);
}

/*
 * Calls part with each of the chunks parts of blob hash after its first, in
 * order, a query a part (PostgreSQL's client would hold a whole result, every
 * part at once); stops when part returns false. A missing part is an error.
 */
static int blob_each_part(struct store *s, const char *hash, int64_t chunks,
			  bool (*part)(const void *bytes, size_t len, void *ctx), void *ctx)
{
	struct arena a = ARENA_INIT; /* one part at a time */
	for (int64_t seq = 1; seq <= chunks; seq++) {
		struct stmt *st = store_stmt(s, "SELECT data FROM blob_chunk WHERE hash = ?1 AND seq = ?2");
		if (!st)
			return STORE_ERROR;
		stmt_bind_text(st, 1, hash);
		stmt_bind_int(st, 2, seq);
		int rc = stmt_step(st);
		if (rc != STMT_ROW)
			return rc == STMT_DONE ? store_fail(s, FAILURE_OTHER, "a part of a photo's file is missing", NULL)
					       : STORE_ERROR;
		size_t n;
		const void *bytes = stmt_column_blob(st, 0, &a, &n);
		bool going = part(bytes, n, ctx);
		stmt_reset(st);
		arena_free(&a);
		if (!going)
			break;
	}
	return STORE_OK;
}

/* The buffer blob_join_parts fills: room for what the parts held when they were counted. */
struct joined {
	char *whole;
	size_t len, room;
	bool over; /* more than counted: changed meanwhile */
};

static bool join_part(const void *bytes, size_t len, void *ctx)
{
	struct joined *j = ctx;
	if ((j->over = j->len + len > j->room))
		return false;
	memcpy(j->whole + j->len, bytes, len);
	j->len += len;
	return true;
}

/* Appends the chunks other parts of blob out (its data is the first) to its data, in a. */
static int blob_join_parts(struct store *s, struct arena *a, int64_t chunks, struct photo_blob *out)
{
	struct stmt *st = store_stmt(s, "SELECT COALESCE(SUM(length(data)), 0) FROM blob_chunk WHERE hash = ?1");
	int64_t rest;
	if (!st)
		return STORE_ERROR;
	stmt_bind_text(st, 1, out->hash);
	if (stmt_integer(st, &rest) != STORE_OK)
		return STORE_ERROR;
	struct joined j = {arena_alloc(a, out->len + (size_t)rest + 1), out->len, out->len + (size_t)rest, false};
	memcpy(j.whole, out->data, out->len);
	if (blob_each_part(s, out->hash, chunks, join_part, &j) != STORE_OK)
		return STORE_ERROR;
	if (j.over)
		return store_fail(s, FAILURE_OTHER, "a blob's parts changed while it was read", NULL);
	out->data = j.whole;
	out->len = j.len;
	return STORE_OK;
}

/* Runs st (a query of blob_read's columns) for one blob into out, its parts joined. */
static int blob_query(struct stmt *st, struct arena *a, struct photo_blob *out)
{
	int rc = stmt_step(st);
	if (rc != STMT_ROW)
		return rc == STMT_DONE ? STORE_NOT_FOUND : STORE_ERROR;
	int64_t chunks = blob_read(st, a, out);
	struct store *s = st->store;
	stmt_reset(st);
	return chunks > 0 ? blob_join_parts(s, a, chunks, out) : STORE_OK;
}

int photo_store_rendition(struct store *s, const char *original, int size, const char *format,
			  struct arena *a, struct photo_blob *out)
{
	struct stmt *st = store_stmt(
		s, "SELECT b.hash, b.content_type, b.width, b.height, b.data, b.chunks FROM rendition r "
		   "JOIN blob b ON b.hash = r.hash WHERE r.original = ?1 AND r.size = ?2 AND r.format = ?3 "
		   "AND EXISTS (SELECT 1 FROM photo ph JOIN article ar ON ar.id = ph.article_id "
		   "WHERE ph.file = r.original AND ar.status = 'published')");
	if (!st)
		return STORE_ERROR;
	stmt_bind_text(st, 1, original);
	stmt_bind_int(st, 2, size);
	stmt_bind_text(st, 3, format);
	return blob_query(st, a, out);
}

int photo_store_article_rendition(struct store *s, const char *slug, const char *article, const char *original,
				  int size, const char *format, struct arena *a, struct photo_blob *out)
{
	struct stmt *st = store_stmt(
		s, "SELECT b.hash, b.content_type, b.width, b.height, b.data, b.chunks FROM rendition r "
		   "JOIN blob b ON b.hash = r.hash WHERE r.original = ?1 AND r.size = ?2 AND r.format = ?3 "
		   "AND EXISTS (SELECT 1 FROM photo ph JOIN article ar ON ar.id = ph.article_id "
		   "JOIN program p ON p.id = ar.program_id WHERE ph.file = r.original AND p.slug = ?4 AND ar.key = ?5)");
	if (!st)
		return STORE_ERROR;
	stmt_bind_text(st, 1, original);
	stmt_bind_int(st, 2, size);
	stmt_bind_text(st, 3, format);
	stmt_bind_text(st, 4, slug);
	stmt_bind_text(st, 5, article);
	return blob_query(st, a, out);
}

int photo_store_blob_parts(struct store *s, const char *hash, struct photo_blob *out,
			   bool (*part)(const void *bytes, size_t len, void *ctx), void *ctx)
{
	struct stmt *st = store_stmt(s, "SELECT hash, content_type, width, height, data, chunks FROM blob WHERE hash = ?1");
	if (!st)
		return STORE_ERROR;
	stmt_bind_text(st, 1, hash);
	int rc = stmt_step(st);
	if (rc != STMT_ROW)
		return rc == STMT_DONE ? STORE_NOT_FOUND : STORE_ERROR;
	struct arena a = ARENA_INIT; /* the first part */
	int64_t chunks = blob_read(st, &a, out);
	bool going = part(out->data, out->len, ctx);
	out->data = NULL;
	arena_free(&a);
	stmt_reset(st);
	out->len = 0; /* not known whole: it comes in parts */
	return going ? blob_each_part(s, hash, chunks, part, ctx) : STORE_OK;
}

int photo_store_files(struct store *s, const char *slug, struct arena *a, strv *out)
{
	*out = (strv){0};
	struct stmt *st = store_stmt(s, "SELECT DISTINCT ph.file FROM photo ph JOIN article ar ON ar.id = ph.article_id "
					"JOIN program p ON p.id = ar.program_id "
					"WHERE ph.file IS NOT NULL AND (p.slug = ?1 OR ?1 IS NULL) ORDER BY ph.file");
	if (!st)
		return STORE_ERROR;
	stmt_bind_text(st, 1, slug);
	return stmt_strings(st, a, out);
}
