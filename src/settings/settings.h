/*
 * settings.h: the settings of an installation, one table in the code with
 * type, default and help text; values are stored in the database.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#include "store/store.h"

enum setting_type { SETTING_INTEGER, SETTING_TEXT };

struct setting {
	const char *name;
	enum setting_type type;
	long long default_value, min, max; /* integers */
	const char *default_text;          /* texts */
	/* texts: true when text is a value of the setting, else false with *error (g_free) */
	bool (*valid)(const char *text, char **error);
	const char *help;
};

extern const struct setting settings_table[];
extern const size_t settings_count;

/* The setting called name, or NULL. */
const struct setting *settings_find(const char *name);
/* The name of the type of def, for help: "integer", "text". */
const char *settings_type_name(const struct setting *def);
/*
 * Checks text as a value of def; an integer goes into *out (may be NULL
 * for a text). On failure returns false with *error (g_free).
 */
bool settings_parse(const struct setting *def, const char *text, long long *out, char **error);
/* The current value of integer setting name (stored, else the default); STORE_OK or STORE_ERROR. */
int settings_get(struct store *s, const char *name, long long *out);
/* The current value of text setting name in *out (g_free); STORE_OK or STORE_ERROR. */
int settings_get_text(struct store *s, const char *name, char **out);
