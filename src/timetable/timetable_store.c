/* timetable_store.c: the SQL of venues, sessions, their venues, attendees and items. */
#include <string.h>

#include "store/store_internal.h"

static const char venues_sql[] = "SELECT key, name, kind, address, url, capacity, translations FROM venue "
				 "WHERE program_id = ?1 ORDER BY position";
static const char sessions_sql[] = "SELECT id, key, title, kind, starts_at, ends_at, description, translations "
				   "FROM session WHERE program_id = ?1 ORDER BY position";
static const char session_venues_sql[] =
	"SELECT sv.session_id, v.key FROM session_venue sv "
	"JOIN session s ON s.id = sv.session_id LEFT JOIN venue v ON v.id = sv.venue_id "
	"WHERE s.program_id = ?1 ORDER BY s.position, sv.position";
static const char attendees_sql[] =
	"SELECT sa.session_id, p.key FROM session_attendee sa "
	"JOIN session s ON s.id = sa.session_id LEFT JOIN person p ON p.id = sa.person_id "
	"WHERE s.program_id = ?1 ORDER BY s.position, sa.position";
static const char items_sql[] =
	"SELECT i.session_id, i.kind, sp.key, i.title, coalesce(b.key, i.on_behalf_of_text), i.translations "
	"FROM item i JOIN session s ON s.id = i.session_id LEFT JOIN person sp ON sp.id = i.speaker_id "
	"LEFT JOIN person b ON b.id = i.on_behalf_of_person_id "
	"WHERE s.program_id = ?1 ORDER BY s.position, i.position";

const char *const timetable_store_queries[] = {
	venues_sql, sessions_sql, session_venues_sql, attendees_sql, items_sql, NULL,
};

static int load_venues(struct store *s, int64_t program_id, struct arena *a, struct program *p)
{
	struct stmt *st = store_stmt(s, venues_sql);
	if (!st)
		return STORE_ERROR;
	stmt_bind_int(st, 1, program_id);
	size_t cap = 0;
	int rc;
	while ((rc = stmt_step(st)) == STMT_ROW) {
		struct venue *v = ARRAY_PUSH(a, p->venues, &cap);
		v->key = stmt_column_text(st, 0, a);
		v->name = stmt_column_text(st, 1, a);
		v->kind = stmt_column_text(st, 2, a);
		v->address = stmt_column_text(st, 3, a);
		v->url = stmt_column_text(st, 4, a);
		v->capacity = stmt_column_opt_int(st, 5);
		stmt_column_translations(st, 6, a, &venue_translatable, &v->translations);
	}
	return rc == STMT_DONE ? STORE_OK : STORE_ERROR;
}

/*
 * Walks the rows of st (session id in column 0, ordered like the sessions)
 * and lets add() take each row into its session. ids[i] is the row id of
 * p->sessions.v[i].
 */
static int load_session_rows(struct store *s, struct stmt *st, const int64_t *ids,
			     struct program *p, struct arena *a,
			     void (*add)(struct session *, size_t *cap, struct stmt *, struct arena *))
{
	size_t k = 0, cap = 0;
	int rc;
	while ((rc = stmt_step(st)) == STMT_ROW) {
		int64_t session_id = stmt_column_int(st, 0);
		size_t was = k;
		while (k < p->sessions.n && ids[k] != session_id)
			k++;
		if (k == p->sessions.n) {
			stmt_reset(st);
			return store_fail(s, FAILURE_OTHER, "a session's row is out of order", st);
		}
		if (k != was)
			cap = 0;
		add(&p->sessions.v[k], &cap, st, a);
	}
	return rc == STMT_DONE ? STORE_OK : STORE_ERROR;
}

static void add_venue(struct session *ss, size_t *cap, struct stmt *st, struct arena *a)
{
	*ARRAY_PUSH(a, ss->venues, cap) = stmt_column_text(st, 1, a);
}

static void add_attendee(struct session *ss, size_t *cap, struct stmt *st, struct arena *a)
{
	*ARRAY_PUSH(a, ss->attendees, cap) = stmt_column_text(st, 1, a);
}

static void add_item(struct session *ss, size_t *cap, struct stmt *st, struct arena *a)
{
	struct item *it = ARRAY_PUSH(a, ss->items, cap);
	it->kind = stmt_column_text(st, 1, a);
	it->speaker = stmt_column_text(st, 2, a);
	it->title = stmt_column_text(st, 3, a);
	it->on_behalf_of = stmt_column_text(st, 4, a);
	stmt_column_translations(st, 5, a, &item_translatable, &it->translations);
}

int timetable_store_load(struct store *s, int64_t program_id, struct arena *a, struct program *p)
{
	if (load_venues(s, program_id, a, p) != STORE_OK)
		return STORE_ERROR;
	struct stmt *st = store_stmt(s, sessions_sql);
	if (!st)
		return STORE_ERROR;
	stmt_bind_int(st, 1, program_id);
	size_t cap = 0, id_cap = 0;
	ARRAY(int64_t) ids = {0};
	int rc;
	while ((rc = stmt_step(st)) == STMT_ROW) {
		*ARRAY_PUSH(a, ids, &id_cap) = stmt_column_int(st, 0);
		struct session *ss = ARRAY_PUSH(a, p->sessions, &cap);
		ss->key = stmt_column_text(st, 1, a);
		ss->title = stmt_column_text(st, 2, a);
		ss->kind = stmt_column_text(st, 3, a);
		ss->starts_at = (struct instant){true, stmt_column_int(st, 4)};
		ss->ends_at = (struct instant){true, stmt_column_int(st, 5)};
		ss->description = stmt_column_text(st, 6, a);
		stmt_column_translations(st, 7, a, &session_translatable, &ss->translations);
	}
	if (rc != STMT_DONE)
		return STORE_ERROR;
	if (p->sessions.n == 0)
		return STORE_OK;
	static const struct {
		const char *sql;
		void (*add)(struct session *, size_t *, struct stmt *, struct arena *);
	} parts[] = {
		{session_venues_sql, add_venue},
		{attendees_sql, add_attendee},
		{items_sql, add_item},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(parts); i++) {
		st = store_stmt(s, parts[i].sql);
		if (!st)
			return STORE_ERROR;
		stmt_bind_int(st, 1, program_id);
		if (load_session_rows(s, st, ids.v, p, a, parts[i].add) != STORE_OK)
			return STORE_ERROR;
	}
	return STORE_OK;
}

/* Inserts the venues of p, their row ids into ids (one per venue). */
static int insert_venues(struct store *s, int64_t program_id, const struct program *p, int64_t *ids)
{
	for (size_t i = 0; i < p->venues.n; i++) {
		const struct venue *v = &p->venues.v[i];
		if (store_next_id(s, "venue", &ids[i]) != STORE_OK)
			return STORE_ERROR;
		struct stmt *st = store_stmt(s, "INSERT INTO venue(program_id, position, key, name, kind, "
					       "address, url, capacity, id, translations) "
					       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
		if (!st)
			return STORE_ERROR;
		stmt_bind_int(st, 9, ids[i]);
		stmt_bind_int(st, 1, program_id);
		stmt_bind_int(st, 2, (int64_t)i);
		stmt_bind_text(st, 3, v->key);
		stmt_bind_text(st, 4, v->name);
		stmt_bind_text(st, 5, v->kind);
		stmt_bind_text(st, 6, v->address);
		stmt_bind_text(st, 7, v->url);
		stmt_bind_opt_int(st, 8, v->capacity);
		if (stmt_run_translated(st, 10, &v->translations, &venue_translatable) != STORE_OK)
			return STORE_ERROR;
	}
	return STORE_OK;
}

/* Inserts the session's venues (of p, with row ids venue_ids) and attendees, in their order. */
static int insert_session_links(struct store *s, int64_t session_id, const struct program *p,
				const int64_t *venue_ids, const struct session *ss)
{
	for (size_t i = 0; i < ss->venues.n; i++) {
		struct stmt *st = store_stmt(s, "INSERT INTO session_venue(session_id, position, venue_id) "
					       "VALUES (?1, ?2, ?3)");
		if (!st)
			return STORE_ERROR;
		stmt_bind_int(st, 1, session_id);
		stmt_bind_int(st, 2, (int64_t)i);
		for (size_t k = 0; k < p->venues.n; k++)
			if (strcmp(p->venues.v[k].key, ss->venues.v[i]) == 0)
				stmt_bind_int(st, 3, venue_ids[k]);
		if (stmt_run(st) != STORE_OK)
			return STORE_ERROR;
	}
	for (size_t i = 0; i < ss->attendees.n; i++) {
		struct stmt *st = store_stmt(s, "INSERT INTO session_attendee(session_id, position, "
						 "person_id) VALUES (?1, ?2, ?3)");
		if (!st)
			return STORE_ERROR;
		stmt_bind_int(st, 1, session_id);
		stmt_bind_int(st, 2, (int64_t)i);
		if (stmt_bind_person(st, 3, ss->attendees.v[i]) != STORE_OK ||
		    stmt_run(st) != STORE_OK)
			return STORE_ERROR;
	}
	return STORE_OK;
}

static int insert_items(struct store *s, int64_t session_id, const struct session *ss)
{
	for (size_t i = 0; i < ss->items.n; i++) {
		const struct item *it = &ss->items.v[i];
		bool person = item_on_behalf_of_is_person(it);
		struct stmt *st = store_stmt(
			s, "INSERT INTO item(session_id, position, kind, speaker_id, title, "
			   "on_behalf_of_person_id, on_behalf_of_text, translations) VALUES (?1, ?2, ?3, "
			   "?4, ?5, ?6, ?7, ?8)");
		if (!st)
			return STORE_ERROR;
		stmt_bind_int(st, 1, session_id);
		stmt_bind_int(st, 2, (int64_t)i);
		stmt_bind_text(st, 3, it->kind);
		stmt_bind_text(st, 5, it->title);
		if (stmt_bind_person(st, 4, it->speaker) != STORE_OK ||
		    stmt_bind_person(st, 6, person ? it->on_behalf_of : NULL) != STORE_OK)
			return STORE_ERROR;
		stmt_bind_text(st, 7, person ? NULL : it->on_behalf_of);
		if (stmt_run_translated(st, 8, &it->translations, &item_translatable) != STORE_OK)
			return STORE_ERROR;
	}
	return STORE_OK;
}

/* Inserts session i of p with its links and items. */
static int insert_session(struct store *s, int64_t program_id, const struct program *p,
			  const int64_t *venue_ids, size_t i)
{
	const struct session *ss = &p->sessions.v[i];
	int64_t session_id;
	if (store_next_id(s, "session", &session_id) != STORE_OK)
		return STORE_ERROR;
	struct stmt *st = store_stmt(s, "INSERT INTO session(program_id, position, key, title, "
				       "kind, starts_at, ends_at, description, id, translations) "
				       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
	if (!st)
		return STORE_ERROR;
	stmt_bind_int(st, 1, program_id);
	stmt_bind_int(st, 2, (int64_t)i);
	stmt_bind_text(st, 3, ss->key);
	stmt_bind_text(st, 4, ss->title);
	stmt_bind_text(st, 5, ss->kind);
	stmt_bind_int(st, 6, ss->starts_at.utc);
	stmt_bind_int(st, 7, ss->ends_at.utc);
	stmt_bind_text(st, 8, ss->description);
	stmt_bind_int(st, 9, session_id);
	if (stmt_run_translated(st, 10, &ss->translations, &session_translatable) != STORE_OK || insert_session_links(s, session_id, p, venue_ids, ss) != STORE_OK ||
	    insert_items(s, session_id, ss) != STORE_OK)
		return STORE_ERROR;
	return STORE_OK;
}

int timetable_store_insert(struct store *s, int64_t program_id, const struct program *p)
{
	int64_t *venue_ids = g_new0(int64_t, p->venues.n + 1);
	int rc = insert_venues(s, program_id, p, venue_ids);
	for (size_t i = 0; rc == STORE_OK && i < p->sessions.n; i++)
		rc = insert_session(s, program_id, p, venue_ids, i);
	g_free(venue_ids);
	return rc;
}

int timetable_store_delete(struct store *s, int64_t program_id)
{
	/* children first, named: a bulk write has the database's own cascades off */
	static const char *const deletes[] = {
		"DELETE FROM session_venue WHERE session_id IN (SELECT id FROM session WHERE program_id = ?1)",
		"DELETE FROM session_attendee WHERE session_id IN (SELECT id FROM session WHERE program_id = ?1)",
		"DELETE FROM item WHERE session_id IN (SELECT id FROM session WHERE program_id = ?1)",
		"DELETE FROM session WHERE program_id = ?1",
		"DELETE FROM venue WHERE program_id = ?1",
	};
	return store_run_with_id(s, deletes, G_N_ELEMENTS(deletes), program_id);
}
