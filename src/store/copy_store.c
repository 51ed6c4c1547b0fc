/*
 * copy_store.c: every row of one database into another, whatever their
 * backends (store.h's store_copy): the tables in the order their rows
 * refer to each other, each row's values as text (integers included, which
 * both backends take back as integers). The ids of the rows that others
 * refer to are kept; the others' ids are made anew by the target.
 */
#include <string.h>

#include "store/store_internal.h"

struct copied_table {
	const char *name;
	const char *select;   /* its rows, in the order they were written */
	const char *insert;   /* one row, the same columns as ?1... */
	int columns;
	int blob;             /* the column (0-based) whose values are bytes, not text; -1: none */
};

#define TABLE_WITH_BLOB(name, columns, order, n, params, blob)                                   \
	{name, "SELECT " columns " FROM " name " ORDER BY " order,                                \
	 "INSERT INTO " name "(" columns ") VALUES (" params ")", n, blob}
#define TABLE(name, columns, order, n, params) TABLE_WITH_BLOB(name, columns, order, n, params, -1)

/* Every table of the schema but meta (each database keeps its own data version). */
static const struct copied_table tables[] = {
	TABLE("setting", "name, value", "name", 2, "?1, ?2"),
	TABLE_WITH_BLOB("blob", "hash, content_type, width, height, data, chunks", "hash", 6,
			"?1, ?2, ?3, ?4, ?5, ?6", 4),
	TABLE_WITH_BLOB("blob_chunk", "hash, seq, data", "hash, seq", 3, "?1, ?2, ?3", 2),
	TABLE("rendition", "original, size, format, hash", "original, size, format", 4, "?1, ?2, ?3, ?4"),
	TABLE("organization", "id, key, name, short_name, country, kind, parent_id, translations", "id", 8,
	      "?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8"),
	TABLE("person", "id, key, name, honorific, position, organization_id, country, email, translations",
	      "id", 9, "?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9"),
	TABLE("program", "id, slug, title, kind, mode, timezone, starts_on, ends_on, host_id, "
			 "organizer_id, capacity, summary, translations", "id", 13,
	      "?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13"),
	TABLE("program_country", "program_id, position, country", "program_id, position", 3, "?1, ?2, ?3"),
	TABLE("program_language", "program_id, position, language", "program_id, position", 3,
	      "?1, ?2, ?3"),
	TABLE("phase", "program_id, position, phase, title, status, due, notes, translations",
	      "program_id, position", 8, "?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8"),
	TABLE("venue", "id, program_id, position, key, name, kind, address, url, capacity, translations", "id",
	      10, "?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10"),
	TABLE("enrolment", "program_id, position, person_id, role, status", "program_id, position", 5,
	      "?1, ?2, ?3, ?4, ?5"),
	TABLE("session", "id, program_id, position, key, title, kind, starts_at, ends_at, description, "
			 "translations", "id", 10, "?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10"),
	TABLE("session_venue", "session_id, position, venue_id", "session_id, position", 3, "?1, ?2, ?3"),
	TABLE("session_attendee", "session_id, position, person_id", "session_id, position", 3,
	      "?1, ?2, ?3"),
	TABLE("item", "session_id, position, kind, speaker_id, title, on_behalf_of_person_id, "
		      "on_behalf_of_text, translations", "session_id, position", 8,
	      "?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8"),
	TABLE("article", "id, program_id, position, key, section, title, created_on, language, status, "
			 "body_markdown, written_by_id, photographed_by_id, reviewed_by_id, translations, publish_at",
	      "id", 15, "?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15"),
	TABLE("photo", "article_id, position, key, caption, file, alt", "article_id, position", 6,
	      "?1, ?2, ?3, ?4, ?5, ?6"),
	TABLE("article_revision", "id, program_id, article_key, language, number, step, status, pending, "
				  "title, body_markdown, made_at, made_by, made_by_person, comment", "id", 14,
	      "?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14"),
	TABLE("account", "id, email, name, password_hash, admin, disabled, person_id, totp_secret, "
			 "created_at, changed_at, totp_pending, totp_step", "id", 12,
	      "?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12"),
	TABLE("account_role", "account_id, program_id, role", "account_id, program_id, role", 3,
	      "?1, ?2, ?3"),
	TABLE("login_session", "hash, account_id, created_at, seen_at", "hash", 4, "?1, ?2, ?3, ?4"),
	TABLE("api_token", "id, account_id, name, hash, created_at, used_at", "id", 6,
	      "?1, ?2, ?3, ?4, ?5, ?6"),
	TABLE("password_reset", "hash, account_id, expires_at", "hash", 3, "?1, ?2, ?3"),
	TABLE("login_ticket", "hash, account_id, expires_at, tries", "hash", 4, "?1, ?2, ?3, ?4"),
	TABLE("audit", "id, at, actor, program, action, record, fields", "id", 7,
	      "?1, ?2, ?3, ?4, ?5, ?6, ?7"),
};

/* Tables that are no data of their own: each database keeps them. */
static bool own_table(const char *name)
{
	return strcmp(name, "meta") == 0 || strcmp(name, "podium_schema") == 0;
}

static bool copied(const char *name)
{
	for (size_t i = 0; i < G_N_ELEMENTS(tables); i++)
		if (strcmp(tables[i].name, name) == 0)
			return true;
	return false;
}

int store_copy_check_tables(struct store *s)
{
	struct arena a = ARENA_INIT;
	strv names = {0};
	int rc = s->backend->tables(s, &a, &names);
	for (size_t i = 0; rc == STORE_OK && i < names.n; i++)
		if (!own_table(names.v[i]) && !copied(names.v[i])) {
			char *msg = g_strdup_printf("copy knows no table '%s': a bug", names.v[i]);
			rc = store_fail(s, FAILURE_OTHER, msg, NULL);
			g_free(msg);
		}
	arena_free(&a);
	return rc;
}

int store_is_empty(struct store *s, bool *empty)
{
	*empty = true;
	for (size_t i = 0; i < G_N_ELEMENTS(tables) && *empty; i++) {
		char *sql = g_strdup_printf("SELECT 1 FROM %s LIMIT 1", tables[i].name);
		struct stmt *st = store_stmt(s, g_intern_string(sql));
		g_free(sql);
		bool any;
		if (!st || stmt_exists(st, &any) != STORE_OK)
			return STORE_ERROR;
		*empty = !any;
	}
	return STORE_OK;
}

/* Copies every row of one table; *rows counts them. On failure *failed is the store that failed. */
static int copy_table(struct store *from, struct store *to, const struct copied_table *t, int64_t *rows,
		      struct store **failed)
{
	struct stmt *read = store_stmt(from, t->select);
	if (!read) {
		*failed = from;
		return STORE_ERROR;
	}
	struct arena a = ARENA_INIT;
	int rc;
	while ((rc = stmt_step(read)) == STMT_ROW) {
		struct stmt *write = store_stmt(to, t->insert);
		bool ok = write != NULL;
		for (int c = 0; ok && c < t->columns; c++) {
			if (c == t->blob) {
				size_t len;
				const void *bytes = stmt_column_blob(read, c, &a, &len);
				stmt_bind_blob(write, c + 1, bytes, len);
			} else {
				stmt_bind_text(write, c + 1, stmt_column_text(read, c, &a));
			}
		}
		if (!ok || stmt_run(write) != STORE_OK) {
			stmt_reset(read);
			arena_free(&a);
			*failed = to;
			return STORE_ERROR;
		}
		if (++*rows % 4096 == 0 || t->blob >= 0)
			arena_free(&a); /* the values were sent: nothing holds them (a blob may be large) */
	}
	arena_free(&a);
	*failed = from;
	return rc == STMT_DONE ? STORE_OK : STORE_ERROR;
}

int store_copy(struct store *from, struct store *to, int64_t *rows, struct store **failed)
{
	*rows = 0;
	*failed = from;
	if (store_copy_check_tables(from) != STORE_OK)
		return STORE_ERROR;
	for (size_t i = 0; i < G_N_ELEMENTS(tables); i++)
		if (copy_table(from, to, &tables[i], rows, failed) != STORE_OK)
			return STORE_ERROR;
	return STORE_OK;
}
