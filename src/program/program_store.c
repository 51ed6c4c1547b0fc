/*
 * program_store.c: the SQL of programs, their countries, languages,
 * preparation phases and enrolments (store.h); the timetable and the
 * articles are read and written by timetable_store.c and news_store.c.
 */
#include <string.h>

#include "store/store_internal.h"

static int program_id(struct store *s, const char *slug, int64_t *id)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT id FROM program WHERE slug = ?1");
	if (!st)
		return STORE_ERROR;
	store_bind_text(st, 1, slug);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	else if (rc != SQLITE_DONE)
		return store_fail(s, st);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? STORE_OK : STORE_NOT_FOUND;
}

int program_store_exists(struct store *s, const char *slug, bool *exists)
{
	int64_t id;
	int rc = program_id(s, slug, &id);
	*exists = rc == STORE_OK;
	return rc == STORE_ERROR ? STORE_ERROR : STORE_OK;
}

/* Reads the rows of a query bound with the program id as ?1 into a list of strings. */
static int read_program_strings(struct store *s, const char *sql, int64_t id, struct arena *a,
				strv *list)
{
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	return store_read_strings(s, st, a, list);
}

static int program_load_phases(struct store *s, int64_t id, struct arena *a, struct program *p)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT phase, title, status, due, notes FROM phase "
					 "WHERE program_id = ?1 ORDER BY position");
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct phase *ph = ARRAY_PUSH(a, p->preparation, &cap);
		ph->phase = store_column_text(st, 0, a);
		ph->title = store_column_text(st, 1, a);
		ph->status = store_column_text(st, 2, a);
		ph->due = store_column_text(st, 3, a);
		ph->notes = store_column_text(st, 4, a);
	}
	return rc == SQLITE_DONE ? STORE_OK : store_fail(s, st);
}

static int program_load_enrolments(struct store *s, int64_t id, struct arena *a, struct program *p)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT p.key, e.role, e.status FROM enrolment e "
					 "LEFT JOIN person p ON p.id = e.person_id "
					 "WHERE e.program_id = ?1 ORDER BY e.position");
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct enrolment *e = ARRAY_PUSH(a, p->enrolments, &cap);
		e->person = store_column_text(st, 0, a);
		e->role = store_column_text(st, 1, a);
		e->status = store_column_text(st, 2, a);
	}
	return rc == SQLITE_DONE ? STORE_OK : store_fail(s, st);
}

int program_store_get(struct store *s, const char *slug, struct arena *a, struct program *out)
{
	sqlite3_stmt *st = store_stmt(
		s, "SELECT p.id, p.slug, p.title, p.kind, p.mode, p.timezone, p.starts_on, p.ends_on, "
		   "h.key, o.key, p.capacity, p.summary FROM program p "
		   "LEFT JOIN organization h ON h.id = p.host_id "
		   "LEFT JOIN organization o ON o.id = p.organizer_id WHERE p.slug = ?1");
	if (!st)
		return STORE_ERROR;
	store_bind_text(st, 1, slug);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		return STORE_NOT_FOUND;
	if (rc != SQLITE_ROW)
		return store_fail(s, st);
	*out = (struct program){0};
	int64_t id = sqlite3_column_int64(st, 0);
	out->slug = store_column_text(st, 1, a);
	out->title = store_column_text(st, 2, a);
	out->kind = store_column_text(st, 3, a);
	out->mode = store_column_text(st, 4, a);
	out->timezone = store_column_text(st, 5, a);
	out->starts_on = store_column_text(st, 6, a);
	out->ends_on = store_column_text(st, 7, a);
	out->host = store_column_text(st, 8, a);
	out->organizer = store_column_text(st, 9, a);
	out->capacity = store_column_opt_int(st, 10);
	out->summary = store_column_text(st, 11, a);
	sqlite3_reset(st);
	if (read_program_strings(s, "SELECT country FROM program_country WHERE program_id = ?1 "
				    "ORDER BY position", id, a, &out->countries) != STORE_OK ||
	    read_program_strings(s, "SELECT language FROM program_language WHERE program_id = ?1 "
				    "ORDER BY position", id, a, &out->languages) != STORE_OK ||
	    program_load_phases(s, id, a, out) != STORE_OK ||
	    program_load_enrolments(s, id, a, out) != STORE_OK ||
	    timetable_store_load(s, id, a, out) != STORE_OK || news_store_load(s, id, a, out) != STORE_OK)
		return STORE_ERROR;
	return STORE_OK;
}

/* Inserts (program_id, position, value) rows with sql for each string of list. */
static int insert_program_strings(struct store *s, const char *sql, int64_t id, const strv *list)
{
	for (size_t i = 0; i < list->n; i++) {
		sqlite3_stmt *st = store_stmt(s, sql);
		if (!st)
			return STORE_ERROR;
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, (int64_t)i);
		store_bind_text(st, 3, list->v[i]);
		if (store_run(s, st) != STORE_OK)
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
		sqlite3_stmt *st = store_stmt(s, "INSERT INTO phase(program_id, position, phase, title, "
						 "status, due, notes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
		if (!st)
			return STORE_ERROR;
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, (int64_t)i);
		store_bind_text(st, 3, ph->phase);
		store_bind_text(st, 4, ph->title);
		store_bind_text(st, 5, ph->status);
		store_bind_text(st, 6, ph->due);
		store_bind_text(st, 7, ph->notes);
		if (store_run(s, st) != STORE_OK)
			return STORE_ERROR;
	}
	for (size_t i = 0; i < p->enrolments.n; i++) {
		const struct enrolment *e = &p->enrolments.v[i];
		sqlite3_stmt *st = store_stmt(s, "INSERT INTO enrolment(program_id, position, person_id, "
						 "role, status) VALUES (?1, ?2, "
						 "?3, ?4, ?5)");
		if (!st)
			return STORE_ERROR;
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, (int64_t)i);
		if (store_bind_person(s, st, 3, e->person) != STORE_OK)
			return STORE_ERROR;
		store_bind_text(st, 4, e->role);
		store_bind_text(st, 5, e->status);
		if (store_run(s, st) != STORE_OK)
			return STORE_ERROR;
	}
	if (timetable_store_insert(s, id, p) != STORE_OK || news_store_insert(s, id, p) != STORE_OK)
		return STORE_ERROR;
	return STORE_OK;
}

static int program_delete_children(struct store *s, int64_t id)
{
	static const char *const deletes[] = {
		"DELETE FROM program_country WHERE program_id = ?1",
		"DELETE FROM program_language WHERE program_id = ?1",
		"DELETE FROM phase WHERE program_id = ?1",
		"DELETE FROM enrolment WHERE program_id = ?1",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(deletes); i++) {
		sqlite3_stmt *st = store_stmt(s, deletes[i]);
		if (!st)
			return STORE_ERROR;
		sqlite3_bind_int64(st, 1, id);
		if (store_run(s, st) != STORE_OK)
			return STORE_ERROR;
	}
	if (timetable_store_delete(s, id) != STORE_OK || news_store_delete(s, id) != STORE_OK)
		return STORE_ERROR;
	return STORE_OK;
}

int program_store_put(struct store *s, const struct program *p, bool exists)
{
	sqlite3_stmt *st =
		exists ? store_stmt(s, "UPDATE program SET title = ?2, kind = ?3, mode = ?4, "
				       "timezone = ?5, starts_on = ?6, ends_on = ?7, "
				       "host_id = ?8, "
				       "organizer_id = ?9, "
				       "capacity = ?10, summary = ?11 WHERE slug = ?1")
		       : store_stmt(s, "INSERT INTO program(slug, title, kind, mode, timezone, "
				       "starts_on, ends_on, host_id, organizer_id, capacity, summary) "
				       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
	if (!st)
		return STORE_ERROR;
	store_bind_text(st, 1, p->slug);
	store_bind_text(st, 2, p->title);
	store_bind_text(st, 3, p->kind);
	store_bind_text(st, 4, p->mode);
	store_bind_text(st, 5, p->timezone);
	store_bind_text(st, 6, p->starts_on);
	store_bind_text(st, 7, p->ends_on);
	if (store_bind_org(s, st, 8, p->host) != STORE_OK ||
	    store_bind_org(s, st, 9, p->organizer) != STORE_OK)
		return STORE_ERROR;
	store_bind_opt_int(st, 10, p->capacity);
	store_bind_text(st, 11, p->summary);
	if (store_run(s, st) != STORE_OK)
		return STORE_ERROR;
	int64_t id = 0;
	if (program_id(s, p->slug, &id) != STORE_OK)
		return STORE_ERROR;
	if (exists && program_delete_children(s, id) != STORE_OK)
		return STORE_ERROR;
	return program_insert_children(s, id, p);
}

int program_store_slugs(struct store *s, struct arena *a, strv *out)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT slug FROM program ORDER BY id");
	if (!st)
		return STORE_ERROR;
	*out = (strv){0};
	return store_read_strings(s, st, a, out);
}

int program_store_list(struct store *s, struct arena *a, program_summaries *out)
{
	sqlite3_stmt *st = store_stmt(
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
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct program_summary *ps = ARRAY_PUSH(a, *out, &cap);
		ps->slug = store_column_text(st, 0, a);
		ps->starts_on = store_column_text(st, 1, a);
		ps->ends_on = store_column_text(st, 2, a);
		ps->mode = store_column_text(st, 3, a);
		ps->timezone = store_column_text(st, 4, a);
		ps->sessions = sqlite3_column_int64(st, 5);
		ps->enrolments = sqlite3_column_int64(st, 6);
		ps->articles = sqlite3_column_int64(st, 7);
	}
	return rc == SQLITE_DONE ? STORE_OK : store_fail(s, st);
}

int program_store_cards(struct store *s, struct arena *a, program_cards *out)
{
	sqlite3_stmt *st = store_stmt(
		s, "SELECT p.slug, p.title, p.kind, p.mode, p.timezone, p.starts_on, p.ends_on, "
		   "h.name, h.short_name, (SELECT group_concat(country, ' ') FROM "
		   "(SELECT country FROM program_country WHERE program_id = p.id ORDER BY position)) "
		   "FROM program p LEFT JOIN organization h ON h.id = p.host_id ORDER BY p.slug");
	if (!st)
		return STORE_ERROR;
	*out = (program_cards){0};
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct program_card *c = ARRAY_PUSH(a, *out, &cap);
		c->slug = store_column_text(st, 0, a);
		c->title = store_column_text(st, 1, a);
		c->kind = store_column_text(st, 2, a);
		c->mode = store_column_text(st, 3, a);
		c->timezone = store_column_text(st, 4, a);
		c->starts_on = store_column_text(st, 5, a);
		c->ends_on = store_column_text(st, 6, a);
		c->host_name = store_column_text(st, 7, a);
		c->host_short_name = store_column_text(st, 8, a);
		const char *countries = store_column_text(st, 9, a);
		size_t ccap = 0;
		for (char *tok = countries ? strtok((char *)countries, " ") : NULL; tok; tok = strtok(NULL, " "))
			*ARRAY_PUSH(a, c->countries, &ccap) = tok;
	}
	return rc == SQLITE_DONE ? STORE_OK : store_fail(s, st);
}
