/* settings.c: the settings table and its values (settings.h). */
#include "settings/settings.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "core/intl.h"

/* A list of addresses and networks (CIDR) separated by commas: "127.0.0.1, 10.0.0.0/8, ::1". */
static bool valid_addresses(const char *text, char **error)
{
	gchar **parts = g_strsplit(text, ",", -1);
	bool ok = true;
	for (gchar **p = parts; *p && ok; p++) {
		char *one = g_strstrip(*p);
		if (!*one)
			continue;
		GError *e = NULL;
		GInetAddressMask *mask = g_inet_address_mask_new_from_string(one, &e);
		if (!mask) {
			*error = g_strdup_printf("'%s' is not an address or a network such as 10.0.0.0/8", one);
			ok = false;
			g_error_free(e);
		} else {
			g_object_unref(mask);
		}
	}
	g_strfreev(parts);
	return ok;
}

/* A well-formed BCP 47 language tag. */
static bool valid_language(const char *text, char **error)
{
	if (intl_is_language(text))
		return true;
	*error = g_strdup_printf("'%s' is not a language tag such as en or zh", text);
	return false;
}

/* An absolute http or https address of a site's root: scheme and host, maybe a port, nothing else. */
static bool valid_base_url(const char *text, char **error)
{
	GUri *uri = g_uri_parse(text, G_URI_FLAGS_NONE, NULL);
	bool ok = uri && (strcmp(g_uri_get_scheme(uri), "http") == 0 || strcmp(g_uri_get_scheme(uri), "https") == 0) &&
		  g_uri_get_host(uri) && *g_uri_get_host(uri) && !g_uri_get_userinfo(uri) &&
		  (!*g_uri_get_path(uri) || strcmp(g_uri_get_path(uri), "/") == 0) && !g_uri_get_query(uri) &&
		  !g_uri_get_fragment(uri);
	if (uri)
		g_uri_unref(uri);
	if (!ok)
		*error = g_strdup_printf("'%s' is not the address of a site's root such as https://podium.example.org "
					 "(http or https, a host, maybe a port; no path, query or fragment)", text);
	return ok;
}

#define INTEGER(name, def, min, max, help) {name, SETTING_INTEGER, def, min, max, NULL, NULL, help}
#define TEXT(name, def, valid, help) {name, SETTING_TEXT, 0, 0, 0, def, valid, help}

const struct setting settings_table[] = {
	INTEGER("accounts.session_idle_seconds", 7200, 60, 2592000,
		"Seconds a back-office session may go unused before it ends."),
	INTEGER("accounts.session_max_seconds", 43200, 300, 31536000,
		"Seconds a back-office session lasts at most, however much it is used."),
	INTEGER("accounts.max_failures_per_account", 10, 1, 100000,
		"Failed sign-ins to one account within 15 minutes after which further tries are refused (429)."),
	INTEGER("accounts.max_failures_per_address", 50, 1, 1000000,
		"Failed sign-ins from one client address within 15 minutes after which further tries are refused (429)."),
	INTEGER("accounts.admin_totp_required", 0, 0, 1,
		"1: administrators hold their rights only with two-factor sign-in on (TOTP); without it they "
		"sign in as users with no admin rights until they turn it on."),
	INTEGER("api.max_body_bytes", 33554432, 1024, 4294967296LL,
		"Largest document, in bytes, that POST /api/v1/import takes; a larger one is refused (413) "
		"as soon as its Content-Length says so."),
	INTEGER("import.max_bytes", 268435456, 1, 17179869184LL,
		"Largest document, in bytes, that 'podium import' reads; a larger one is refused before it is parsed."),
	INTEGER("import.max_depth", 32, 2, 1000,
		"Deepest nesting of arrays and objects in an imported document, the document itself counting as 1."),
	INTEGER("photos.max_bytes", 26214400, 1024, 1073741824LL,
		"Largest photo file, in bytes, that an upload takes; a larger one is refused (413)."),
	INTEGER("photos.max_pixels", 50000000, 1, 1000000000LL,
		"Most pixels (width times height) of an uploaded photo, read from its header before it is "
		"decoded; a larger one is refused (422)."),
	INTEGER("server.cache_bytes", 16777216, 0, 4294967296LL,
		"Memory budget of the web server's cache of rendered pages, in bytes; 0 turns the cache off."),
	INTEGER("server.max_connections", 4096, 16, 65536,
		"Connections the web server holds at once before it closes the oldest idle or unfinished ones "
		"to make room; it takes up to twice as many while they close."),
	INTEGER("server.max_connections_per_ip", 256, 1, 65536,
		"Most connections the web server holds at once from one client address (a trusted proxy's "
		"own address is not limited)."),
	INTEGER("server.https", 0, 0, 1,
		"1 when the site is served over https (by a proxy in front of it): cookies are then marked "
		"Secure. Requests a trusted proxy marks X-Forwarded-Proto: https get Secure cookies anyway."),
	INTEGER("server.max_form_bytes", 8388608, 1024, 1073741824LL,
		"Largest body, in bytes, of a form sent to the back office (a roster file included)."),
	INTEGER("server.head_timeout", 5, 1, 300,
		"Seconds a client has to send a whole request head, however slowly it trickles in."),
	INTEGER("server.idle_timeout", 5, 1, 3600,
		"Seconds a kept-alive connection may wait for its next request."),
	INTEGER("server.body_timeout", 60, 1, 3600,
		"Seconds a client has to send a whole request body."),
	TEXT("server.trusted_proxies", "", valid_addresses,
	     "Addresses and networks of the proxies in front of the server (comma-separated, e.g. "
	     "127.0.0.1, 10.0.0.0/8): only their X-Forwarded-For and X-Forwarded-Proto are believed, "
	     "and then the client's address and scheme are used for limits, the log and https."),
	TEXT("site.language", "en", valid_language,
	     "The language pages are read in when the reader asks for none (by ?lang=, its cookie or the "
	     "browser's Accept-Language) that the site is offered in (en, zh). Read when podium serve starts."),
	TEXT("site.base_url", "http://127.0.0.1:8080", valid_base_url,
	     "The address the site is reached at (https://podium.example.org): the absolute addresses of "
	     "feeds, the sitemap, robots.txt and pages' canonical and Open Graph links start with it."),
	TEXT("site.content_language", "en", valid_language,
	     "The language the records' own texts (names, titles) are written in; their translations "
	     "into other languages are the records' translations. Read when podium serve starts."),
};
const size_t settings_count = G_N_ELEMENTS(settings_table);

const struct setting *settings_find(const char *name)
{
	for (size_t i = 0; i < settings_count; i++)
		if (strcmp(settings_table[i].name, name) == 0)
			return &settings_table[i];
	return NULL;
}

const char *settings_type_name(const struct setting *def)
{
	return def->type == SETTING_INTEGER ? "integer" : "text";
}

bool settings_parse(const struct setting *def, const char *text, long long *out, char **error)
{
	if (def->type == SETTING_TEXT) {
		if (!g_utf8_validate(text, -1, NULL)) {
			*error = g_strdup_printf("%s: the value is not UTF-8", def->name);
			return false;
		}
		char *why = NULL;
		if (def->valid && !def->valid(text, &why)) {
			*error = g_strdup_printf("%s: %s", def->name, why);
			g_free(why);
			return false;
		}
		return true;
	}
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
	if (out)
		*out = v;
	return true;
}

/* The stored text of def, checked; the default when none is stored or it is not valid. */
static int settings_read(struct store *s, const struct setting *def, char **text)
{
	*text = NULL;
	int rc = settings_store_get(s, def->name, text);
	if (rc == STORE_ERROR)
		return STORE_ERROR;
	char *error = NULL;
	if (rc == STORE_OK && !settings_parse(def, *text, NULL, &error)) {
		g_warning("stored setting ignored: %s", error);
		g_free(error);
		g_free(*text);
		*text = NULL;
	}
	return STORE_OK;
}

int settings_get(struct store *s, const char *name, long long *out)
{
	const struct setting *def = settings_find(name);
	g_assert(def && def->type == SETTING_INTEGER);
	char *text;
	*out = def->default_value;
	if (settings_read(s, def, &text) != STORE_OK)
		return STORE_ERROR;
	if (text)
		settings_parse(def, text, out, NULL);
	g_free(text);
	return STORE_OK;
}

int settings_get_text(struct store *s, const char *name, char **out)
{
	const struct setting *def = settings_find(name);
	g_assert(def && def->type == SETTING_TEXT);
	char *text;
	if (settings_read(s, def, &text) != STORE_OK)
		return STORE_ERROR;
	*out = text ? text : g_strdup(def->default_text);
	return STORE_OK;
}
