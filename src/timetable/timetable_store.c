/* timetable_store.c: the SQL of venues, sessions, their venues, attendees and items. */
#include "store/store_internal.h"

static int load_venues(struct store *s, int64_t program_id, struct arena *a, struct program *p)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT key, name, kind, address, url, capacity FROM venue "
					 "WHERE program_id = ?1 ORDER BY position");
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, program_id);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct venue *v = ARRAY_PUSH(a, p->venues, &cap);
		v->key = store_column_text(st, 0, a);
		v->name = store_column_text(st, 1, a);
		v->kind = store_column_text(st, 2, a);
		v->address = store_column_text(st, 3, a);
		v->url = store_column_text(st, 4, a);
		v->capacity = store_column_opt_int(st, 5);
	}
	return rc == SQLITE_DONE ? STORE_OK : store_fail(s, st);
}

/*
 * Walks the rows of st (session id in column 0, ordered like the sessions)
 * and lets add() take each row into its session. ids[i] is the row id of
 * p->sessions.v[i].
 */
static int load_session_rows(struct store *s, sqlite3_stmt *st, const int64_t *ids,
			     struct program *p, struct arena *a,
			     void (*add)(struct session *, size_t *cap, sqlite3_stmt *, struct arena *))
{
	size_t k = 0, cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t session_id = sqlite3_column_int64(st, 0);
		size_t was = k;
		while (k < p->sessions.n && ids[k] != session_id)
			k++;
		if (k == p->sessions.n) {
			g_string_printf(s->error, "row of session %lld out of order",
					(long long)session_id);
			return STORE_ERROR;
		}
		if (k != was)
			cap = 0;
		add(&p->sessions.v[k], &cap, st, a);
	}
	return rc == SQLITE_DONE ? STORE_OK : store_fail(s, st);
}

static void add_venue(struct session *ss, size_t *cap, sqlite3_stmt *st, struct arena *a)
{
	*ARRAY_PUSH(a, ss->venues, cap) = store_column_text(st, 1, a);
}

static void add_attendee(struct session *ss, size_t *cap, sqlite3_stmt *st, struct arena *a)
{
	*ARRAY_PUSH(a, ss->attendees, cap) = store_column_text(st, 1, a);
}

static void add_item(struct session *ss, size_t *cap, sqlite3_stmt *st, struct arena *a)
{
	struct item *it = ARRAY_PUSH(a, ss->items, cap);
	it->kind = store_column_text(st, 1, a);
	it->speaker = store_column_text(st, 2, a);
	it->title = store_column_text(st, 3, a);
	it->on_behalf_of = store_column_text(st, 4, a);
}

int timetable_store_load(struct store *s, int64_t program_id, struct arena *a, struct program *p)
{
	if (load_venues(s, program_id, a, p) != STORE_OK)
		return STORE_ERROR;
	sqlite3_stmt *st = store_stmt(s, "SELECT id, key, title, kind, starts_at, ends_at, description "
					 "FROM session WHERE program_id = ?1 ORDER BY position");
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, program_id);
	size_t cap = 0, id_cap = 0;
	ARRAY(int64_t) ids = {0};
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*ARRAY_PUSH(a, ids, &id_cap) = sqlite3_column_int64(st, 0);
		struct session *ss = ARRAY_PUSH(a, p->sessions, &cap);
		ss->key = store_column_text(st, 1, a);
		ss->title = store_column_text(st, 2, a);
		ss->kind = store_column_text(st, 3, a);
		ss->starts_at = (struct instant){true, sqlite3_column_int64(st, 4)};
		ss->ends_at = (struct instant){true, sqlite3_column_int64(st, 5)};
		ss->description = store_column_text(st, 6, a);
	}
	if (rc != SQLITE_DONE)
		return store_fail(s, st);
	if (p->sessions.n == 0)
		return STORE_OK;
	static const struct {
		const char *sql;
		void (*add)(struct session *, size_t *, sqlite3_stmt *, struct arena *);
	} parts[] = {
		{"SELECT sv.session_id, v.key FROM session_venue sv "
		 "JOIN session s ON s.id = sv.session_id LEFT JOIN venue v ON v.id = sv.venue_id "
		 "WHERE s.program_id = ?1 ORDER BY s.position, sv.position", add_venue},
		{"SELECT sa.session_id, p.key FROM session_attendee sa "
		 "JOIN session s ON s.id = sa.session_id LEFT JOIN person p ON p.id = sa.person_id "
		 "WHERE s.program_id = ?1 ORDER BY s.position, sa.position", add_attendee},
		{"SELECT i.session_id, i.kind, sp.key, i.title, "
		 "coalesce((SELECT b.key FROM person b WHERE b.id = i.on_behalf_of_person_id), "
		 "i.on_behalf_of_text) FROM item i "
		 "JOIN session s ON s.id = i.session_id LEFT JOIN person sp ON sp.id = i.speaker_id "
		 "WHERE s.program_id = ?1 ORDER BY s.position, i.position", add_item},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(parts); i++) {
		st = store_stmt(s, parts[i].sql);
		if (!st)
			return STORE_ERROR;
		sqlite3_bind_int64(st, 1, program_id);
		if (load_session_rows(s, st, ids.v, p, a, parts[i].add) != STORE_OK)
			return STORE_ERROR;
	}
	return STORE_OK;
}

static int insert_venues(struct store *s, int64_t program_id, const struct program *p)
{
	for (size_t i = 0; i < p->venues.n; i++) {
		const struct venue *v = &p->venues.v[i];
		sqlite3_stmt *st = store_stmt(s, "INSERT INTO venue(program_id, position, key, name, kind, "
						 "address, url, capacity) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
		if (!st)
			return STORE_ERROR;
		sqlite3_bind_int64(st, 1, program_id);
		sqlite3_bind_int64(st, 2, (int64_t)i);
		store_bind_text(st, 3, v->key);
		store_bind_text(st, 4, v->name);
		store_bind_text(st, 5, v->kind);
		store_bind_text(st, 6, v->address);
		store_bind_text(st, 7, v->url);
		store_bind_opt_int(st, 8, v->capacity);
		if (store_run(s, st) != STORE_OK)
			return STORE_ERROR;
	}
	return STORE_OK;
}

/* Inserts the session's venues and attendees, in their order. */
static int insert_session_links(struct store *s, int64_t session_id, int64_t program_id,
				const struct session *ss)
{
	for (size_t i = 0; i < ss->venues.n; i++) {
		sqlite3_stmt *st = store_stmt(s, "INSERT INTO session_venue(session_id, position, venue_id) "
						 "VALUES (?1, ?2, (SELECT id FROM venue WHERE program_id = ?3 "
						 "AND key = ?4))");
		if (!st)
			return STORE_ERROR;
		sqlite3_bind_int64(st, 1, session_id);
		sqlite3_bind_int64(st, 2, (int64_t)i);
		sqlite3_bind_int64(st, 3, program_id);
		store_bind_text(st, 4, ss->venues.v[i]);
		if (store_run(s, st) != STORE_OK)
			return STORE_ERROR;
	}
	for (size_t i = 0; i < ss->attendees.n; i++) {
		sqlite3_stmt *st = store_stmt(s, "INSERT INTO session_attendee(session_id, position, "
						 "person_id) VALUES (?1, ?2, ?3)");
		if (!st)
			return STORE_ERROR;
		sqlite3_bind_int64(st, 1, session_id);
		sqlite3_bind_int64(st, 2, (int64_t)i);
		if (store_bind_person(s, st, 3, ss->attendees.v[i]) != STORE_OK ||
		    store_run(s, st) != STORE_OK)
			return STORE_ERROR;
	}
	return STORE_OK;
}

static int insert_items(struct store *s, int64_t session_id, const struct session *ss)
{
	for (size_t i = 0; i < ss->items.n; i++) {
		const struct item *it = &ss->items.v[i];
		bool person = item_on_behalf_of_is_person(it);
		sqlite3_stmt *st = store_stmt(
			s, "INSERT INTO item(session_id, position, kind, speaker_id, title, "
			   "on_behalf_of_person_id, on_behalf_of_text) VALUES (?1, ?2, ?3, "
			   "?4, ?5, ?6, ?7)");
		if (!st)
			return STORE_ERROR;
		sqlite3_bind_int64(st, 1, session_id);
		sqlite3_bind_int64(st, 2, (int64_t)i);
		store_bind_text(st, 3, it->kind);
		store_bind_text(st, 5, it->title);
		if (store_bind_person(s, st, 4, it->speaker) != STORE_OK ||
		    store_bind_person(s, st, 6, person ? it->on_behalf_of : NULL) != STORE_OK)
			return STORE_ERROR;
		store_bind_text(st, 7, person ? NULL : it->on_behalf_of);
		if (store_run(s, st) != STORE_OK)
			return STORE_ERROR;
	}
	return STORE_OK;
}

int timetable_store_insert(struct store *s, int64_t program_id, const struct program *p)
{
	if (insert_venues(s, program_id, p) != STORE_OK)
		return STORE_ERROR;
	for (size_t i = 0; i < p->sessions.n; i++) {
		const struct session *ss = &p->sessions.v[i];
		sqlite3_stmt *st = store_stmt(s, "INSERT INTO session(program_id, position, key, title, "
						 "kind, starts_at, ends_at, description) "
						 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
		if (!st)
			return STORE_ERROR;
		sqlite3_bind_int64(st, 1, program_id);
		sqlite3_bind_int64(st, 2, (int64_t)i);
		store_bind_text(st, 3, ss->key);
		store_bind_text(st, 4, ss->title);
		store_bind_text(st, 5, ss->kind);
		sqlite3_bind_int64(st, 6, ss->starts_at.utc);
		sqlite3_bind_int64(st, 7, ss->ends_at.utc);
		store_bind_text(st, 8, ss->description);
		if (store_run(s, st) != STORE_OK)
			return STORE_ERROR;
		int64_t session_id = sqlite3_last_insert_rowid(s->db);
		if (insert_session_links(s, session_id, program_id, ss) != STORE_OK ||
		    insert_items(s, session_id, ss) != STORE_OK)
			return STORE_ERROR;
	}
	return STORE_OK;
}

int timetable_store_delete(struct store *s, int64_t program_id)
{
	/* sessions first: their venues, attendees and items go with them (ON DELETE CASCADE) */
	static const char *const deletes[] = {
		"DELETE FROM session WHERE program_id = ?1",
		"DELETE FROM venue WHERE program_id = ?1",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(deletes); i++) {
		sqlite3_stmt *st = store_stmt(s, deletes[i]);
		if (!st)
			return STORE_ERROR;
		sqlite3_bind_int64(st, 1, program_id);
		if (store_run(s, st) != STORE_OK)
			return STORE_ERROR;
	}
	return STORE_OK;
}
