/* settings_store.c: the SQL of stored settings (store.h). */
#include "store/store_internal.h"

int settings_store_get(struct store *s, const char *name, char **value)
{
	struct stmt *st = store_stmt(s, "SELECT value FROM setting WHERE name = ?1");
	if (!st)
		return STORE_ERROR;
	stmt_bind_text(st, 1, name);
	int rc = stmt_step(st);
	if (rc == STMT_ROW) {
		struct arena a = ARENA_INIT;
		*value = g_strdup(stmt_column_text(st, 0, &a));
		arena_free(&a);
		stmt_reset(st);
	}
	return rc == STORE_ERROR ? STORE_ERROR : rc == STMT_ROW ? STORE_OK : STORE_NOT_FOUND;
}

int settings_store_set(struct store *s, const char *name, const char *value)
{
	struct stmt *st = store_stmt(s, "INSERT INTO setting(name, value) VALUES (?1, ?2) "
				       "ON CONFLICT(name) DO UPDATE SET value = excluded.value");
	if (!st)
		return STORE_ERROR;
	stmt_bind_text(st, 1, name);
	stmt_bind_text(st, 2, value);
	return stmt_run(st);
}
