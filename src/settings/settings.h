/*
 * settings.h: the settings of an installation, one table in the code with
 * type, default and help text; values are stored in the database.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#include "store/store.h"

struct setting {
	const char *name;
	const char *type; /* "integer" */
	long long default_value, min, max;
	const char *help;
};

extern const struct setting settings_table[];
extern const size_t settings_count;

/* The setting called name, or NULL. */
const struct setting *settings_find(const char *name);
/* Parses text as a value of def into *out; on failure returns false with *error (g_free). */
bool settings_parse(const struct setting *def, const char *text, long long *out, char **error);
/* The current value of name (stored, else the default); STORE_OK or STORE_ERROR. */
int settings_get(struct store *s, const char *name, long long *out);
