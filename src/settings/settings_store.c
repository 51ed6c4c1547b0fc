/* settings_store.c: the SQL of stored settings (store.h). */
#include "store/store_internal.h"

int settings_store_get(struct store *s, const char *name, char **value)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT value FROM setting WHERE name = ?1");
	if (!st)
		return STORE_ERROR;
	store_bind_text(st, 1, name);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*value = g_strdup((const char *)sqlite3_column_text(st, 0));
	else if (rc != SQLITE_DONE)
		return store_fail(s, st);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? STORE_OK : STORE_NOT_FOUND;
}

int settings_store_set(struct store *s, const char *name, const char *value)
{
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO setting(name, value) VALUES (?1, ?2) "
					 "ON CONFLICT(name) DO UPDATE SET value = excluded.value");
	if (!st)
		return STORE_ERROR;
	store_bind_text(st, 1, name);
	store_bind_text(st, 2, value);
	return store_run(s, st);
}
