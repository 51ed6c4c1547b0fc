/* settings.c: the settings table and its values (settings.h). */
#include "settings/settings.h"

#include <errno.h>
#include <glib.h>
#include <stdlib.h>
#include <string.h>

const struct setting settings_table[] = {
	{"import.max_bytes", "integer", 268435456, 1, 17179869184LL,
	 "Largest document, in bytes, that 'podium import' reads; a larger one is refused before it is parsed."},
	{"import.max_depth", "integer", 32, 2, 1000,
	 "Deepest nesting of arrays and objects in an imported document, the document itself counting as 1."},
	{"server.cache_bytes", "integer", 16777216, 0, 4294967296LL,
	 "Memory budget of the web server's cache of rendered pages, in bytes; 0 turns the cache off."},
	{"server.max_connections", "integer", 1024, 1, 65536,
	 "Most connections the web server holds at once."},
	{"server.max_connections_per_ip", "integer", 256, 1, 65536,
	 "Most connections the web server holds at once from one address."},
};
const size_t settings_count = G_N_ELEMENTS(settings_table);

const struct setting *settings_find(const char *name)
{
	for (size_t i = 0; i < settings_count; i++)
		if (strcmp(settings_table[i].name, name) == 0)
			return &settings_table[i];
	return NULL;
}

bool settings_parse(const struct setting *def, const char *text, long long *out, char **error)
{
	char *end;
	errno = 0;
	long long v = strtoll(text, &end, 10);
	if (!*text || *end || errno || g_ascii_isspace(*text)) {
		*error = g_strdup_printf("%s: '%s' is not an integer", def->name, text);
		return false;
	}
	if (v < def->min || v > def->max) {
		*error = g_strdup_printf("%s: %lld is out of range, expected %lld to %lld", def->name, v,
					 def->min, def->max);
		return false;
	}
	*out = v;
	return true;
}

int settings_get(struct store *s, const char *name, long long *out)
{
	const struct setting *def = settings_find(name);
	g_assert(def);
	char *text = NULL, *error = NULL;
	int rc = settings_store_get(s, name, &text);
	*out = def->default_value;
	if (rc == STORE_OK && !settings_parse(def, text, out, &error)) {
		g_warning("stored setting ignored: %s", error);
		g_free(error);
	}
	g_free(text);
	return rc == STORE_ERROR ? STORE_ERROR : STORE_OK;
}
