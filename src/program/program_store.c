/*
 * program_store.c: the SQL of programs, their countries, languages,
 * preparation phases and enrolments, and of what a program's pages show
 * (store.h); the timetable and the articles are read and written by
 * timetable_store.c and news_store.c.
 */
#include <string.h>

#include "store/store_internal.h"

int program_store_id(struct store *s, const char *slug, int64_t *id)
{
	struct stmt *st = store_stmt(s, "SELECT id FROM program WHERE slug = ?1");
	if (!st)
		return STORE_ERROR;
	stmt_bind_text(st, 1, slug);
	return stmt_integer(st, id);
}

int program_store_exists(struct store *s, const char *slug, bool *exists)
{
	int64_t id;
	int rc = program_store_id(s, slug, &id);
	*exists = rc == STORE_OK;
	return rc == STORE_ERROR ? STORE_ERROR : STORE_OK;
}

static int found_program(struct stmt *st, void *ctx)
{
	struct store_found *f = ctx;
	const char *slug = stmt_column_text(st, 0, f->a);
	g_hash_table_insert(f->found, (gpointer)slug, (gpointer)slug);
	return STORE_OK;
}

int program_store_find(struct store *s, const char *const *slugs, size_t n, struct arena *a,
		       GHashTable *found)
{
	struct store_found f = {a, found};
	return store_each_among(s, "SELECT slug FROM program WHERE slug", slugs, n, found_program, &f);
}

static const char program_sql[] =
	"SELECT p.slug, p.title, p.kind, p.mode, p.timezone, p.starts_on, p.ends_on, "
	"h.key, o.key, p.capacity, p.summary, p.translations FROM program p "
	"LEFT JOIN organization h ON h.id = p.host_id "
	"LEFT JOIN organization o ON o.id = p.organizer_id WHERE p.id = ?1";
static const char countries_sql[] = "SELECT country FROM program_country WHERE program_id = ?1 "
				    "ORDER BY position";
static const char languages_sql[] = "SELECT language FROM program_language WHERE program_id = ?1 "
				    "ORDER BY position";
static const char phases_sql[] = "SELECT phase, title, status, due, notes, translations FROM phase "
				 "WHERE program_id = ?1 ORDER BY position";
/* the enrolments, and the participation that the program's page counts (where from) */
static const char enrolments_sql[] =
	"SELECT p.key, e.role, e.status, coalesce(p.country, o.country), o.key FROM enrolment e "
	"JOIN person p ON p.id = e.person_id "
	"LEFT JOIN organization o ON o.id = p.organization_id "
	"WHERE e.program_id = ?1 ORDER BY e.position";
/* who of the program the program's page shows */
static const char public_people_sql[] = "SELECT " PERSON_COLUMNS " FROM public_appearance pa "
					"JOIN person p ON p.id = pa.person_id" PERSON_ORG
					"WHERE pa.program_id = ?1";

const char *const program_store_queries[] = {
	program_sql, countries_sql, languages_sql, phases_sql, enrolments_sql, NULL,
};
static const char *const view_queries[] = {public_people_sql, NULL};

/* Reads the rows of a query bound with the program id as ?1 into a list of strings. */
static int read_program_strings(struct store *s, const char *sql, int64_t id, struct arena *a,
				strv *list)
{
	struct stmt *st = store_stmt(s, sql);
	if (!st)
		return STORE_ERROR;
	stmt_bind_int(st, 1, id);
	return stmt_strings(st, a, list);
}

static int program_load_phases(struct store *s, int64_t id, struct arena *a, struct program *p)
{
	struct stmt *st = store_stmt(s, phases_sql);
	if (!st)
		return STORE_ERROR;
	stmt_bind_int(st, 1, id);
	size_t cap = 0;
	int rc;
	while ((rc = stmt_step(st)) == STMT_ROW) {
		struct phase *ph = ARRAY_PUSH(a, p->preparation, &cap);
		ph->phase = stmt_column_text(st, 0, a);
		ph->title = stmt_column_text(st, 1, a);
		ph->status = stmt_column_text(st, 2, a);
		ph->due = stmt_column_text(st, 3, a);
		ph->notes = stmt_column_text(st, 4, a);
		stmt_column_translations(st, 5, a, &phase_translatable, &ph->translations);
	}
	return rc == STMT_DONE ? STORE_OK : STORE_ERROR;
}

/* The enrolments into p, and into participation (may be NULL) the same rows as the page counts them. */
static int program_load_enrolments(struct store *s, int64_t id, struct arena *a, struct program *p,
				   participations *participation)
{
	struct stmt *st = store_stmt(s, enrolments_sql);
	if (!st)
		return STORE_ERROR;
	stmt_bind_int(st, 1, id);
	size_t cap = 0, pcap = 0;
	int rc;
	while ((rc = stmt_step(st)) == STMT_ROW) {
		struct enrolment *e = ARRAY_PUSH(a, p->enrolments, &cap);
		e->person = stmt_column_text(st, 0, a);
		e->role = stmt_column_text(st, 1, a);
		e->status = stmt_column_text(st, 2, a);
		if (participation)
			*ARRAY_PUSH(a, *participation, &pcap) = (struct participation){
				.role = e->role,
				.status = e->status,
				.country = stmt_column_text(st, 3, a),
				.organization = stmt_column_text(st, 4, a),
			};
	}
	return rc == STMT_DONE ? STORE_OK : STORE_ERROR;
}

/*
 * The whole program of row id, and its participation when wanted (may be
 * NULL): its queries sent at once (store_prefetch_with_id), then read.
 */
static int program_read(struct store *s, int64_t id, struct arena *a, struct program *out,
			participations *participation)
{
	struct stmt *st = store_stmt(s, program_sql);
	if (!st)
		return STORE_ERROR;
	stmt_bind_int(st, 1, id);
	int rc = stmt_step(st);
	if (rc != STMT_ROW)
		return rc == STMT_DONE ? STORE_NOT_FOUND : STORE_ERROR;
	*out = (struct program){0};
	out->slug = stmt_column_text(st, 0, a);
	out->title = stmt_column_text(st, 1, a);
	out->kind = stmt_column_text(st, 2, a);
	out->mode = stmt_column_text(st, 3, a);
	out->timezone = stmt_column_text(st, 4, a);
	out->starts_on = stmt_column_text(st, 5, a);
	out->ends_on = stmt_column_text(st, 6, a);
	out->host = stmt_column_text(st, 7, a);
	out->organizer = stmt_column_text(st, 8, a);
	out->capacity = stmt_column_opt_int(st, 9);
	out->summary = stmt_column_text(st, 10, a);
	stmt_column_translations(st, 11, a, &program_translatable, &out->translations);
	stmt_reset(st);
	if (read_program_strings(s, countries_sql, id, a, &out->countries) != STORE_OK ||
	    read_program_strings(s, languages_sql, id, a, &out->languages) != STORE_OK ||
	    program_load_phases(s, id, a, out) != STORE_OK ||
	    program_load_enrolments(s, id, a, out, participation) != STORE_OK ||
	    timetable_store_load(s, id, a, out) != STORE_OK || news_store_load(s, id, a, out) != STORE_OK)
		return STORE_ERROR;
	return STORE_OK;
}

static const char *const *const load_queries[] = {
	program_store_queries, timetable_store_queries, news_store_queries, NULL,
};

int program_store_load(struct store *s, int64_t id, struct arena *a, struct program *out)
{
	if (store_prefetch_with_id(s, load_queries, id) != STORE_OK)
		return STORE_ERROR;
	return program_read(s, id, a, out, NULL);
}

int program_store_get(struct store *s, const char *slug, struct arena *a, struct program *out)
{
	int64_t id;
	int rc = program_store_id(s, slug, &id);
	return rc == STORE_OK ? program_store_load(s, id, a, out) : rc;
}

int program_store_view(struct store *s, const char *slug, struct arena *a, struct program_view *out)
{
	*out = (struct program_view){0};
	int64_t id;
	int rc = program_store_id(s, slug, &id);
	if (rc != STORE_OK)
		return rc;
	static const char *const *const queries[] = {
		program_store_queries, timetable_store_queries, news_store_queries, view_queries, NULL,
	};
	if (store_prefetch_with_id(s, queries, id) != STORE_OK ||
	    program_read(s, id, a, &out->program, &out->participation) != STORE_OK)
		return STORE_ERROR;
	/*
	 * The organizations the page names, found by key once the rows that
	 * name them are read: the host, the organizer, the participants' and
	 * the public people's, with their parents. Index lookups, not a second
	 * pass over who is public: on PostgreSQL that pass was a third of the
	 * page's time in the database.
	 */
	strv orgs = {0};
	size_t cap = 0;
	*ARRAY_PUSH(a, orgs, &cap) = out->program.host;
	*ARRAY_PUSH(a, orgs, &cap) = out->program.organizer;
	for (size_t i = 0; i < out->participation.n; i++)
		*ARRAY_PUSH(a, orgs, &cap) = out->participation.v[i].organization;
	return directory_store_fill(s, public_people_sql, id, &orgs, a, &out->directory);
}

/* Inserts (program_id, position, value) rows with sql for each string of list. */
static int insert_program_strings(struct store *s, const char *sql, int64_t id, const strv *list)
{
	for (size_t i = 0; i < list->n; i++) {
		struct stmt *st = store_stmt(s, sql);
		if (!st)
			return STORE_ERROR;
		stmt_bind_int(st, 1, id);
		stmt_bind_int(st, 2, (int64_t)i);
		stmt_bind_text(st, 3, list->v[i]);
		if (stmt_run(st) != STORE_OK)
			return STORE_ERROR;
	}
	return STORE_OK;
}

static int program_insert_enrolments(struct store *s, int64_t id, const struct program *p)
{
	for (size_t i = 0; i < p->enrolments.n; i++) {
		const struct enrolment *e = &p->enrolments.v[i];
		struct stmt *st = store_stmt(s, "INSERT INTO enrolment(program_id, position, person_id, "
					       "role, status) VALUES (?1, ?2, ?3, ?4, ?5)");
		if (!st)
			return STORE_ERROR;
		stmt_bind_int(st, 1, id);
		stmt_bind_int(st, 2, (int64_t)i);
		if (stmt_bind_person(st, 3, e->person) != STORE_OK)
			return STORE_ERROR;
		stmt_bind_text(st, 4, e->role);
		stmt_bind_text(st, 5, e->status);
		if (stmt_run(st) != STORE_OK)
			return STORE_ERROR;
	}
	return STORE_OK;
}

static int program_insert_children(struct store *s, int64_t id, const struct program *p)
{
	if (insert_program_strings(s, "INSERT INTO program_country(program_id, position, country) "
				      "VALUES (?1, ?2, ?3)", id, &p->countries) != STORE_OK ||
	    insert_program_strings(s, "INSERT INTO program_language(program_id, position, language) "
				      "VALUES (?1, ?2, ?3)", id, &p->languages) != STORE_OK)
		return STORE_ERROR;
	for (size_t i = 0; i < p->preparation.n; i++) {
		const struct phase *ph = &p->preparation.v[i];
		struct stmt *st = store_stmt(s, "INSERT INTO phase(program_id, position, phase, title, "
					       "status, due, notes, translations) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
		if (!st)
			return STORE_ERROR;
		stmt_bind_int(st, 1, id);
		stmt_bind_int(st, 2, (int64_t)i);
		stmt_bind_text(st, 3, ph->phase);
		stmt_bind_text(st, 4, ph->title);
		stmt_bind_text(st, 5, ph->status);
		stmt_bind_text(st, 6, ph->due);
		stmt_bind_text(st, 7, ph->notes);
		if (stmt_run_translated(st, 8, &ph->translations, &phase_translatable) != STORE_OK)
			return STORE_ERROR;
	}
	if (program_insert_enrolments(s, id, p) != STORE_OK ||
	    timetable_store_insert(s, id, p) != STORE_OK || news_store_insert(s, id, p) != STORE_OK)
		return STORE_ERROR;
	return STORE_OK;
}

static const char delete_enrolments_sql[] = "DELETE FROM enrolment WHERE program_id = ?1";

static int program_delete_children(struct store *s, int64_t id)
{
	static const char *const deletes[] = {
		"DELETE FROM program_country WHERE program_id = ?1",
		"DELETE FROM program_language WHERE program_id = ?1",
		"DELETE FROM phase WHERE program_id = ?1",
		delete_enrolments_sql,
	};
	if (store_run_with_id(s, deletes, G_N_ELEMENTS(deletes), id) != STORE_OK)
		return STORE_ERROR;
	if (timetable_store_delete(s, id) != STORE_OK || news_store_delete(s, id) != STORE_OK)
		return STORE_ERROR;
	return STORE_OK;
}

int program_store_put(struct store *s, const struct program *p, bool exists)
{
	int64_t id = 0;
	struct stmt *st;
	if (exists) {
		if (program_store_id(s, p->slug, &id) != STORE_OK)
			return STORE_ERROR;
		st = store_stmt(s, "UPDATE program SET slug = ?2, title = ?3, kind = ?4, mode = ?5, "
				   "timezone = ?6, starts_on = ?7, ends_on = ?8, host_id = ?9, "
				   "organizer_id = ?10, capacity = ?11, summary = ?12, translations = ?13 WHERE id = ?1");
	} else {
		if (store_next_id(s, "program", &id) != STORE_OK)
			return STORE_ERROR;
		st = store_stmt(s, "INSERT INTO program(id, slug, title, kind, mode, timezone, "
				   "starts_on, ends_on, host_id, organizer_id, capacity, summary, translations) "
				   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)");
	}
	if (!st)
		return STORE_ERROR;
	stmt_bind_int(st, 1, id);
	stmt_bind_text(st, 2, p->slug);
	stmt_bind_text(st, 3, p->title);
	stmt_bind_text(st, 4, p->kind);
	stmt_bind_text(st, 5, p->mode);
	stmt_bind_text(st, 6, p->timezone);
	stmt_bind_text(st, 7, p->starts_on);
	stmt_bind_text(st, 8, p->ends_on);
	if (stmt_bind_org(st, 9, p->host) != STORE_OK || stmt_bind_org(st, 10, p->organizer) != STORE_OK)
		return STORE_ERROR;
	stmt_bind_opt_int(st, 11, p->capacity);
	stmt_bind_text(st, 12, p->summary);
	if (stmt_run_translated(st, 13, &p->translations, &program_translatable) != STORE_OK)
		return STORE_ERROR;
	if (exists && program_delete_children(s, id) != STORE_OK)
		return STORE_ERROR;
	return program_insert_children(s, id, p);
}

int program_store_put_enrolments(struct store *s, const struct program *p)
{
	int64_t id;
	int rc = program_store_id(s, p->slug, &id);
	if (rc != STORE_OK)
		return rc;
	const char *const deletes[] = {delete_enrolments_sql};
	if (store_run_with_id(s, deletes, 1, id) != STORE_OK)
		return STORE_ERROR;
	return program_insert_enrolments(s, id, p);
}

int program_store_slugs(struct store *s, struct arena *a, strv *out)
{
	struct stmt *st = store_stmt(s, "SELECT slug FROM program ORDER BY id");
	if (!st)
		return STORE_ERROR;
	*out = (strv){0};
	return stmt_strings(st, a, out);
}

int program_store_list(struct store *s, struct arena *a, program_summaries *out)
{
	struct stmt *st = store_stmt(
		s, "SELECT p.slug, p.starts_on, p.ends_on, p.mode, p.timezone, "
		   "(SELECT count(*) FROM session WHERE program_id = p.id), "
		   "(SELECT count(*) FROM enrolment WHERE program_id = p.id), "
		   "(SELECT count(*) FROM article WHERE program_id = p.id) "
		   "FROM program p ORDER BY p.slug");
	if (!st)
		return STORE_ERROR;
	*out = (program_summaries){0};
	size_t cap = 0;
	int rc;
	while ((rc = stmt_step(st)) == STMT_ROW) {
		struct program_summary *ps = ARRAY_PUSH(a, *out, &cap);
		ps->slug = stmt_column_text(st, 0, a);
		ps->starts_on = stmt_column_text(st, 1, a);
		ps->ends_on = stmt_column_text(st, 2, a);
		ps->mode = stmt_column_text(st, 3, a);
		ps->timezone = stmt_column_text(st, 4, a);
		ps->sessions = stmt_column_int(st, 5);
		ps->enrolments = stmt_column_int(st, 6);
		ps->articles = stmt_column_int(st, 7);
	}
	return rc == STMT_DONE ? STORE_OK : STORE_ERROR;
}

int program_store_cards(struct store *s, struct arena *a, program_cards *out)
{
	struct stmt *st = store_stmt(
		s, "SELECT p.slug, p.title, p.kind, p.mode, p.timezone, p.starts_on, p.ends_on, "
		   "h.name, h.short_name, p.translations, h.translations "
		   "FROM program p LEFT JOIN organization h ON h.id = p.host_id ORDER BY p.slug");
	if (!st)
		return STORE_ERROR;
	*out = (program_cards){0};
	size_t cap = 0;
	int rc;
	while ((rc = stmt_step(st)) == STMT_ROW) {
		struct program_card *c = ARRAY_PUSH(a, *out, &cap);
		c->slug = stmt_column_text(st, 0, a);
		c->title = stmt_column_text(st, 1, a);
		c->kind = stmt_column_text(st, 2, a);
		c->mode = stmt_column_text(st, 3, a);
		c->timezone = stmt_column_text(st, 4, a);
		c->starts_on = stmt_column_text(st, 5, a);
		c->ends_on = stmt_column_text(st, 6, a);
		c->host_name = stmt_column_text(st, 7, a);
		c->host_short_name = stmt_column_text(st, 8, a);
		stmt_column_translations(st, 9, a, &program_translatable, &c->translations);
		stmt_column_translations(st, 10, a, &org_translatable, &c->host_translations);
	}
	if (rc != STMT_DONE)
		return STORE_ERROR;
	/* the first photo of each program's newest published article that has one, in slug order */
	st = store_stmt(s, "SELECT p.slug, ph.file, rb.width, rb.height FROM photo ph "
			   "JOIN article a ON a.id = ph.article_id AND a.status = 'published' "
			   "JOIN program p ON p.id = a.program_id "
			   "JOIN rendition r ON r.original = ph.file AND r.size = 480 AND r.format = 'jpeg' "
			   "JOIN blob rb ON rb.hash = r.hash "
			   "ORDER BY p.slug, a.created_on DESC, a.position, ph.position");
	if (!st)
		return STORE_ERROR;
	size_t at = 0;
	while ((rc = stmt_step(st)) == STMT_ROW) {
		const char *slug = stmt_column_text(st, 0, a);
		while (at < out->n && strcmp(out->v[at].slug, slug) < 0)
			at++;
		if (at < out->n && strcmp(out->v[at].slug, slug) == 0 && !out->v[at].photo.file)
			out->v[at].photo = (struct card_photo){stmt_column_text(st, 1, a), (int)stmt_column_int(st, 2),
								(int)stmt_column_int(st, 3)};
	}
	if (rc != STMT_DONE)
		return STORE_ERROR;
	/* the countries of every program, in the same slug order */
	st = store_stmt(s, "SELECT p.slug, c.country FROM program_country c "
			   "JOIN program p ON p.id = c.program_id ORDER BY p.slug, c.position");
	if (!st)
		return STORE_ERROR;
	size_t k = 0, ccap = 0;
	while ((rc = stmt_step(st)) == STMT_ROW) {
		const char *slug = stmt_column_text(st, 0, a);
		while (k < out->n && strcmp(out->v[k].slug, slug) != 0) {
			k++;
			ccap = 0;
		}
		if (k < out->n)
			*ARRAY_PUSH(a, out->v[k].countries, &ccap) = stmt_column_text(st, 1, a);
	}
	return rc == STMT_DONE ? STORE_OK : STORE_ERROR;
}
